// The For You feed judged offline (issue 20): a simulation in which 2,000 users have hidden tastes
// over 20 topics, and 20,000 reels of the last 48 hours have a topic, a caption and hashtags drawn
// from it, and a hidden quality. Each user first meets 30 random reels and acts as their taste
// says (watches, finishes, likes, skips, turns down a few), through the server's own calls
// (reels.watch's recordWatch, posts.react, reels.notInterested), and one round of the
// collaborative job learns reel vectors from that (BENCH_ALS_LAMBDA tries another ridge). Then,
// for every user, the first page of the real For You feed (server/reels/foryou.ts) is compared
// with two rankings in the same run: popularity (the plain "most liked in 48 h" SQL query, without what the user has seen) and
// random. Measures: NDCG@10 (gain: the hidden relevance, taste × quality; ideal: the 10 best
// reels the user has not seen), hit rate@10 (a reel of relevance ≥ 0.5 in the page), the share of
// impressions going to creators with little reach, and creators twice in a row. Targets: NDCG@10
// at least 1.5× popularity's, new creators at least 8 % of impressions, no creator twice in a row.
// Deterministic for a seed (BENCH_SEED); sizes from BENCH_EVAL_USERS, BENCH_EVAL_REELS.
// BENCH_EVAL_GENERIC (0 to 1) makes that share of reels' captions say nothing of their topic, and
// BENCH_EVAL_COLLAB=0 skips the collaborative round: together they show what behaviour adds.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import postgres from 'postgres';
import { media } from '../server/media/schema.ts';
import { uuids } from '../server/platform/db/any-of.ts';
import { rowsOf } from '../server/platform/db/rows.ts';
import { posts } from '../server/posts/schema.ts';
import { ALS_DEFAULTS, seeded } from '../server/reels/als.ts';
import { ReelVectors } from '../server/reels/collaborative.ts';
import { lexicalEmbedder } from '../server/reels/embedder.ts';
import { COLD_START_REACH } from '../server/reels/ranking.ts';
import { reels } from '../server/reels/schema.ts';
import { lexicalEmbedding } from '../server/reels/vectors.ts';
import { recordWatch } from '../server/reels/watch.ts';
import { services } from '../test/harness/services.ts';
import { startSeededNode } from './seed-social.ts';
import { row } from './stats.ts';

const USERS = Number(process.env.BENCH_EVAL_USERS ?? 2000);
const REELS = Number(process.env.BENCH_EVAL_REELS ?? 20_000);
const CREATORS = Math.max(10, Math.round(REELS / 40));
const TOPICS = 20;
const WARMUP = 30;
const K = 10;
const HIT = 0.5;
const TARGET_NDCG_RATIO = 1.5;
const TARGET_NEW_CREATORS = 0.08;
/** Share of reels whose caption says nothing of their topic (0 by default): where only behaviour can tell. */
const GENERIC = Number(process.env.BENCH_EVAL_GENERIC ?? 0);
/** BENCH_EVAL_COLLAB=0 skips the collaborative round, to see what it adds. */
const COLLAB = process.env.BENCH_EVAL_COLLAB !== '0';

// A seeded generator: the same seed gives the same world.
const random = seeded(Number(process.env.BENCH_SEED ?? 20_261_207));
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

// Each topic has its hashtags and words; captions mix them with words every topic uses.
const STEMS = ['perro', 'gato', 'loro', 'conejo', 'hamster', 'tortuga', 'caballo', 'pez', 'huron', 'cobaya'];
const ACTS = ['playa', 'truco', 'baño', 'siesta', 'parque', 'comida', 'juego', 'nieve', 'fiesta', 'veterinario'];
const topicOf = (t: number) => ({
  tags: [`${STEMS[t % 10]}${ACTS[Math.floor(t / 10) * 5]}`, `${STEMS[t % 10]}s`, `${ACTS[(t * 3) % 10]}${t}`],
  words: [STEMS[t % 10] as string, ACTS[(t * 7) % 10] as string, ACTS[(t * 3) % 10] as string, `${STEMS[t % 10]}ito`, `tema${t}`],
});
const topics = Array.from({ length: TOPICS }, (_, t) => topicOf(t));
const COMMON = ['mira', 'hoy', 'mi', 'mejor', 'amigo', 'día', 'increíble', 'video', 'nuevo', 'así'];

/** A user's hidden taste: affinity 0..1 per topic, high for two or three favourites. */
function taste(): number[] {
  const affinity = Array.from({ length: TOPICS }, () => random() * 0.15);
  const favourites = 2 + Math.floor(random() * 2);
  for (let i = 0; i < favourites; i++) affinity[Math.floor(random() * TOPICS)] = 0.6 + random() * 0.4;
  return affinity;
}

interface SimReel {
  id: string;
  creator: string;
  topic: number;
  quality: number;
}

const ndcg = (gains: number[], ideal: number[]) => {
  const dcg = (values: number[]) => values.slice(0, K).reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  const best = dcg([...ideal].sort((a, b) => b - a));
  return best === 0 ? 0 : dcg(gains) / best;
};

const label = 'reelseval';
const databaseName = `petamigos_bench_${label}_${USERS}_0_0`;
// A new world each run: the database is made again.
{
  const admin = postgres(services.postgresAdminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
  await admin.end();
}
const started = performance.now();
const node = await startSeededNode({ users: USERS, posts: 0, reactions: 0 }, 'bench-reels-eval', undefined, label);
const db = node.platform.database.db;
let failed = false;
try {
  const userIds = rowsOf<{ id: string }>(await db.execute(sql`select id from users order by id limit ${USERS}`)).map((row) => row.id);
  await db.execute(sql`update users set language = 'es'`);
  await db.execute(sql`update profiles set locale = 'es'`);
  const creatorIds = userIds.slice(0, CREATORS);
  // Creators specialise: most of a creator's reels are of their own topic. Reels per creator follow a power law.
  const creatorTopic = new Map(creatorIds.map((id) => [id, Math.floor(random() * TOPICS)]));
  const weights = creatorIds.map((_, i) => 1 / (i + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  const creatorFor = () => {
    let x = random() * total;
    for (let i = 0; i < creatorIds.length; i++) {
      x -= weights[i] as number;
      if (x <= 0) return creatorIds[i] as string;
    }
    return creatorIds.at(-1) as string;
  };
  const world: SimReel[] = [];
  const now = Date.now();
  for (let start = 0; start < REELS; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, REELS - start) }, (_, i) => {
      const creator = creatorFor();
      const topic = random() < 0.8 ? (creatorTopic.get(creator) as number) : Math.floor(random() * TOPICS);
      const at = new Date(now - random() * 47 * 3_600_000);
      const id = Bun.randomUUIDv7(undefined, at.getTime());
      const vocabulary = topics[topic] as ReturnType<typeof topicOf>;
      // A share of reels (BENCH_EVAL_GENERIC) say nothing of their topic: common words, no hashtag.
      const generic = random() < GENERIC;
      const words = Array.from({ length: 4 + Math.floor(random() * 4) }, () =>
        !generic && random() < 0.6 ? pick(vocabulary.words) : pick(COMMON),
      );
      const hashtags = generic ? [] : [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(vocabulary.tags)))];
      const text = `${words.join(' ')} ${hashtags.map((tag) => `#${tag}`).join(' ')}`;
      world.push({ id, creator, topic, quality: 0.3 + random() * 0.7 });
      void start;
      void i;
      return { id, creator, at, text, hashtags };
    });
    await db.insert(media).values(
      batch.map((reel) => ({
        id: reel.id,
        ownerId: reel.creator,
        kind: 'reel' as const,
        status: 'ready' as const,
        size: 1000,
        received: 1000,
        durationMs: 20_000,
        createdAt: reel.at,
        updatedAt: reel.at,
      })),
    );
    await db.insert(posts).values(
      batch.map((reel) => ({
        id: reel.id,
        authorId: reel.creator,
        text: reel.text,
        visibility: 'public' as const,
        mediaIds: [reel.id],
        locale: 'es',
        hashtags: reel.hashtags,
        createdAt: reel.at,
      })),
    );
    await db.insert(reels).values(
      batch.map((reel) => ({
        postId: reel.id,
        authorId: reel.creator,
        mediaId: reel.id,
        durationMs: 20_000,
        language: 'es',
        captionVector: lexicalEmbedding(reel.text, reel.hashtags),
        captionModel: lexicalEmbedder.name,
        createdAt: reel.at,
      })),
    );
  }
  await db.execute(sql`analyze`);
  console.log(
    `world: ${USERS} users, ${REELS} reels by ${CREATORS} creators over ${TOPICS} topics, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const tastes = new Map(userIds.map((id) => [id, taste()]));
  const relevance = (userId: string, reel: SimReel) => ((tastes.get(userId) as number[])[reel.topic] as number) * reel.quality;
  const byId = new Map(world.map((reel) => [reel.id, reel]));
  const seen = new Map<string, Set<string>>();

  // Warm-up: each user meets 30 random reels and acts on them, through the server's own calls.
  const warmStarted = performance.now();
  let interactions = 0;
  const warm = async (userId: string) => {
    const shown = new Set<string>();
    while (shown.size < WARMUP) {
      const reel = pick(world);
      if (reel.creator !== userId) shown.add(reel.id);
    }
    seen.set(userId, shown);
    const items = [...shown].map((id) => {
      const rel = relevance(userId, byId.get(id) as SimReel);
      const watchedMs = Math.round(20_000 * Math.min(1, rel + random() * 0.3));
      const completed = random() < rel;
      const skipped = !completed && random() > rel + 0.3;
      return { reelId: id, watchedMs: skipped ? Math.round(random() * 1500) : watchedMs, completed, skipped, source: 'for_you' as const };
    });
    await recordWatch(node.social.deps, userId, items);
    interactions += items.length;
    for (const id of shown) {
      const rel = relevance(userId, byId.get(id) as SimReel);
      if (random() < rel * 0.7) {
        await node.social.reactions.react(userId, { kind: 'post', id }, 'like');
        interactions++;
      } else if (rel < 0.05 && random() < 0.1) {
        await node.social.reels.notInterested(userId, { reelId: id });
        interactions++;
      }
    }
  };
  for (let i = 0; i < userIds.length; i += 8) await Promise.all(userIds.slice(i, i + 8).map(warm));
  console.log(`warm-up: ${interactions} interactions in ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`);
  // The collaborative vectors learned from the warm-up, as the periodic job would have by now.
  const lambda = Number(process.env.BENCH_ALS_LAMBDA ?? ALS_DEFAULTS.lambda);
  const vectorsStarted = performance.now();
  const learned = !COLLAB
    ? 0
    : await new ReelVectors({
        db,
        log: pino({ level: 'warn' }),
        node: 'eval',
        everyMs: 3_600_000,
        options: { ...ALS_DEFAULTS, lambda },
      }).round();
  console.log(
    `collaborative vectors: ${learned} reels (lambda ${lambda}) in ${((performance.now() - vectorsStarted) / 1000).toFixed(1)} s`,
  );

  const reach = new Map(
    rowsOf<{ author_id: string; reach: number }>(await db.execute(sql`select author_id, views as reach from reel_creators`)).map((row) => [
      row.author_id,
      row.reach,
    ]),
  );
  const scores = { forYou: [] as number[], popularity: [] as number[], random: [] as number[] };
  const hits = { forYou: 0, popularity: 0, random: 0 };
  let impressions = 0;
  let newCreatorImpressions = 0;
  let twiceInARow = 0;
  let forYouMs = 0;
  for (const userId of userIds) {
    const unseen = world.filter((reel) => !(seen.get(userId) as Set<string>).has(reel.id) && reel.creator !== userId);
    const ideal = unseen.map((reel) => relevance(userId, reel));
    const judge = (name: keyof typeof scores, ids: string[]) => {
      const gains = ids.map((id) => relevance(userId, byId.get(id) as SimReel));
      scores[name].push(ndcg(gains, ideal));
      if (gains.some((gain) => gain >= HIT)) hits[name]++;
    };
    const t0 = performance.now();
    const page = await node.social.forYou.page(userId, undefined);
    forYouMs += performance.now() - t0;
    const served = page.items.map((item) => item.reel.post.id);
    judge('forYou', served);
    for (const item of page.items) {
      impressions++;
      if ((reach.get(item.reel.post.author.id) ?? 0) < COLD_START_REACH) newCreatorImpressions++;
    }
    for (let i = 1; i < page.items.length; i++)
      if (page.items[i]?.reel.post.author.id === page.items[i - 1]?.reel.post.author.id) twiceInARow++;
    const popular = rowsOf<{ id: string }>(
      await db.execute(sql`
        select p.id from reels r join posts p on p.id = r.post_id
        where r.deleted_at is null and r.created_at > now() - interval '48 hours' and r.author_id <> ${userId}
          and not (p.id = any(${uuids([...(seen.get(userId) as Set<string>)])}))
        order by (p.like_count + p.love_count + p.haha_count + p.wow_count + p.sad_count + p.angry_count) desc, p.id desc
        limit ${K}`),
    ).map((row) => row.id);
    judge('popularity', popular);
    const randomPage = new Set<string>();
    while (randomPage.size < K) randomPage.add(pick(unseen).id);
    judge('random', [...randomPage]);
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const ratio = mean(scores.forYou) / mean(scores.popularity);
  const newShare = newCreatorImpressions / impressions;
  const line = (name: string, key: keyof typeof scores, extra: Record<string, number | string> = {}) =>
    console.log(row(`reels eval: ${name}`, { 'NDCG@10': mean(scores[key]), 'hit rate@10': hits[key] / userIds.length, ...extra }));
  line('random', 'random');
  line('popularity (baseline)', 'popularity');
  line('for you', 'forYou', {
    'x popularity': ratio,
    [`target ≥ ${TARGET_NDCG_RATIO}x`]: ratio >= TARGET_NDCG_RATIO ? 'met' : 'missed',
  });
  console.log(
    row('reels eval: for you impressions', {
      impressions,
      'new creators %': newShare * 100,
      [`target ≥ ${TARGET_NEW_CREATORS * 100} %`]: newShare >= TARGET_NEW_CREATORS ? 'met' : 'missed',
      'creator twice in a row': twiceInARow,
      'page mean ms': forYouMs / userIds.length,
    }),
  );
  failed = ratio < TARGET_NDCG_RATIO || newShare < TARGET_NEW_CREATORS || twiceInARow > 0;
  if (failed) console.log('TARGET MISSED');
} finally {
  await node.stop();
}
process.exit(failed ? 1 : 0);
