// Media as shown: an image over its blurred preview until it loads, WebP first with JPEG as the
// fallback, widths never above the original's and sizes by layout; a video with its thumbnail as
// poster; a voice note with its waveform; media still processing, and media that cannot be shown.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { type MediaItem, remember } from '../../state/media.ts';
import { actions } from '../../state/store.ts';
import { MediaView } from './MediaView.tsx';
import { SIZES } from './sources.ts';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

let next = 0;
const item = (patch: Partial<MediaItem>): MediaItem => ({
  id: `0192a1b2-c3d4-7e5f-8a9b-${String(++next).padStart(12, '0')}`,
  kind: 'image',
  status: 'ready',
  progress: 100,
  failure: null,
  failureCode: null,
  failureDetails: null,
  size: 1000,
  received: 1000,
  width: 1200,
  height: 800,
  durationMs: null,
  preview: 'data:image/webp;base64,UklGRkAAAABXRUJQVlA4IDQAAAA=',
  waveform: null,
  urls: null,
  createdAt: '2026-11-24T18:00:00.000Z',
  ...patch,
});
const files = (names: string[]) => Object.fromEntries(names.map((name) => [name, `/media/files/sig/${name}`]));

test('media: an image shows its blurred preview, then WebP with a JPEG fallback, widths capped at the original', async () => {
  const image = item({ urls: files(['small.webp', 'small.jpg', 'medium.webp', 'medium.jpg', 'large.webp', 'large.jpg']) });
  remember(image);
  const { container } = render(() => <MediaView id={image.id} layout="feed" alt="Luna at the beach" />);
  expect(screen.getByTestId('preview').getAttribute('src')).toBe(image.preview);
  const source = container.querySelector('source') as HTMLSourceElement;
  expect(source.getAttribute('type')).toBe('image/webp');
  expect(source.getAttribute('srcset')).toBe(
    '/media/files/sig/small.webp 320w, /media/files/sig/medium.webp 960w, /media/files/sig/large.webp 1200w',
  );
  expect(source.getAttribute('sizes')).toBe(SIZES.feed);
  const img = screen.getByAltText('Luna at the beach');
  expect(img.getAttribute('src')).toBe('/media/files/sig/medium.jpg');
  expect(img.getAttribute('srcset')).toContain('/media/files/sig/large.jpg 1200w');
  expect(screen.getByTestId('picture').style.aspectRatio).toBe('1200 / 800');
  fireEvent.load(img);
  await waitFor(() => expect(screen.queryByTestId('preview')).toBeNull());
  expect(screen.getByTestId('picture').classList.contains('loaded')).toBe(true);
});

test('media: a small original is offered once per width, the thumbnail layout falls back to the small JPEG', () => {
  const image = item({ width: 300, height: 300, preview: null, urls: files(['small.webp', 'small.jpg', 'medium.webp', 'medium.jpg']) });
  remember(image);
  const { container } = render(() => <MediaView id={image.id} layout="thumb" />);
  expect(screen.queryByTestId('preview')).toBeNull();
  expect(container.querySelector('source')?.getAttribute('srcset')).toBe('/media/files/sig/small.webp 300w');
  expect(screen.getByAltText('Photo').getAttribute('src')).toBe('/media/files/sig/small.jpg');
});

test('media: a video has its thumbnail as poster and says its length; a voice note draws its 64 peaks', () => {
  const video = item({ kind: 'video', durationMs: 65_000, preview: null, urls: files(['master.m3u8', 'thumb.jpg']) });
  const waveform = Array.from({ length: 64 }, (_, index) => (index * 4) % 256);
  const voice = item({
    kind: 'voice',
    durationMs: 4_000,
    width: null,
    height: null,
    preview: null,
    waveform,
    urls: files(['voice.ogg', 'voice.m4a']),
  });
  remember(video);
  remember(voice);
  const { container } = render(() => (
    <>
      <MediaView id={video.id} layout="feed" />
      <MediaView id={voice.id} layout="thumb" />
    </>
  ));
  const player = screen.getByLabelText('Video, 1:05') as HTMLVideoElement;
  expect(player.getAttribute('poster')).toBe('/media/files/sig/thumb.jpg');
  const wave = screen.getByRole('img', { name: 'Voice note, 0:04' });
  expect(wave.querySelectorAll('rect')).toHaveLength(64);
  expect(Number(wave.querySelectorAll('rect')[63]?.getAttribute('height'))).toBeGreaterThan(
    Number(wave.querySelectorAll('rect')[0]?.getAttribute('height')),
  );
  expect([...container.querySelectorAll('audio source')].map((source) => source.getAttribute('src'))).toEqual([
    '/media/files/sig/voice.ogg',
    '/media/files/sig/voice.m4a',
  ]);
  expect(screen.getByRole('button', { name: 'Play voice note' })).toBeTruthy();
});

test('media: media still processing says how far it is; media the server leaves out is unavailable', async () => {
  const processing = item({ kind: 'video', status: 'processing', progress: 40, urls: null });
  remember(processing);
  const missing = '0192a1b2-c3d4-7e5f-8a9b-999999999999';
  const call = vi.spyOn(actions, 'call').mockResolvedValue({ items: [] } as never);
  render(() => (
    <>
      <MediaView id={processing.id} layout="feed" />
      <MediaView id={missing} layout="feed" />
    </>
  ));
  expect(screen.getByText('Processing 40%')).toBeTruthy();
  await waitFor(() => expect(screen.getByText('This photo or video is not available.')).toBeTruthy());
  expect(call).toHaveBeenCalledWith('media.get', { ids: [missing] });
});
