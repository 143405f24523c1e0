// The collaborative vectors against a real database and a real worker thread: two tribes of
// viewers who finish their own tribe's reels and skip the other's; a round writes a vector to
// every reel watched, the tribes' reels come out apart, and the For You feed of someone who
// watched only tribe A's reels then finds tribe A's unseen reel closer to their taste than tribe
// B's, though every caption says the same.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { mediaRow } from '../../test/harness/media-rows.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { ReelVectors } from './collaborative.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('reel-vectors');
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const db = () => env.node.platform.database.db;

async function reel(author: Member) {
  const id = await mediaRow(db(), author.id, 'reel', { durationMs: 20_000 });
  return (await author.call('reels.create', { mediaId: id, audience: 'public', caption: 'mira esto' })).post.id;
}

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

test('reel vectors: a round in a worker learns vectors from watching that set the tribes apart, and the For You taste follows them', async () => {
  // A creator per reel: the feed's diversity rule leaves every unseen reel a place on the page.
  const creators = await Promise.all(Array.from({ length: 16 }, () => pool.member()));
  const made = await Promise.all(creators.map((creator) => reel(creator)));
  const tribeA = made.slice(0, 8);
  const tribeB = made.slice(8);
  const viewers = await Promise.all(Array.from({ length: 16 }, () => pool.member()));
  // Viewers 0–7 finish most of tribe A's reels and skip some of B's; 8–15 the other way round.
  // Reels A7 and B7 are left to the measured viewer 0, who never sees them.
  for (const [v, viewer] of viewers.entries()) {
    const [own, other] = v < 8 ? [tribeA, tribeB] : [tribeB, tribeA];
    const items = [
      ...own
        .filter((_, n) => (n + v) % 4 !== 0 && !(v === 0 && n === 7))
        .map((reelId) => ({ reelId, watchedMs: 20_000, completed: true, skipped: false, source: 'for_you' as const })),
      ...other
        .filter((_, n) => (n + v) % 3 === 0 && !(v === 0 && n === 7))
        .map((reelId) => ({ reelId, watchedMs: 500, completed: false, skipped: true, source: 'for_you' as const })),
    ];
    await viewer.call('reels.watch', { items });
  }
  const job = new ReelVectors({ db: db(), log: env.node.platform.log, node: 'test', everyMs: 3_600_000 });
  const written = await job.round();
  expect(written).toBe(16);
  const vectors = new Map(
    rowsOf<{ post_id: string; collab_vector: number[] | null }>(
      await db().execute(sql`select reel_id as post_id, collab as collab_vector from reel_vectors`),
    ).map((row) => [row.post_id, row.collab_vector as number[]]),
  );
  for (const vector of vectors.values()) expect(Math.hypot(...vector)).toBeCloseTo(1, 4);
  const mean = (pairs: [string, string][]) =>
    pairs.reduce((sum, [a, b]) => sum + cosine(vectors.get(a) as number[], vectors.get(b) as number[]), 0) / pairs.length;
  const within = mean(tribeA.flatMap((a, i) => tribeA.slice(i + 1).map((b) => [a, b] as [string, string])));
  const across = mean(tribeA.flatMap((a) => tribeB.map((b) => [a, b] as [string, string])));
  expect(within - across).toBeGreaterThan(0.1);

  // Viewer 0's feed: the unseen reels of each tribe, same caption, same age; the taste decides.
  // As if many more people had watched the two (500 views each), the collaborative half weighs most.
  await db().execute(sql`update reels set view_count = 500 where post_id in (${tribeA[7]}, ${tribeB[7]})`);
  const page = await viewers[0]?.call('reels.forYou', {});
  const why = new Map(page?.items.map((item) => [item.reel.post.id, item.why]));
  expect(why.get(tribeA[7] as string)?.embedding).toBeGreaterThan((why.get(tribeB[7] as string)?.embedding ?? 1) + 0.05);
});

test('reel vectors: a round with nothing watched writes nothing and drops the vectors of before', async () => {
  await db().execute(sql`delete from reel_viewers`);
  await db().execute(sql`delete from reel_interactions`);
  const job = new ReelVectors({ db: db(), log: env.node.platform.log, node: 'test', everyMs: 3_600_000 });
  expect(await job.round()).toBe(0);
  // Nobody acted on any reel in the 30 days read: no behaviour to go by.
  expect(rowsOf(await db().execute(sql`select 1 from reel_vectors`))).toEqual([]);
});
