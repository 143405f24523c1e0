// The reel camera against a fake camera and MediaRecorder: the chosen filter is applied to the
// live preview (the recording is not filtered: the stream goes to the recorder as it is); a tap
// starts and a second tap stops, a long press records while held; the clip is handed over with
// its length and every track stops; a refused camera says so and offers a file. The range of a
// trim is moved with the keyboard and keeps its minimum.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../../protocol/calls/media.ts';
import { en } from '../../i18n/messages/en.ts';
import type { MediaItem } from '../../state/media.ts';
import type { Range } from './compose.ts';
import type { FilterChoice } from './filters.ts';
import { RangeControl } from './RangeControl.tsx';
import { type Clip, ReelCamera } from './ReelCamera.tsx';

class FakeTrack {
  stopped = false;
  stop() {
    this.stopped = true;
  }
}

class FakeRecorder extends EventTarget {
  static made: FakeRecorder[] = [];
  static isTypeSupported = (type: string) => type.startsWith('video/webm');
  state: 'inactive' | 'recording' = 'inactive';
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
  start() {
    this.state = 'recording';
  }
  stop() {
    this.state = 'inactive';
    this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob(['frames'], { type: 'video/webm' }) }));
    this.dispatchEvent(new Event('stop'));
  }
}

let tracks: FakeTrack[];
let refuse: string | undefined;

beforeEach(() => {
  tracks = [];
  refuse = undefined;
  FakeRecorder.made = [];
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: {
      getUserMedia: async () => {
        if (refuse !== undefined) throw Object.assign(new Error('no'), { name: refuse });
        const opened = [new FakeTrack(), new FakeTrack()];
        tracks.push(...opened);
        return Object.assign(new MediaStream(), { getTracks: () => opened });
      },
      enumerateDevices: async () => [{ kind: 'videoinput' }],
    },
  });
  vi.stubGlobal('MediaRecorder', FakeRecorder);
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, 'mediaDevices');
});

function Harness(props: { onClip: (clip: Clip) => void }) {
  const [filter, setFilter] = createSignal<FilterChoice>('none');
  return <ReelCamera filter={filter()} onFilter={setFilter} minMs={15_000} onClip={props.onClip} onClose={() => undefined} />;
}

async function live(): Promise<HTMLVideoElement> {
  const video = (await screen.findByTestId('reel-camera')).querySelector('.reel-camera-live') as HTMLVideoElement;
  await waitFor(() => expect(video.srcObject).not.toBeNull());
  fireEvent(video, new Event('loadedmetadata'));
  return video;
}

const recordButton = () => screen.getByTestId('reel-record') as HTMLButtonElement;

test('reel camera: the chosen filter is previewed on the live camera; the recorder gets the stream unfiltered', async () => {
  render(() => <Harness onClip={() => undefined} />);
  expect(recordButton().disabled).toBe(true);
  const video = await live();
  expect(recordButton().disabled).toBe(false);
  expect(video.style.filter).toBe('none');
  fireEvent.click(screen.getByRole('radio', { name: en['reelCreate.filter.warm'] }));
  expect(video.style.filter).toBe('url(#reel-filter-warm)');
  expect(video.classList.contains('mirrored')).toBe(true);
  fireEvent.pointerDown(recordButton(), { button: 0 });
  expect(FakeRecorder.made[0]?.stream).toBe(video.srcObject);
});

test('reel camera: a tap starts and a second tap stops; the clip comes with its length and every track stops', async () => {
  const onClip = vi.fn();
  let now = 1_000_000;
  vi.spyOn(Date, 'now').mockImplementation(() => now);
  render(() => <Harness onClip={onClip} />);
  await live();
  fireEvent.pointerDown(recordButton(), { button: 0 });
  fireEvent.pointerUp(recordButton());
  expect(recordButton().getAttribute('aria-pressed')).toBe('true');
  expect(recordButton().getAttribute('aria-label')).toBe(en['reelCreate.stop']);
  // Shorter than a reel: the camera says to keep going.
  expect(await screen.findByText(en['reelCreate.keepRecording'].replace('{time}', '0:15'))).toBeTruthy();
  now += 16_000;
  fireEvent.pointerDown(recordButton(), { button: 0 });
  fireEvent.pointerUp(recordButton());
  await waitFor(() => expect(onClip).toHaveBeenCalledTimes(1));
  const clip = onClip.mock.calls[0]?.[0] as Clip;
  expect(clip.file.type).toBe('video/webm');
  expect(clip.durationMs).toBe(16_000);
  expect(tracks.every((track) => track.stopped)).toBe(true);
});

test('reel camera: holding the button records until it is let go', async () => {
  const onClip = vi.fn();
  let now = 2_000_000;
  vi.spyOn(Date, 'now').mockImplementation(() => now);
  render(() => <Harness onClip={onClip} />);
  await live();
  fireEvent.pointerDown(recordButton(), { button: 0 });
  now += 20_000;
  fireEvent.pointerUp(recordButton());
  await waitFor(() => expect(onClip).toHaveBeenCalledTimes(1));
  expect(onClip).toHaveBeenCalledWith(expect.objectContaining({ durationMs: 20_000 }));
});

test('reel camera: in a duet the original plays beside the camera while recording, and its end ends the recording', async () => {
  const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  const onClip = vi.fn();
  const original = {
    ...exampleMedia,
    kind: 'reel',
    status: 'ready',
    durationMs: 20_000,
    urls: { 'master.m3u8': '/m/master.m3u8' },
  } as MediaItem;
  render(() => (
    <ReelCamera
      filter="none"
      onFilter={() => undefined}
      minMs={15_000}
      original={original}
      mode="Duet"
      onClip={onClip}
      onClose={() => undefined}
    />
  ));
  await live();
  const other = screen.getByTestId('reel-duet-original') as HTMLVideoElement;
  expect(screen.getByText('Duet')).toBeTruthy();
  // The cap is the original's length: no other choice is offered.
  expect(screen.queryByRole('radiogroup', { name: en['reelCreate.maxLength'] })).toBeNull();
  fireEvent.pointerDown(recordButton(), { button: 0 });
  fireEvent.pointerUp(recordButton());
  expect(play.mock.contexts).toContain(other);
  fireEvent(other, new Event('ended'));
  await waitFor(() => expect(onClip).toHaveBeenCalledTimes(1));
});

test('reel camera: a refused camera is said, and a video file may be uploaded instead', async () => {
  refuse = 'NotAllowedError';
  const onClip = vi.fn();
  render(() => <Harness onClip={onClip} />);
  expect(await screen.findByText(en['stories.camera.denied'])).toBeTruthy();
  const input = screen.getByLabelText(en['reelCreate.upload']) as HTMLInputElement;
  const file = new File(['video'], 'luna.mp4', { type: 'video/mp4' });
  Object.defineProperty(input, 'files', { value: [file] });
  fireEvent.change(input);
  expect(onClip).toHaveBeenCalledWith({ file, durationMs: 0 });
});

test('reel range: its thumbs are sliders moved by the keyboard, within the clip, never shorter than the minimum', () => {
  const [value, setValue] = createSignal<Range>({ startMs: 0, endMs: 20_000 });
  render(() => (
    <RangeControl label="Trim" startLabel="Start" endLabel="End" totalMs={20_000} value={value()} minMs={1_000} onChange={setValue} />
  ));
  const start = screen.getByRole('slider', { name: 'Start' });
  const end = screen.getByRole('slider', { name: 'End' });
  fireEvent.keyDown(end, { key: 'ArrowRight' });
  expect(value()).toEqual({ startMs: 0, endMs: 20_000 });
  fireEvent.keyDown(end, { key: 'PageDown' });
  fireEvent.keyDown(start, { key: 'ArrowRight' });
  expect(value()).toEqual({ startMs: 100, endMs: 19_000 });
  expect(end.getAttribute('aria-valuenow')).toBe('19000');
  expect(end.getAttribute('aria-valuetext')).toBe('0:19.0');
  fireEvent.keyDown(start, { key: 'End' });
  expect(value()).toEqual({ startMs: 18_000, endMs: 19_000 });
  fireEvent.keyDown(end, { key: 'Home' });
  expect(value()).toEqual({ startMs: 18_000, endMs: 19_000 });
});
