// media.get with its access rule (a media is shown to whoever may see a post, pet, profile or
// conversation that shows it) on a seeded database: 20,000 users with their friendships and
// 200,000 posts (bench/seed-social.ts), 100,000 of those posts with a photo, 20,000 one-to-one
// conversations of friends with 10 photos each (200,000 messages), and an avatar per user.
// Measured: pages of 20 ids a viewer may see (10 from posts in their feed, 10 from their
// conversations) and pages of 20 ids they may not, next to the same reads without the rule (media
// rows by id, then the same signed views) in the same run. The seeded database is kept and reused.
import { inArray, sql } from 'drizzle-orm';
import { media } from '../server/media/schema.ts';
import { rowsOf } from '../server/platform/db/rows.ts';
import { startSeededNode } from './seed-social.ts';
import { measurePages, row } from './stats.ts';

const size = { users: 20_000, posts: 200_000, reactions: 0 };
const CONVERSATIONS = 20_000;
const PHOTOS_PER_CONVERSATION = 10;
const SAMPLE = Number(process.env.BENCH_MEDIA_VIEWERS ?? 200);
const node = await startSeededNode(size, 'bench-media-access');
const db = node.platform.database.db;

async function seedMedia(): Promise<void> {
  await db.execute(sql`create table if not exists bench_media_seed (done_at timestamptz)`);
  if (rowsOf(await db.execute(sql`select 1 from bench_media_seed`)).length > 0) {
    console.log('seed: reusing the media, conversations and avatars');
    return;
  }
  const started = performance.now();
  // A ready image per row of `table` (its media_id, owned by its `owner` column).
  const readyImages = (table: string, owner: string) =>
    db.execute(
      sql.raw(`insert into media (id, owner_id, kind, status, size, received, files, created_at, updated_at)
        select media_id, ${owner}, 'image', 'ready', 1000, 1000, '[{"name":"large.webp","mime":"image/webp","bytes":1000}]'::jsonb, now(), now()
        from ${table}`),
    );
  // Half the posts get a photo of their author's.
  await db.execute(sql`
    create unlogged table bench_post_media as
    select p.id as post_id, gen_random_uuid() as media_id, p.author_id
    from (select id, author_id from posts order by md5(id::text) limit ${size.posts / 2}) p`);
  await readyImages('bench_post_media', 'author_id');
  await db.execute(sql`update posts p set media_ids = array[b.media_id] from bench_post_media b where b.post_id = p.id`);
  // One-to-one conversations between friends, ten photos each, sent by either side.
  await db.execute(sql`
    create unlogged table bench_chats as
    select gen_random_uuid() as id, f.user_id as a, f.friend_id as b
    from (select user_id, friend_id from friendships where user_id < friend_id order by md5(user_id::text || friend_id::text) limit ${CONVERSATIONS}) f`);
  await db.execute(sql`
    insert into conversations (id, kind, direct_key, last_seq, published_seq, member_count, last_activity_at, created_at)
    select id, 'direct', a::text || ':' || b::text, ${PHOTOS_PER_CONVERSATION}, ${PHOTOS_PER_CONVERSATION}, 2, now(), now() from bench_chats`);
  await db.execute(sql`
    insert into conversation_members (conversation_id, user_id, state, joined_at)
    select id, a, 'active', now() from bench_chats union all select id, b, 'active', now() from bench_chats`);
  await db.execute(sql`
    create unlogged table bench_chat_media as
    select c.id as conversation_id, s as seq, case when s % 2 = 0 then c.a else c.b end as sender_id, gen_random_uuid() as media_id
    from bench_chats c, generate_series(1, ${PHOTOS_PER_CONVERSATION}) s`);
  await readyImages('bench_chat_media', 'sender_id');
  await db.execute(sql`
    insert into messages (conversation_id, seq, id, sender_id, kind, attachments, created_at)
    select conversation_id, seq, gen_random_uuid(), sender_id, 'text', jsonb_build_array(jsonb_build_object('id', media_id::text, 'kind', 'image')), now()
    from bench_chat_media`);
  // An avatar per user.
  await db.execute(sql`
    create unlogged table bench_avatars as select id as user_id, gen_random_uuid() as media_id from users where username like 'bench\\_%'`);
  await readyImages('bench_avatars', 'user_id');
  await db.execute(sql`
    insert into profiles (user_id, avatar_media_id) select user_id, media_id from bench_avatars
    on conflict (user_id) do update set avatar_media_id = excluded.avatar_media_id`);
  // What autovacuum does in time: statistics, and the GIN indexes' pending entries merged (until
  // then each lookup also scans up to gin_pending_list_limit of them).
  for (const table of ['media', 'posts', 'messages', 'conversations', 'conversation_members', 'profiles'])
    await db.execute(sql.raw(`vacuum analyze ${table}`));
  await db.execute(sql`insert into bench_media_seed values (now())`);
  console.log(`seed: media, conversations and avatars in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await seedMedia();
  const mediaService = node.social.media;
  const viewers = rowsOf<{ a: string }>(await db.execute(sql`select a from bench_chats order by md5(a::text) limit ${SAMPLE}`)).map(
    (r) => r.a,
  );
  // For each viewer: 10 photos of posts they may see by friends, 10 of their conversations.
  const visiblePages = new Map<string, string[]>();
  for (const viewerId of viewers) {
    const fromPosts = rowsOf<{ id: string }>(
      await db.execute(sql`
        select b.media_id as id from bench_post_media b join posts p on p.id = b.post_id
        join friendships f on f.user_id = ${viewerId} and f.friend_id = p.author_id
        where p.visibility in ('public', 'friends') limit 10`),
    );
    const fromChats = rowsOf<{ id: string }>(
      await db.execute(sql`
        select m.media_id as id from bench_chat_media m join conversation_members cm on cm.conversation_id = m.conversation_id
        where cm.user_id = ${viewerId} limit 10`),
    );
    visiblePages.set(
      viewerId,
      [...fromPosts, ...fromChats].map((r) => r.id),
    );
  }
  // Pages they may not see: photos of other people's conversations and private posts.
  const hidden = rowsOf<{ id: string }>(
    await db.execute(sql`
      (select media_id as id from bench_chat_media order by md5(media_id::text) limit 10)
      union all
      (select b.media_id from bench_post_media b join posts p on p.id = b.post_id where p.visibility = 'private' limit 10)`),
  ).map((r) => r.id);

  let shownAll = 0;
  let shownHidden = 0;
  for (const viewerId of viewers) {
    const page = visiblePages.get(viewerId) ?? [];
    if ((await mediaService.get(viewerId, page)).length === page.length) shownAll++;
    shownHidden += (await mediaService.get(viewerId, hidden)).length;
  }
  // Every id of a visible page shown for every viewer; an id of others' conversations or private
  // posts shown is an error.
  console.log(
    row('media.get: what the rule shows', {
      viewers: viewers.length,
      'pages shown whole': shownAll,
      'hidden ids shown (errors)': shownHidden,
    }),
  );

  // Without the rule: what media.get did before it (rows by id, every ready one shown).
  const baseline = async (_viewerId: string, ids: string[]) => {
    const rows = await db.select().from(media).where(inArray(media.id, ids));
    return Promise.all(rows.filter((r) => r.status === 'ready').map((r) => mediaService.view(r)));
  };
  const measure = (label: string, pageOf: (viewerId: string) => string[], once: typeof baseline) =>
    measurePages(label, viewers, (viewerId) => once(viewerId, pageOf(viewerId)));
  const visible = (viewerId: string) => visiblePages.get(viewerId) ?? [];
  const others = () => hidden;
  const get = (viewerId: string, ids: string[]) => mediaService.get(viewerId, ids);
  await measure('20 visible ids: by id, no rule (baseline)', visible, baseline);
  await measure('20 visible ids: media.get', visible, get);
  await measure("20 others' ids: by id, no rule (baseline)", others, baseline);
  await measure("20 others' ids: media.get", others, get);
} finally {
  await node.stop();
}
