// media.delete on a node with folder storage, PostgreSQL, Redis and NATS: the owner deletes a
// ready or failed media and its bytes stop counting at once; a media still shown somewhere is
// refused with MEDIA_IN_USE naming where; someone else's id, an unfinished upload and extra keys
// are refused and delete nothing. The per-user counter of stored bytes stays the sum of the rows
// through parallel uploads, cancels and deletes.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';
import { storedBytesOf } from './media.ts';
import { media, mediaUsage } from './schema.ts';

type MediaItem = CallResponse<'media.get'>['items'][number];

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('media_delete');
  pool = memberPool(env);
}, 60_000);
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

/** A small PNG uploaded in one request, once ready. */
async function readyImage(owner: Member, color = '#a11'): Promise<MediaItem> {
  const bytes = await sharp({ create: { width: 48, height: 32, channels: 3, background: color } })
    .png()
    .toBuffer();
  const form = new FormData();
  form.set('kind', 'image');
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'a.png');
  const uploaded = await env.client().request<{ media: MediaItem }>('POST', '/media', { raw: form, token: owner.user.tokens.accessToken });
  expect(uploaded.status).toBe(201);
  const id = uploaded.body.media.id;
  const [row] = await env.node.platform.database.db.select().from(media).where(eq(media.id, id));
  if (row?.status === 'ready') return (await owner.call('media.get', { ids: [id] })).items[0] as MediaItem;
  const changed = await owner.event(
    'media.changed',
    (body) => (body.media as MediaItem).id === id && (body.media as MediaItem).status !== 'processing',
  );
  expect((changed.media as MediaItem).status).toBe('ready');
  return changed.media as MediaItem;
}

/** The member's objects in the node's storage folder (objects/data/<key>). */
async function objectsOf(member: Member): Promise<string[]> {
  const folder = join(env.node.platform.config.dataDir, 'objects', 'data', 'media', member.id);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

const rowsOf = (member: Member) => env.node.platform.database.db.select().from(media).where(eq(media.ownerId, member.id));

describe('media.delete', () => {
  test('media.delete: the owner deletes a ready media; its objects and row go and media.quota drops by its bytes at once', async () => {
    const owner = await pool.member();
    const [kept, gone] = [await readyImage(owner, '#1a1'), await readyImage(owner, '#11a')];
    const before = await owner.call('media.quota', {});
    const [goneRow] = await env.node.platform.database.db.select().from(media).where(eq(media.id, gone.id));
    const goneBytes = (goneRow?.files ?? []).reduce((sum, file) => sum + file.bytes, 0);
    expect(goneBytes).toBeGreaterThan(0);
    expect((await objectsOf(owner)).some((path) => path.includes(gone.id))).toBe(true);

    const after = await owner.call('media.delete', { mediaId: gone.id });
    expect(after).toEqual({ usedBytes: before.usedBytes - goneBytes, quotaBytes: before.quotaBytes });
    expect(await owner.call('media.quota', {})).toEqual(after);
    expect((await rowsOf(owner)).map((row) => row.id)).toEqual([kept.id]);
    const objects = await objectsOf(owner);
    expect(objects.some((path) => path.includes(gone.id))).toBe(false);
    expect(objects.some((path) => path.includes(kept.id))).toBe(true);
    // Gone for good: asked again, it is unknown.
    expect((await owner.refused('media.delete', { mediaId: gone.id })).code).toBe('NOT_FOUND');
    expect((await owner.call('media.get', { ids: [gone.id] })).items).toEqual([]);
  });

  test('media.delete: a failed media is deleted with its row', async () => {
    const owner = await pool.member();
    const item = await readyImage(owner);
    await env.node.social.media.failed(item.id, { reason: 'the file cannot be read', code: 'POISON_FILE' });
    expect(await objectsOf(owner)).toEqual([]);
    await owner.call('media.delete', { mediaId: item.id });
    expect(await rowsOf(owner)).toEqual([]);
  });

  test('media.delete: a job that ends after its media failed or was deleted does not bring it back (no row, no bytes counted)', async () => {
    const owner = await pool.member();
    const item = await readyImage(owner);
    const [row] = await rowsOf(owner);
    const files = row?.files ?? [];
    const service = env.node.social.media;
    // The state a delete leaves between marking the row and removing it: failed, no files.
    await service.failed(item.id, { reason: 'deleted', code: 'deleted' });
    expect(await service.ready(item.id, { files })).toBeUndefined();
    expect((await rowsOf(owner)).map((each) => [each.status, each.files])).toEqual([['failed', []]]);
    expect((await owner.call('media.quota', {})).usedBytes).toBe(0);
    await owner.call('media.delete', { mediaId: item.id });
    expect(await service.ready(item.id, { files })).toBeUndefined();
    expect(await rowsOf(owner)).toEqual([]);
  });

  test('media job: a delivery that gives up after another delivery of the same job made the media ready does not undo it', async () => {
    const owner = await pool.member();
    const item = await readyImage(owner);
    const before = await rowsOf(owner);
    const quota = await owner.call('media.quota', {});
    // What the worker does when a job fails for good: only a media still processing fails.
    await env.node.social.media.failed(item.id, { reason: 'processing took longer than 30 s', code: 'MEDIA_TIMEOUT' }, 'processing');
    expect(await rowsOf(owner)).toEqual(before);
    expect(await owner.call('media.quota', {})).toEqual(quota);
    expect((await owner.call('media.get', { ids: [item.id] })).items[0]?.status).toBe('ready');
  });

  test('media.delete: a media still shown by a post, a pet, a profile, a group picture and a message is refused with MEDIA_IN_USE naming each; nothing is deleted until it is removed from them', async () => {
    const [owner, friend] = await Promise.all([pool.member(), pool.member()]);
    await befriend(env.node, owner, friend);
    const item = await readyImage(owner);
    const post = await owner.call('posts.create', { text: 'Luna', visibility: 'public', mediaIds: [item.id] });
    const pet = await owner.call('pets.create', { name: 'Luna', species: 'dog', photoMediaIds: [item.id] });
    await owner.call('profile.update', { avatarMediaId: item.id });
    const group = await owner.call('chats.createGroup', { name: 'Paseos', userIds: [friend.id], pictureMediaId: item.id });
    const sent = await owner.call('chats.send', { conversationId: group.id, clientId: crypto.randomUUID(), attachments: [item.id] });
    const objects = await objectsOf(owner);
    const quota = await owner.call('media.quota', {});

    const refused = await owner.refused('media.delete', { mediaId: item.id });
    expect(refused).toEqual({ code: 'MEDIA_IN_USE', details: { usedBy: ['post', 'pet', 'profile', 'conversation', 'message'] } });
    expect(await objectsOf(owner)).toEqual(objects);
    expect((await rowsOf(owner)).map((row) => [row.id, row.status])).toEqual([[item.id, 'ready']]);
    expect(await owner.call('media.quota', {})).toEqual(quota);
    // Others still see it where it is shown.
    expect((await friend.call('media.get', { ids: [item.id] })).items.map((shown) => shown.id)).toEqual([item.id]);

    // Removed from each in turn, it is refused for what is left, then deleted.
    await owner.call('posts.delete', { postId: post.id });
    await owner.call('pets.delete', { petId: pet.id });
    await owner.call('profile.update', { avatarMediaId: null });
    expect((await owner.refused('media.delete', { mediaId: item.id })).details).toEqual({ usedBy: ['conversation', 'message'] });
    await owner.call('chats.update', { conversationId: group.id, pictureMediaId: null });
    await owner.call('chats.delete', { conversationId: group.id, seq: sent.seq });
    expect((await owner.call('media.delete', { mediaId: item.id })).usedBytes).toBe(0);
    expect(await objectsOf(owner)).toEqual([]);
    expect(await rowsOf(owner)).toEqual([]);
  });

  test('media.delete: someone else’s media is NOT_FOUND, an unfinished upload MEDIA_NOT_READY, extra keys INVALID_BODY; nothing is deleted', async () => {
    const [owner, stranger] = await Promise.all([pool.member(), pool.member()]);
    const item = await readyImage(owner);
    const objects = await objectsOf(owner);
    const rows = await rowsOf(owner);

    expect(await stranger.refused('media.delete', { mediaId: item.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await owner.refused('media.delete', { mediaId: item.id, ownerId: owner.id })).code).toBe('INVALID_BODY');
    expect((await owner.refused('media.delete', { mediaId: 'not-a-uuid' })).code).toBe('INVALID_BODY');
    expect(await objectsOf(owner)).toEqual(objects);
    expect(await rowsOf(owner)).toEqual(rows);

    const started = await env.client().request<{ media: MediaItem }>('POST', '/media/uploads', {
      body: { kind: 'image', size: 1000 },
      token: owner.user.tokens.accessToken,
    });
    expect((await owner.refused('media.delete', { mediaId: started.body.media.id })).code).toBe('MEDIA_NOT_READY');
    expect(await rowsOf(owner)).toHaveLength(2);
  });
});

describe('media.list', () => {
  test('media.list: the caller’s own ready and failed media, newest first, without uploads in progress nor anyone else’s; a forged cursor is INVALID_CURSOR', async () => {
    const [owner, other] = await Promise.all([pool.member(), pool.member()]);
    const first = await readyImage(owner, '#a11');
    const second = await readyImage(owner, '#1a1');
    await env.node.social.media.failed(second.id, { reason: 'the file cannot be read', code: 'POISON_FILE' });
    await env.client().request('POST', '/media/uploads', { body: { kind: 'image', size: 1000 }, token: owner.user.tokens.accessToken });
    await readyImage(other);
    const listed = await owner.call('media.list', {});
    expect(listed.items.map((item) => [item.id, item.status])).toEqual([
      [second.id, 'failed'],
      [first.id, 'ready'],
    ]);
    expect(listed.nextCursor).toBeNull();
    expect((await owner.refused('media.list', { cursor: 'eyJ4IjoxfQ' })).code).toBe('INVALID_CURSOR');
    expect((await owner.refused('media.list', { ownerId: other.id })).code).toBe('INVALID_BODY');
  });
});

describe('media usage counter', () => {
  const counterOf = async (member: Member) =>
    (await env.node.platform.database.db.select().from(mediaUsage).where(eq(mediaUsage.ownerId, member.id)))[0]?.storedBytes;
  const sumOf = async (member: Member) => (await rowsOf(member)).reduce((sum, row) => sum + storedBytesOf(row), 0);

  test('media usage: the stored-bytes counter stays the sum of the rows through parallel starts, whole uploads, cancels, sweeps and deletes', async () => {
    const owner = await pool.member();
    const token = owner.user.tokens.accessToken;
    const start = (size: number) =>
      env.client().request<{ media: MediaItem; uploadUrl: string }>('POST', '/media/uploads', { body: { kind: 'video', size }, token });
    const [readies, started] = await Promise.all([
      Promise.all(['#a11', '#1a1', '#11a', '#aa1'].map((color) => readyImage(owner, color))),
      Promise.all([1000, 2000, 3000, 4000, 5000].map(start)),
    ]);
    expect(await counterOf(owner)).toBe(await sumOf(owner));
    const [first, second, third] = started as [(typeof started)[0], (typeof started)[0], (typeof started)[0]];

    // Cancels, deletes, more starts and quota reads at once.
    await Promise.all([
      env.client().request('DELETE', first.body.uploadUrl, { token }),
      env.client().request('DELETE', second.body.uploadUrl, { token }),
      ...readies.slice(0, 3).map((item) => owner.call('media.delete', { mediaId: item.id })),
      start(7000),
      start(8000),
      readyImage(owner, '#1aa'),
      owner.call('media.quota', {}),
    ]);
    expect((await rowsOf(owner)).length).toBe(2 + 3 + 1 + 1);
    expect(await counterOf(owner)).toBe(await sumOf(owner));
    expect((await owner.call('media.quota', {})).usedBytes).toBe(await sumOf(owner));

    // The sweep removes an upload abandoned for longer than it waits.
    await env.node.platform.database.db
      .update(media)
      .set({ updatedAt: new Date(Date.now() - 60_000) })
      .where(eq(media.id, third.body.media.id));
    expect(await env.node.social.media.sweepAbandoned(30_000)).toBeGreaterThanOrEqual(1);
    expect(await counterOf(owner)).toBe(await sumOf(owner));

    // A user without a counter yet (media from before it existed) gets one from the sum.
    await env.node.platform.database.db.delete(mediaUsage).where(eq(mediaUsage.ownerId, owner.id));
    expect((await owner.call('media.quota', {})).usedBytes).toBe(await sumOf(owner));
    expect(await counterOf(owner)).toBe(await sumOf(owner));
  });
});
