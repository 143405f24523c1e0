// The camera as the story and reel cameras open it: the wanted side with the microphone (without
// it when there is none), the reason in words when it cannot be opened, how many cameras there
// are (to offer switching), and a MediaRecorder writing the best type the browser has; and
// `createCamera`, the live stream's lifecycle both screens share.
import { createEffect, createSignal, onCleanup } from 'solid-js';

/** What a recording is written as, best first (Safari writes only MP4). */
const VIDEO_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4'];
const VIDEO_BITS_PER_SECOND = 2_500_000;

export type Facing = 'user' | 'environment';
export type CameraProblem = 'denied' | 'missing' | 'unsupported' | 'failed';

/** Why the camera could not be opened, from getUserMedia's refusal. */
function problemOf(error: unknown): CameraProblem {
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  return 'failed';
}

/** Opens the camera facing `want`, with the microphone when there is one (a video without sound otherwise). */
async function openCamera(want: Facing): Promise<{ stream: MediaStream } | { problem: CameraProblem }> {
  if (navigator.mediaDevices?.getUserMedia === undefined) return { problem: 'unsupported' };
  const video = { facingMode: want, width: { ideal: 1920 }, height: { ideal: 1080 } };
  let refusal: unknown;
  for (const audio of [true, false]) {
    try {
      return { stream: await navigator.mediaDevices.getUserMedia({ video, audio }) };
    } catch (error) {
      refusal = error;
    }
  }
  return { problem: problemOf(refusal) };
}

/** Cameras of the device; 0 when the browser will not list them (the one open works then). */
async function countCameras(): Promise<number> {
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.filter((device) => device.kind === 'videoinput').length;
  } catch {
    return 0;
  }
}

function stopTracks(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** A recorder of `stream`; `onDone` gets what it wrote as a File (`name` plus the type's extension) once stopped. */
export function startRecorder(stream: MediaStream, name: string, onDone: (file: File | undefined) => void): MediaRecorder {
  const mimeType = VIDEO_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
  const chunks: Blob[] = [];
  const recorder = new MediaRecorder(stream, {
    ...(mimeType === undefined ? {} : { mimeType }),
    videoBitsPerSecond: VIDEO_BITS_PER_SECOND,
  });
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  });
  recorder.addEventListener('stop', () => {
    if (chunks.length === 0) return onDone(undefined);
    const type = (recorder.mimeType || mimeType || 'video/webm').split(';')[0] as string;
    onDone(new File(chunks, `${name}-${Date.now()}.${type === 'video/mp4' ? 'mp4' : 'webm'}`, { type }));
  });
  recorder.start(1000);
  return recorder;
}

/**
 * A camera screen's stream: opened facing a side (switching releases the other first), shown in
 * the video given to `show`, released when asked and when the screen goes (a stream that opens
 * after that is stopped at once). `ready` is for the screen to set once its video has a frame.
 */
export function createCamera() {
  const [stream, setStream] = createSignal<MediaStream | undefined>();
  const [facing, setFacing] = createSignal<Facing>('user');
  const [cameras, setCameras] = createSignal(0);
  const [ready, setReady] = createSignal(false);
  const [problem, setProblem] = createSignal<CameraProblem | undefined>();
  const [video, setVideo] = createSignal<HTMLVideoElement | undefined>();
  let gone = false;

  const release = () => {
    stopTracks(stream());
    setStream(undefined);
    setReady(false);
  };

  createEffect(() => {
    const shown = video();
    if (shown !== undefined) shown.srcObject = stream() ?? null;
  });

  const open = async (want: Facing) => {
    release();
    const opened = await openCamera(want);
    if (gone) {
      if ('stream' in opened) stopTracks(opened.stream);
      return;
    }
    if ('problem' in opened) {
      setProblem(opened.problem);
      return;
    }
    setFacing(want);
    setStream(opened.stream);
    setCameras(await countCameras());
  };

  onCleanup(() => {
    gone = true;
    release();
  });

  return { stream, facing, cameras, ready, setReady, problem, setProblem, open, release, show: setVideo };
}
