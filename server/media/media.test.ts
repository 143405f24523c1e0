// The media pipeline on a node with real S3 (a local S3-compatible server), PostgreSQL, Redis and
// NATS (the JetStream work queue): uploads in one request and in resumable chunks, content
// decided by the bytes, images (orientation, metadata stripped, WebP + JPEG sizes, preview), video
// (HLS ladder, thumbnail) and voice notes (Opus/AAC, waveform), live progress to the owner, signed
// reads, poison files, and who may attach what.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { type S3Server, startS3Server } from '../../test/harness/s3.ts';
import { uniqueName } from '../../test/harness/services.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';
import { media } from './schema.ts';

type MediaItem = CallResponse<'media.get'>['items'][number];

let env: AccountsEnv;
let s3: S3Server;
let pool: ReturnType<typeof memberPool>;
let work: string;

beforeAll(async () => {
  s3 = await startS3Server(`pa-${uniqueName('m').replaceAll('_', '-')}`);
  env = await startAccountsEnv('media', {
    S3_ENDPOINT: s3.config.endpoint.origin,
    S3_ACCESS_KEY: s3.config.accessKey,
    S3_SECRET_KEY: s3.config.secretKey,
    S3_BUCKET: s3.config.bucket,
    MEDIA_WATERMARK: 'PetAmigos',
  });
  pool = memberPool(env);
  work = mkdtempSync(join(tmpdir(), 'media-test-'));
}, 60_000);
afterAll(async () => {
  pool.closeAll();
  await env.close();
  await s3.close();
  rmSync(work, { recursive: true, force: true });
});

async function ffmpegFile(name: string, args: string[]): Promise<Uint8Array> {
  const path = join(work, name);
  const child = Bun.spawn(['ffmpeg', '-loglevel', 'error', '-y', ...args, path], { stderr: 'pipe' });
  if ((await child.exited) !== 0) throw new Error(`ffmpeg: ${await new Response(child.stderr).text()}`);
  return new Uint8Array(await Bun.file(path).arrayBuffer());
}

function multipart(member: Member, kind: string, bytes: Uint8Array, name: string, type: string) {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
  return env.client().request<{ media: MediaItem; code?: string }>('POST', '/media', { raw: form, token: member.user.tokens.accessToken });
}

/** The id of an image upload started and never sent: a media that cannot be ready. (A small
 * image sent whole may already be processed by the time the next line runs.) */
const unfinishedUpload = async (member: Member) =>
  (
    await env.client().request<{ media: MediaItem }>('POST', '/media/uploads', {
      body: { kind: 'image', size: 1000 },
      token: member.user.tokens.accessToken,
    })
  ).body.media.id;

const ready = async (member: Member, id: string, timeoutMs = 30_000) =>
  (
    await member.event(
      'media.changed',
      (body) => (body.media as MediaItem).id === id && (body.media as MediaItem).status !== 'processing',
      timeoutMs,
    )
  ).media as MediaItem;

async function objectsOf(member: Member): Promise<string[]> {
  const keys: string[] = [];
  const { Client } = await import('minio');
  const client = new Client({
    endPoint: '127.0.0.1',
    port: Number(s3.config.endpoint.port),
    useSSL: false,
    accessKey: s3.config.accessKey,
    secretKey: s3.config.secretKey,
    pathStyle: true,
  });
  for await (const item of client.listObjectsV2(s3.config.bucket, `media/${member.id}/`, true)) if (item.name) keys.push(item.name);
  return keys.sort();
}

const fetchSigned = (path: string) => fetch(`${env.node.url}${path}`);

/** A valid 1-bit greyscale PNG of `width`×`height`, all black: tiny on disk, huge once decoded. */
function hugePng(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const body = new Uint8Array([...new TextEncoder().encode(type), ...data]);
    const out = new DataView(new ArrayBuffer(12 + data.byteLength));
    out.setUint32(0, data.byteLength);
    new Uint8Array(out.buffer).set(body, 4);
    out.setUint32(8 + data.byteLength, Number(Bun.hash.crc32(body)));
    return new Uint8Array(out.buffer);
  };
  const header = new DataView(new ArrayBuffer(13));
  header.setUint32(0, width);
  header.setUint32(4, height);
  header.setUint8(8, 1); // bit depth 1
  header.setUint8(9, 0); // greyscale
  // Each row: filter byte 0, then width/8 bytes of zeros.
  const zlib = new Uint8Array(deflateSync(new Uint8Array(height * (1 + Math.ceil(width / 8)))));
  return new Uint8Array([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk('IHDR', new Uint8Array(header.buffer)),
    ...chunk('IDAT', zlib),
    ...chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('media: images', () => {
  test('media: an image uploaded in one request comes out upright, without metadata, as WebP and JPEG in three sizes with a preview', async () => {
    const owner = await pool.member();
    // 1200×800 stored sideways (EXIF orientation 6) with camera metadata that must not survive.
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a7' } })
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Make: 'PetCam', Copyright: 'Ana' } } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const uploaded = await multipart(owner, 'image', new Uint8Array(photo), 'luna.png', 'text/plain');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.media).toMatchObject({ kind: 'image', status: 'processing', width: 800, height: 1200 });
    const done = await ready(owner, uploaded.body.media.id);
    expect(done).toMatchObject({ status: 'ready', progress: 100, width: 800, height: 1200 });
    expect(done.preview).toMatch(/^data:image\/webp;base64,/);
    expect(Object.keys(done.urls ?? {}).sort()).toEqual([
      'large.jpg',
      'large.webp',
      'medium.jpg',
      'medium.webp',
      'small.jpg',
      'small.webp',
    ]);

    const large = await fetchSigned(done.urls?.['large.webp'] as string);
    expect(large.status).toBe(200);
    const meta = await sharp(new Uint8Array(await large.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 800, height: 1200 });
    expect(meta.exif).toBeUndefined();
    const small = await sharp(new Uint8Array(await (await fetchSigned(done.urls?.['small.jpg'] as string)).arrayBuffer())).metadata();
    expect(small).toMatchObject({ format: 'jpeg', width: 320 });
    expect(small.exif).toBeUndefined();
    // The original is gone once the renditions exist.
    expect((await objectsOf(owner)).every((key) => key.includes('/out/'))).toBe(true);
    // A signature does not open another media's folder, and a tampered one opens nothing.
    const tampered = String(done.urls?.['large.webp']).replace(/\/([A-Za-z0-9_-]{43})\//, '/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/');
    expect((await fetchSigned(tampered)).status).toBe(404);
  });

  test('media: a file is judged by its bytes: text named .jpg, a truncated JPEG and a video sent as an image are refused and leave nothing', async () => {
    const owner = await pool.member();
    const text = new TextEncoder().encode('not a picture at all, just words');
    const asJpeg = await multipart(owner, 'image', text, 'cat.jpg', 'image/jpeg');
    expect(asJpeg.status).toBe(400);
    expect(asJpeg.body).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA' } });
    const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    const truncated = await multipart(owner, 'image', new Uint8Array(photo.subarray(0, 200)), 'broken.jpg', 'image/jpeg');
    expect(truncated.body).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA' } });
    const clip = await ffmpegFile('asimage.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '1', '-pix_fmt', 'yuv420p']);
    expect((await multipart(owner, 'image', clip, 'clip.jpg', 'image/jpeg')).body).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA' } });
    expect(await objectsOf(owner)).toEqual([]);
    const tooBig = await env
      .client()
      .request('POST', '/media/uploads', { body: { kind: 'image', size: 20 * 1024 * 1024 + 1 }, token: owner.user.tokens.accessToken });
    expect(tooBig.body).toMatchObject({ error: { code: 'TOO_LARGE' } });
  });
});

describe('media: bounded work', () => {
  test('media: a 16000×16000 PNG (31 KB) is refused from its header with TOO_MANY_PIXELS (the limit and its size in details), before decoding, and leaves nothing stored', async () => {
    const owner = await pool.member();
    const png = hugePng(16000, 16000);
    expect(png.byteLength).toBeLessThan(100_000);
    const uploaded = await multipart(owner, 'image', png, 'wall.png', 'image/png');
    expect(uploaded.status).toBe(400);
    // TOO_MANY_PIXELS is the header check: a decode (under sharp's own limit) would have succeeded.
    expect(uploaded.body).toMatchObject({
      error: { code: 'TOO_MANY_PIXELS', details: { field: 'file', maxPixels: 50_000_000, width: 16000, height: 16000 } },
    });
    expect(await objectsOf(owner)).toEqual([]);
    expect(await env.node.platform.database.db.select().from(media).where(eq(media.ownerId, owner.id))).toEqual([]);
  });
});

describe('media: tools read the upload only', () => {
  /** An ID3v2 header without frames: ffmpeg's probing looks past it, at what follows. */
  const id3 = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
  const playlist = (path: string) => new TextEncoder().encode(`#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\n${path}\n#EXT-X-ENDLIST\n`);
  const joined = async (...parts: Uint8Array[]) => new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());

  test('media: a voice note made of an ID3 header and an HLS playlist naming a file of the node ends FAILED, and nothing of that file is stored', async () => {
    const owner = await pool.member();
    // The node's secret: a 2 s tone in MPEG-TS, a segment HLS would read.
    const secret = join(work, 'secret-segment.ts');
    await ffmpegFile('secret-segment.ts', ['-f', 'lavfi', '-i', 'sine=frequency=1234:duration=2', '-c:a', 'aac']);
    const frames = await ffmpegFile('frames.mp3', [
      ...['-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-c:a', 'libmp3lame', '-id3v2_version', '0', '-f', 'mp3'],
    ]);
    // The attack as reported, and a polyglot that is also a valid MP3 (the forced read succeeds;
    // ffmpeg's own guess, HLS, disagrees).
    const attack = await multipart(owner, 'voice', await joined(id3, playlist(secret)), 'note.mp3', 'audio/mpeg');
    const polyglot = await multipart(owner, 'voice', await joined(id3, playlist(secret), frames), 'note.mp3', 'audio/mpeg');
    expect([attack.status, polyglot.status]).toEqual([201, 201]);
    expect(await ready(owner, attack.body.media.id)).toMatchObject({
      status: 'failed',
      failure: 'the recording cannot be read',
      urls: null,
    });
    expect(await ready(owner, polyglot.body.media.id)).toMatchObject({
      status: 'failed',
      failure: 'the file is not a plain mp3 file',
      urls: null,
    });
    expect(await objectsOf(owner)).toEqual([]);
  });

  test('media: a direct upload replaced after complete (same size, now an ID3 header over a playlist) is checked again by the job and ends FAILED', async () => {
    const owner = await pool.member();
    const token = owner.user.tokens.accessToken;
    const note = await ffmpegFile('direct-note.webm', ['-f', 'lavfi', '-i', 'sine=frequency=500:duration=1', '-c:a', 'libopus']);
    await ffmpegFile('direct-secret.ts', ['-f', 'lavfi', '-i', 'sine=frequency=1234:duration=2', '-c:a', 'aac']);
    const started = await env.client().request<{ media: MediaItem; uploadUrl: string; directUploadUrl: string }>('POST', '/media/uploads', {
      body: { kind: 'voice', size: note.byteLength },
      token,
    });
    const direct = (bytes: Uint8Array) => fetch(started.body.directUploadUrl, { method: 'PUT', body: bytes as Uint8Array<ArrayBuffer> });
    expect((await direct(note)).ok).toBe(true);
    // Completed (a WebM), its job not yet started: what `complete` leaves for the worker.
    await env.node.platform.database.db
      .update(media)
      .set({ status: 'processing', format: 'webm', received: note.byteLength })
      .where(eq(media.id, started.body.media.id));
    // The presigned PUT still works: the object becomes a playlist of the same size.
    const swapped = new Uint8Array(note.byteLength).fill(0x0a);
    swapped.set(await joined(id3, playlist(join(work, 'direct-secret.ts'))));
    expect((await direct(swapped)).ok).toBe(true);
    // Completing again queues the job (none was queued).
    await env.client().post(`${started.body.uploadUrl}/complete`, {}, token);
    expect(await ready(owner, started.body.media.id)).toMatchObject({ status: 'failed', failure: 'the file is not a plain webm file' });
    expect(await objectsOf(owner)).toEqual([]);
  });

  test('media: a plain HLS playlist or an ffconcat list, sent as a video or a voice note, is refused at complete and leaves nothing', async () => {
    const owner = await pool.member();
    const secret = join(work, 'secret-segment.ts');
    const lists = [playlist(secret), new TextEncoder().encode(`ffconcat version 1.0\nfile ${secret}\n`)];
    for (const bytes of lists)
      for (const kind of ['video', 'voice', 'reel']) {
        const refused = await multipart(owner, kind, bytes, 'list.m3u8', 'application/vnd.apple.mpegurl');
        expect([refused.status, refused.body]).toMatchObject([400, { error: { code: 'UNSUPPORTED_MEDIA' } }]);
      }
    expect(await objectsOf(owner)).toEqual([]);
  });
});

describe('media: video and voice', () => {
  test('media: a video sent in resumable chunks becomes an HLS ladder up to its height with a thumbnail; progress reaches the owner live', async () => {
    const owner = await pool.member();
    const clip = await ffmpegFile('clip.mp4', [
      ...['-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-t', '5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    ]);
    const client = env.client();
    const token = owner.user.tokens.accessToken;
    const started = await client.request<{ media: MediaItem; uploadUrl: string; chunkBytes: number; directUploadUrl: string | null }>(
      'POST',
      '/media/uploads',
      { body: { kind: 'video', size: clip.byteLength }, token },
    );
    expect(started.status).toBe(201);
    expect(started.body.directUploadUrl).toMatch(/^http:\/\/127\.0\.0\.1/);
    const { uploadUrl } = started.body;
    const half = Math.floor(clip.byteLength / 2);
    const put = (offset: number, bytes: Uint8Array) =>
      client.request<{ received?: number }>('PUT', `${uploadUrl}?offset=${offset}`, {
        raw: bytes as Uint8Array<ArrayBuffer>,
        token,
        headers: { 'content-type': 'application/octet-stream' },
      });
    expect((await put(0, clip.subarray(0, half))).body).toEqual({ received: half });
    // A chunk a node stored but died before recording: it must not outlive the upload.
    await env.node.platform.storage.put(`media/${owner.id}/${started.body.media.id}/upload/part-orphan`, new Uint8Array(10), {
      contentType: 'application/octet-stream',
    });
    // A chunk sent as anything but octet-stream is refused with a typed error, and nothing moves.
    const asText = await client.request<{ error?: { code: string } }>('PUT', `${uploadUrl}?offset=${half}`, {
      raw: clip.subarray(half, half + 10) as Uint8Array<ArrayBuffer>,
      token,
      headers: { 'content-type': 'text/plain' },
    });
    expect([asText.status, asText.body.error?.code]).toEqual([400, 'INVALID_BODY']);
    // A client that lost track resends from the wrong place, is told where the upload stands, and goes on.
    expect((await put(0, clip.subarray(0, 10))).body).toMatchObject({ error: { code: 'OFFSET_MISMATCH' } });
    expect((await client.get<{ media: MediaItem }>(uploadUrl, token)).body.media.received).toBe(half);
    expect((await client.post(`${uploadUrl}/complete`, {}, token)).body).toMatchObject({ error: { code: 'UPLOAD_INCOMPLETE' } });
    expect((await put(half, clip.subarray(half))).body).toEqual({ received: clip.byteLength });

    const completed = await client.post<{ media: MediaItem }>(`${uploadUrl}/complete`, {}, token);
    expect(completed.body.media.status).toBe('processing');
    const id = completed.body.media.id;
    const progress = await owner.event('media.changed', (body) => {
      const media = body.media as MediaItem;
      return media.id === id && media.progress > 1 && media.progress < 100;
    });
    expect((progress.media as MediaItem).status).toBe('processing');
    const done = await ready(owner, id, 60_000);
    expect(done).toMatchObject({ status: 'ready', width: 1280, height: 720, durationMs: 5000 });
    const urls = done.urls as Record<string, string>;
    expect(Object.keys(urls)).toEqual(expect.arrayContaining(['master.m3u8', '480p/index.m3u8', '720p/index.m3u8', 'thumb.jpg']));
    expect(Object.keys(urls).some((name) => name.startsWith('1080p'))).toBe(false);

    const master = await (await fetchSigned(urls['master.m3u8'] as string)).text();
    expect(master).toContain('RESOLUTION=854x480');
    expect(master).toContain('RESOLUTION=1280x720');
    // The playlists' relative links resolve under the same signed path, down to the segments.
    const variant = new URL('720p/index.m3u8', `${env.node.url}${urls['master.m3u8']}`);
    const playlist = await (await fetch(variant)).text();
    const segment = playlist.split('\n').find((line) => line.endsWith('.ts')) as string;
    const bytes = new Uint8Array(await (await fetch(new URL(segment, variant))).arrayBuffer());
    expect(bytes[0]).toBe(0x47);
    expect(new Uint8Array(await (await fetchSigned(urls['thumb.jpg'] as string)).arrayBuffer()).subarray(0, 3)).toEqual(
      new Uint8Array([0xff, 0xd8, 0xff]),
    );
    // Only the renditions are left: the upload's chunks are gone, the orphan too.
    expect((await objectsOf(owner)).filter((key) => !key.includes('/out/'))).toEqual([]);
  }, 90_000);

  test('media: a voice note recorded as WebM/Opus with no duration in its header (as browsers write it) comes out as Ogg Opus and AAC with a 64-bar waveform', async () => {
    const owner = await pool.member();
    // Written as a stream, as MediaRecorder does: the container says nothing of its duration.
    const recorder = Bun.spawn(
      [
        'ffmpeg',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=300:duration=3',
        '-af',
        'volume=0.5',
        '-c:a',
        'libopus',
        '-f',
        'webm',
        'pipe:1',
      ],
      { stdout: 'pipe' },
    );
    const note = new Uint8Array(await new Response(recorder.stdout).arrayBuffer());
    expect(await recorder.exited).toBe(0);
    const uploaded = await multipart(owner, 'voice', note, 'note.webm', 'audio/webm');
    expect(uploaded.status).toBe(201);
    const done = await ready(owner, uploaded.body.media.id);
    expect(done).toMatchObject({ status: 'ready', kind: 'voice' });
    expect(done.durationMs).toBeGreaterThan(2900);
    expect(done.waveform).toHaveLength(64);
    expect(Math.max(...(done.waveform as number[]))).toBe(255);
    expect(Object.keys(done.urls ?? {}).sort()).toEqual(['voice.m4a', 'voice.ogg']);
    const ogg = new Uint8Array(await (await fetchSigned(done.urls?.['voice.ogg'] as string)).arrayBuffer());
    expect(new TextDecoder().decode(ogg.subarray(0, 4))).toBe('OggS');
  });

  test('media: a poison file (a video header over garbage) ends FAILED with a reason, and nothing stays stored', async () => {
    const owner = await pool.member();
    const poison = new Uint8Array(4096).map((_, i) => (i * 31) % 256);
    poison.set([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom')], 0);
    const uploaded = await multipart(owner, 'video', poison, 'movie.mp4', 'video/mp4');
    expect(uploaded.status).toBe(201);
    const done = await ready(owner, uploaded.body.media.id);
    expect(done).toMatchObject({ status: 'failed', failure: 'the video cannot be read', urls: null });
    expect(await objectsOf(owner)).toEqual([]);
  });

  test('media: a reel lasts 15 s to 10 min: a 5 s one ends FAILED with the reason and nothing stored; a 16 s one becomes HLS', async () => {
    const owner = await pool.member();
    const clip = (seconds: number) =>
      ffmpegFile(`reel-${seconds}.mp4`, [
        '-f',
        'lavfi',
        '-i',
        `testsrc=size=160x240:rate=10:duration=${seconds}`,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
      ]);
    const short = await multipart(owner, 'reel', await clip(5), 'short.mp4', 'video/mp4');
    expect(short.status).toBe(201);
    expect(await ready(owner, short.body.media.id)).toMatchObject({
      kind: 'reel',
      status: 'failed',
      failure: 'a reel lasts 15 s to 10 min; this video is 5.0 s long',
      urls: null,
    });
    expect(await objectsOf(owner)).toEqual([]);

    const long = await multipart(owner, 'reel', await clip(16), 'long.mp4', 'video/mp4');
    const done = await ready(owner, long.body.media.id, 60_000);
    expect(done).toMatchObject({ kind: 'reel', status: 'ready', height: 240 });
    expect(done.durationMs).toBeGreaterThanOrEqual(15_000);
    expect(Object.keys(done.urls ?? {})).toEqual(expect.arrayContaining(['master.m3u8', 'thumb.jpg']));
    // A reel is not a post's video (the reels screens will take them).
    expect((await owner.refused('posts.create', { text: 'reel?', visibility: 'public', mediaIds: [done.id] })).code).toBe('NOT_FOUND');
  });
});

describe('media: jobs never queued', () => {
  test('media: a media marked processing by a node that died before queueing its job is queued again: when the owner completes again, or by the sweep', async () => {
    const owner = await pool.member();
    const token = owner.user.tokens.accessToken;
    const client = env.client();
    const db = env.node.platform.database.db;
    const photo = new Uint8Array(
      await sharp({ create: { width: 48, height: 32, channels: 3, background: '#396' } })
        .png()
        .toBuffer(),
    );
    // All bytes sent and the row marked processing, but no job: what a node leaves when it dies
    // between the two steps of complete.
    const neverQueued = async () => {
      const started = await client.request<{ media: MediaItem; uploadUrl: string }>('POST', '/media/uploads', {
        body: { kind: 'image', size: photo.byteLength },
        token,
      });
      const { uploadUrl } = started.body;
      await client.request('PUT', `${uploadUrl}?offset=0`, {
        raw: photo as Uint8Array<ArrayBuffer>,
        token,
        headers: { 'content-type': 'application/octet-stream' },
      });
      await db.update(media).set({ status: 'processing', format: 'png' }).where(eq(media.id, started.body.media.id));
      return { id: started.body.media.id, uploadUrl };
    };
    const statusOf = async (id: string) => (await db.select().from(media).where(eq(media.id, id)))[0];

    const retried = await neverQueued();
    await Bun.sleep(1000);
    expect(await statusOf(retried.id)).toMatchObject({ status: 'processing', attempts: 0 });
    // The owner's client got no answer and completes again.
    expect((await client.post<{ media: MediaItem }>(`${retried.uploadUrl}/complete`, {}, token)).body.media.status).toBe('processing');
    expect((await ready(owner, retried.id)).status).toBe('ready');

    // Nobody completes again: the sweep finds it once it has waited long enough.
    const forgotten = await neverQueued();
    expect(await env.node.social.media.requeueStuck(10 * 60_000)).toBe(0);
    await db
      .update(media)
      .set({ updatedAt: new Date(Date.now() - 11 * 60_000) })
      .where(eq(media.id, forgotten.id));
    expect(await env.node.social.media.requeueStuck(10 * 60_000)).toBe(1);
    expect((await ready(owner, forgotten.id)).status).toBe('ready');
  });
});

describe('media: abandoned uploads', () => {
  test('media: an upload nobody finished is swept with its chunks; a recent one stays', async () => {
    const owner = await pool.member();
    const client = env.client();
    const token = owner.user.tokens.accessToken;
    const start = () =>
      client.request<{ media: MediaItem; uploadUrl: string }>('POST', '/media/uploads', { body: { kind: 'video', size: 1000 }, token });
    const [old, recent] = [await start(), await start()];
    await client.request('PUT', `${old.body.uploadUrl}?offset=0`, {
      raw: new Uint8Array(500) as Uint8Array<ArrayBuffer>,
      token,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect((await objectsOf(owner)).length).toBe(1);
    await env.node.platform.database.db.execute(
      sql`update media set updated_at = now() - interval '25 hours' where id = ${old.body.media.id}`,
    );
    expect(await env.node.social.media.sweepAbandoned(24 * 3600_000)).toBe(1);
    expect(await objectsOf(owner)).toEqual([]);
    expect((await client.get(old.body.uploadUrl, token)).status).toBe(404);
    expect((await client.get(recent.body.uploadUrl, token)).status).toBe(200);
  });
});

describe('media: ownership', () => {
  test('media: only the owner may attach a media, and only once it is ready', async () => {
    const [owner, other] = await Promise.all([pool.member(), pool.member()]);
    const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const uploaded = await multipart(owner, 'image', new Uint8Array(photo), 'a.png', 'image/png');
    const id = uploaded.body.media.id;
    const media = env.node.social.media;
    await expect(media.attachable(owner.id, [await unfinishedUpload(owner)], ['image'])).rejects.toMatchObject({ code: 'MEDIA_NOT_READY' });
    await ready(owner, id);
    expect((await media.attachable(owner.id, [id], ['image'])).map((row) => row.id)).toEqual([id]);
    await expect(media.attachable(other.id, [id], ['image'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(media.attachable(owner.id, [id], ['video'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Where an upload stands is for its owner only.
    expect((await env.client().get(`/media/uploads/${id}`, other.user.tokens.accessToken)).status).toBe(404);
    expect((await env.client().get(`/media/uploads/${id}`, owner.user.tokens.accessToken)).status).toBe(200);
    // Nothing shows it yet: the owner alone sees it through media.get.
    expect((await owner.call('media.get', { ids: [id] })).items.map((item) => item.id)).toEqual([id]);
    expect((await other.call('media.get', { ids: [id] })).items).toEqual([]);

    // The same rule through the calls that take media.
    expect((await other.refused('posts.create', { text: 'mine?', visibility: 'public', mediaIds: [id] })).code).toBe('NOT_FOUND');
    expect((await other.refused('profile.update', { avatarMediaId: id })).code).toBe('NOT_FOUND');
    expect((await owner.call('profile.update', { avatarMediaId: id })).avatarMediaId).toBe(id);
    expect((await owner.call('posts.create', { text: 'Luna', visibility: 'public', mediaIds: [id] })).mediaIds).toEqual([id]);
    // Now an avatar and in a public post: shown to others.
    expect((await other.call('media.get', { ids: [id] })).items.map((item) => item.id)).toEqual([id]);
  });

  test('media: others see a media only through something they may see (posts, pets, profiles, conversations); blocks hide it', async () => {
    const [owner, friend, stranger, later] = await Promise.all([pool.member(), pool.member(), pool.member(), pool.member()]);
    await Promise.all([befriend(env.node, owner, friend), befriend(env.node, owner, later)]);
    const upload = async (color: string) => {
      const bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: color } })
        .png()
        .toBuffer();
      const id = (await multipart(owner, 'image', new Uint8Array(bytes), 'x.png', 'image/png')).body.media.id;
      await ready(owner, id);
      return id;
    };
    const all = await Promise.all(['#a11', '#1a1', '#11a', '#aa1', '#1aa'].map(upload));
    const [inPost, onPet, asAvatar, inChat, asPicture] = all as [string, string, string, string, string];
    const sees = async (member: Member, ids: string[]) => (await member.call('media.get', { ids })).items.map((item) => item.id).sort();
    const sorted = (ids: string[]) => [...ids].sort();

    // Friends-only post, pets shown to friends, a group picture and a message in a group with
    // the friend (not the stranger, nor `later`, who is added after the message).
    const post = await owner.call('posts.create', { text: 'Only friends', visibility: 'friends', mediaIds: [inPost] });
    await owner.call('privacy.update', { pets: 'friends' });
    await owner.call('pets.create', { name: 'Luna', species: 'dog', photoMediaIds: [onPet] });
    await owner.call('profile.update', { avatarMediaId: asAvatar });
    const group = await owner.call('chats.createGroup', { name: 'Paseos', userIds: [friend.id], pictureMediaId: asPicture });
    await owner.call('chats.send', { conversationId: group.id, clientId: crypto.randomUUID(), attachments: [inChat] });
    await owner.call('chats.addMembers', { conversationId: group.id, userIds: [later.id] });

    expect(await sees(owner, all)).toEqual(sorted(all));
    expect(await sees(friend, all)).toEqual(sorted(all));
    expect(await sees(stranger, all)).toEqual([asAvatar]);
    // A member added later sees the group's picture but not what was sent before they joined.
    expect(await sees(later, [inChat, asPicture])).toEqual([asPicture]);

    // The post deleted: its media is no longer shown by it.
    await owner.call('posts.delete', { postId: post.id });
    expect(await sees(friend, [inPost])).toEqual([]);
    // A block hides everything of the owner, the avatar included.
    await stranger.call('blocks.block', { userId: owner.id });
    expect(await sees(stranger, all)).toEqual([]);
  });

  test('chats: a message carries the sender’s ready media; someone else’s or an unfinished one is refused', async () => {
    const [ana, bruno] = await Promise.all([pool.member(), pool.member()]);
    await befriend(env.node, ana, bruno);
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c96' } })
      .jpeg()
      .toBuffer();
    const note = await ffmpegFile('chat-note.webm', ['-f', 'lavfi', '-i', 'sine=frequency=500:duration=1', '-c:a', 'libopus']);
    const image = (await multipart(ana, 'image', new Uint8Array(photo), 'p.jpg', 'image/jpeg')).body.media.id;
    const voice = (await multipart(ana, 'voice', note, 'n.webm', 'audio/webm')).body.media.id;
    expect(
      (await ana.refused('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), attachments: [await unfinishedUpload(ana)] })).code,
    ).toBe('MEDIA_NOT_READY');
    await ready(ana, image);
    await ready(ana, voice);
    const sent = await ana.call('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), attachments: [image, voice] });
    expect(sent).toMatchObject({
      text: '',
      attachments: [
        { id: image, kind: 'image' },
        { id: voice, kind: 'voice' },
      ],
    });
    const [first] = (await bruno.call('chats.history', { conversationId: sent.conversationId })).items;
    expect(first?.attachments).toEqual(sent.attachments);
    const shown = await bruno.call('media.get', { ids: [image, voice] });
    expect(shown.items.find((item) => item.id === voice)?.waveform).toHaveLength(64);
    expect(
      (await bruno.refused('chats.send', { conversationId: sent.conversationId, clientId: crypto.randomUUID(), attachments: [image] }))
        .code,
    ).toBe('NOT_FOUND');
  });
});

describe('media: blobs', () => {
  test('media: a blob (a file encrypted on the device) sent in chunks is stored as it came and served by the node itself, never redirected to S3 (the browser reads it with fetch)', async () => {
    const owner = await pool.member();
    // Bytes no pipeline would accept: what an encrypted file looks like.
    const bytes = crypto.getRandomValues(new Uint8Array(3000));
    const token = owner.user.tokens.accessToken;
    const started = await env.client().request<{ media: MediaItem; uploadUrl: string }>('POST', '/media/uploads', {
      body: { kind: 'blob', size: bytes.byteLength },
      token,
    });
    expect(started.status).toBe(201);
    for (const offset of [0, 2000])
      await env.client().request('PUT', `${started.body.uploadUrl}?offset=${offset}`, {
        raw: bytes.slice(offset, offset + 2000),
        headers: { 'content-type': 'application/octet-stream' },
        token,
      });
    const completed = await env.client().request<{ media: MediaItem }>('POST', `${started.body.uploadUrl}/complete`, { token });
    expect(completed.body.media).toMatchObject({ kind: 'blob', status: 'ready', size: 3000 });
    const response = await fetch(`${env.node.url}${completed.body.media.urls?.blob}`, { redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    // Nothing of the upload is left beside it.
    expect((await objectsOf(owner)).filter((key) => key.includes(completed.body.media.id))).toEqual([
      `media/${owner.id}/${completed.body.media.id}/out/blob`,
    ]);
  });
});
