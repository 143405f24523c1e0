// Seeds a database for the feed benchmark inside PostgreSQL (generate_series; nothing crosses the
// wire row by row): 100,000 users with about 40 friends each (a ring of 15 either side plus random
// ones, three in each close-friends circle), 5 follows each, 1,000,000 posts over the last 30 days
// (70% public, 20% friends, 7% close friends, 3% private; hashtags from a small set) and
// 5,000,000 reactions, with the counters set from them. Ids are UUIDv7 built from each row's time,
// as the server makes them. A marker table records a finished seed, so later runs reuse it.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import postgres from 'postgres';
import { type RunningNode, startNode } from '../server/node.ts';
import { loadConfig } from '../server/platform/config.ts';
import type { Database } from '../server/platform/db/index.ts';
import { rowsOf } from '../server/platform/db/rows.ts';
import { services } from '../test/harness/services.ts';

export interface SeedSize {
  users: number;
  posts: number;
  reactions: number;
}

const step = async (label: string, run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  console.log(`seed: ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
};

/**
 * A node on the database seeded with `size` (`databaseUrl`, or one named after `label` and the size
 * that is created when missing and kept for later runs), seeded when it is not yet. A benchmark
 * that adds rows of its own to the graph names its database apart (`label`).
 */
export async function startSeededNode(size: SeedSize, clusterName: string, databaseUrl?: string, label = 'social'): Promise<RunningNode> {
  let url = databaseUrl;
  if (url === undefined) {
    const databaseName = `petamigos_bench_${label}_${size.users}_${size.posts}_${size.reactions}`;
    const admin = postgres(services.postgresAdminUrl, { max: 1, onnotice: () => undefined });
    if ((await admin`select 1 from pg_database where datname = ${databaseName}`).length === 0)
      await admin.unsafe(`create database "${databaseName}"`);
    await admin.end();
    const named = new URL(services.postgresAdminUrl);
    named.pathname = `/${databaseName}`;
    url = named.toString();
  }
  const node = await startNode(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      REDIS_URL: services.redisUrl,
      NATS_URL: services.natsUrl,
      CLUSTER_NAME: clusterName,
      DATABASE_POOL_MAX: '10',
    }),
    pino({ level: 'warn' }),
  );
  try {
    await seedSocial(node.platform.database.db, size);
  } catch (error) {
    await node.stop();
    throw error;
  }
  return node;
}

export async function seedSocial(db: Database, size: SeedSize): Promise<void> {
  await db.execute(sql`create table if not exists bench_seed (users int, posts int, reactions int, done_at timestamptz)`);
  const [done] = rowsOf<{ users: number; posts: number; reactions: number }>(await db.execute(sql`select * from bench_seed limit 1`));
  if (done !== undefined && done.users === size.users && done.posts === size.posts && done.reactions === size.reactions) {
    console.log(`seed: reusing ${size.users} users, ${size.posts} posts, ${size.reactions} reactions`);
    return;
  }
  // Helper tables of an interrupted seed (plain tables: the pool's connections must all see them).
  await db.execute(sql`drop table if exists bench_pairs, bench_posts, bench_users`);
  if (done !== undefined) throw new Error('the bench database holds a seed of another size; drop it (BENCH_DATABASE_URL) and run again');
  await db.execute(sql`
    create or replace function bench_uuid7(at timestamptz, n bigint) returns uuid language sql immutable as $$
      select (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12))::uuid
      from (select lpad(to_hex(floor(extract(epoch from at) * 1000)::bigint), 12, '0') as h, md5(n::text) as r) parts
    $$`);
  const n = size.users;
  const now = Math.floor(Date.now() / 1000);
  await step(`${n} users`, () =>
    db.execute(sql`
      insert into users (id, email, username, language, created_at, updated_at)
      select bench_uuid7(to_timestamp(${now}::float8 - 400 * 86400 + i), i), 'bench' || i || '@example.com', 'bench_' || i,
        (array['es', 'en', 'pt', 'fr'])[1 + i % 4], now(), now()
      from generate_series(1, ${n}) i`),
  );
  await db.execute(
    sql`create unlogged table bench_users as select row_number() over (order by id) as i, id from users where username like 'bench\\_%'`,
  );
  await db.execute(sql`create index on bench_users (i)`);
  await db.execute(sql`analyze bench_users`);
  await step('friendships (~40 per user)', async () => {
    await db.execute(sql`
      create unlogged table bench_pairs as
      select distinct least(a, b) as a, greatest(a, b) as b from (
        select i as a, 1 + (i + d - 1) % ${n} as b from generate_series(1, ${n}) i, generate_series(1, 15) d
        union all
        select i, 1 + (abs(hashtext(i::text || ':' || d)) % ${n}) from generate_series(1, ${n}) i, generate_series(1, 5) d
      ) x where a <> b`);
    await db.execute(sql`
      insert into friendships (user_id, friend_id, close_friend, created_at)
      select ua.id, ub.id, (p.b - p.a) between 1 and 3, now() from bench_pairs p join bench_users ua on ua.i = p.a join bench_users ub on ub.i = p.b
      union all
      select ub.id, ua.id, false, now() from bench_pairs p join bench_users ua on ua.i = p.a join bench_users ub on ub.i = p.b`);
  });
  await step('follows (5 per user)', () =>
    db.execute(sql`
      insert into follows (follower_id, followee_id, created_at)
      select distinct ua.id, ub.id, now()
      from generate_series(1, ${n}) as s(k) cross join generate_series(1, 5) as t(d)
      join bench_users ua on ua.i = s.k
      join bench_users ub on ub.i = 1 + abs(hashtext('f' || s.k || ':' || t.d)) % ${n}
      where ua.id <> ub.id
      on conflict do nothing`),
  );
  await step(`${size.posts} posts`, () =>
    db.execute(sql`
      insert into posts (id, author_id, text, visibility, locale, hashtags, created_at)
      select bench_uuid7(t, j), u.id, 'Bench post ' || j || ' #' || tag, vis, 'es-MX', array[tag], t
      from (
        select j,
          to_timestamp(${now}::float8 - 30 * 86400 + (j::float8 / ${size.posts}) * 30 * 86400) as t,
          1 + abs(hashtext('a' || j)) % ${n} as author,
          (array['perros', 'gatos', 'aves', 'adopcion', 'paseo', 'veterinario'])[1 + j % 6] as tag,
          case when j % 100 < 70 then 'public' when j % 100 < 90 then 'friends' when j % 100 < 97 then 'close_friends' else 'private' end as vis
        from generate_series(1, ${size.posts}) j
      ) g join bench_users u on u.i = g.author`),
  );
  await db.execute(sql`create unlogged table bench_posts as select row_number() over (order by id) as i, id from posts`);
  await db.execute(sql`create index on bench_posts (i)`);
  await step(`${size.reactions} reactions`, () =>
    db.execute(sql`
      insert into reactions (target_kind, target_id, user_id, kind, created_at)
      select 'post', p.id, u.id, (array['like', 'love', 'haha', 'wow', 'sad', 'angry'])[1 + k % 6], now()
      from generate_series(1, ${size.reactions}) k
      join bench_posts p on p.i = 1 + abs(hashtext('p' || k)) % ${size.posts}
      join bench_users u on u.i = 1 + abs(hashtext('u' || k)) % ${n}
      on conflict do nothing`),
  );
  await step('counters from the reaction rows', () =>
    db.execute(sql`
      update posts p set like_count = c.like, love_count = c.love, haha_count = c.haha, wow_count = c.wow, sad_count = c.sad, angry_count = c.angry
      from (
        select target_id,
          count(*) filter (where kind = 'like') as like, count(*) filter (where kind = 'love') as love,
          count(*) filter (where kind = 'haha') as haha, count(*) filter (where kind = 'wow') as wow,
          count(*) filter (where kind = 'sad') as sad, count(*) filter (where kind = 'angry') as angry
        from reactions where target_kind = 'post' group by target_id
      ) c where c.target_id = p.id`),
  );
  await db.execute(sql`drop table bench_pairs, bench_posts, bench_users`);
  await step('analyze', () => db.execute(sql`analyze`));
  await db.execute(sql`insert into bench_seed values (${size.users}, ${size.posts}, ${size.reactions}, now())`);
}
