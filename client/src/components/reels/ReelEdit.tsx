// Reviewing a clip before its details: it plays in a loop through the chosen filter, within the
// part kept (the trim, whose moved end is shown as a frame), with the chosen sound under it at the
// chosen volumes; in a duet, the original plays beside it in step. Nothing is made here: the
// choices go to reels.compose when the reel is posted.
import { ArrowLeft, Music, Pause, Play, X } from 'lucide-solid';
import { createEffect, createSignal, type JSX, on, onCleanup, onMount, Show } from 'solid-js';
import { MEDIA_LIMITS, REEL_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import type { MediaItem } from '../../state/media.ts';
import { attachHls } from '../media/hls.ts';
import { clock } from '../media/sources.ts';
import { Button, IconButton } from '../ui/Button.tsx';
import { type Choices, lengthProblem, type Range, resultMs } from './compose.ts';
import { FilterStrip } from './FilterStrip.tsx';
import { cssFilter, type FilterChoice } from './filters.ts';
import { RangeControl } from './RangeControl.tsx';
import { type Sound, SoundSheet, soundName, soundUrl } from './SoundSheet.tsx';

function VolumeField(props: { id: string; label: string; value: number; onChange: (value: number) => void }): JSX.Element {
  return (
    <div class="reel-volume">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="range"
        min={0}
        max={100}
        step={5}
        value={props.value}
        aria-valuetext={`${props.value}%`}
        onInput={(event) => props.onChange(Number(event.currentTarget.value))}
      />
      <output for={props.id}>{props.value}%</output>
    </div>
  );
}

export function ReelEdit(props: {
  url: string;
  choices: Choices;
  onTrim: (range: Range) => void;
  onFilter: (choice: FilterChoice) => void;
  sound: Sound | undefined;
  onSound: (sound: Sound | undefined) => void;
  onVolumes: (volumes: { volume?: number; clipVolume?: number }) => void;
  /** The original of a duet, played beside the clip. */
  original?: MediaItem;
  onRetake: () => void;
  onNext: () => void;
}): JSX.Element {
  let section: HTMLElement | undefined;
  let video: HTMLVideoElement | undefined;
  let other: HTMLVideoElement | undefined;
  const audio = new Audio();
  const [playing, setPlaying] = createSignal(false);
  const [sheet, setSheet] = createSignal(false);
  const [frame, setFrame] = createSignal<string | undefined>();
  const remix = () => props.choices.duet !== undefined || props.choices.stitch !== undefined;

  /** The sound and the original follow the clip: same moment, relative to the part kept. */
  const follow = () => {
    if (video === undefined) return;
    const at = video.currentTime - props.choices.trim.startMs / 1000;
    for (const element of [props.sound === undefined ? undefined : audio, other]) {
      if (element === undefined) continue;
      if (Math.abs(element.currentTime - at) > 0.3) element.currentTime = Math.max(0, at);
      if (playing() && element.paused) element.play().catch(() => setPlaying(false));
      if (!playing()) element.pause();
    }
  };

  const play = () => {
    if (video === undefined) return;
    if (playing()) {
      video.pause();
      return;
    }
    if (video.currentTime * 1000 >= props.choices.trim.endMs - 50) video.currentTime = props.choices.trim.startMs / 1000;
    video.play().catch(() => setPlaying(false));
  };

  createEffect(() => {
    const url = props.sound === undefined ? undefined : soundUrl(props.sound);
    if (url === undefined) audio.removeAttribute('src');
    else if (audio.src !== url) audio.src = url;
    follow();
  });
  createEffect(() => {
    audio.volume = (props.choices.sound?.volume ?? 100) / 100;
    if (video !== undefined) video.volume = (props.choices.sound?.clipVolume ?? props.choices.duet?.clipVolume ?? 100) / 100;
  });
  // A moved end of the trim shows its frame.
  createEffect(
    on(
      () => [props.choices.trim.startMs, props.choices.trim.endMs] as const,
      ([start, end], previous) => {
        if (video === undefined || previous === undefined) return;
        video.pause();
        video.currentTime = (start !== previous[0] ? start : Math.max(start, end - 40)) / 1000;
      },
    ),
  );

  onMount(() => {
    // A new step: focus moves to it, so a screen reader says where it is.
    section?.focus();
    const playlist = props.original?.urls?.['master.m3u8'];
    if (other !== undefined && playlist !== undefined) {
      const element = other;
      let detach: (() => void) | undefined;
      let gone = false;
      attachHls(element, playlist).then(
        (stop) => {
          if (gone) stop();
          else detach = stop;
        },
        () => setPlaying(false),
      );
      onCleanup(() => {
        gone = true;
        detach?.();
      });
    }
  });
  onCleanup(() => audio.pause());

  const snapshot = () => {
    if (video === undefined || video.videoWidth === 0 || frame() !== undefined) return;
    const canvas = document.createElement('canvas');
    canvas.width = 72;
    canvas.height = 96;
    const context = canvas.getContext('2d');
    if (context === null) return;
    const scale = Math.max(72 / video.videoWidth, 96 / video.videoHeight);
    context.drawImage(
      video,
      (72 - video.videoWidth * scale) / 2,
      (96 - video.videoHeight * scale) / 2,
      video.videoWidth * scale,
      video.videoHeight * scale,
    );
    setFrame(canvas.toDataURL('image/jpeg', 0.7));
  };

  const problem = () => lengthProblem(props.choices);

  return (
    <section class="reel-edit" aria-label={t('reelCreate.review')} data-testid="reel-edit" tabIndex={-1} ref={section}>
      <div class="reel-edit-stage" classList={{ duet: props.original !== undefined }}>
        {/* biome-ignore lint/a11y/useMediaCaption: the user's own clip, just filmed */}
        <video
          ref={video}
          class="reel-edit-video"
          src={props.url}
          style={{ filter: cssFilter(props.choices.filter) }}
          playsinline
          preload="auto"
          aria-label={t('reelCreate.clip')}
          data-testid="reel-edit-video"
          onPlay={() => {
            setPlaying(true);
            follow();
          }}
          onPause={() => {
            setPlaying(false);
            follow();
          }}
          onSeeked={follow}
          onLoadedData={() => {
            snapshot();
            if (video !== undefined) video.currentTime = props.choices.trim.startMs / 1000;
          }}
          onTimeUpdate={(event) => {
            const element = event.currentTarget;
            if (element.currentTime * 1000 >= props.choices.trim.endMs) element.currentTime = props.choices.trim.startMs / 1000;
            follow();
          }}
        />
        <Show when={props.original}>
          {/* biome-ignore lint/a11y/useMediaCaption: a reel comes without captions */}
          <video ref={other} class="reel-edit-original" playsinline aria-label={t('reelCreate.original')} />
        </Show>
        <div class="reel-camera-top">
          <IconButton icon={ArrowLeft} class="reel-back" label={t('reelCreate.retake')} onClick={() => props.onRetake()} />
          <span class="reel-pill">{clock(resultMs(props.choices))}</span>
          <IconButton icon={playing() ? Pause : Play} label={playing() ? t('reelCreate.pause') : t('reelCreate.play')} onClick={play} />
        </div>
      </div>
      <div class="reel-edit-tools">
        <FilterStrip value={props.choices.filter} onChange={props.onFilter} frame={frame()} />
        <Show when={props.choices.clipMs >= REEL_LIMITS.trimMinMs}>
          <RangeControl
            label={t('reelCreate.trim')}
            startLabel={t('reelCreate.trimStart')}
            endLabel={t('reelCreate.trimEnd')}
            totalMs={props.choices.clipMs}
            value={props.choices.trim}
            minMs={REEL_LIMITS.trimMinMs}
            onChange={(range) => props.onTrim(range)}
            testId="reel-trim"
          />
        </Show>
        <Show when={!remix()}>
          <Show
            when={props.sound}
            fallback={
              <Button variant="secondary" icon={Music} onClick={() => setSheet(true)}>
                {t('reelCreate.addSound')}
              </Button>
            }
          >
            {(sound) => (
              <div class="reel-chosen-sound">
                <Music size={18} aria-hidden="true" />
                <bdi>{soundName(sound())}</bdi>
                <IconButton icon={X} label={t('reelCreate.removeSound')} onClick={() => props.onSound(undefined)} />
              </div>
            )}
          </Show>
        </Show>
        <Show when={props.choices.sound}>
          {(sound) => (
            <div class="pair">
              <VolumeField
                id="reel-sound-volume"
                label={t('reelCreate.soundVolume')}
                value={sound().volume}
                onChange={(volume) => props.onVolumes({ volume })}
              />
              <VolumeField
                id="reel-clip-volume"
                label={t('reelCreate.clipVolume')}
                value={sound().clipVolume}
                onChange={(clipVolume) => props.onVolumes({ clipVolume })}
              />
            </div>
          )}
        </Show>
        <Show when={props.choices.duet}>
          {(duet) => (
            <VolumeField
              id="reel-clip-volume"
              label={t('reelCreate.clipVolume')}
              value={duet().clipVolume}
              onChange={(clipVolume) => props.onVolumes({ clipVolume })}
            />
          )}
        </Show>
        <Show when={problem()}>
          {(kind) => (
            <p class="error" role="alert">
              {t(kind() === 'short' ? 'reelCreate.tooShort' : 'reelCreate.tooLong', {
                time: clock(resultMs(props.choices)),
                min: clock(MEDIA_LIMITS.reel.minDurationMs),
                max: clock(MEDIA_LIMITS.reel.maxDurationMs),
              })}
            </p>
          )}
        </Show>
        <Button onClick={() => props.onNext()} disabled={problem() !== undefined} data-testid="reel-next">
          {t('reelCreate.next')}
        </Button>
      </div>
      <Show when={sheet()}>
        <SoundSheet
          onClose={() => setSheet(false)}
          onChoose={(sound) => {
            setSheet(false);
            props.onSound(sound);
          }}
        />
      </Show>
    </section>
  );
}
