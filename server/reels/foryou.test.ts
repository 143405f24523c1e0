// The For You feed against a real database: only reels the viewer may see and has not watched
// (not their own, not of creators blocked either way or muted, not marked "not interested"), in
// their languages first and widened when too few are left, pages of a session that never repeat a
// reel nor put one creator twice across the page break, and a taste that follows what the viewer
// watched, liked and turned down, each item saying why.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { mediaRow } from '../../test/harness/media-rows.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';
import { FOR_YOU_PAGE } from './foryou.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('foryou', { FRIEND_REQUESTS_PER_HOUR: '1000' });
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const db = () => env.node.platform.database.db;

async function reel(author: Member, caption = '', audience: 'public' | 'friends' = 'public') {
  const id = await mediaRow(db(), author.id, 'reel', { durationMs: 20_000 });
  return (await author.call('reels.create', { mediaId: id, audience, caption })).post.id;
}

/** Reels made here are all of this run: the feed is read only for them (other tests' reels may be candidates too). */
const ids = async (viewer: Member, cursor?: string) => {
  const page = await viewer.call('reels.forYou', cursor === undefined ? {} : { cursor });
  return { ids: page.items.map((item) => item.reel.post.id), page };
};

/** Puts every reel made so far out of reach (older than any search), so each test starts from its own. */
const retireOthers = () => db().execute(sql`update reels set deleted_at = now() where deleted_at is null`);

describe('reels: For You', () => {
  test('for you: only what the viewer may see and has not watched; not their own, blocked, muted or turned down', async () => {
    await retireOthers();
    const { owner: viewer, friend } = await pool.circle();
    const [stranger, blocker, blocked, muted] = await Promise.all([pool.member(), pool.member(), pool.member(), pool.member()]);
    const visible = await reel(stranger, 'hola');
    const friendsOnly = await reel(friend, 'amigos', 'friends');
    const strangersFriendsOnly = await reel(stranger, 'privado', 'friends');
    const own = await reel(viewer, 'mío');
    const byBlocker = await reel(blocker);
    const byBlocked = await reel(blocked);
    const byMuted = await reel(muted);
    const watched = await reel(stranger, 'visto');
    const turnedDown = await reel(friend, 'no');
    await blocker.call('blocks.block', { userId: viewer.id });
    await viewer.call('blocks.block', { userId: blocked.id });
    await viewer.call('feed.mute', { userId: muted.id, muted: true });
    await viewer.call('reels.watch', { items: [{ reelId: watched, watchedMs: 500, completed: false, skipped: true, source: 'for_you' }] });
    await viewer.call('reels.notInterested', { reelId: turnedDown });
    const { ids: got } = await ids(viewer);
    expect(new Set(got)).toEqual(new Set([visible, friendsOnly]));
    for (const hidden of [strangersFriendsOnly, own, byBlocker, byBlocked, byMuted, watched, turnedDown]) expect(got).not.toContain(hidden);
  });

  test('for you: a session pages without repeats and never shows one creator twice in a row, across pages too; bad cursors are INVALID_CURSOR', async () => {
    await retireOthers();
    const viewer = await pool.member();
    const creators = await Promise.all(Array.from({ length: 4 }, () => pool.member()));
    const made = new Set<string>();
    for (let i = 0; i < 6; i++) for (const creator of creators) made.add(await reel(creator, `reel ${i}`));
    const seen: string[] = [];
    const authors: string[] = [];
    let cursor: string | undefined;
    for (let pageNumber = 0; pageNumber < 4; pageNumber++) {
      const { page } = await ids(viewer, cursor);
      for (const item of page.items) {
        seen.push(item.reel.post.id);
        authors.push(item.reel.post.author.id);
      }
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(made);
    for (let i = 1; i < authors.length; i++) expect(authors[i]).not.toBe(authors[i - 1]);
    // A session that ran out answers an empty page and no cursor.
    const after = await ids(viewer, cursor);
    expect(after.page).toEqual({ items: [], nextCursor: null });
    for (const bad of ['x', Buffer.from('["not-a-uuid"]').toString('base64url')])
      expect((await viewer.refused('reels.forYou', { cursor: bad })).code).toBe('INVALID_CURSOR');
  });

  test('for you: the viewer’s languages first; older reels, then other languages, only when too few are left, and said so', async () => {
    await retireOthers();
    const viewer = await pool.member();
    const creators = await Promise.all(Array.from({ length: 3 }, () => pool.member()));
    const spanish = [await reel(creators[0] as Member, 'uno'), await reel(creators[1] as Member, 'dos')];
    const oldSpanish = await reel(creators[2] as Member, 'tres');
    const english = await reel(creators[0] as Member, 'four');
    await db().execute(sql`update users set language = 'es' where id = ${viewer.id}`);
    await db().execute(sql`update profiles set locale = 'es-MX' where user_id = ${viewer.id}`);
    await db().execute(
      sql`update reels set language = 'es' where post_id in (${sql.join(
        [...spanish, oldSpanish].map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
    await db().execute(sql`update reels set created_at = now() - interval '5 days' where post_id = ${oldSpanish}`);
    await db().execute(sql`update reels set language = 'en' where post_id = ${english}`);
    const { page } = await ids(viewer);
    const widened = new Map(page.items.map((item) => [item.reel.post.id, item.why.widened]));
    expect(widened).toEqual(
      new Map([
        [spanish[0], null],
        [spanish[1], null],
        [oldSpanish, 'older'],
        [english, 'language'],
      ]),
    );
    // The fresh ones in the viewer's language come first.
    expect(page.items.slice(0, 2).map((item) => item.why.widened)).toEqual([null, null]);
    expect(page.items.length).toBeLessThanOrEqual(FOR_YOU_PAGE);
  });

  test('for you: what the viewer finished and liked pulls its hashtags up; "not interested" pushes a creator down; why adds up', async () => {
    await retireOthers();
    const viewer = await pool.member();
    const [catPerson, dogPerson, other] = await Promise.all([pool.member(), pool.member(), pool.member()]);
    const liked = await reel(catPerson, 'Michi duerme #gatos #siesta');
    await viewer.call('reels.watch', { items: [{ reelId: liked, watchedMs: 20_000, completed: true, skipped: false, source: 'for_you' }] });
    await viewer.call('posts.react', { postId: liked, kind: 'love' });
    const cats = await reel(other, 'Otro gato en la siesta #gatos');
    const dogs = await reel(dogPerson, 'Perro en la playa #perros');
    const { page } = await ids(viewer);
    const why = new Map(page.items.map((item) => [item.reel.post.id, item.why]));
    expect(why.get(cats)?.hashtags).toBeGreaterThan(0.5);
    expect(why.get(dogs)?.hashtags).toBe(0);
    expect(why.get(cats)?.embedding).toBeGreaterThan(why.get(dogs)?.embedding ?? 1);
    expect(page.items[0]?.reel.post.id).toBe(cats);
    for (const item of page.items) {
      const w = item.why;
      expect(w.score).toBeCloseTo((0.4 * w.hashtags + 0.3 * w.embedding + 0.2 * w.engagement + 0.1 * w.freshness) * w.creator, 3);
    }
    // Turning down one of the dog person's reels halves their others.
    const more = await reel(dogPerson, 'Más perros #perros');
    await viewer.call('reels.notInterested', { reelId: dogs });
    const after = new Map((await ids(viewer)).page.items.map((item) => [item.reel.post.id, item.why]));
    expect(after.get(more)?.creator).toBe(0.5);
    expect(after.has(dogs)).toBe(false);
  });

  test('for you: friends-only reels of a friend reach the viewer, and leave once the friendship ends', async () => {
    await retireOthers();
    const [viewer, friend] = await Promise.all([pool.member(), pool.member()]);
    await befriend(env.node, viewer, friend);
    const made = await reel(friend, 'solo amigos', 'friends');
    expect((await ids(viewer)).ids).toEqual([made]);
    await viewer.call('friends.remove', { userId: friend.id });
    expect((await ids(viewer)).ids).toEqual([]);
  });
});
