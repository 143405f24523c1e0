// Reels through the protocol: posting one (a ready reel upload of one's own; refusals that store
// nothing), a reel being a post (caption links, reactions, comments, history, delete), who sees
// what on every read path (audience, blocks either way), editing, the creator's grid and the
// Following tab, what the player reports (a view once per viewer after 2 s, watch time capped,
// skips, the author's own watching counting nothing), counters equal to their rows under
// concurrency, and "not interested".
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REEL_LIMITS } from '../../protocol/lists.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { mediaRow } from '../../test/harness/media-rows.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';
import { rowsOf } from '../platform/db/rows.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('reels', { FRIEND_REQUESTS_PER_HOUR: '1000' });
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const db = () => env.node.platform.database.db;

/** A media of `owner` as the pipeline leaves one (its files are not needed here). */
const upload = (owner: Member, kind: 'reel' | 'video' | 'image' = 'reel', durationMs = 20_000, status: 'ready' | 'processing' = 'ready') =>
  mediaRow(db(), owner.id, kind, { durationMs, status });

async function reel(author: Member, extra: Record<string, unknown> = {}, durationMs = 20_000) {
  return author.call('reels.create', { mediaId: await upload(author, 'reel', durationMs), audience: 'public', ...extra });
}

const counts = async (author: Member) =>
  rowsOf<{ reels: number; posts: number }>(
    await db().execute(sql`select (select count(*)::int from reels where author_id = ${author.id}) as reels,
      (select count(*)::int from posts where author_id = ${author.id}) as posts`),
  )[0];

const watch = (reelId: string, watchedMs: number, extra: Partial<{ completed: boolean; skipped: boolean }> = {}) => ({
  reelId,
  watchedMs,
  completed: false,
  skipped: false,
  source: 'for_you' as const,
  ...extra,
});

describe('reels: posting', () => {
  test('reels: a ready reel with a caption, cover, switches and a pet is a post too; a retry answers the same reel', async () => {
    const { owner, friend } = await pool.circle();
    const pet = await owner.call('pets.create', { name: 'Luna', species: 'dog' });
    const clientId = crypto.randomUUID();
    const mediaId = await upload(owner, 'reel', 24_000);
    const body = {
      mediaId,
      caption: `Luna surfs with @${friend.user.username} #Perros #playa`,
      audience: 'friends' as const,
      coverMs: 3_000,
      allowStitch: false,
      petId: pet.id,
      clientId,
    };
    const made = await owner.call('reels.create', body);
    expect(made).toMatchObject({
      mediaId,
      durationMs: 24_000,
      coverMs: 3_000,
      allowDuet: true,
      allowStitch: false,
      views: 0,
      post: { id: made.post.id, visibility: 'friends', mediaIds: [mediaId], pet: { id: pet.id, name: 'Luna' }, text: body.caption },
    });
    expect(made.post.entities.map((entity) => entity.value)).toEqual([friend.user.username, 'perros', 'playa']);
    expect((await owner.call('reels.create', body)).post.id).toBe(made.post.id);
    expect(await counts(owner)).toEqual({ reels: 1, posts: 1 });
    // The post calls work on it: a friend reacts and comments; the author edits the caption with history.
    await friend.call('posts.react', { postId: made.post.id, kind: 'love' });
    await friend.call('comments.add', { postId: made.post.id, text: '¡Qué ola!' });
    const seen = await friend.call('reels.get', { reelId: made.post.id });
    expect(seen.post).toMatchObject({ myReaction: 'love', comments: 1, reactions: { love: 1 } });
    await owner.call('reels.edit', { reelId: made.post.id, caption: 'Luna surfs #perros', allowDuet: false });
    expect(await friend.call('reels.get', { reelId: made.post.id })).toMatchObject({
      allowDuet: false,
      post: { text: 'Luna surfs #perros' },
    });
    expect((await friend.call('posts.history', { postId: made.post.id })).items.map((item) => item.text)).toEqual([body.caption]);
  });

  test('reels: someone else’s media, a plain video or image, an unready upload, a cover past the end, a narrow audience, extra fields: refused, nothing stored', async () => {
    const [author, other] = await Promise.all([pool.member(), pool.member()]);
    const theirs = await upload(other);
    const cases: [unknown, string][] = [
      [{ mediaId: theirs, audience: 'public' }, 'NOT_FOUND'],
      [{ mediaId: await upload(author, 'video'), audience: 'public' }, 'NOT_FOUND'],
      [{ mediaId: await upload(author, 'image'), audience: 'public' }, 'NOT_FOUND'],
      [{ mediaId: await upload(author, 'reel', 20_000, 'processing'), audience: 'public' }, 'MEDIA_NOT_READY'],
      [{ mediaId: await upload(author, 'reel', 20_000), audience: 'public', coverMs: 20_001 }, 'INVALID_INPUT'],
      [{ mediaId: await upload(author), audience: 'close_friends' }, 'INVALID_BODY'],
      [{ mediaId: await upload(author), audience: 'public', views: 1_000_000 }, 'INVALID_BODY'],
      [{ mediaId: await upload(author), audience: 'public', caption: 'x'.repeat(REEL_LIMITS.captionChars + 1) }, 'INVALID_BODY'],
      [
        {
          mediaId: await upload(author),
          audience: 'public',
          petId: (await other.call('pets.create', { name: 'Kira', species: 'cat' })).id,
        },
        'NOT_FOUND',
      ],
    ];
    for (const [body, code] of cases) expect((await author.refused('reels.create', body)).code, JSON.stringify(body)).toBe(code);
    expect(await counts(author)).toEqual({ reels: 0, posts: 0 });
    // A reel upload is not a post's media either.
    expect((await author.refused('posts.create', { visibility: 'public', mediaIds: [await upload(author)] })).code).toBe('NOT_FOUND');
  });
});

describe('reels: who sees what', () => {
  test('reels: audiences and blocks on get, the grid, the Following tab and watch', async () => {
    const { owner, friend, stranger } = await pool.circle();
    const forFriends = await reel(owner, { audience: 'friends' });
    const forAll = await reel(owner);
    for (const member of [friend, stranger]) await member.call('follows.follow', { userId: owner.id });
    const grid = async (viewer: Member) => (await viewer.call('reels.byAuthor', { userId: owner.id })).items.map((item) => item.post.id);
    const tab = async (viewer: Member) => (await viewer.call('reels.following', {})).items.map((item) => item.post.id);
    expect(await grid(friend)).toEqual([forAll.post.id, forFriends.post.id]);
    expect(await grid(stranger)).toEqual([forAll.post.id]);
    expect(await tab(friend)).toEqual([forAll.post.id, forFriends.post.id]);
    expect(await tab(stranger)).toEqual([forAll.post.id]);
    expect((await stranger.refused('reels.get', { reelId: forFriends.post.id })).code).toBe('NOT_FOUND');
    expect(await stranger.call('reels.watch', { items: [watch(forFriends.post.id, 5000), watch(forAll.post.id, 5000)] })).toEqual({
      counted: [forAll.post.id],
      ignored: [forFriends.post.id],
    });
    // A block either way hides everything, and the media with it.
    await stranger.call('blocks.block', { userId: owner.id });
    expect((await stranger.refused('reels.get', { reelId: forAll.post.id })).code).toBe('NOT_FOUND');
    expect(await grid(stranger)).toEqual([]);
    expect(await tab(stranger)).toEqual([]);
    expect((await stranger.call('media.get', { ids: [forAll.mediaId] })).items).toEqual([]);
    expect((await stranger.call('reels.watch', { items: [watch(forAll.post.id, 5000)] })).ignored).toEqual([forAll.post.id]);
    await owner.call('blocks.block', { userId: friend.id });
    expect(await grid(friend)).toEqual([]);
    expect((await friend.refused('reels.notInterested', { reelId: forAll.post.id })).code).toBe('NOT_FOUND');
    // Narrowing the audience takes it away from those outside at once.
    const another = await reel(owner);
    await owner.call('reels.edit', { reelId: another.post.id, audience: 'friends' });
    const outsider = await pool.member();
    expect((await outsider.refused('reels.get', { reelId: another.post.id })).code).toBe('NOT_FOUND');
  });

  test('reels: edits are the author’s; a refused edit changes nothing; posts.edit keeps a reel to its two audiences; a deleted reel leaves every list', async () => {
    const { owner, friend } = await pool.circle();
    await friend.call('follows.follow', { userId: owner.id });
    const made = await reel(owner, { caption: 'first' }, 16_000);
    expect((await friend.refused('reels.edit', { reelId: made.post.id, allowDuet: false })).code).toBe('NOT_FOUND');
    expect((await owner.refused('reels.edit', { reelId: made.post.id, caption: 'second', coverMs: 16_001 })).code).toBe('INVALID_INPUT');
    expect((await owner.refused('posts.edit', { postId: made.post.id, visibility: 'close_friends' })).code).toBe('INVALID_INPUT');
    expect((await owner.refused('reels.edit', { reelId: made.post.id, extra: true })).code).toBe('INVALID_BODY');
    expect(await owner.call('reels.get', { reelId: made.post.id })).toMatchObject({
      coverMs: 0,
      allowDuet: true,
      post: { text: 'first', visibility: 'public' },
    });
    expect(await owner.call('reels.edit', { reelId: made.post.id, coverMs: 16_000 })).toMatchObject({ coverMs: 16_000 });

    await owner.call('posts.delete', { postId: made.post.id });
    expect((await friend.refused('reels.get', { reelId: made.post.id })).code).toBe('NOT_FOUND');
    expect((await owner.refused('reels.get', { reelId: made.post.id })).code).toBe('NOT_FOUND');
    expect((await friend.call('reels.following', {})).items).toEqual([]);
    expect((await owner.call('reels.byAuthor', { userId: owner.id })).items).toEqual([]);
    expect((await friend.call('reels.watch', { items: [watch(made.post.id, 3000)] })).ignored).toEqual([made.post.id]);
    expect((await owner.refused('reels.edit', { reelId: made.post.id, allowDuet: false })).code).toBe('NOT_FOUND');
  });

  test('reels: the Following tab is newest first in pages, without feed-muted creators or reels marked not interested; bad cursors are INVALID_CURSOR', async () => {
    const [viewer, creator, muted] = await Promise.all([pool.member(), pool.member(), pool.member()]);
    for (const followee of [creator, muted]) await viewer.call('follows.follow', { userId: followee.id });
    const made = [];
    for (let i = 0; i < 22; i++) made.push((await reel(creator)).post.id);
    await reel(muted);
    await viewer.call('feed.mute', { userId: muted.id, muted: true });
    const first = await viewer.call('reels.following', {});
    expect(first.items.map((item) => item.post.id)).toEqual(made.slice(-20).reverse());
    const second = await viewer.call('reels.following', { cursor: first.nextCursor ?? undefined });
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.items.map((item) => item.post.id)).toEqual(made.slice(0, 2).reverse());
    expect(await viewer.call('reels.notInterested', { reelId: made[21] as string })).toEqual({ notInterested: true });
    expect((await viewer.call('reels.following', {})).items.map((item) => item.post.id)).not.toContain(made[21]);
    expect(await viewer.call('reels.notInterested', { reelId: made[21] as string, interested: true })).toEqual({ notInterested: false });
    expect((await viewer.call('reels.following', {})).items[0]?.post.id).toBe(made[21]);
    expect((await creator.refused('reels.notInterested', { reelId: made[21] as string })).code).toBe('INVALID_INPUT');
    for (const cursor of ['nope', Buffer.from('["not-a-uuid"]').toString('base64url')])
      expect((await viewer.refused('reels.following', { cursor })).code).toBe('INVALID_CURSOR');
    // The log holds the "not interested" while it stands, and not after it was taken back.
    const logged = rowsOf<{ n: number }>(
      await db().execute(sql`select count(*)::int as n from reel_interactions where user_id = ${viewer.id} and kind = 'not_interested'`),
    );
    expect(logged[0]?.n).toBe(0);
  });
});

describe('reels: watching', () => {
  test('reels: a view counts once per viewer after 2 s; watch time adds up to 5 plays; skips and finishes are kept; the author counts nothing', async () => {
    const { owner, friend, close } = await pool.circle();
    const made = await reel(owner, {}, 15_000);
    const reelId = made.post.id;
    expect(await friend.call('reels.watch', { items: [watch(reelId, 1_999)] })).toEqual({ counted: [], ignored: [] });
    expect((await owner.call('reels.get', { reelId })).views).toBe(0);
    expect(await friend.call('reels.watch', { items: [watch(reelId, 1)] })).toEqual({ counted: [reelId], ignored: [] });
    expect(await friend.call('reels.watch', { items: [watch(reelId, 600_000, { completed: true })] })).toEqual({
      counted: [],
      ignored: [],
    });
    await close.call('reels.watch', { items: [watch(reelId, 800, { skipped: true })] });
    await owner.call('reels.watch', { items: [watch(reelId, 15_000, { completed: true })] });
    const [row] = rowsOf<{ view_count: number; watch_ms: number; completions: number }>(
      await db().execute(sql`select view_count, watch_ms::int, completions from reels where post_id = ${reelId}`),
    );
    // The friend's 601,999 ms count as 5 plays of 15 s; the close friend's 800 ms; the author's nothing.
    expect(row).toEqual({ view_count: 1, watch_ms: 5 * 15_000 + 800, completions: 1 });
    const log = rowsOf<{ user_id: string; kind: string }>(
      await db().execute(sql`select user_id, kind from reel_interactions where reel_id = ${reelId} order by id`),
    );
    expect(log).toEqual([
      { user_id: friend.id, kind: 'view' },
      { user_id: close.id, kind: 'skip' },
    ]);
    expect((await owner.call('reels.get', { reelId })).views).toBe(1);
  });

  test('reels: a batch names each reel once and holds at most 50; too many batches a minute are RATE_LIMITED', async () => {
    const { owner, friend } = await pool.circle();
    const made = await reel(owner);
    const reelId = made.post.id;
    expect((await friend.refused('reels.watch', { items: [watch(reelId, 100), watch(reelId, 100)] })).code).toBe('INVALID_INPUT');
    const many = Array.from({ length: REEL_LIMITS.watchBatch + 1 }, () => watch(crypto.randomUUID(), 10));
    expect((await friend.refused('reels.watch', { items: many })).code).toBe('INVALID_BODY');
    expect((await friend.refused('reels.watch', { items: [watch(reelId, REEL_LIMITS.watchItemMs + 1)] })).code).toBe('INVALID_BODY');
    expect((await friend.refused('reels.watch', { items: [{ ...watch(reelId, 100), source: 'elsewhere' }] })).code).toBe('INVALID_BODY');
    expect((await friend.refused('reels.watch', { items: [] })).code).toBe('INVALID_BODY');
    const [row] = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from reel_viewers where reel_id = ${reelId}`));
    expect(row?.n).toBe(0);
    const stranger = await pool.member();
    for (let i = 0; i < REEL_LIMITS.watchBatchesPerMinute; i++) await stranger.call('reels.watch', { items: [watch(reelId, 10)] });
    expect((await stranger.refused('reels.watch', { items: [watch(reelId, 10)] })).code).toBe('RATE_LIMITED');
  });

  test('reels: views, watch time and finishes stay equal to the viewer rows under concurrent batches', async () => {
    const creator = await pool.member();
    const viewers = await Promise.all(Array.from({ length: 12 }, () => pool.member()));
    const reelIds = [(await reel(creator, {}, 30_000)).post.id, (await reel(creator, {}, 30_000)).post.id];
    await Promise.all(
      viewers.flatMap((viewer, v) =>
        Array.from({ length: 4 }, (_, n) =>
          viewer.call('reels.watch', {
            items: (n % 2 === 0 ? reelIds : [...reelIds].reverse()).map((reelId) =>
              watch(reelId, 700 + v * 10, { completed: n === 3 && v % 3 === 0 }),
            ),
          }),
        ),
      ),
    );
    const rows = rowsOf<{ view_count: number; viewed: number; watch_ms: number; watched: number; completions: number; completed: number }>(
      await db().execute(sql`
        select r.view_count, r.watch_ms::int, r.completions,
          (select count(*)::int from reel_viewers v where v.reel_id = r.post_id and v.viewed) as viewed,
          (select coalesce(sum(v.watched_ms), 0)::int from reel_viewers v where v.reel_id = r.post_id) as watched,
          (select count(*)::int from reel_viewers v where v.reel_id = r.post_id and v.completed) as completed
        from reels r where r.post_id in (${sql.join(
          reelIds.map((id) => sql`${id}`),
          sql`, `,
        )})`),
    );
    for (const row of rows) {
      expect(row.view_count).toBe(12);
      expect(row.viewed).toBe(12);
      expect(row.watch_ms).toBe(row.watched);
      expect(row.watched).toBe(viewers.reduce((sum, _, v) => sum + 4 * (700 + v * 10), 0));
      expect(row.completions).toBe(row.completed);
      expect(row.completions).toBe(4);
    }
    const views = rowsOf<{ n: number }>(
      await db().execute(
        sql`select count(*)::int as n from reel_interactions where reel_id in (${sql.join(
          reelIds.map((id) => sql`${id}`),
          sql`, `,
        )}) and kind = 'view'`,
      ),
    );
    expect(views[0]?.n).toBe(24);
    // The creator's reach moved with them.
    const reach = rowsOf<{ views: number }>(await db().execute(sql`select views from reel_creators where author_id = ${creator.id}`));
    expect(reach).toEqual([{ views: 24 }]);
  });
});

test('reels: batches that share creators in opposite orders of their reels never deadlock, and each creator’s reach equals their views', async () => {
  const [x, y] = await Promise.all([pool.member(), pool.member()]);
  // Made in this order, ids ascend: x1 < y1 < y2 < x2. A batch of {x1, y1} reaches x then y; one of {y2, x2}, y then x.
  const x1 = (await reel(x)).post.id;
  const y1 = (await reel(y)).post.id;
  const y2 = (await reel(y)).post.id;
  const x2 = (await reel(x)).post.id;
  const viewers = await Promise.all(Array.from({ length: 16 }, () => pool.member()));
  await Promise.all(
    viewers.flatMap((viewer) => [
      viewer.call('reels.watch', { items: [watch(x1, 3000), watch(y1, 3000)] }),
      viewer.call('reels.watch', { items: [watch(y2, 3000), watch(x2, 3000)] }),
    ]),
  );
  const reach = rowsOf<{ author_id: string; views: number; counted: number }>(
    await db().execute(sql`
      select c.author_id, c.views, (select sum(view_count)::int from reels r where r.author_id = c.author_id) as counted
      from reel_creators c where c.author_id in (${x.id}, ${y.id}) order by c.author_id`),
  );
  expect(reach.map((row) => [row.views, row.counted])).toEqual([
    [32, 32],
    [32, 32],
  ]);
});

test('reels: friends hear of a new reel on their feed topic as of a post', async () => {
  const [author, friend] = await Promise.all([pool.member(), pool.member()]);
  await befriend(env.node, author, friend);
  await friend.follow(`feed:${friend.id}`);
  const made = await reel(author, { audience: 'friends' });
  expect(await friend.event('feed.post', (body) => body.postId === made.post.id)).toEqual({ postId: made.post.id, authorId: author.id });
});

test('reels: likes, comments, saves and shares of a reel are logged for the recommender; taking a like or a save back unlogs it; the author’s own are not', async () => {
  const [author, fan] = await Promise.all([pool.member(), pool.member()]);
  await befriend(env.node, author, fan);
  const made = await reel(author);
  const postId = made.post.id;
  const plain = await author.call('posts.create', { text: 'not a reel', visibility: 'public' });
  for (const target of [postId, plain.id]) {
    await fan.call('posts.react', { postId: target, kind: 'like' });
    await fan.call('posts.react', { postId: target, kind: 'haha' });
    await fan.call('comments.add', { postId: target, text: 'Bravo' });
    await fan.call('posts.save', { postId: target, saved: true });
    await fan.call('posts.create', { text: 'look', visibility: 'friends', sharedPostId: target });
  }
  await author.call('posts.react', { postId, kind: 'love' });
  await author.call('comments.add', { postId, text: 'Thanks' });
  const logged = async () =>
    rowsOf<{ user_id: string; kind: string }>(
      await db().execute(sql`select user_id, kind from reel_interactions where reel_id = ${postId} order by kind`),
    );
  expect(await logged()).toEqual(['comment', 'like', 'save', 'share'].map((kind) => ({ user_id: fan.id, kind })));
  const elsewhere = rowsOf<{ n: number }>(
    await db().execute(sql`select count(*)::int as n from reel_interactions where reel_id = ${plain.id}`),
  );
  expect(elsewhere[0]?.n).toBe(0);
  await fan.call('posts.react', { postId, kind: null });
  await fan.call('posts.save', { postId, saved: false });
  expect(await logged()).toEqual(['comment', 'share'].map((kind) => ({ user_id: fan.id, kind })));
});
