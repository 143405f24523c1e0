// The stories tray (server/stories/tray.ts) for viewers with 500 friends of whom 200 post stories
// now, among 100,000 users and 1,000,000 stories (bench/seed-stories.ts over bench/seed-social.ts's
// graph): latency (p50, p95, p99) and trays per second, one tray at a time, next to a
// straightforward SQL query making the same selection in the same run. The baseline is the rule
// written out flat: the viewer, their friends and followees; those people's active stories (not
// deleted, not expired) that the audience lets the viewer see, with no block either way, not
// hidden from the viewer and not muted by them; one row per author. It orders and cuts them as
// the tray does (the viewer, then unseen, close friends, most watched, newest; at most TRAY_MAX),
// since with 200 authors the cut decides who is in. Both are run on every viewer first and must
// return the same authors in the same order with the same counts: any difference is printed,
// counted as an error, and fails the run. The rounds alternate which of the two goes first.
// The seeded database is kept (BENCH_DATABASE_URL, or one of its own) and its stories reused for
// an hour (they expire).
import { sql } from 'drizzle-orm';
import { rowsOf } from '../server/platform/db/rows.ts';
import { TRAY_MAX, trayOf } from '../server/stories/tray.ts';
import { startSeededNode } from './seed-social.ts';
import { FRIENDS, FRIENDS_POSTING, seedStories } from './seed-stories.ts';
import { percentile, row } from './stats.ts';

const size = { users: Number(process.env.BENCH_USERS ?? 100_000), posts: 0, reactions: 0 };
const storiesSize = {
  stories: Number(process.env.BENCH_STORIES ?? 1_000_000),
  views: Number(process.env.BENCH_STORY_VIEWS ?? 3_000_000),
  viewers: Number(process.env.BENCH_STORY_VIEWERS ?? 100),
};
const ROUNDS = Number(process.env.BENCH_STORY_ROUNDS ?? 5);
const TARGET_P95_MS = 20;

const seedStarted = performance.now();
const node = await startSeededNode(size, 'bench-stories', process.env.BENCH_DATABASE_URL, 'stories');
const db = node.platform.database.db;
let failed = false;
try {
  const viewers = await seedStories(db, storiesSize);
  console.log(`seed: ready in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  interface BaselineRow {
    author_id: string;
    stories: number;
    unseen: number;
  }
  const baseline = async (viewerId: string, limit: number) =>
    rowsOf<BaselineRow>(
      await db.execute(sql`
        select s.author_id, count(*)::int as stories,
          count(*) filter (where s.author_id <> ${viewerId} and v.story_id is null)::int as unseen
        from stories s
        left join story_views v on v.story_id = s.id and v.viewer_id = ${viewerId}
        left join friendships c on c.user_id = ${viewerId} and c.friend_id = s.author_id
        left join (select s2.author_id, count(*) as n from story_views v2 join stories s2 on s2.id = v2.story_id
            where v2.viewer_id = ${viewerId} and v2.viewed_at > now() - interval '30 days' group by s2.author_id) a on a.author_id = s.author_id
        where s.author_id in (select ${viewerId}::uuid union select friend_id from friendships where user_id = ${viewerId}
            union select followee_id from follows where follower_id = ${viewerId})
          and s.deleted_at is null and s.expires_at > now()
          and (s.author_id = ${viewerId} or (
            (s.audience = 'public'
              or (s.audience = 'friends' and exists (select 1 from friendships f where f.user_id = s.author_id and f.friend_id = ${viewerId}))
              or (s.audience = 'close_friends' and exists (select 1 from friendships f where f.user_id = s.author_id and f.friend_id = ${viewerId} and f.close_friend)))
            and not exists (select 1 from blocks b where (b.blocker_id = ${viewerId} and b.blocked_id = s.author_id) or (b.blocker_id = s.author_id and b.blocked_id = ${viewerId}))
            and not exists (select 1 from story_hidden h where h.owner_id = s.author_id and h.hidden_id = ${viewerId})))
          and not exists (select 1 from story_mutes m where m.user_id = ${viewerId} and m.muted_id = s.author_id)
        group by s.author_id, c.close_friend, a.n
        order by s.author_id = ${viewerId} desc,
          count(*) filter (where s.author_id <> ${viewerId} and v.story_id is null) > 0 desc,
          coalesce(c.close_friend, false) desc, coalesce(a.n, 0) desc, max(s.created_at) desc
        limit ${limit}`),
    );

  // The data each viewer's tray is made from, as seeded (not timed).
  const shape = rowsOf<{ friends: number; posting: number; selected: number }>(
    await db.execute(sql`
      select
        (select count(*)::int from friendships f where f.user_id = v.id) as friends,
        (select count(distinct s.author_id)::int from friendships f join stories s on s.author_id = f.friend_id
          where f.user_id = v.id and s.deleted_at is null and s.expires_at > now()) as posting
      from unnest(${`{${viewers.join(',')}}`}::uuid[]) as v(id)`),
  );
  const selected: number[] = [];
  for (const viewerId of viewers) selected.push((await baseline(viewerId, 1_000_000)).length);
  const span = (values: number[]) => `${Math.min(...values)}–${Math.max(...values)}`;
  console.log(
    `stories: ${viewers.length} viewers of ${size.users} users; ${storiesSize.stories} stories; ${storiesSize.views} views at random` +
      `\n  friends per viewer ${span(shape.map((s) => s.friends))} (seeded ${FRIENDS}),` +
      ` with active stories ${span(shape.map((s) => s.posting))} (seeded ${FRIENDS_POSTING}),` +
      ` authors the viewer may see ${span(selected)}, the tray shows at most ${TRAY_MAX}`,
  );

  // Same authors, order and counts for every viewer (also warms both).
  let equal = 0;
  const mismatches: string[] = [];
  for (const viewerId of viewers) {
    const ours = (await trayOf(db, viewerId)).map((item) => `${item.author.id} ${item.stories} ${item.unseen}`);
    const theirs = (await baseline(viewerId, TRAY_MAX)).map((r) => `${r.author_id} ${r.stories} ${r.unseen}`);
    if (JSON.stringify(ours) === JSON.stringify(theirs)) {
      equal++;
      continue;
    }
    const at = ours.findIndex((item, i) => item !== theirs[i]);
    const oursOnly = ours.filter((item) => !theirs.includes(item));
    const theirsOnly = theirs.filter((item) => !ours.includes(item));
    mismatches.push(
      `viewer ${viewerId}: ${ours.length} items, baseline ${theirs.length}; first difference at ${at === -1 ? ours.length : at}` +
        ` (ours ${ours[at] ?? '-'}, baseline ${theirs[at] ?? '-'}); only ours: ${oursOnly.join(', ') || '-'}; only baseline: ${theirsOnly.join(', ') || '-'}`,
    );
  }
  console.log(row("trays = straightforward SQL's", { viewers: viewers.length, equal, errors: mismatches.length }));
  for (const line of mismatches) console.error(`  mismatch: ${line}`);
  failed = mismatches.length > 0;

  const samples = { ours: [] as number[], baseline: [] as number[] };
  const spent = { ours: 0, baseline: 0 };
  const pass = async (side: 'ours' | 'baseline') => {
    const started = performance.now();
    for (const viewerId of viewers) {
      const t0 = performance.now();
      if (side === 'ours') await trayOf(db, viewerId);
      else await baseline(viewerId, TRAY_MAX);
      samples[side].push(performance.now() - t0);
    }
    spent[side] += performance.now() - started;
  };
  for (let round = 0; round < ROUNDS; round++) {
    const order: ('ours' | 'baseline')[] = round % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
    for (const side of order) await pass(side);
  }
  const summary = (side: 'ours' | 'baseline') => {
    const sorted = [...samples[side]].sort((a, b) => a - b);
    return {
      'trays/s': sorted.length / (spent[side] / 1000),
      'p50 ms': percentile(sorted, 50),
      'p95 ms': percentile(sorted, 95),
      'p99 ms': percentile(sorted, 99),
    };
  };
  const theirs = summary('baseline');
  const ours = summary('ours');
  console.log(`${ROUNDS} rounds over ${viewers.length} viewers: ${samples.ours.length} trays each`);
  console.log(row('tray: straightforward SQL (baseline)', theirs));
  console.log(row('tray: trayOf', { ...ours, [`target p95 < ${TARGET_P95_MS} ms`]: ours['p95 ms'] < TARGET_P95_MS ? 'met' : 'missed' }));
  console.log(
    row('trayOf / straightforward SQL', { 'p50 ratio': ours['p50 ms'] / theirs['p50 ms'], 'p95 ratio': ours['p95 ms'] / theirs['p95 ms'] }),
  );
} finally {
  await node.stop();
}
if (failed) {
  console.error('bench/stories.ts: the tray and the straightforward SQL differ for some viewers (above)');
  process.exit(1);
}
