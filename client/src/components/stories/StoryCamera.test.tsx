// The story camera against a fake camera (navigator.mediaDevices) and a fake MediaRecorder: the
// front camera opens with sound, its preview mirrored; the shutter hands over a JPEG of the frame;
// Record films WebM with a running clock and stops by itself just before a story's longest length;
// a refused or missing camera says so and offers a file instead; every track stops once something
// is taken, when the camera is closed (even mid-recording) and when it goes away.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { STORY_LIMITS } from '../../../../protocol/lists.ts';
import { en } from '../../i18n/messages/en.ts';
import StoryCamera from './StoryCamera.tsx';

class FakeTrack {
  stopped = false;
  constructor(readonly kind: 'audio' | 'video') {}
  stop() {
    this.stopped = true;
  }
}

class FakeRecorder extends EventTarget {
  static made: FakeRecorder[] = [];
  static isTypeSupported = vi.fn((type: string) => type === 'video/webm;codecs=vp8,opus' || type === 'video/webm');
  state: 'inactive' | 'recording' = 'inactive';
  timeslice: number | undefined;
  constructor(
    readonly stream: MediaStream,
    readonly options: MediaRecorderOptions,
  ) {
    super();
    FakeRecorder.made.push(this);
  }
  get mimeType() {
    return this.options.mimeType ?? '';
  }
  start(timeslice: number) {
    this.state = 'recording';
    this.timeslice = timeslice;
  }
  stop() {
    this.state = 'inactive';
    this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob(['frames'], { type: 'video/webm' }) }));
    this.dispatchEvent(new Event('stop'));
  }
}

let tracks: FakeTrack[];
let getUserMedia: ReturnType<typeof vi.fn>;
let cameras: number;

/** happy-dom's video takes only its own MediaStream: one whose tracks are the fakes. */
const streamOf = (opened: FakeTrack[]) => Object.assign(new MediaStream(), { getTracks: () => opened });
const device = (kind: MediaDeviceKind, n: number) => ({ kind, deviceId: `${kind}-${n}`, label: '', groupId: '' });

beforeEach(() => {
  tracks = [];
  cameras = 1;
  FakeRecorder.made = [];
  getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
    const opened = [new FakeTrack('video'), ...(constraints.audio ? [new FakeTrack('audio')] : [])];
    tracks.push(...opened);
    return streamOf(opened);
  });
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: {
      getUserMedia,
      enumerateDevices: async () => [device('audioinput', 0), ...Array.from({ length: cameras }, (_, n) => device('videoinput', n))],
    },
  });
  vi.stubGlobal('MediaRecorder', FakeRecorder);
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, 'mediaDevices');
});

/** The camera is open and its first frame has arrived (the browser's loadedmetadata). */
async function live(): Promise<HTMLVideoElement> {
  const video = (await screen.findByTestId('story-camera')).querySelector('video') as HTMLVideoElement;
  await waitFor(() => expect(video.srcObject).not.toBeNull());
  Object.defineProperty(video, 'videoWidth', { configurable: true, value: 720 });
  Object.defineProperty(video, 'videoHeight', { configurable: true, value: 1280 });
  fireEvent(video, new Event('loadedmetadata'));
  return video;
}

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

test('story camera: the front camera opens with sound, its preview mirrored; the shutter hands over a JPEG of the frame as taken and every track stops', async () => {
  const context = { drawImage: vi.fn() };
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(context as never);
  // The JPEG is written later, as browsers do: a second tap meanwhile takes nothing more.
  let written: (() => void) | undefined;
  const toBlob = vi.spyOn(HTMLCanvasElement.prototype, 'toBlob').mockImplementation((callback: BlobCallback) => {
    written = () => callback(new Blob(['jpeg'], { type: 'image/jpeg' }));
  });
  const onFile = vi.fn();
  render(() => <StoryCamera onFile={onFile} onClose={() => {}} />);
  expect(screen.getByText(en['stories.cameraStarting'])).toBeTruthy();
  const video = (await screen.findByTestId('story-camera')).querySelector('video') as HTMLVideoElement;
  await waitFor(() => expect(video.srcObject).not.toBeNull());
  expect(button(en['stories.takePhoto']).disabled).toBe(true);
  await live();
  expect(getUserMedia.mock.calls).toEqual([
    [{ video: { facingMode: 'user', width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: true }],
  ]);
  expect(video.classList.contains('mirrored')).toBe(true);
  expect(screen.queryByText(en['stories.cameraStarting'])).toBeNull();
  // One camera: nothing to switch to.
  expect(screen.queryByRole('button', { name: en['stories.flipCamera'] })).toBeNull();

  fireEvent.click(button(en['stories.takePhoto']));
  expect(button(en['stories.takePhoto']).disabled).toBe(true);
  fireEvent.click(button(en['stories.takePhoto']));
  expect(context.drawImage).toHaveBeenCalledTimes(1);
  expect(context.drawImage).toHaveBeenCalledWith(video, 0, 0, 720, 1280);
  expect(toBlob).toHaveBeenCalledTimes(1);
  expect(toBlob).toHaveBeenCalledWith(expect.any(Function), 'image/jpeg', 0.9);
  expect(onFile).not.toHaveBeenCalled();
  written?.();
  expect(onFile).toHaveBeenCalledTimes(1);
  const file = onFile.mock.calls[0]?.[0] as File;
  expect(file).toBeInstanceOf(File);
  expect(file.name).toMatch(/^story-\d+\.jpg$/);
  expect(file.type).toBe('image/jpeg');
  expect(await file.text()).toBe('jpeg');
  expect(tracks.map((track) => [track.kind, track.stopped])).toEqual([
    ['video', true],
    ['audio', true],
  ]);
});

test('story camera: Record films WebM with a running clock and stops by itself just before 60 s, handing the video over', async () => {
  cameras = 2;
  const onFile = vi.fn();
  render(() => <StoryCamera onFile={onFile} onClose={() => {}} />);
  await live();
  const flip = await screen.findByRole('button', { name: en['stories.flipCamera'] });
  vi.useFakeTimers();
  fireEvent.click(button(en['stories.record']));
  const [recorder] = FakeRecorder.made;
  expect(FakeRecorder.isTypeSupported).toHaveBeenCalledWith('video/webm;codecs=vp8,opus');
  expect(recorder?.options).toEqual({ mimeType: 'video/webm;codecs=vp8,opus', videoBitsPerSecond: 2_500_000 });
  expect(recorder?.stream.getTracks()).toEqual(tracks);
  expect(recorder?.state).toBe('recording');
  expect(recorder?.timeslice).toBe(1000);
  // No photo and no switching while it records.
  expect(button(en['stories.takePhoto']).disabled).toBe(true);
  expect((flip as HTMLButtonElement).disabled).toBe(true);

  await vi.advanceTimersByTimeAsync(30_000);
  expect(screen.getByRole('timer', { name: 'Recording 0:30' }).textContent).toBe('0:30 / 1:00');
  await vi.advanceTimersByTimeAsync(STORY_LIMITS.videoMs - 30_000 - 501);
  expect(recorder?.state).toBe('recording');
  expect(onFile).not.toHaveBeenCalled();
  expect(tracks.every((track) => !track.stopped)).toBe(true);
  await vi.advanceTimersByTimeAsync(1);
  expect(recorder?.state).toBe('inactive');
  expect(onFile).toHaveBeenCalledTimes(1);
  const file = onFile.mock.calls[0]?.[0] as File;
  expect(file.name).toMatch(/^story-\d+\.webm$/);
  expect(file.type).toBe('video/webm');
  expect(await file.text()).toBe('frames');
  expect(tracks.every((track) => track.stopped)).toBe(true);
});

test('story camera: Stop hands the video over at once; the switch opens the back camera and stops the front one', async () => {
  cameras = 2;
  const onFile = vi.fn();
  render(() => <StoryCamera onFile={onFile} onClose={() => {}} />);
  const video = await live();
  const flip = (await screen.findByRole('button', { name: en['stories.flipCamera'] })) as HTMLButtonElement;
  fireEvent.click(flip);
  // Not again until the other camera is open.
  expect(flip.disabled).toBe(true);
  await waitFor(() => expect(getUserMedia).toHaveBeenCalledTimes(2));
  expect(getUserMedia.mock.calls[1]?.[0]).toEqual({
    video: { facingMode: 'environment', width: { ideal: 1920 }, height: { ideal: 1080 } },
    audio: true,
  });
  expect(tracks.map((track) => track.stopped)).toEqual([true, true, false, false]);
  await waitFor(() => expect(video.classList.contains('mirrored')).toBe(false));
  await live();
  fireEvent.click(button(en['stories.record']));
  fireEvent.click(button(en['stories.stopRecording']));
  expect(onFile).toHaveBeenCalledWith(expect.objectContaining({ type: 'video/webm' }));
  expect(tracks.every((track) => track.stopped)).toBe(true);
});

test('story camera: a refused camera says so, offers a file instead, and closes; without a microphone it films without sound', async () => {
  getUserMedia.mockRejectedValue(new DOMException('Permission denied', 'NotAllowedError'));
  const onFile = vi.fn();
  const onClose = vi.fn();
  render(() => <StoryCamera onFile={onFile} onClose={onClose} />);
  expect((await screen.findByRole('alert')).textContent).toBe(en['stories.camera.denied']);
  // Asked with sound, then without (a blocked microphone alone must not keep the camera shut).
  expect(getUserMedia.mock.calls.map(([constraints]) => (constraints as MediaStreamConstraints).audio)).toEqual([true, false]);
  expect(screen.queryByRole('button', { name: en['stories.takePhoto'] })).toBeNull();
  const picked = new File(['png'], 'dog.png', { type: 'image/png' });
  fireEvent.change(screen.getByLabelText(en['stories.pick']), { target: { files: [picked] } });
  expect(onFile).toHaveBeenCalledWith(picked);
  fireEvent.click(button(en['stories.closeCamera']));
  expect(onClose).toHaveBeenCalledTimes(1);
  cleanup();

  getUserMedia.mockReset();
  getUserMedia.mockRejectedValue(new DOMException('Requested device not found', 'NotFoundError'));
  render(() => <StoryCamera onFile={onFile} onClose={onClose} />);
  expect((await screen.findByRole('alert')).textContent).toBe(en['stories.camera.missing']);
  cleanup();

  // A camera but no microphone: the second ask, without sound, opens it.
  getUserMedia.mockReset();
  getUserMedia.mockRejectedValueOnce(new DOMException('Requested device not found', 'NotFoundError'));
  getUserMedia.mockImplementationOnce(async () => {
    const video = new FakeTrack('video');
    tracks.push(video);
    return streamOf([video]);
  });
  render(() => <StoryCamera onFile={onFile} onClose={onClose} />);
  await live();
  expect(screen.queryByRole('alert')).toBeNull();
  expect(button(en['stories.takePhoto']).disabled).toBe(false);
  cleanup();

  Reflect.deleteProperty(navigator, 'mediaDevices');
  render(() => <StoryCamera onFile={onFile} onClose={onClose} />);
  expect((await screen.findByRole('alert')).textContent).toBe(en['stories.camera.unsupported']);
});

test('story camera: closing mid-recording (Escape), or the sheet going away, stops the recorder and every track and hands nothing over', async () => {
  const onFile = vi.fn();
  const onClose = vi.fn();
  render(() => <StoryCamera onFile={onFile} onClose={onClose} />);
  await live();
  fireEvent.click(button(en['stories.record']));
  let reached = false;
  const onDocument = () => {
    reached = true;
  };
  document.addEventListener('keydown', onDocument);
  screen.getByTestId('story-camera').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  document.removeEventListener('keydown', onDocument);
  // Escape closes the camera, and goes no further (the sheet around it stays open).
  expect(reached).toBe(false);
  expect(onClose).toHaveBeenCalledTimes(1);
  expect(FakeRecorder.made[0]?.state).toBe('inactive');
  expect(tracks.length).toBe(2);
  expect(tracks.every((track) => track.stopped)).toBe(true);
  cleanup();

  render(() => <StoryCamera onFile={onFile} onClose={onClose} />);
  await live();
  fireEvent.click(button(en['stories.record']));
  cleanup();
  expect(FakeRecorder.made[1]?.state).toBe('inactive');
  expect(tracks.length).toBe(4);
  expect(tracks.every((track) => track.stopped)).toBe(true);
  expect(onFile).not.toHaveBeenCalled();
  expect(onClose).toHaveBeenCalledTimes(1);
});
