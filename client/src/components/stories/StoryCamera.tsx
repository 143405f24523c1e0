// Taking a story with the camera, as Instagram does: a live preview (mirrored for the front
// camera, as a mirror is what people expect to see of themselves; the photo and the video are
// not, as phone cameras keep them, so writing on them reads), the shutter takes a photo of the
// frame (a JPEG), and Record/Stop films a video with sound (MediaRecorder, WebM or MP4, whichever
// the browser writes) that stops by itself just before a story's longest length. The front camera
// comes first; the other one is offered when the device has more than one. What was taken is
// handed over as a File, uploaded as a picked file is; every track is stopped once it is taken,
// when the camera is closed (its button or Escape) and when it goes away. Without a camera, or
// with it refused, the reason is said and a file may be picked instead.
import { Camera, Square, SwitchCamera, Video, X } from 'lucide-solid';
import { createSignal, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { STORY_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { ErrorAlert } from '../FormFooter.tsx';
import { createCamera, startRecorder } from '../media/camera.ts';
import { FilePicker } from '../media/FilePicker.tsx';
import { clock } from '../media/sources.ts';
import { Button, IconButton } from '../ui/Button.tsx';

/** A recording runs on a little after stop() is called: stopping this much early keeps it within a story's length. */
const STOP_EARLY_MS = 500;

export default function StoryCamera(props: { onFile: (file: File) => void; onClose: () => void }): JSX.Element {
  const camera = createCamera();
  const { stream, facing, cameras, ready, setReady, problem, setProblem, open, release } = camera;
  const [recording, setRecording] = createSignal(false);
  const [elapsed, setElapsed] = createSignal(0);
  /** A photo is being written: one tap, one photo. */
  const [taking, setTaking] = createSignal(false);
  let section: HTMLElement | undefined;
  let live: HTMLVideoElement | undefined;
  let recorder: MediaRecorder | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let limit: ReturnType<typeof setTimeout> | undefined;
  /** Keep what is being recorded when it stops (not when the camera is closed). */
  let keep = false;

  const hand = (file: File) => {
    release();
    props.onFile(file);
  };

  const photo = () => {
    if (live === undefined || !ready() || taking()) return;
    const canvas = document.createElement('canvas');
    canvas.width = live.videoWidth;
    canvas.height = live.videoHeight;
    const context = canvas.getContext('2d');
    if (context === null) {
      setProblem('failed');
      return;
    }
    setTaking(true);
    context.drawImage(live, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(
      (blob) => {
        if (blob === null) setProblem('failed');
        else hand(new File([blob], `story-${Date.now()}.jpg`, { type: 'image/jpeg' }));
      },
      'image/jpeg',
      0.9,
    );
  };

  const stopRecording = (save: boolean) => {
    keep = save;
    clearInterval(ticker);
    clearTimeout(limit);
    if (recorder !== undefined && recorder.state !== 'inactive') recorder.stop();
  };

  const record = () => {
    const source = stream();
    if (source === undefined || !ready()) return;
    keep = false;
    recorder = startRecorder(source, 'story', (file) => {
      recorder = undefined;
      setRecording(false);
      if (keep && file !== undefined) hand(file);
    });
    const began = Date.now();
    setElapsed(0);
    ticker = setInterval(() => setElapsed(Date.now() - began), 250);
    limit = setTimeout(() => stopRecording(true), STORY_LIMITS.videoMs - STOP_EARLY_MS);
    setRecording(true);
  };

  const close = () => {
    stopRecording(false);
    release();
    props.onClose();
  };

  onMount(() => {
    section?.focus();
    void open('user');
  });
  onCleanup(() => {
    stopRecording(false);
  });

  return (
    <section
      class="story-camera"
      aria-label={t('stories.camera')}
      tabindex="-1"
      ref={section}
      data-testid="story-camera"
      // Escape closes the camera, not the whole sheet (whose listener is on the document).
      on:keydown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        close();
      }}
    >
      <Show
        when={problem()}
        fallback={
          <div class="story-camera-stage">
            <video
              ref={(element) => {
                live = element;
                camera.show(element);
              }}
              class="story-camera-live"
              classList={{ mirrored: facing() === 'user' }}
              autoplay
              muted
              playsinline
              onLoadedMetadata={() => setReady(true)}
            />
            <Show when={!ready()}>
              <p class="story-camera-wait">{t('stories.cameraStarting')}</p>
            </Show>
            <div class="story-camera-top">
              <IconButton icon={X} label={t('stories.closeCamera')} onClick={close} />
              <Show when={recording()}>
                <span class="story-camera-clock">
                  <span class="recording-dot" aria-hidden="true" />
                  <span role="timer" aria-live="off" aria-label={t('stories.recording', { time: clock(elapsed()) })}>
                    {clock(elapsed())} / {clock(STORY_LIMITS.videoMs)}
                  </span>
                </span>
              </Show>
              <Show when={cameras() > 1}>
                <IconButton
                  icon={SwitchCamera}
                  class="story-flip"
                  label={t('stories.flipCamera')}
                  disabled={recording() || !ready()}
                  onClick={() => void open(facing() === 'user' ? 'environment' : 'user')}
                />
              </Show>
            </div>
            <div class="story-bottom story-camera-controls">
              <IconButton
                icon={Camera}
                variant="primary"
                class="story-shutter"
                label={t('stories.takePhoto')}
                disabled={!ready() || recording() || taking()}
                onClick={photo}
              />
              <Button
                variant={recording() ? 'danger' : 'secondary'}
                size="sm"
                icon={recording() ? Square : Video}
                disabled={!ready() || taking() || typeof MediaRecorder === 'undefined'}
                onClick={() => (recording() ? stopRecording(true) : record())}
              >
                {recording() ? t('stories.stopRecording') : t('stories.record')}
              </Button>
            </div>
          </div>
        }
      >
        {(kind) => (
          <div class="story-camera-problem">
            <ErrorAlert text={t(`stories.camera.${kind()}`)} />
            <div class="row">
              <FilePicker
                label={t('stories.pick')}
                accept="image/*,video/*"
                onFiles={(files) => {
                  const [file] = files;
                  if (file !== undefined) props.onFile(file);
                }}
              />
              <Button variant="ghost" onClick={close}>
                {t('stories.closeCamera')}
              </Button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
