// Filming a reel: the camera full screen (mirrored for the front one), the chosen colour filter
// previewed live on it (the recording stays unfiltered: the server bakes the filter), a strip of
// filters, the big record button (tap to start and stop, or hold it down and let go) with a ring
// that fills up to the chosen length, and a file picker for a video already made. In a duet the
// screen is split: the camera on the left, the original on the right, playing with its sound
// while recording, which ends with it. Every track stops when the clip is handed over, when the
// camera closes and when the screen goes away; a refused or missing camera is said, and a file
// may be picked instead.
import { SwitchCamera, X } from 'lucide-solid';
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { MEDIA_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import type { MediaItem } from '../../state/media.ts';
import { actions, errorText } from '../../state/store.ts';
import { ErrorAlert } from '../FormFooter.tsx';
import { createCamera, startRecorder } from '../media/camera.ts';
import { FilePicker } from '../media/FilePicker.tsx';
import { attachHls } from '../media/hls.ts';
import { clock } from '../media/sources.ts';
import { IconButton } from '../ui/Button.tsx';
import { FilterStrip } from './FilterStrip.tsx';
import { cssFilter, type FilterChoice } from './filters.ts';

/** Lengths a recording may be capped at (the ring fills up to it); the longest is a reel's. */
const CAPS = [60_000, 3 * 60_000, MEDIA_LIMITS.reel.maxDurationMs];
/** A press longer than this is a hold: letting go stops. */
const HOLD_MS = 400;
/** A recording runs on a little after stop() is called: stopping this much early keeps it within the cap. */
const STOP_EARLY_MS = 300;
const FRAME_EVERY_MS = 2000;
const RING = 2 * Math.PI * 44;

export interface Clip {
  file: File;
  /** Its length as filmed (a recorded WebM often says none until played through), or 0 for a picked file. */
  durationMs: number;
}

export function ReelCamera(props: {
  filter: FilterChoice;
  onFilter: (choice: FilterChoice) => void;
  /** The least a recording should last (a stitch's part of the original counts towards a reel's minimum). */
  minMs: number;
  /** The original of a duet, played beside the camera. */
  original?: MediaItem;
  /** A badge saying what is being made (a duet, a stitch). */
  mode?: string;
  onClip: (clip: Clip) => void;
  onClose: () => void;
}): JSX.Element {
  const camera = createCamera();
  const { stream, facing, cameras, ready, setReady, problem, open, release } = camera;
  const [recording, setRecording] = createSignal(false);
  const [elapsed, setElapsed] = createSignal(0);
  const [cap, setCap] = createSignal(CAPS[0] as number);
  const [frame, setFrame] = createSignal<string | undefined>();
  let live: HTMLVideoElement | undefined;
  let other: HTMLVideoElement | undefined;
  let recorder: MediaRecorder | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let limit: ReturnType<typeof setTimeout> | undefined;
  let framer: ReturnType<typeof setInterval> | undefined;
  let pressedAt = 0;
  let pressStarted = false;
  let keep = false;
  let began = 0;
  let gone = false;
  let detachOriginal: (() => void) | undefined;

  /** The most a recording lasts: the original's length in a duet, the chosen cap otherwise. */
  const maxMs = () => (props.original?.durationMs ? props.original.durationMs : cap());

  /** A small frame of the camera for the filter strip. */
  const snapshot = () => {
    if (live === undefined || live.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = 72;
    canvas.height = 96;
    const context = canvas.getContext('2d');
    if (context === null) return;
    const scale = Math.max(canvas.width / live.videoWidth, canvas.height / live.videoHeight);
    const width = live.videoWidth * scale;
    const height = live.videoHeight * scale;
    context.drawImage(live, (canvas.width - width) / 2, (canvas.height - height) / 2, width, height);
    setFrame(canvas.toDataURL('image/jpeg', 0.7));
  };

  const stop = (save: boolean) => {
    keep = save;
    clearInterval(ticker);
    clearTimeout(limit);
    other?.pause();
    if (recorder !== undefined && recorder.state !== 'inactive') recorder.stop();
  };

  const record = () => {
    const source = stream();
    if (source === undefined || !ready() || recording()) return;
    keep = false;
    recorder = startRecorder(source, 'reel', (file) => {
      recorder = undefined;
      setRecording(false);
      if (!keep || file === undefined) return;
      release();
      props.onClip({ file, durationMs: Date.now() - began });
    });
    began = Date.now();
    setElapsed(0);
    ticker = setInterval(() => setElapsed(Date.now() - began), 100);
    limit = setTimeout(() => stop(true), maxMs() - STOP_EARLY_MS);
    if (other !== undefined) {
      other.currentTime = 0;
      other.play().catch((error: unknown) => actions.toast(errorText(error), 'error'));
    }
    setRecording(true);
  };

  const close = () => {
    stop(false);
    release();
    props.onClose();
  };

  onMount(() => {
    void open('user');
    framer = setInterval(snapshot, FRAME_EVERY_MS);
    const original = props.original?.urls?.['master.m3u8'];
    if (other !== undefined && original !== undefined) {
      const element = other;
      attachHls(element, original).then(
        (detach) => {
          if (gone) detach();
          else detachOriginal = detach;
        },
        (error: unknown) => actions.toast(errorText(error), 'error'),
      );
    }
  });
  onCleanup(() => {
    gone = true;
    clearInterval(framer);
    stop(false);
    detachOriginal?.();
  });

  const progress = () => Math.min(1, elapsed() / maxMs());
  const short = () => recording() && elapsed() < props.minMs;

  return (
    <section
      class="reel-camera"
      classList={{ duet: props.original !== undefined }}
      aria-label={t('reelCreate.camera')}
      data-testid="reel-camera"
      on:keydown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <Show
        when={problem()}
        fallback={
          <>
            <div class="reel-camera-stage">
              <video
                ref={(element) => {
                  live = element;
                  camera.show(element);
                }}
                class="reel-camera-live"
                classList={{ mirrored: facing() === 'user' }}
                style={{ filter: cssFilter(props.filter) }}
                autoplay
                muted
                playsinline
                onLoadedMetadata={() => setReady(true)}
                // The first frame drawn: before it a snapshot would be black.
                onPlaying={snapshot}
              />
              <Show when={props.original}>
                {/* biome-ignore lint/a11y/useMediaCaption: a reel comes without captions */}
                <video
                  ref={other}
                  class="reel-camera-original"
                  playsinline
                  poster={props.original?.urls?.['thumb.jpg']}
                  aria-label={t('reelCreate.original')}
                  onEnded={() => stop(true)}
                  data-testid="reel-duet-original"
                />
              </Show>
              <Show when={!ready()}>
                <p class="reel-camera-wait">{t('reelCreate.cameraStarting')}</p>
              </Show>
            </div>
            <div class="reel-camera-top">
              <IconButton icon={X} label={t('reelCreate.close')} onClick={close} />
              <Show when={props.mode}>
                <span class="reel-pill">{props.mode}</span>
              </Show>
              <Show when={recording()}>
                <span class="reel-pill reel-clock">
                  <span class="recording-dot" aria-hidden="true" />
                  <span role="timer" aria-live="off" aria-label={t('reelCreate.recording', { time: clock(elapsed()) })}>
                    {clock(elapsed())} / {clock(maxMs())}
                  </span>
                </span>
              </Show>
              <Show when={cameras() > 1}>
                <IconButton
                  icon={SwitchCamera}
                  class="reel-flip"
                  label={t('reelCreate.flip')}
                  disabled={recording() || !ready()}
                  onClick={() => void open(facing() === 'user' ? 'environment' : 'user')}
                />
              </Show>
            </div>
            <div class="reel-camera-bottom">
              <Show when={short()}>
                <p class="reel-hint" role="status">
                  {t('reelCreate.keepRecording', { time: clock(props.minMs) })}
                </p>
              </Show>
              <Show when={props.original === undefined && !recording()}>
                <div class="reel-caps" role="radiogroup" aria-label={t('reelCreate.maxLength')}>
                  <For each={CAPS}>
                    {(each) => (
                      <label class="reel-cap" classList={{ chosen: cap() === each }}>
                        <input
                          type="radio"
                          class="visually-hidden"
                          name="reel-cap"
                          checked={cap() === each}
                          onChange={() => setCap(each)}
                        />
                        {clock(each)}
                      </label>
                    )}
                  </For>
                </div>
              </Show>
              <Show when={!recording()}>
                <FilterStrip value={props.filter} onChange={props.onFilter} frame={frame()} />
              </Show>
              <div class="reel-camera-actions">
                <FilePicker
                  label={t('reelCreate.upload')}
                  accept="video/*"
                  disabled={recording()}
                  onFiles={(files) => {
                    const [file] = files;
                    if (file === undefined) return;
                    release();
                    props.onClip({ file, durationMs: 0 });
                  }}
                />
                <button
                  type="button"
                  class="reel-record"
                  classList={{ recording: recording() }}
                  aria-pressed={recording()}
                  aria-label={recording() ? t('reelCreate.stop') : t('reelCreate.record')}
                  disabled={!ready() || typeof MediaRecorder === 'undefined'}
                  data-testid="reel-record"
                  // A long press is a hold to record, not the touch menu.
                  onContextMenu={(event) => event.preventDefault()}
                  onPointerDown={(event) => {
                    if (event.button !== 0) return;
                    pressedAt = Date.now();
                    pressStarted = !recording();
                    if (pressStarted) record();
                  }}
                  onPointerUp={() => {
                    if (!recording()) return;
                    if (!pressStarted || Date.now() - pressedAt > HOLD_MS) stop(true);
                  }}
                  onClick={(event) => {
                    // The keyboard (Enter, Space) starts and stops; a pointer did already.
                    if (event.detail !== 0) return;
                    if (recording()) stop(true);
                    else record();
                  }}
                >
                  <svg viewBox="0 0 100 100" aria-hidden="true">
                    <circle class="reel-ring-track" cx="50" cy="50" r="44" />
                    <circle
                      class="reel-ring"
                      cx="50"
                      cy="50"
                      r="44"
                      stroke-dasharray={String(RING)}
                      stroke-dashoffset={String(RING * (1 - progress()))}
                    />
                  </svg>
                  <span class="reel-record-core" />
                </button>
                <span class="reel-record-spacer" />
              </div>
            </div>
          </>
        }
      >
        {(kind) => (
          <div class="reel-camera-problem">
            <ErrorAlert text={t(`stories.camera.${kind()}`)} />
            <FilePicker
              label={t('reelCreate.upload')}
              accept="video/*"
              onFiles={(files) => {
                const [file] = files;
                if (file !== undefined) props.onClip({ file, durationMs: 0 });
              }}
            />
            <button type="button" class="link" onClick={close}>
              {t('reelCreate.close')}
            </button>
          </div>
        )}
      </Show>
    </section>
  );
}
