// The upload state machine against a fake media server: chunks from where the server stands,
// byte progress, a lost chunk answer resumed from `received`, a stale answer corrected by
// OFFSET_MISMATCH, processing progress from `media.changed`, refusals, and cancelling.
import { expect, test } from 'vitest';
import type { MediaItem } from './media.ts';
import { startUpload, type Upload, type UploadDeps } from './uploads.ts';

const ID = '0192a1b2-c3d4-7e5f-8a9b-0000000d1a00';
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const item = (patch: Partial<MediaItem>): MediaItem => ({
  id: ID,
  kind: 'video',
  status: 'uploading',
  progress: 0,
  failure: null,
  failureCode: null,
  failureDetails: null,
  size: 10,
  received: 0,
  width: null,
  height: null,
  durationMs: null,
  preview: null,
  waveform: null,
  urls: null,
  createdAt: '2026-11-24T18:00:00.000Z',
  ...patch,
});

/** A media server in memory; `faults` say what goes wrong with the next requests. */
function fakeServer(size: number) {
  const server = {
    received: new Uint8Array(0),
    puts: [] as { offset: number; bytes: number; sentBefore: number }[],
    gets: 0,
    /** Offsets whose PUT is stored but whose answer is lost (the fetch throws). */
    loseAnswerAt: new Set<number>(),
    /** Offsets whose PUT fails with 503 before storing, and how many times. */
    failAt: new Map<number, number>(),
    /** A PUT at this offset waits until `release` is called. */
    holdAt: undefined as number | undefined,
    release: (): void => undefined,
    /** GETs that answer an old `received` (a lagging read). */
    staleGets: 0,
    completeError: undefined as { status: number; code: string; details?: Record<string, unknown> } | undefined,
    startError: undefined as { status: number; code: string; details?: Record<string, unknown> } | undefined,
    /** DELETE <uploadUrl> requests (a cancel), and the answers to give them (204 once none is left). */
    deletes: [] as string[],
    deleteStatuses: [] as number[],
    listener: undefined as ((media: MediaItem) => void) | undefined,
    delays: [] as number[],
    upload: undefined as Upload | undefined,
  };
  const deps: Partial<UploadDeps> = {
    chunkBytes: 4,
    attempts: 5,
    pollMs: 60_000,
    token: async () => 'token',
    getMedia: async () => undefined,
    sleep: async (ms) => {
      server.delays.push(ms);
    },
    onMediaChanged: (listener) => {
      server.listener = listener;
      return () => {
        server.listener = undefined;
      };
    },
    fetch: async (url, init) => {
      const method = init.method ?? 'GET';
      expect((init.headers as Record<string, string>).authorization).toBe('Bearer token');
      if (method === 'POST' && url === '/media/uploads') {
        if (server.startError !== undefined) return json(server.startError.status, { error: { ...server.startError, message: 'no' } });
        expect(JSON.parse(init.body as string)).toEqual({ kind: 'video', size });
        return json(201, { media: item({ size }), chunkBytes: 8, uploadUrl: `/media/uploads/${ID}`, directUploadUrl: null });
      }
      if (method === 'GET') {
        server.gets += 1;
        const stale = server.staleGets > 0;
        if (stale) server.staleGets -= 1;
        return json(200, { media: item({ size, received: stale ? 0 : server.received.length }) });
      }
      if (method === 'PUT') {
        const offset = Number(new URL(url, 'http://x').searchParams.get('offset'));
        expect((init.headers as Record<string, string>)['content-type']).toBe('application/octet-stream');
        const bytes = new Uint8Array(await (init.body as Blob).arrayBuffer());
        server.puts.push({ offset, bytes: bytes.length, sentBefore: server.upload?.state.sent ?? 0 });
        if (offset === server.holdAt) {
          server.holdAt = undefined;
          await new Promise<void>((resolve) => {
            server.release = resolve;
          });
        }
        const failures = server.failAt.get(offset) ?? 0;
        if (failures > 0) {
          server.failAt.set(offset, failures - 1);
          return json(503, { error: { code: 'UNAVAILABLE', message: 'busy' } });
        }
        if (offset !== server.received.length)
          return json(409, { error: { code: 'OFFSET_MISMATCH', message: `the upload stands at ${server.received.length} bytes` } });
        const next = new Uint8Array(offset + bytes.length);
        next.set(server.received);
        next.set(bytes, offset);
        server.received = next;
        if (server.loseAnswerAt.delete(offset)) throw new TypeError('Failed to fetch');
        return json(200, { received: next.length });
      }
      if (method === 'POST' && url.endsWith('/complete')) {
        if (server.completeError !== undefined)
          return json(server.completeError.status, { error: { ...server.completeError, message: 'no' } });
        return json(200, { media: item({ size, received: size, status: 'processing' }) });
      }
      if (method === 'DELETE') {
        server.deletes.push(url);
        const status = server.deleteStatuses.shift() ?? 204;
        if (status === 204) return new Response(null, { status: 204 });
        return json(status, { error: { code: status === 409 ? 'UPLOAD_FINISHED' : 'UNAVAILABLE', message: 'no' } });
      }
      throw new Error(`unexpected ${method} ${url}`);
    },
  };
  return { server, deps };
}

const file = (size: number) => new Blob([Uint8Array.from({ length: size }, (_, index) => index)], { type: 'video/mp4' });
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
async function until(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !check(); tries++) await settled();
  expect(check()).toBe(true);
}

test('uploads: a file goes in chunks of the client size, each from where the server stands, with byte progress', async () => {
  const { server, deps } = fakeServer(10);
  const upload = startUpload(file(10), 'video', deps);
  server.upload = upload;
  expect(upload.state).toMatchObject({ phase: 'sending', sent: 0, total: 10 });
  await until(() => upload.state.phase === 'processing');
  expect(server.puts.map((put) => [put.offset, put.bytes])).toEqual([
    [0, 4],
    [4, 4],
    [8, 2],
  ]);
  expect(server.puts.map((put) => put.sentBefore)).toEqual([0, 4, 8]);
  expect([...server.received]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(upload.state.sent).toBe(10);
});

test('uploads: a chunk whose answer is lost is not sent again: the upload asks where it stands and goes on from there', async () => {
  const { server, deps } = fakeServer(10);
  server.loseAnswerAt.add(4);
  const upload = startUpload(file(10), 'video', deps);
  server.upload = upload;
  await until(() => upload.state.phase === 'processing');
  expect(server.puts.map((put) => put.offset)).toEqual([0, 4, 8]);
  expect(server.gets).toBe(1);
  expect(server.delays).toEqual([500]);
  expect([...server.received]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('uploads: failures in a row wait longer each time, then the chunk is sent again from `received`', async () => {
  const { server, deps } = fakeServer(10);
  server.failAt.set(4, 2);
  const upload = startUpload(file(10), 'video', deps);
  server.upload = upload;
  await until(() => upload.state.phase === 'processing');
  expect(server.delays).toEqual([500, 1000]);
  expect(server.puts.map((put) => put.offset)).toEqual([0, 4, 4, 4, 8]);
  expect([...server.received]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('uploads: OFFSET_MISMATCH after a stale answer about where the upload stands is recovered by asking again', async () => {
  const { server, deps } = fakeServer(10);
  server.loseAnswerAt.add(0);
  server.staleGets = 1;
  const upload = startUpload(file(10), 'video', deps);
  server.upload = upload;
  await until(() => upload.state.phase === 'processing');
  // 0 (answer lost) → GET says 0 (stale) → 0 again is refused with 409 → GET says 4 → 4, 8.
  expect(server.puts.map((put) => put.offset)).toEqual([0, 0, 4, 8]);
  expect(server.gets).toBe(2);
  expect([...server.received]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('uploads: processing progress comes from media.changed until ready; done gives the ready media', async () => {
  const { server, deps } = fakeServer(10);
  const upload = startUpload(file(10), 'video', deps);
  server.upload = upload;
  await until(() => upload.state.phase === 'processing');
  server.listener?.(item({ status: 'processing', progress: 40, size: 10, received: 10 }));
  expect(upload.state).toMatchObject({ phase: 'processing', progress: 40 });
  server.listener?.(item({ id: '0192a1b2-c3d4-7e5f-8a9b-0000000d1a99', status: 'ready', progress: 100 }));
  expect(upload.state.phase).toBe('processing');
  const ready = item({ status: 'ready', progress: 100, size: 10, received: 10, urls: { 'master.m3u8': '/media/files/x/master.m3u8' } });
  server.listener?.(ready);
  expect(await upload.done).toEqual(ready);
  expect(upload.state).toMatchObject({ phase: 'ready', progress: 100 });
  expect(server.listener).toBeUndefined();
});

test('uploads: a refusal ends the upload as failed with its reason; a processing failure too', async () => {
  const refused = fakeServer(10);
  refused.server.completeError = { status: 400, code: 'UNSUPPORTED_MEDIA' };
  const upload = startUpload(file(10), 'video', refused.deps);
  expect(await upload.done).toBeUndefined();
  expect(upload.state.phase).toBe('failed');
  expect(upload.state.error).toBe('This file is not a photo, video or recording we can use.');

  const broken = fakeServer(10);
  const second = startUpload(file(10), 'video', broken.deps);
  await until(() => second.state.phase === 'processing');
  broken.server.listener?.(item({ status: 'failed', failure: 'the video cannot be decoded', size: 10, received: 10 }));
  expect(await second.done).toBeUndefined();
  expect(second.state).toMatchObject({ phase: 'failed', error: 'the video cannot be decoded' });
});

test('uploads: cancelling stops sending chunks', async () => {
  const { server, deps } = fakeServer(10);
  server.holdAt = 4;
  const upload = startUpload(file(10), 'video', deps);
  server.upload = upload;
  await until(() => server.puts.length === 2);
  upload.cancel();
  server.release();
  expect(await upload.done).toBeUndefined();
  for (let tick = 0; tick < 20; tick++) await settled();
  expect(server.puts.map((put) => put.offset)).toEqual([0, 4]);
  expect(upload.state.phase).toBe('cancelled');
  expect(server.received.length).toBe(8);
});

test('uploads: cancelling an upload being sent gives it up on the server (DELETE <uploadUrl>) once, and sends no more chunks', async () => {
  const { server, deps } = fakeServer(10);
  server.holdAt = 4;
  const upload = startUpload(file(10), 'video', deps);
  server.upload = upload;
  await until(() => server.puts.length === 2);
  upload.cancel();
  upload.cancel();
  server.release();
  expect(await upload.done).toBeUndefined();
  await until(() => server.deletes.length === 1);
  for (let tick = 0; tick < 20; tick++) await settled();
  expect(server.deletes).toEqual([`/media/uploads/${ID}`]);
  expect(server.puts.map((put) => put.offset)).toEqual([0, 4]);
});

test('uploads: a cancel the server answers 503 is retried; one already completed (UPLOAD_FINISHED) is left as it is', async () => {
  const busy = fakeServer(10);
  busy.server.holdAt = 0;
  busy.server.deleteStatuses = [503, 503];
  const upload = startUpload(file(10), 'video', busy.deps);
  await until(() => busy.server.puts.length === 1);
  upload.cancel();
  await until(() => busy.server.deletes.length === 3);
  for (let tick = 0; tick < 20; tick++) await settled();
  expect(busy.server.deletes).toHaveLength(3);
  expect(busy.server.delays).toEqual([500, 1000]);

  const finished = fakeServer(10);
  finished.server.holdAt = 0;
  finished.server.deleteStatuses = [409];
  const second = startUpload(file(10), 'video', finished.deps);
  await until(() => finished.server.puts.length === 1);
  second.cancel();
  await until(() => finished.server.deletes.length === 1);
  for (let tick = 0; tick < 20; tick++) await settled();
  expect(finished.server.deletes).toHaveLength(1);
});

test('uploads: a finished upload is not given up: cancelling once processing sends no DELETE', async () => {
  const { server, deps } = fakeServer(10);
  const upload = startUpload(file(10), 'video', deps);
  await until(() => upload.state.phase === 'processing');
  upload.cancel();
  for (let tick = 0; tick < 20; tick++) await settled();
  expect(server.deletes).toEqual([]);
});

test('uploads: refusals of the limits say what the limit is: uploads in progress, files processing, storage full, image pixels', async () => {
  const refusal = async (
    where: 'startError' | 'completeError',
    error: { status: number; code: string; details: Record<string, unknown> },
  ) => {
    const { server, deps } = fakeServer(10);
    server[where] = error;
    const upload = startUpload(file(10), 'video', deps);
    expect(await upload.done).toBeUndefined();
    expect(upload.state.phase).toBe('failed');
    return upload.state.error;
  };
  expect(await refusal('startError', { status: 429, code: 'TOO_MANY_UPLOADS', details: { state: 'uploading', limit: 10 } })).toBe(
    'You have 10 uploads in progress: finish or cancel one first.',
  );
  expect(await refusal('completeError', { status: 429, code: 'TOO_MANY_UPLOADS', details: { state: 'processing', limit: 5 } })).toBe(
    '5 of your files are still being processed. Try again when one is ready.',
  );
  expect(
    await refusal('startError', { status: 413, code: 'QUOTA_EXCEEDED', details: { usedBytes: 5 * 1024 ** 3, quotaBytes: 5 * 1024 ** 3 } }),
  ).toBe('Your storage is full: 5 GB used of 5 GB.');
  expect(
    await refusal('startError', { status: 413, code: 'QUOTA_EXCEEDED', details: { usedBytes: 734_003_200, quotaBytes: 5 * 1024 ** 3 } }),
  ).toBe('Your storage is full: 700 MB used of 5 GB.');
  expect(
    await refusal('completeError', {
      status: 400,
      code: 'TOO_MANY_PIXELS',
      details: { field: 'file', maxPixels: 50_000_000, width: 16000, height: 16000 },
    }),
  ).toBe('This image has more than 50 megapixels.');
});

test('uploads: a processing failure is worded from its code and numbers, and the server’s words are the last resort', async () => {
  const failedWith = async (patch: Partial<MediaItem>) => {
    const { server, deps } = fakeServer(10);
    const upload = startUpload(file(10), 'video', deps);
    await until(() => upload.state.phase === 'processing');
    server.listener?.(item({ status: 'failed', failure: 'in English', size: 10, received: 10, ...patch }));
    expect(await upload.done).toBeUndefined();
    return upload.state.error;
  };
  expect(await failedWith({ failureCode: 'TOO_LONG', failureDetails: { maxDurationMs: 600_000 } })).toBe(
    'This is too long: at most 10 min.',
  );
  expect(await failedWith({ failureCode: 'TOO_LONG', failureDetails: { maxDurationMs: 15_000 } })).toBe(
    'This is too long: at most 15 sec.',
  );
  expect(await failedWith({ failureCode: 'CONTAINER_MISMATCH', failureDetails: { format: 'mp3' } })).toBe(
    'This file is not a plain video or audio file.',
  );
  expect(await failedWith({ failureCode: 'MEDIA_TIMEOUT', failureDetails: { timeoutMs: 600_000 } })).toBe(
    'Processing this file took too long.',
  );
  expect(await failedWith({ failureCode: 'TOO_MANY_PIXELS', failureDetails: { maxPixels: 50_000_000 } })).toBe(
    'This image has more than 50 megapixels.',
  );
  expect(await failedWith({ failureCode: 'SOMETHING_NEW', failureDetails: {} })).toBe('in English');
});
