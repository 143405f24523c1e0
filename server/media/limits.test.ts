// What one user's uploads may cost, on a node whose limits are set low (folder storage,
// PostgreSQL, Redis, NATS): a video longer than allowed, an ffmpeg run past its time limit, the
// uploads a user may have unfinished or processing at once, and the storage quota.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { createTempDir } from '../../test/harness/services.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';
import { media } from './schema.ts';

type MediaItem = CallResponse<'media.get'>['items'][number];

const QUOTA = 1_000_000;
let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
let work: ReturnType<typeof createTempDir>;

beforeAll(async () => {
  env = await startAccountsEnv('media_limits', {
    MEDIA_VIDEO_MAX_DURATION_MS: '3000',
    // Every ffmpeg run is killed at once; probes keep their default.
    MEDIA_TRANSCODE_TIMEOUT_MS: '1',
    MEDIA_UPLOADS_PER_USER: '2',
    MEDIA_JOBS_PER_USER: '1',
    MEDIA_QUOTA_BYTES: String(QUOTA),
  });
  pool = memberPool(env);
  work = createTempDir('media-limits');
}, 60_000);
afterAll(async () => {
  pool.closeAll();
  await env.close();
  work.remove();
});

async function clip(name: string, seconds: number): Promise<Uint8Array> {
  const path = join(work.path, name);
  const args = ['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast'];
  const child = Bun.spawn(['ffmpeg', '-loglevel', 'error', '-y', ...args, '-pix_fmt', 'yuv420p', path], { stderr: 'pipe' });
  if ((await child.exited) !== 0) throw new Error(`ffmpeg: ${await new Response(child.stderr).text()}`);
  return new Uint8Array(await Bun.file(path).arrayBuffer());
}

function multipart(member: Member, kind: string, bytes: Uint8Array) {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), 'file');
  return env.client().request<{ media: MediaItem; error?: { code: string; details?: Record<string, unknown> } }>('POST', '/media', {
    raw: form,
    token: member.user.tokens.accessToken,
  });
}

const start = (member: Member, size: number) =>
  env
    .client()
    .request<{ media: MediaItem; uploadUrl: string; error?: { code: string; details?: Record<string, unknown> } }>(
      'POST',
      '/media/uploads',
      { body: { kind: 'video', size }, token: member.user.tokens.accessToken },
    );

const put = (member: Member, uploadUrl: string, bytes: Uint8Array) =>
  env.client().request('PUT', `${uploadUrl}?offset=0`, {
    raw: bytes as Uint8Array<ArrayBuffer>,
    token: member.user.tokens.accessToken,
    headers: { 'content-type': 'application/octet-stream' },
  });

const finished = async (member: Member, id: string) =>
  (await member.event('media.changed', (body) => (body.media as MediaItem).id === id && (body.media as MediaItem).status !== 'processing'))
    .media as MediaItem;

/** The member's objects in the node's storage folder (objects/data/<key>). */
async function objectsOf(member: Member): Promise<string[]> {
  const folder = join(env.node.platform.config.dataDir, 'objects', 'data', 'media', member.id);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const rowOf = async (id: string) => (await env.node.platform.database.db.select().from(media).where(eq(media.id, id)))[0];

describe('media limits: work per upload', () => {
  test('media limits: a video longer than MEDIA_VIDEO_MAX_DURATION_MS ends FAILED on its probed duration (code TOO_LONG with the limit), before any transcoding, and nothing stays stored', async () => {
    const owner = await pool.member();
    const uploaded = await multipart(owner, 'video', await clip('long.mp4', 5));
    expect(uploaded.status).toBe(201);
    // Not the timeout's reason: no ffmpeg run was started (each would be killed at once here).
    expect(await finished(owner, uploaded.body.media.id)).toMatchObject({
      status: 'failed',
      failure: 'a video is at most 3 s long; this one is 5.0 s',
      failureCode: 'TOO_LONG',
      failureDetails: { maxDurationMs: 3000 },
      urls: null,
    });
    expect(await objectsOf(owner)).toEqual([]);
  });

  test('media limits: an ffmpeg run past MEDIA_TRANSCODE_TIMEOUT_MS is killed; the media ends FAILED with the reason (and its code and limit) after one attempt, and nothing stays stored', async () => {
    const owner = await pool.member();
    const uploaded = await multipart(owner, 'video', await clip('short.mp4', 2));
    expect(uploaded.status).toBe(201);
    expect(await finished(owner, uploaded.body.media.id)).toMatchObject({
      status: 'failed',
      failure: 'processing took longer than 0.001 s (ffmpeg)',
      failureCode: 'MEDIA_TIMEOUT',
      failureDetails: { timeoutMs: 1 },
    });
    // Given up at once: the same file would take as long again.
    expect((await rowOf(uploaded.body.media.id))?.attempts).toBe(1);
    expect(await objectsOf(owner)).toEqual([]);
  });
});

describe('media limits: per user', () => {
  test('media limits: the upload past MEDIA_UPLOADS_PER_USER unfinished ones is refused with TOO_MANY_UPLOADS and stores nothing; cancelling one makes room', async () => {
    const owner = await pool.member();
    const [first, second] = [await start(owner, 1000), await start(owner, 1000)];
    expect([first.status, second.status]).toEqual([201, 201]);
    await put(owner, first.body.uploadUrl, new Uint8Array(500));
    const before = await objectsOf(owner);
    const third = await start(owner, 1000);
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({ code: 'TOO_MANY_UPLOADS', details: { state: 'uploading', limit: 2 } });
    expect(await objectsOf(owner)).toEqual(before);
    expect(await env.node.platform.database.db.select().from(media).where(eq(media.ownerId, owner.id))).toHaveLength(2);
    // A one-request upload counts the same.
    expect((await multipart(owner, 'video', new Uint8Array(10))).body.error?.code).toBe('TOO_MANY_UPLOADS');

    const cancelled = await env.client().request('DELETE', first.body.uploadUrl, { token: owner.user.tokens.accessToken });
    expect(cancelled.status).toBe(204);
    expect(await objectsOf(owner)).toEqual([]);
    expect((await start(owner, 1000)).status).toBe(201);

    // Started in parallel, still no more than the limit: the count and the insert hold a per-user lock.
    const racer = await pool.member();
    const statuses = (await Promise.all([1, 2, 3, 4].map(() => start(racer, 1000)))).map((response) => response.status);
    expect(statuses.sort()).toEqual([201, 201, 429, 429]);
  });

  test('media limits: completing while MEDIA_JOBS_PER_USER media are processing answers TOO_MANY_UPLOADS and keeps the upload to complete later', async () => {
    const owner = await pool.member();
    const db = env.node.platform.database.db;
    const bytes = await clip('jobs.mp4', 1);
    // One media of the owner processing (held there: no job is queued for it).
    const busy = await start(owner, 1000);
    await db.update(media).set({ status: 'processing', format: 'mp4' }).where(eq(media.id, busy.body.media.id));
    const waiting = await start(owner, bytes.byteLength);
    await put(owner, waiting.body.uploadUrl, bytes);
    const refused = await env
      .client()
      .post<{ error?: { code: string; details?: unknown } }>(`${waiting.body.uploadUrl}/complete`, {}, owner.user.tokens.accessToken);
    expect([refused.status, refused.body.error]).toMatchObject([
      429,
      { code: 'TOO_MANY_UPLOADS', details: { state: 'processing', limit: 1 } },
    ]);
    expect(await rowOf(waiting.body.media.id)).toMatchObject({ status: 'uploading', received: bytes.byteLength });
    // Once the other one is done, the same upload completes.
    await db.update(media).set({ status: 'failed' }).where(eq(media.id, busy.body.media.id));
    const completed = await env
      .client()
      .post<{ media: MediaItem }>(`${waiting.body.uploadUrl}/complete`, {}, owner.user.tokens.accessToken);
    expect(completed.body.media.status).toBe('processing');
  });

  test('media limits: an upload that would pass MEDIA_QUOTA_BYTES is refused with QUOTA_EXCEEDED before anything is stored; media.quota shows the usage', async () => {
    const owner = await pool.member();
    expect(await owner.call('media.quota', {})).toEqual({ usedBytes: 0, quotaBytes: QUOTA });
    const kept = await start(owner, 600_000);
    await put(owner, kept.body.uploadUrl, new Uint8Array(300_000));
    expect(await owner.call('media.quota', {})).toEqual({ usedBytes: 600_000, quotaBytes: QUOTA });
    const before = await objectsOf(owner);

    const over = await start(owner, 400_001);
    expect(over.status).toBe(413);
    expect(over.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { usedBytes: 600_000, quotaBytes: QUOTA } });
    const whole = await multipart(owner, 'video', new Uint8Array(400_001));
    expect(whole.body.error?.code).toBe('QUOTA_EXCEEDED');
    expect(await objectsOf(owner)).toEqual(before);
    expect(await env.node.platform.database.db.select().from(media).where(eq(media.ownerId, owner.id))).toHaveLength(1);
    // What is left fits.
    expect((await start(owner, 400_000)).status).toBe(201);
  });
});
