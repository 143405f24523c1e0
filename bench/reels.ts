// The For You feed's first page (server/reels/foryou.ts) at 100,000 reels and 5,000,000
// interactions (bench/seed-reels.ts over bench/seed-social.ts's 100,000 users), one page at a
// time with a new session each, for viewers with a week of watching behind them: latency (p50,
// p95, p99) next to the plain "most liked in 48 hours" SQL query in the same run (the viewer's
// languages, reels they have not watched, visible to them, 10 rows). Before measuring, one round
// of the collaborative job (server/reels/collaborative.ts) over the seeded interactions is timed,
// so the pages blend caption and collaborative vectors as they do in production. The rounds
// alternate which of the two goes first. Target: p95 < 50 ms.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { rowsOf } from '../server/platform/db/rows.ts';
import { ReelVectors } from '../server/reels/collaborative.ts';
import { FOR_YOU_PAGE } from '../server/reels/foryou.ts';
import { seedReels } from './seed-reels.ts';
import { startSeededNode } from './seed-social.ts';
import { percentile, row } from './stats.ts';

const size = { users: Number(process.env.BENCH_USERS ?? 100_000), posts: 0, reactions: 0 };
const reelsSize = {
  reels: Number(process.env.BENCH_REELS ?? 100_000),
  interactions: Number(process.env.BENCH_REEL_INTERACTIONS ?? 5_000_000),
  viewers: Number(process.env.BENCH_REEL_VIEWERS ?? 100),
};
const ROUNDS = Number(process.env.BENCH_REEL_ROUNDS ?? 3);
const TARGET_P95_MS = 50;

const started = performance.now();
const node = await startSeededNode(size, 'bench-reels', process.env.BENCH_DATABASE_URL, 'reels');
const db = node.platform.database.db;
try {
  const viewers = await seedReels(db, reelsSize);
  console.log(`seed: ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const job = new ReelVectors({ db, log: pino({ level: 'warn' }), node: 'bench', everyMs: 3_600_000 });
  const jobStarted = performance.now();
  const written = await job.round();
  console.log(row('collaborative vectors: one round', { reels: written, seconds: (performance.now() - jobStarted) / 1000 }));

  const shape = rowsOf<{ recent: number; total: number; watched: number }>(
    await db.execute(sql`
      select (select count(*)::int from reels where created_at > now() - interval '48 hours') as recent,
        (select count(*)::int from reels) as total,
        (select count(*)::int from reel_viewers) + (select count(*)::int from reel_interactions) as watched`),
  )[0];
  console.log(
    `reels: ${shape?.total} reels, ${shape?.recent} in the last 48 hours; ${shape?.watched} interactions; ${viewers.length} viewers`,
  );

  const baseline = async (viewerId: string) =>
    rowsOf<{ id: string }>(
      await db.execute(sql`
        select r.post_id as id from reels r join posts p on p.id = r.post_id
        where r.deleted_at is null and p.deleted_at is null and r.created_at > now() - interval '48 hours'
          and r.language = any(array[(select language from users where id = ${viewerId})])
          and r.author_id <> ${viewerId}
          and (p.visibility = 'public' or exists (select 1 from friendships f where f.user_id = r.author_id and f.friend_id = ${viewerId}))
          and not exists (select 1 from blocks b where (b.blocker_id = ${viewerId} and b.blocked_id = r.author_id) or (b.blocker_id = r.author_id and b.blocked_id = ${viewerId}))
          and not exists (select 1 from reel_viewers v where v.reel_id = r.post_id and v.user_id = ${viewerId})
        order by p.like_count + p.love_count + p.haha_count + p.wow_count + p.sad_count + p.angry_count desc, r.post_id desc
        limit ${FOR_YOU_PAGE}`),
    );
  const ours = (viewerId: string) => node.social.forYou.page(viewerId, undefined);
  // Warm both, and check the pages are full.
  let short = 0;
  for (const viewerId of viewers) {
    if ((await ours(viewerId)).items.length < FOR_YOU_PAGE) short++;
    await baseline(viewerId);
  }
  const samples = { ours: [] as number[], baseline: [] as number[] };
  const spent = { ours: 0, baseline: 0 };
  const pass = async (side: 'ours' | 'baseline') => {
    const t = performance.now();
    for (const viewerId of viewers) {
      const t0 = performance.now();
      if (side === 'ours') await ours(viewerId);
      else await baseline(viewerId);
      samples[side].push(performance.now() - t0);
    }
    spent[side] += performance.now() - t;
  };
  for (let round = 0; round < ROUNDS; round++)
    for (const side of round % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const)) await pass(side);
  const summary = (side: 'ours' | 'baseline') => {
    const sorted = [...samples[side]].sort((a, b) => a - b);
    return {
      'pages/s': sorted.length / (spent[side] / 1000),
      'p50 ms': percentile(sorted, 50),
      'p95 ms': percentile(sorted, 95),
      'p99 ms': percentile(sorted, 99),
    };
  };
  const theirs = summary('baseline');
  const mine = summary('ours');
  console.log(`${ROUNDS} rounds over ${viewers.length} viewers; pages shorter than ${FOR_YOU_PAGE}: ${short}`);
  console.log(row('for you: most liked in 48 h, plain SQL (baseline)', theirs));
  console.log(
    row('for you: ForYou.page', { ...mine, [`target p95 < ${TARGET_P95_MS} ms`]: mine['p95 ms'] < TARGET_P95_MS ? 'met' : 'missed' }),
  );
} finally {
  await node.stop();
}
process.exit(0);
