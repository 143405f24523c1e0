// Posting a reel, step by step, with the server faked: a clip posted as it is is uploaded as a
// `reel` and posted without reels.compose; an edited one is uploaded as a `video`, composed with
// the exact request, followed through processing, then posted with the composed media. A retry
// after a refusal goes on from the failed step with the same clientIds (nothing uploaded or made
// twice); the reel's refusals are worded in the user's language.
import { createRoot } from 'solid-js';
import { createStore } from 'solid-js/store';
import { expect, test, vi } from 'vitest';
import { ProtocolError } from '../../../../protocol/client.ts';
import { en } from '../../i18n/messages/en.ts';
import type { MediaItem } from '../../state/media.ts';
import type { Upload } from '../../state/uploads.ts';
import type { Choices } from './compose.ts';
import { createPublisher, type PublishDeps, type Reel, reelErrorText } from './publish.ts';

const CLIP = '0192a1b2-c3d4-7e5f-8a9b-0000000e1a07';
const MADE = '0192a1b2-c3d4-7e5f-8a9b-0000000e1a08';
const REEL = '0192a1b2-4444-7000-8000-0000000000e1';
const base: Choices = { clipMs: 20_000, trim: { startMs: 0, endMs: 20_000 }, filter: 'none' };
const file = new Blob(['frames'], { type: 'video/webm' });

function fakes(overrides: Partial<PublishDeps> = {}) {
  const uploads: string[] = [];
  const deps: PublishDeps = {
    upload: vi.fn((_file: Blob, kind: 'video' | 'reel') => {
      uploads.push(kind);
      const [state] = createStore({ phase: 'ready' as const, sent: 6, total: 6, progress: 100, media: undefined, error: undefined });
      return { state, kind, name: '', done: Promise.resolve({ id: CLIP } as MediaItem), cancel: () => undefined } as unknown as Upload;
    }),
    compose: vi.fn(async () => ({ mediaId: MADE, durationMs: 18_000 })),
    follow: vi.fn(async (mediaId: string, onProgress: (percent: number) => void) => {
      onProgress(50);
      return { id: mediaId } as MediaItem;
    }),
    create: vi.fn(async () => ({ post: { id: REEL } }) as Reel),
    ...overrides,
  };
  return { deps, uploads };
}

const publisher = (deps: PublishDeps) => createRoot(() => createPublisher(deps));

test('reel publish: a clip as it is is uploaded as a reel and posted directly, without compose', async () => {
  const { deps, uploads } = fakes();
  const { publish, state } = publisher(deps);
  const reel = await publish(file, base, { audience: 'public', caption: 'Luna #perros' });
  expect(reel?.post.id).toBe(REEL);
  expect(uploads).toEqual(['reel']);
  expect(deps.compose).not.toHaveBeenCalled();
  expect(deps.create).toHaveBeenCalledWith({ audience: 'public', caption: 'Luna #perros', mediaId: CLIP, clientId: expect.any(String) });
  expect(state.step).toBe('done');
});

test('reel publish: an edited clip is uploaded as a video, composed with its choices, followed, then posted as the made media', async () => {
  const { deps, uploads } = fakes();
  const { publish } = publisher(deps);
  const choices: Choices = { ...base, filter: 'warm', trim: { startMs: 1_000, endMs: 19_000 } };
  await publish(file, choices, { audience: 'friends', allowDuet: false });
  expect(uploads).toEqual(['video']);
  expect(deps.compose).toHaveBeenCalledWith({
    clipMediaId: CLIP,
    trim: { startMs: 1_000, endMs: 19_000 },
    filter: 'warm',
    clientId: expect.any(String),
  });
  expect(deps.follow).toHaveBeenCalledWith(MADE, expect.any(Function));
  expect(deps.create).toHaveBeenCalledWith(expect.objectContaining({ mediaId: MADE, audience: 'friends', allowDuet: false }));
});

test('reel publish: a refused post says why in words; the retry posts the same media with the same clientId, nothing uploaded or made again', async () => {
  const create = vi
    .fn()
    .mockRejectedValueOnce(new ProtocolError('REMIX_NOT_ALLOWED', 'duets are off'))
    .mockResolvedValueOnce({ post: { id: REEL } });
  const { deps, uploads } = fakes({ create });
  const { publish, state } = publisher(deps);
  const choices: Choices = { ...base, duet: { reelId: REEL, durationMs: 30_000, clipVolume: 80 } };
  expect(await publish(file, choices, { audience: 'public' })).toBeUndefined();
  expect(state.step).toBe('failed');
  expect(state.error).toBe(en['reelCreate.error.remixNotAllowed']);
  expect(await publish(file, choices, { audience: 'public' })).toEqual({ post: { id: REEL } });
  expect(uploads).toEqual(['video']);
  expect(deps.compose).toHaveBeenCalledTimes(1);
  expect(create.mock.calls[0]?.[0].clientId).toBe(create.mock.calls[1]?.[0].clientId);
  expect(create.mock.calls[1]?.[0].mediaId).toBe(MADE);
});

test('reel publish: a failed compose is retried with the same clientId (the server answers with the same media)', async () => {
  const compose = vi
    .fn()
    .mockRejectedValueOnce(new ProtocolError('MEDIA_NOT_READY', 'still processing'))
    .mockResolvedValueOnce({ mediaId: MADE, durationMs: 20_000 });
  const { deps } = fakes({ compose });
  const { publish, state } = publisher(deps);
  const choices: Choices = { ...base, filter: 'fade' };
  await publish(file, choices, { audience: 'public' });
  expect(state.error).toBe(en['error.MEDIA_NOT_READY']);
  await publish(file, choices, { audience: 'public' });
  expect(compose.mock.calls[0]?.[0].clientId).toBe(compose.mock.calls[1]?.[0].clientId);
});

test('reel publish: refusals in words: rate limit, a field named by INVALID_INPUT, and the media errors of uploads', () => {
  expect(reelErrorText(new ProtocolError('RATE_LIMITED', 'slow down'))).toBe(en['reelCreate.error.rateLimited']);
  expect(reelErrorText(new ProtocolError('INVALID_INPUT', 'bad', { field: '/trim' }))).toBe(
    en['reelCreate.error.invalid'].replace('{field}', en['reelCreate.trim']),
  );
  expect(reelErrorText(new ProtocolError('INVALID_INPUT', 'bad', { field: 'soundTitle' }))).toBe(
    en['reelCreate.error.invalid'].replace('{field}', en['reelCreate.soundTitle']),
  );
  expect(reelErrorText(new ProtocolError('QUOTA_EXCEEDED', 'full', { usedBytes: 1024, quotaBytes: 2048 }))).toContain('2');
  expect(reelErrorText(new ProtocolError('REMIX_NOT_ALLOWED', 'off'))).toBe(en['reelCreate.error.remixNotAllowed']);
});
