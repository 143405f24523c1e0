// Recording a voice note: a tap on the microphone starts (the browser asks for the microphone
// the first time), the elapsed time shows while it records, and it is either cancelled or sent;
// it stops by itself at the longest voice note the server takes. The recording is handed over as
// one Blob (Opus in WebM or Ogg, or AAC in MP4 on Safari), which the composer uploads.
import { Mic } from 'lucide-solid';
import { createSignal, type JSX, onCleanup, Show } from 'solid-js';
import { MEDIA_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import { clock } from '../media/sources.ts';

const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm'];

/** Can this browser record at all? */
export const canRecord = () => typeof MediaRecorder !== 'undefined' && navigator.mediaDevices?.getUserMedia !== undefined;

export function VoiceRecorder(props: {
  onRecorded: (voice: Blob) => void;
  /** Recording started or ended (the composer makes room for the recorder). */
  onRecording?: (recording: boolean) => void;
  disabled?: boolean;
}): JSX.Element {
  const [recording, setRecordingSignal] = createSignal(false);
  const setRecording = (value: boolean) => {
    setRecordingSignal(value);
    props.onRecording?.(value);
  };
  const [elapsed, setElapsed] = createSignal(0);
  let recorder: MediaRecorder | undefined;
  let stream: MediaStream | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let keep = false;

  const release = () => {
    clearInterval(timer);
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = undefined;
    recorder = undefined;
    setRecording(false);
  };

  const start = async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      actions.toast(t('chats.micUnavailable'), 'error');
      return;
    }
    const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type));
    const chunks: Blob[] = [];
    const active = new MediaRecorder(stream, mimeType === undefined ? {} : { mimeType });
    recorder = active;
    keep = false;
    active.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    });
    active.addEventListener('stop', () => {
      release();
      if (keep && chunks.length > 0) props.onRecorded(new Blob(chunks, { type: active.mimeType || mimeType || 'audio/webm' }));
    });
    const began = Date.now();
    setElapsed(0);
    timer = setInterval(() => {
      setElapsed(Date.now() - began);
      if (Date.now() - began >= MEDIA_LIMITS.voice.maxDurationMs) stop(true);
    }, 250);
    active.start(1000);
    setRecording(true);
  };

  const stop = (send: boolean) => {
    keep = send;
    if (recorder !== undefined && recorder.state !== 'inactive') recorder.stop();
    else release();
  };

  onCleanup(() => stop(false));

  return (
    <Show
      when={recording()}
      fallback={
        <button
          type="button"
          class="secondary icon"
          aria-label={t('chats.record')}
          title={t('chats.record')}
          disabled={props.disabled}
          onClick={() => void start()}
        >
          <Mic size={20} aria-hidden="true" />
        </button>
      }
    >
      <div class="recorder" data-testid="recorder">
        <span class="recording-dot" aria-hidden="true" />
        <span role="timer" aria-live="off" aria-label={t('chats.recording', { time: clock(elapsed()) })}>
          {clock(elapsed())}
        </span>
        <button type="button" class="link" onClick={() => stop(false)}>
          {t('chats.cancelRecording')}
        </button>
        <button type="button" onClick={() => stop(true)}>
          {t('chats.sendVoice')}
        </button>
      </div>
    </Show>
  );
}
