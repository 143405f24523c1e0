// A video of ready media: its thumbnail as the poster, the browser's controls, and HLS (adaptive
// renditions) attached once the player is near the screen. Stories drive it instead (`play`):
// no controls, it starts by itself at the clip's start, pauses when told, and reports its time.
import { createEffect, type JSX, onCleanup, onMount } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { MediaItem } from '../../state/media.ts';
import { actions, errorText } from '../../state/store.ts';
import { attachHls } from './hls.ts';
import { clock } from './sources.ts';

/** A video a story plays: from `fromMs`, paused while `paused`, its position told to `onTime` (ms from `fromMs`). */
export interface Playback {
  fromMs: number;
  paused: boolean;
  onTime: (ms: number) => void;
  onEnded: () => void;
}

/** Starts `element`; a browser that refuses sound before a gesture plays it muted instead. */
function start(element: HTMLVideoElement): void {
  element.play().catch(() => {
    element.muted = true;
    element.play().catch((error: unknown) => actions.toast(errorText(error), 'error'));
  });
}

export function VideoPlayer(props: { item: MediaItem; play?: Playback }): JSX.Element {
  let video: HTMLVideoElement | undefined;
  let attached = false;
  const label = () => t('media.videoLength', { duration: clock(props.item.durationMs ?? 0) });
  onMount(() => {
    const element = video;
    const playlist = props.item.urls?.['master.m3u8'];
    if (element === undefined || playlist === undefined) return;
    let release: (() => void) | undefined;
    let gone = false;
    const attach = () => {
      attachHls(element, playlist, props.play === undefined ? -1 : props.play.fromMs / 1000).then(
        (stop) => {
          if (gone) return stop();
          release = stop;
          attached = true;
          if (props.play !== undefined && !props.play.paused) start(element);
        },
        (error: unknown) => actions.toast(errorText(error), 'error'),
      );
    };
    if (typeof IntersectionObserver === 'undefined') attach();
    else {
      const observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          observer.disconnect();
          attach();
        },
        { rootMargin: '400px 0px' },
      );
      observer.observe(element);
      onCleanup(() => observer.disconnect());
    }
    onCleanup(() => {
      gone = true;
      release?.();
    });
  });
  createEffect(() => {
    const paused = props.play?.paused;
    const element = video;
    if (paused === undefined || element === undefined || !attached) return;
    if (paused) element.pause();
    else if (element.paused) start(element);
  });
  return (
    // biome-ignore lint/a11y/useMediaCaption: uploaded videos come without captions, and the pipeline makes none
    <video
      ref={video}
      class="video"
      controls={props.play === undefined}
      playsinline
      preload={props.play === undefined ? 'none' : 'auto'}
      onTimeUpdate={(event) => props.play?.onTime(event.currentTarget.currentTime * 1000 - (props.play?.fromMs ?? 0))}
      onEnded={() => props.play?.onEnded()}
      onLoadedMetadata={(event) => {
        // A clip starts where it starts, whichever way the playlist was attached.
        const from = (props.play?.fromMs ?? 0) / 1000;
        if (event.currentTarget.currentTime < from - 0.25) event.currentTarget.currentTime = from;
      }}
      poster={props.item.urls?.['thumb.jpg']}
      width={props.item.width ?? undefined}
      height={props.item.height ?? undefined}
      style={{ 'aspect-ratio': props.item.width && props.item.height ? `${props.item.width} / ${props.item.height}` : undefined }}
      aria-label={label()}
      data-testid="video"
      data-media-id={props.item.id}
    />
  );
}
