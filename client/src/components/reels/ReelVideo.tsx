// The video of one reel in the player: HLS attached as soon as it is mounted (the player mounts
// the reel on screen and its two neighbours, so the next and the previous are ready when swiped
// to), playing only while it is the one on screen and not paused, muted until sound is on. It
// loops (started again at its end, which is reported), starts from the beginning when it comes
// back on screen, and reports the time it saw go by while playing, so pauses count nothing.
import { createEffect, createSignal, type JSX, on, onCleanup, onMount } from 'solid-js';
import type { MediaItem } from '../../state/media.ts';
import { actions, errorText } from '../../state/store.ts';
import { attachHls } from '../media/hls.ts';

/** A jump of the clock bigger than this is a seek, not time played. */
const MAX_STEP_MS = 1500;

export function ReelVideo(props: {
  item: MediaItem;
  active: boolean;
  paused: boolean;
  muted: boolean;
  label: string;
  onPlayed: (ms: number) => void;
  onEnded: () => void;
  /** Sound was refused (no gesture yet): the player shows it muted. */
  onMutedByBrowser: () => void;
  /** Even muted, the browser would not start it: the player shows it paused, a tap plays it. */
  onBlocked: () => void;
}): JSX.Element {
  let video: HTMLVideoElement | undefined;
  let last = 0;
  const [progress, setProgress] = createSignal(0);

  const play = (element: HTMLVideoElement) => {
    element.play().catch((error: unknown) => {
      // An AbortError is a pause (swiped on) that came before the play started: nothing to do.
      if (!(error instanceof DOMException) || error.name !== 'NotAllowedError') return;
      if (element.muted) return props.onBlocked();
      element.muted = true;
      props.onMutedByBrowser();
      element.play().catch(() => props.onBlocked());
    });
  };

  onMount(() => {
    const element = video;
    const playlist = props.item.urls?.['master.m3u8'];
    if (element === undefined || playlist === undefined) return;
    let release: (() => void) | undefined;
    let gone = false;
    attachHls(element, playlist).then(
      (stop) => {
        if (gone) return stop();
        release = stop;
        if (props.active && !props.paused) play(element);
      },
      (error: unknown) => actions.toast(errorText(error), 'error'),
    );
    onCleanup(() => {
      gone = true;
      release?.();
    });
  });

  createEffect(() => {
    const element = video;
    if (element !== undefined) element.muted = props.muted;
  });
  createEffect(
    on(
      () => props.active,
      (active, was) => {
        const element = video;
        if (element === undefined || active || was === undefined) return;
        // Back on screen later, it starts over.
        element.currentTime = 0;
        last = 0;
        setProgress(0);
      },
    ),
  );
  createEffect(() => {
    const element = video;
    if (element === undefined) return;
    if (props.active && !props.paused) play(element);
    else element.pause();
  });

  return (
    <>
      <video
        ref={video}
        class="reel-video"
        // A reel wider than tall (a duet: two pictures side by side) is shown whole, with bars, not cropped to one side.
        classList={{ wide: (props.item.width ?? 0) > (props.item.height ?? 0) }}
        playsinline
        muted
        preload="auto"
        poster={props.item.urls?.['thumb.jpg']}
        aria-label={props.label}
        data-testid="reel-video"
        data-media-id={props.item.id}
        onTimeUpdate={(event) => {
          const now = event.currentTarget.currentTime * 1000;
          const step = now - last;
          last = now;
          if (props.active && step > 0 && step < MAX_STEP_MS) props.onPlayed(step);
          const length = event.currentTarget.duration;
          if (Number.isFinite(length) && length > 0) setProgress(Math.min(1, now / (length * 1000)));
        }}
        onEnded={(event) => {
          props.onEnded();
          last = 0;
          event.currentTarget.currentTime = 0;
          if (props.active && !props.paused) play(event.currentTarget);
        }}
      />
      <div class="reel-progress" aria-hidden="true">
        <span style={{ transform: `scaleX(${progress()})` }} />
      </div>
    </>
  );
}
