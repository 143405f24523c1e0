// The home feed on a seeded social graph (bench/seed-social.ts: 100,000 users, 1,000,000 posts,
// 5,000,000 reactions by default): page latency (p50, p95) and pages per second for warm users, in
// both modes, next to a straightforward SQL query producing the same page in the same run. Ours
// returns whole post views (authors, polls, the viewer's reactions, shares, mention links); the
// baseline returns the page's rows. The chronological pages are checked to hold the same posts.
// The seeded database is kept (BENCH_DATABASE_URL) and reused by later runs.

import { sql } from 'drizzle-orm';
import { rowsOf } from '../server/platform/db/rows.ts';
import { startSeededNode } from './seed-social.ts';
import { measurePages, row } from './stats.ts';

const size = {
  users: Number(process.env.BENCH_USERS ?? 100_000),
  posts: Number(process.env.BENCH_POSTS ?? 1_000_000),
  reactions: Number(process.env.BENCH_REACTIONS ?? 5_000_000),
};
const SAMPLE = Number(process.env.BENCH_FEED_USERS ?? 200);
const node = await startSeededNode(size, 'bench-feed', process.env.BENCH_DATABASE_URL);
const db = node.platform.database.db;
try {
  const viewers = rowsOf<{ id: string }>(
    await db.execute(sql`select id from users where username like 'bench\\_%' order by md5(id::text) limit ${SAMPLE}`),
  ).map((r) => r.id);
  const feed = node.social.feed;

  const baselineChronological = (viewerId: string) =>
    db.execute(sql`
      select p.* from posts p
      where p.author_id in (select ${viewerId}::uuid union select friend_id from friendships where user_id = ${viewerId} union select followee_id from follows where follower_id = ${viewerId})
        and p.deleted_at is null
        and (p.author_id = ${viewerId} or p.visibility = 'public'
          or (p.visibility = 'friends' and exists (select 1 from friendships f where f.user_id = p.author_id and f.friend_id = ${viewerId}))
          or (p.visibility = 'close_friends' and exists (select 1 from friendships f where f.user_id = p.author_id and f.friend_id = ${viewerId} and f.close_friend)))
        and not exists (select 1 from blocks b where (b.blocker_id = ${viewerId} and b.blocked_id = p.author_id) or (b.blocker_id = p.author_id and b.blocked_id = ${viewerId}))
        and not exists (select 1 from feed_mutes m where m.user_id = ${viewerId} and m.muted_id = p.author_id)
        and not exists (select 1 from hidden_posts h where h.user_id = ${viewerId} and h.post_id = p.id)
      order by p.id desc limit 20`);
  const baselineRanked = (viewerId: string) =>
    db.execute(sql`
      select p.*, (case when p.author_id = ${viewerId} then 1.2 when f.close_friend then 2 when f.user_id is not null then 1.5 else 1 end)
        * power(2, -extract(epoch from now() - p.created_at) / 86400)
        * (1 + ln(1 + p.like_count + p.love_count + p.haha_count + p.wow_count + p.sad_count + p.angry_count + 2 * p.comment_count + 3 * p.share_count)) as score
      from posts p left join friendships f on f.user_id = ${viewerId} and f.friend_id = p.author_id
      where p.author_id in (select ${viewerId}::uuid union select friend_id from friendships where user_id = ${viewerId} union select followee_id from follows where follower_id = ${viewerId})
        and p.created_at > now() - interval '7 days' and p.deleted_at is null
        and (p.author_id = ${viewerId} or p.visibility = 'public'
          or (p.visibility = 'friends' and exists (select 1 from friendships f2 where f2.user_id = p.author_id and f2.friend_id = ${viewerId}))
          or (p.visibility = 'close_friends' and exists (select 1 from friendships f2 where f2.user_id = p.author_id and f2.friend_id = ${viewerId} and f2.close_friend)))
        and not exists (select 1 from blocks b where (b.blocker_id = ${viewerId} and b.blocked_id = p.author_id) or (b.blocker_id = p.author_id and b.blocked_id = ${viewerId}))
        and not exists (select 1 from feed_mutes m where m.user_id = ${viewerId} and m.muted_id = p.author_id)
        and not exists (select 1 from hidden_posts h where h.user_id = ${viewerId} and h.post_id = p.id)
      order by score desc limit 20`);

  const measure = (label: string, once: (viewerId: string) => Promise<unknown>) => measurePages(label, viewers, once);

  // Warm: every sampled user's data has been read once (what "a warm user" means here).
  let same = 0;
  const cursors = new Map<string, string>();
  for (const viewerId of viewers) {
    const ours = await feed.home(viewerId, 'chronological', undefined);
    const theirs = rowsOf<{ id: string }>(await baselineChronological(viewerId)).map((r) => r.id);
    if (JSON.stringify(ours.items.map((item) => item.post.id)) === JSON.stringify(theirs)) same++;
    await feed.home(viewerId, 'ranked', undefined);
    await baselineRanked(viewerId);
  }
  console.log(`feed: ${viewers.length} warm users of ${size.users}; ${size.posts} posts; ${size.reactions} reactions`);
  console.log(row("chronological first pages = baseline's", { users: viewers.length, equal: same }));
  await measure('chronological: straightforward SQL (baseline)', baselineChronological);
  await measure('chronological page 1: feed.home', async (viewerId) => {
    const page = await feed.home(viewerId, 'chronological', undefined);
    if (page.nextCursor !== null) cursors.set(viewerId, page.nextCursor);
  });
  await measure('chronological page 2: feed.home', (viewerId) => feed.home(viewerId, 'chronological', cursors.get(viewerId)));
  await measure('ranked: straightforward SQL (baseline)', baselineRanked);
  const rankedCursors = new Map<string, string>();
  await measure('ranked page 1 (ranks, caches): feed.home', async (viewerId) => {
    const page = await feed.home(viewerId, 'ranked', undefined);
    if (page.nextCursor !== null) rankedCursors.set(viewerId, page.nextCursor);
  });
  await measure('ranked page 2 (from cache): feed.home', (viewerId) => feed.home(viewerId, 'ranked', rankedCursors.get(viewerId)));
} finally {
  await node.stop();
}
