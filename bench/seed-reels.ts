// Seeds reels for the For You benchmark inside PostgreSQL (generate_series; nothing crosses the
// wire row by row but 600 caption templates), over the users of bench/seed-social.ts: 100,000
// reels over the last 30 days (so about 6,700 in the last 48 hours, the first search's window), in
// four languages like the users, by a fifth of the users, 90% public, captions and hashtags from
// 600 templates over 30 hashtags (their lexical vectors computed here, as the server does), and
// 5,000,000 interactions: 4,000,000 viewer rows (a third finished, a tenth skipped, 1% not
// interested) and 1,000,000 likes, comments, saves and shares, counters set from them. Each
// measured viewer has watched 200 reels and liked 40 of them in the last week. A marker table
// records a finished seed, so later runs reuse it.
import { sql } from 'drizzle-orm';
import type { Database } from '../server/platform/db/index.ts';
import { rowsOf } from '../server/platform/db/rows.ts';
import { lexicalEmbedder } from '../server/reels/embedder.ts';
import { lexicalEmbedding } from '../server/reels/vectors.ts';

export interface ReelsSize {
  reels: number;
  interactions: number;
  viewers: number;
}

const TAGS = Array.from(
  { length: 30 },
  (_, i) => `${['perros', 'gatos', 'loros', 'conejos', 'caballos', 'peces'][i % 6]}${i < 6 ? '' : i}`,
);
const WORDS = [
  'mira',
  'mi',
  'perro',
  'gato',
  'playa',
  'truco',
  'siesta',
  'parque',
  'juego',
  'nieve',
  'baño',
  'comida',
  'feliz',
  'corre',
  'salta',
];

const step = async (label: string, run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  console.log(`seed: ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
};

/** Seeds unless a seed of this size is there; returns the measured viewers' ids. */
export async function seedReels(db: Database, size: ReelsSize): Promise<string[]> {
  await db.execute(sql`create table if not exists bench_reels_seed (reels int, interactions int, viewers int, seeded_at timestamptz)`);
  const [done] = rowsOf(
    await db.execute(
      sql`select 1 from bench_reels_seed where reels = ${size.reels} and interactions = ${size.interactions} and viewers = ${size.viewers}`,
    ),
  );
  if (done !== undefined) console.log(`seed: reusing ${size.reels} reels, ${size.interactions} interactions`);
  else await seed(db, size);
  return rowsOf<{ id: string }>(await db.execute(sql`select id from bench_reel_viewers order by k`)).map((row) => row.id);
}

async function seed(db: Database, size: ReelsSize): Promise<void> {
  await db.execute(sql`delete from bench_reels_seed`);
  await db.execute(sql`drop table if exists bench_reel_users, bench_reel_list, bench_reel_viewers, bench_reel_captions`);
  await db.execute(sql`truncate reels, reel_viewers, reel_interactions, reel_creators cascade`);
  await db.execute(sql`delete from posts where id in (select id from media where kind = 'reel')`);
  await db.execute(sql`delete from media where kind = 'reel'`);
  await db.execute(
    sql`create or replace function bench_hash(text) returns int language sql immutable as 'select hashtext($1) & 2147483647'`,
  );
  await db.execute(
    sql`create unlogged table bench_reel_users as select row_number() over (order by id) as i, id, language from users where username like 'bench\\_%'`,
  );
  await db.execute(sql`create index on bench_reel_users (i)`);
  const [{ n } = { n: 0 }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from bench_reel_users`));
  // Caption templates with their vectors, as reels.create computes them.
  const captions = Array.from({ length: 600 }, (_, t) => {
    const tags = [TAGS[t % 30] as string, TAGS[(t * 7) % 30] as string].filter((tag, i, all) => all.indexOf(tag) === i);
    const words = Array.from({ length: 5 }, (_, w) => WORDS[(t * 3 + w * 5) % WORDS.length]);
    const text = `${words.join(' ')} ${tags.map((tag) => `#${tag}`).join(' ')}`;
    return { t, text, tags, vector: lexicalEmbedding(text, tags) };
  });
  await db.execute(sql`create unlogged table bench_reel_captions (t int primary key, text text, tags text[], vector real[])`);
  for (let start = 0; start < captions.length; start += 100)
    await db.execute(sql`
      insert into bench_reel_captions select t, text, tags::text[], vector::real[] from unnest(
        ${sql.param(captions.slice(start, start + 100).map((c) => c.t))}::int[],
        ${sql.param(captions.slice(start, start + 100).map((c) => c.text))}::text[],
        ${sql.param(captions.slice(start, start + 100).map((c) => `{${c.tags.join(',')}}`))}::text[],
        ${sql.param(captions.slice(start, start + 100).map((c) => `{${(c.vector ?? []).join(',')}}`))}::text[]) as x(t, text, tags, vector)`);
  const now = Math.floor(Date.now() / 1000);
  await step(`${size.reels} reels`, async () => {
    await db.execute(sql`
      create unlogged table bench_reel_list as
      select j, bench_uuid7(to_timestamp(${now}::float8 - 30 * 86400 + (j::float8 / ${size.reels}) * 30 * 86400 - 60), j + 7000000) as id,
        to_timestamp(${now}::float8 - 30 * 86400 + (j::float8 / ${size.reels}) * 30 * 86400 - 60) as at,
        u.id as author_id, u.language, j % 600 as t, case when j % 10 = 0 then 'friends' else 'public' end as audience
      from generate_series(1, ${size.reels}) j
      join bench_reel_users u on u.i = 1 + (bench_hash('author:' || (j % ${Math.max(1, Math.floor(n / 5))})) % ${n})`);
    await db.execute(sql`create index on bench_reel_list (j)`);
    await db.execute(sql`
      insert into media (id, owner_id, kind, status, size, received, duration_ms, created_at, updated_at)
      select id, author_id, 'reel', 'ready', 1000, 1000, 20000, at, at from bench_reel_list`);
    await db.execute(sql`
      insert into posts (id, author_id, text, visibility, media_ids, locale, hashtags, created_at)
      select l.id, l.author_id, c.text, l.audience, array[l.id], l.language, c.tags, l.at
      from bench_reel_list l join bench_reel_captions c on c.t = l.t`);
    await db.execute(sql`
      insert into reels (post_id, author_id, media_id, duration_ms, language, caption_vector, caption_model, created_at)
      select l.id, l.author_id, l.id, 20000, l.language, c.vector, ${lexicalEmbedder.name}, l.at
      from bench_reel_list l join bench_reel_captions c on c.t = l.t`);
  });
  await db.execute(sql`
    create unlogged table bench_reel_viewers as
    select k, u.id from generate_series(1, ${size.viewers}) k join bench_reel_users u on u.i = k * ${Math.floor(n / (size.viewers + 1))}`);
  const views = Math.round(size.interactions * 0.8);
  const acts = size.interactions - views;
  await step(`${views} viewer rows`, async () => {
    await db.execute(sql`
      insert into reel_viewers (reel_id, user_id, watched_ms, viewed, completed, skipped, not_interested, source, first_at, last_at)
      select l.id, u.id, case when k % 10 = 0 then 800 else 2000 + k % 18000 end, k % 10 <> 0, k % 3 = 0, k % 10 = 0, k % 100 = 1,
        'for_you', l.at + interval '1 hour', l.at + interval '1 hour'
      from generate_series(1, ${views}) k
      join bench_reel_list l on l.j = 1 + bench_hash('reel:' || k) % ${size.reels}
      join bench_reel_users u on u.i = 1 + bench_hash('viewer:' || k) % ${n}
      where u.id <> l.author_id
      on conflict do nothing`);
    // Each measured viewer: 200 reels of the last week watched.
    await db.execute(sql`
      insert into reel_viewers (reel_id, user_id, watched_ms, viewed, completed, skipped, source, first_at, last_at)
      select l.id, v.id, 20000, true, d % 2 = 0, false, 'for_you', now() - interval '1 day', now() - interval '1 day'
      from bench_reel_viewers v cross join generate_series(1, 200) d
      join bench_reel_list l on l.j = ${size.reels} - 1 - bench_hash('mine:' || v.k || ':' || d) % ${Math.floor(size.reels / 4)}
      where l.author_id <> v.id
      on conflict do nothing`);
  });
  await step(`${acts} likes, comments, saves and shares`, async () => {
    await db.execute(sql`
      insert into reel_interactions (id, reel_id, user_id, kind, created_at)
      select bench_uuid7(v.last_at, k + 9000000), v.reel_id, v.user_id, (array['like', 'like', 'like', 'comment', 'save', 'share'])[1 + k % 6], v.last_at
      from (select row_number() over () as k, reel_id, user_id, last_at from reel_viewers tablesample system (40) where viewed limit ${acts}) v`);
    await db.execute(sql`
      update posts p set like_count = x.likes, comment_count = x.comments, share_count = x.shares
      from (select reel_id, count(*) filter (where kind = 'like') as likes, count(*) filter (where kind = 'comment') as comments,
        count(*) filter (where kind = 'share') as shares from reel_interactions group by reel_id) x where p.id = x.reel_id`);
    await db.execute(sql`
      update reels r set view_count = x.viewed, completions = x.completed, watch_ms = x.watched
      from (select reel_id, count(*) filter (where viewed) as viewed, count(*) filter (where completed) as completed, sum(watched_ms) as watched
        from reel_viewers group by reel_id) x where r.post_id = x.reel_id`);
    await db.execute(sql`insert into reel_creators (author_id, views) select author_id, sum(view_count) from reels group by author_id`);
  });
  await step('vacuum analyze', async () => {
    for (const table of ['reels', 'posts', 'reel_viewers', 'reel_interactions', 'reel_creators', 'media'])
      await db.execute(sql.raw(`vacuum analyze ${table}`));
  });
  await db.execute(sql`insert into bench_reels_seed values (${size.reels}, ${size.interactions}, ${size.viewers}, now())`);
}
