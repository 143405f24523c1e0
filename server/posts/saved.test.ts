// Saved posts through the protocol: saving and unsaving (idempotent), the list most recently saved
// first in stable pages, `saved` on every post the caller reads, the live `saved.changed` on the
// user's own topic only, and what a stranger, a blocked user or a deleted post get: NOT_FOUND and
// nothing stored; the list leaves out what the saver may no longer see; SAVED_POSTS_MAX.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { join, type Member, memberPool } from '../../test/harness/social.ts';
import { encodeCursor } from '../platform/cursor.ts';
import { rowsOf } from '../platform/db/rows.ts';

/** Low, so the limit is reached in a test; above a page (20), so pages are tested too. */
const MAX = 25;

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('saved', { FRIEND_REQUESTS_PER_HOUR: '1000', SAVED_POSTS_MAX: String(MAX) });
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const member = () => pool.member();

/** The saved rows of a user, straight from the table. */
async function savedRows(user: Member, postId?: string): Promise<string[]> {
  return rowsOf<{ post_id: string }>(
    await env.node.platform.database.db.execute(
      sql`select post_id from saved_posts where user_id = ${user.id} ${postId === undefined ? sql`` : sql`and post_id = ${postId}`}`,
    ),
  ).map((row) => row.post_id);
}

async function posts(author: Member, count: number, visibility: 'public' | 'friends' = 'public') {
  const made = [];
  for (let index = 0; index < count; index++) made.push(await author.call('posts.create', { text: `post ${index}`, visibility }));
  return made;
}

describe('saved posts', () => {
  test('saved: saving and unsaving are idempotent; `saved` shows on the post wherever the saver reads it, and only for them', async () => {
    const [author, saver] = await Promise.all([member(), member()]);
    const post = await author.call('posts.create', { text: 'Save me #guardado', visibility: 'public' });
    expect(post.saved).toBe(false);
    expect(await saver.call('posts.save', { postId: post.id, saved: true })).toEqual({ saved: true });
    const [at] = rowsOf<{ saved_at: Date | string }>(
      await env.node.platform.database.db.execute(sql`select saved_at from saved_posts where user_id = ${saver.id}`),
    );
    expect(await saver.call('posts.save', { postId: post.id, saved: true })).toEqual({ saved: true });
    const [again] = rowsOf<{ saved_at: Date | string }>(
      await env.node.platform.database.db.execute(sql`select saved_at from saved_posts where user_id = ${saver.id}`),
    );
    expect(await savedRows(saver)).toEqual([post.id]);
    expect(new Date(again?.saved_at as string).getTime(), 'saving again does not move it up').toBe(
      new Date(at?.saved_at as string).getTime(),
    );

    expect((await saver.call('posts.get', { postId: post.id })).saved).toBe(true);
    expect((await saver.call('posts.byAuthor', { userId: author.id })).items[0]?.saved).toBe(true);
    expect((await saver.call('hashtags.page', { tag: 'guardado' })).items.find((item) => item.id === post.id)?.saved).toBe(true);
    await saver.call('follows.follow', { userId: author.id });
    expect((await saver.call('feed.home', { mode: 'chronological' })).items.find((item) => item.post.id === post.id)?.post.saved).toBe(
      true,
    );
    const share = await saver.call('posts.create', { text: 'Look', visibility: 'public', sharedPostId: post.id });
    expect(share.shared).toMatchObject({ id: post.id, saved: true });
    expect((await author.call('posts.get', { postId: post.id })).saved, 'the author did not save it').toBe(false);

    expect(await saver.call('posts.save', { postId: post.id, saved: false })).toEqual({ saved: false });
    expect(await saver.call('posts.save', { postId: post.id, saved: false })).toEqual({ saved: false });
    expect(await savedRows(saver)).toEqual([]);
    expect((await saver.call('posts.get', { postId: post.id })).saved).toBe(false);
  });

  test('saved: the list is most recently saved first, in pages that neither repeat nor skip; a bad cursor is INVALID_CURSOR', async () => {
    const [author, saver] = await Promise.all([member(), member()]);
    const made = await posts(author, 23);
    // Saved in another order than posted: the list follows the saves.
    const order = [...made.slice(10), ...made.slice(0, 10)].map((post) => post.id);
    for (const postId of order) {
      await saver.call('posts.save', { postId, saved: true });
      await Bun.sleep(2);
    }
    const first = await saver.call('posts.saved', {});
    expect(first.items).toHaveLength(20);
    expect(first.items.every((post) => post.saved)).toBe(true);
    expect(first.nextCursor).not.toBeNull();
    // A save between pages goes on top of a fresh first page, not into the next page.
    const late = await author.call('posts.create', { text: 'late', visibility: 'public' });
    await saver.call('posts.save', { postId: late.id, saved: true });
    const second = await saver.call('posts.saved', { cursor: first.nextCursor as string });
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((post) => post.id)).toEqual([...order].reverse());
    expect((await saver.call('posts.saved', {})).items[0]?.id).toBe(late.id);

    for (const cursor of [
      'not-a-cursor',
      encodeCursor(['yesterday', 'nobody']),
      encodeCursor([new Date().toISOString()]),
      // Well formed, but no time the server gives (30 February): not a database error.
      encodeCursor(['2026-02-30T00:00:00.000Z', '0192a1b2-4444-7000-8000-00000000beef']),
      encodeCursor(['2026-02-03T00:00:00Z', '0192a1b2-4444-7000-8000-00000000beef']),
    ])
      expect((await saver.refused('posts.saved', { cursor })).code, cursor).toBe('INVALID_CURSOR');
    // Nobody else's list shows them.
    expect((await author.call('posts.saved', {})).items).toEqual([]);
  });

  test('saved: a post the caller may not see (friends-only of a stranger, private, deleted, across a block either way, unknown) is NOT_FOUND to save, and nothing is stored; unsaving it answers saved: false and changes nothing', async () => {
    const { owner: author, friend, stranger } = await pool.circle();
    const friendsOnly = await author.call('posts.create', { text: 'friends only', visibility: 'friends' });
    const mine = await author.call('posts.create', { text: 'only me', visibility: 'private' });
    const gone = await author.call('posts.create', { text: 'soon deleted', visibility: 'public' });
    await author.call('posts.delete', { postId: gone.id });
    const unknown = '0192a1b2-4444-7000-8000-00000000beef';
    for (const postId of [friendsOnly.id, mine.id, gone.id, unknown]) {
      expect((await stranger.refused('posts.save', { postId, saved: true })).code, postId).toBe('NOT_FOUND');
      // Taking back a save needs no right to see the post, and tells nothing about it.
      expect(await stranger.call('posts.save', { postId, saved: false }), postId).toEqual({ saved: false });
    }
    expect(await savedRows(stranger)).toEqual([]);
    expect((await friend.refused('posts.save', { postId: mine.id, saved: true })).code).toBe('NOT_FOUND');

    // A block either way: the public post of the one is not found by the other.
    const [blocker, blocked] = await Promise.all([member(), member()]);
    const open = await blocker.call('posts.create', { text: 'public', visibility: 'public' });
    const theirs = await blocked.call('posts.create', { text: 'public too', visibility: 'public' });
    await blocker.call('blocks.block', { userId: blocked.id });
    expect((await blocked.refused('posts.save', { postId: open.id, saved: true })).code).toBe('NOT_FOUND');
    expect((await blocker.refused('posts.save', { postId: theirs.id, saved: true })).code).toBe('NOT_FOUND');
    expect(await savedRows(blocked)).toEqual([]);
    expect(await savedRows(blocker)).toEqual([]);
    // The friend may, and is told so.
    expect(await friend.call('posts.save', { postId: friendsOnly.id, saved: true })).toEqual({ saved: true });
  });

  test('saved: extra fields and wrong types are INVALID_BODY, naming the field, and nothing is stored', async () => {
    const [author, saver] = await Promise.all([member(), member()]);
    const post = await author.call('posts.create', { text: 'x', visibility: 'public' });
    const cases: [string, Record<string, unknown>, string][] = [
      ['posts.save', { postId: post.id, saved: true, userId: author.id }, 'userId'],
      ['posts.save', { postId: post.id, saved: true, savedAt: '2020-01-01T00:00:00.000Z' }, 'savedAt'],
      ['posts.save', { postId: post.id }, 'saved'],
      ['posts.save', { postId: post.id, saved: 'yes' }, 'saved'],
      ['posts.save', { postId: 'not-a-uuid', saved: true }, 'postId'],
      ['posts.saved', { userId: author.id }, 'userId'],
    ];
    for (const [op, body, field] of cases) {
      const refused = await saver.refused(op as 'posts.save' | 'posts.saved', body);
      expect(refused.code, JSON.stringify(body)).toBe('INVALID_BODY');
      expect(String(refused.details?.field), JSON.stringify(body)).toContain(field);
    }
    expect(await savedRows(saver)).toEqual([]);
  });

  test('saved: the list leaves out a post once its author deletes it, narrows its audience or blocks the saver, or the saver blocks the author', async () => {
    const [author, other, saver] = await Promise.all([member(), member(), member()]);
    const [deleted, narrowed, blockedBy, stays] = await posts(author, 4);
    const [blockedOne] = await posts(other, 1);
    for (const post of [deleted, narrowed, blockedBy, stays, blockedOne])
      await saver.call('posts.save', { postId: post?.id as string, saved: true });
    const listed = async () => (await saver.call('posts.saved', {})).items.map((post) => post.id);
    expect(await listed()).toHaveLength(5);

    await author.call('posts.delete', { postId: deleted?.id as string });
    expect(await listed()).not.toContain(deleted?.id);
    expect(await savedRows(saver, deleted?.id), 'a deleted post leaves every saved list').toEqual([]);

    await author.call('posts.edit', { postId: narrowed?.id as string, visibility: 'friends' });
    expect(await listed()).not.toContain(narrowed?.id);

    await saver.call('blocks.block', { userId: other.id });
    expect(await listed()).not.toContain(blockedOne?.id);
    // Hidden now, but still the saver's to take back.
    expect(await savedRows(saver, blockedOne?.id)).toEqual([blockedOne?.id]);
    expect(await saver.call('posts.save', { postId: blockedOne?.id as string, saved: false })).toEqual({ saved: false });
    expect(await savedRows(saver, blockedOne?.id)).toEqual([]);

    await author.call('blocks.block', { userId: saver.id });
    expect(await listed()).toEqual([]);
    // Left out when read, not forgotten: once the block is lifted the public post is back.
    await author.call('blocks.unblock', { userId: saver.id });
    expect(await listed()).toEqual([stays?.id, blockedBy?.id]);
  });

  test(`saved: at SAVED_POSTS_MAX (${MAX} here) another save is TOO_MANY_SAVED_POSTS and changes nothing; saves in parallel never pass it; posts the saver can no longer see make room`, async () => {
    const [author, other, saver] = await Promise.all([member(), member(), member()]);
    const made = await posts(author, MAX - 5);
    const hidden = await posts(other, 5);
    for (const post of [...made, ...hidden]) await saver.call('posts.save', { postId: post.id, saved: true });
    const extra = await posts(author, 8);
    const results = await Promise.all(
      extra.map((post) => saver.socket.request({ type: 'call', op: 'posts.save', body: { postId: post.id, saved: true } })),
    );
    const refusals = results.filter((frame) => frame.type === 'error');
    expect(refusals).toHaveLength(8);
    expect(refusals[0]).toMatchObject({ code: 'TOO_MANY_SAVED_POSTS', details: { limit: MAX } });
    expect(await savedRows(saver)).toHaveLength(MAX);
    for (const post of extra) expect((await saver.call('posts.get', { postId: post.id })).saved).toBe(false);
    // Saving one already saved, and unsaving, work at the limit.
    expect(await saver.call('posts.save', { postId: made[0]?.id as string, saved: true })).toEqual({ saved: true });
    expect(await saver.call('posts.save', { postId: made[0]?.id as string, saved: false })).toEqual({ saved: false });
    // Room for exactly one, asked for by eight at once: one is saved.
    const raced = await Promise.all(
      extra.map((post) => saver.socket.request({ type: 'call', op: 'posts.save', body: { postId: post.id, saved: true } })),
    );
    expect(raced.filter((frame) => frame.type === 'reply')).toHaveLength(1);
    expect(await savedRows(saver)).toHaveLength(MAX);

    // The other author's posts become invisible to the saver (a block): they make room.
    await other.call('blocks.block', { userId: saver.id });
    const notSaved = extra.filter((post) => !raced.some((frame, at) => frame.type === 'reply' && extra[at]?.id === post.id));
    for (const post of notSaved.slice(0, 5))
      expect(await saver.call('posts.save', { postId: post.id, saved: true })).toEqual({ saved: true });
    const left = await savedRows(saver);
    expect(left).toHaveLength(MAX);
    for (const post of hidden) expect(left).not.toContain(post.id);
  });

  test("saved: a change reaches the saver's other sockets as `saved.changed` on `user:<id>`, once per change, and nobody else's topic", async () => {
    const [author, saver, stranger] = await Promise.all([member(), member(), member()]);
    const phone = pool.keep(await join(env, env.node, saver.user));
    const post = await author.call('posts.create', { text: 'live', visibility: 'public' });
    await saver.call('posts.save', { postId: post.id, saved: true });
    expect(await phone.event('saved.changed')).toEqual({ postId: post.id, saved: true });
    // Saving again changes nothing and says nothing; unsaving does.
    await saver.call('posts.save', { postId: post.id, saved: true });
    await saver.call('posts.save', { postId: post.id, saved: false });
    expect(await phone.event('saved.changed')).toEqual({ postId: post.id, saved: false });
    await saver.event('saved.changed', (body) => body.saved === false);
    const told = (socket: Member) => socket.socket.frames.filter((frame) => frame.type === 'event' && frame.name === 'saved.changed');
    expect(told(phone)).toHaveLength(2);
    expect(told(saver)).toHaveLength(2);
    expect(told(stranger)).toEqual([]);
    expect(told(author)).toEqual([]);
    // Nobody else may follow the saver's topic.
    expect(await stranger.socket.request({ type: 'sub', topic: `user:${saver.id}` })).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
  });
});
