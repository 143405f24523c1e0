// Seeds stories for the tray benchmark inside PostgreSQL (generate_series; nothing crosses the wire
// row by row), over the social graph of bench/seed-social.ts. Measured viewers (100 by default)
// each get exactly 500 friends (both rows; some close friends either way) of whom 200 post
// stories now, and 20 follows (10 of them friends). A sixth of all users post stories now, two
// active stories each on average (every one at least one not deleted); the rest of 1,000,000
// stories are spread over the 29 days before (expired, 2% deleted). Audiences 60% public, 30%
// friends, 10% close friends. Each viewer blocks one of their friends who post, is blocked by
// one, is hidden from by two and mutes two; the other users hold 50,000 blocks among themselves.
// Views: 3,000,000 at random, and each viewer has seen half of their friends' active stories and
// a fifth of their expired ones (the tray's affinity: about 1,200 views in 30 days).
//
// Stories expire, so a seed is reused for an hour only: active stories were created between 23
// hours and a minute before the seed, none in the hour before that, so for an hour exactly the
// same stories are active. The hourly cleanup is put off (it would delete the deleted stories).
// The tables are vacuumed at the end, as autovacuum would have done on a live database.
import { sql } from 'drizzle-orm';
import type { Database } from '../server/platform/db/index.ts';
import { rowsOf } from '../server/platform/db/rows.ts';

export interface StoriesSize {
  stories: number;
  views: number;
  viewers: number;
}

/** Per measured viewer. */
export const FRIENDS = 500;
export const FRIENDS_POSTING = 200;
const FOLLOWS_OF_FRIENDS = 10;
const FOLLOWS_OF_OTHERS = 10;

const step = async (label: string, run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  console.log(`seed: ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
};

/** Seeds unless a seed of this size less than an hour old is there; returns the measured viewers' ids. */
export async function seedStories(db: Database, size: StoriesSize): Promise<string[]> {
  await db.execute(sql`create table if not exists bench_stories_seed (stories int, views int, viewers int, seeded_at timestamptz)`);
  const [fresh] = rowsOf(
    await db.execute(sql`
      select 1 from bench_stories_seed
      where stories = ${size.stories} and views = ${size.views} and viewers = ${size.viewers} and seeded_at > now() - interval '1 hour'`),
  );
  if (fresh !== undefined)
    console.log(`seed: reusing ${size.stories} stories, ${size.views} views, ${size.viewers} viewers (seeded less than an hour ago)`);
  else await seed(db, size);
  return rowsOf<{ id: string }>(await db.execute(sql`select id from bench_story_viewers order by k`)).map((r) => r.id);
}

async function seed(db: Database, size: StoriesSize): Promise<void> {
  const started = performance.now();
  await db.execute(sql`delete from bench_stories_seed`);
  await db.execute(
    sql`drop table if exists bench_story_users, bench_story_posters, bench_story_viewers, bench_story_friends, bench_story_plan`,
  );
  await db.execute(sql`truncate stories, story_views, story_answers, story_hidden, story_mutes, story_highlights, story_highlight_items`);
  await db.execute(
    sql`create or replace function bench_hash(text) returns int language sql immutable as 'select hashtext($1) & 2147483647'`,
  );
  // Plain tables (the pool's connections must all see them); bench_story_viewers stays for the runs.
  await db.execute(
    sql`create unlogged table bench_story_users as select row_number() over (order by id) as i, id from users where username like 'bench\\_%'`,
  );
  await db.execute(sql`create index on bench_story_users (i)`);
  const [{ n } = { n: 0 }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from bench_story_users`));
  const spacing = Math.floor(n / (size.viewers + 1));
  if (spacing < 2 || n < (FRIENDS + FOLLOWS_OF_OTHERS) * 4) throw new Error(`seed: ${n} users are too few for ${size.viewers} viewers`);
  await db.execute(sql`
    create unlogged table bench_story_viewers as
    select k, u.i, u.id from generate_series(1, ${size.viewers}) k join bench_story_users u on u.i = k * ${spacing}`);
  await db.execute(sql`
    create unlogged table bench_story_posters as
    select row_number() over (order by i) - 1 as p, i, id from bench_story_users where bench_hash('poster:' || i) % 6 = 0`);
  await db.execute(sql`create index on bench_story_posters (p)`);
  const [{ posters } = { posters: 0 }] = rowsOf<{ posters: number }>(
    await db.execute(sql`select count(*)::int as posters from bench_story_posters`),
  );
  const active = Math.floor(size.stories / 30);
  const expired = size.stories - active;
  if (active < posters) throw new Error(`seed: ${size.stories} stories are too few for ${posters} users posting now`);

  await db.execute(sql`
    insert into media (id, owner_id, kind, status, size, received, files, created_at, updated_at)
    select md5('story-media:' || id)::uuid, id, 'image', 'ready', 1000, 1000, '[{"name":"large.webp","mime":"image/webp","bytes":1000}]'::jsonb, now(), now()
    from bench_story_users
    on conflict do nothing`);

  await step(`graph of ${size.viewers} viewers (${FRIENDS} friends, ${FRIENDS_POSTING} of them posting)`, async () => {
    // Each viewer's friends: 200 who post now and 300 who do not, none of them a measured viewer;
    // `rank` orders each kind per viewer (the blocks, hides and mutes take the first posters).
    await db.execute(sql`
      create unlogged table bench_story_friends as
      select v.id as viewer_id, f.id as friend_id, f.posting, f.rank from bench_story_viewers v
      cross join lateral (
        (select p.id, true as posting, row_number() over (order by md5(v.i || ':' || p.i)) as rank
          from bench_story_posters p where p.i % ${spacing} <> 0 order by md5(v.i || ':' || p.i) limit ${FRIENDS_POSTING})
        union all
        (select u.id, false, row_number() over (order by md5(v.i || ':' || u.i))
          from bench_story_users u where u.i % ${spacing} <> 0 and bench_hash('poster:' || u.i) % 6 <> 0
          order by md5(v.i || ':' || u.i) limit ${FRIENDS - FRIENDS_POSTING})
      ) f`);
    const viewers = sql`(select id from bench_story_viewers)`;
    await db.execute(sql`delete from friendships where user_id in ${viewers} or friend_id in ${viewers}`);
    // close_friend on the viewer's row: in the viewer's circle (the tray's order); on the friend's
    // row: the viewer sees that friend's close-friends stories.
    await db.execute(sql`
      insert into friendships (user_id, friend_id, close_friend, created_at)
      select viewer_id, friend_id, bench_hash('circle:' || viewer_id || friend_id) % 10 = 0, now() from bench_story_friends
      union all
      select friend_id, viewer_id, bench_hash('circle:' || friend_id || viewer_id) % 5 = 0, now() from bench_story_friends`);
    await db.execute(sql`delete from follows where follower_id in ${viewers}`);
    await db.execute(sql`
      insert into follows (follower_id, followee_id, created_at)
      select viewer_id, friend_id, now() from bench_story_friends
      where (posting and rank > ${FRIENDS_POSTING - FOLLOWS_OF_FRIENDS / 2}) or (not posting and rank <= ${FOLLOWS_OF_FRIENDS / 2})
      union all
      select v.id, o.id, now() from bench_story_viewers v
      cross join lateral (
        select p.id from bench_story_posters p
        where p.i % ${spacing} <> 0 and not exists (select 1 from bench_story_friends f where f.viewer_id = v.id and f.friend_id = p.id)
        order by md5('follow:' || v.i || ':' || p.i) limit ${FOLLOWS_OF_OTHERS}) o`);
    await db.execute(sql`delete from blocks where blocker_id in ${viewers} or blocked_id in ${viewers}`);
    // Blocks among the others (one for every two users), so the block check is planned as on a
    // live database (index probes) rather than as a scan of a table of a few rows.
    await db.execute(sql`
      insert into blocks (blocker_id, blocked_id, created_at)
      select a.id, b.id, now() from generate_series(1, ${Math.floor(n / 2)}) k
      join bench_story_users a on a.i = 1 + bench_hash('blocker:' || k) % ${n}
      join bench_story_users b on b.i = 1 + bench_hash('blocked:' || k) % ${n}
      where a.id <> b.id and a.id not in ${viewers} and b.id not in ${viewers}
      on conflict do nothing`);
    await db.execute(sql`
      insert into blocks (blocker_id, blocked_id, created_at)
      select viewer_id, friend_id, now() from bench_story_friends where posting and rank = 1
      union all
      select friend_id, viewer_id, now() from bench_story_friends where posting and rank = 2`);
    await db.execute(sql`
      insert into story_hidden (owner_id, hidden_id, created_at)
      select friend_id, viewer_id, now() from bench_story_friends where posting and rank in (3, 4)`);
    await db.execute(sql`
      insert into story_mutes (user_id, muted_id, created_at)
      select viewer_id, friend_id, now() from bench_story_friends where posting and rank in (5, 6)`);
  });

  await step(`${size.stories} stories (${active} active)`, async () => {
    // Times are distinct (no two authors tie on their newest story, so the tray's order is total).
    await db.execute(sql`
      create unlogged table bench_story_plan as
      select j, bench_uuid7(t, j) as id, t, author, deleted,
        case when bench_hash('audience:' || j) % 10 < 6 then 'public' when bench_hash('audience:' || j) % 10 < 9 then 'friends' else 'close_friends' end as audience
      from (
        select j, now() - interval '30 days' + ((j - 1)::float8 / ${expired}) * (interval '29 days' - interval '1 minute') as t,
          (select id from bench_story_users where i = 1 + bench_hash('author:' || j) % ${n}) as author, j % 50 = 0 as deleted
        from generate_series(1, ${expired}) j
        union all
        select ${expired} + 1 + a, now() - interval '23 hours' + (((a::bigint * 7919) % ${active})::float8 / ${active}) * (interval '23 hours' - interval '1 minute'),
          (select id from bench_story_posters where p = case when a < ${posters} then a else bench_hash('extra:' || a) % ${posters} end),
          a >= ${posters} and a % 10 = 0
        from generate_series(0, ${active - 1}) a
      ) g`);
    await db.execute(sql`
      insert into stories (id, author_id, media_id, kind, audience, created_at, expires_at, deleted_at)
      select id, author, md5('story-media:' || author)::uuid, 'image', audience, t, t + interval '24 hours', case when deleted then least(t + interval '1 hour', now()) end
      from bench_story_plan`);
    await db.execute(sql`create index on bench_story_plan (j)`);
  });

  await step(`${size.views} views at random, and the viewers' own`, async () => {
    await db.execute(sql`
      insert into story_views (story_id, viewer_id, viewed_at)
      select s.id, u.id, s.t + make_interval(secs => (bench_hash('at:' || k) % 36000)::float8 * (case when s.j > ${expired} then 0.001 else 1 end))
      from generate_series(1, ${size.views}) k
      join bench_story_plan s on s.j = 1 + bench_hash('story:' || k) % ${size.stories}
      join bench_story_users u on u.i = 1 + bench_hash('viewer:' || k) % ${n}
      where u.id <> s.author
      on conflict do nothing`);
    await db.execute(sql`
      insert into story_views (story_id, viewer_id, viewed_at)
      select s.id, f.viewer_id, s.created_at + interval '30 seconds'
      from bench_story_friends f join stories s on s.author_id = f.friend_id
      where s.deleted_at is null
        and bench_hash('seen:' || f.viewer_id || s.id) % (case when s.expires_at > now() then 2 else 5 end) = 0
      on conflict do nothing`);
  });

  await db.execute(sql`
    insert into periodic_jobs (name, next_run_at) values ('stories.cleanup', now() + interval '1 year')
    on conflict (name) do update set next_run_at = excluded.next_run_at, claimed_by = null, claimed_until = null`);
  await db.execute(sql`drop table bench_story_users, bench_story_posters, bench_story_friends, bench_story_plan`);
  // What autovacuum would have done by now on a live database (it is off on test servers): the
  // visibility map set, so index-only scans read no heap.
  await step('vacuum (analyze)', () =>
    db.execute(sql`vacuum (analyze) users, friendships, follows, blocks, media, stories, story_views, story_hidden, story_mutes`),
  );
  await db.execute(sql`insert into bench_stories_seed values (${size.stories}, ${size.views}, ${size.viewers}, now())`);
  console.log(`seed: stories seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
