// The home feed: the viewer's own posts and those of friends and people they follow, that they may
// see, minus muted people and hidden posts. Chronological pages walk post ids downward (time-
// ordered UUIDv7), so posts that arrive meanwhile can neither repeat nor push one out. Ranked: the
// first page takes a snapshot (the newest id and the time), ranks up to RANKED_WINDOW candidates
// from the last RANKED_DAYS and keeps the order in the cache; later pages are slices of that
// order, so they never repeat or skip either. A snapshot missing from the cache is ranked again
// from the same id and time.
import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import { users } from '../accounts/schema.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { SocialDeps } from '../people/context.ts';
import { profiles } from '../people/schema.ts';
import { summaryColumns, toSummary } from '../people/summaries.ts';
import type { Cache } from '../platform/cache/index.ts';
import { decodeCursor, encodeCursor, PAGE_SIZE } from '../platform/cursor.ts';
import { anyOf, uuids } from '../platform/db/any-of.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { Posts } from './posts.ts';
import { type Candidate, rank, type Why } from './ranking.ts';
import { feedMutes, hiddenPosts, posts, topicPreferences } from './schema.ts';
import { normalizeTag } from './text.ts';
import { postViews } from './views.ts';
import { visibleTo } from './visibility.ts';

const RANKED_WINDOW = 500;
const RANKED_DAYS = 7;
/** No one author fills the ranked window: at most this many of their posts are ranked. */
const RANKED_PER_AUTHOR = 50;
const SNAPSHOT_TTL_MS = 30 * 60_000;

/**
 * SQL: the viewer's feed posts as rows `p`, newest first: for each author the viewer follows or
 * befriended (and the viewer), that author's newest posts through the (author_id, id) index, each
 * already filtered by visibility, blocks, mutes and hidden posts, then merged. Walking authors
 * first keeps the cost proportional to the viewer's circle, not to the size of the posts table.
 */
function feedPosts(viewerId: string, options: { before?: string; upTo?: string; since?: string; perAuthor: number; columns: SQL }) {
  return sql`
    select ${options.columns} from (
      select ${viewerId}::uuid as author_id
      union select friend_id from friendships where user_id = ${viewerId}
      union select followee_id from follows where follower_id = ${viewerId}
    ) authors
    cross join lateral (
      select p.* from posts p
      where p.author_id = authors.author_id and p.deleted_at is null
        ${options.before === undefined ? sql`` : sql`and p.id < ${options.before}`}
        ${options.upTo === undefined ? sql`` : sql`and p.id <= ${options.upTo}`}
        ${options.since === undefined ? sql`` : sql`and p.created_at >= ${options.since}`}
        and ${inFeed(viewerId)}
      order by p.id desc limit ${options.perAuthor}
    ) p`;
}

/** SQL: the post `p` (from a feed source) is visible to the viewer and not filtered out by their controls. */
function inFeed(viewerId: string) {
  return sql`not exists (select 1 from feed_mutes m where m.user_id = ${viewerId} and m.muted_id = p.author_id)
    and not exists (select 1 from hidden_posts h where h.user_id = ${viewerId} and h.post_id = p.id)
    and ${visibleTo(viewerId)}`;
}

/** SQL: the post `p` is from one of the viewer's feed sources. */
function fromSource(viewerId: string) {
  return sql`(p.author_id = ${viewerId}
      or exists (select 1 from friendships f where f.user_id = ${viewerId} and f.friend_id = p.author_id)
      or exists (select 1 from follows fo where fo.follower_id = ${viewerId} and fo.followee_id = p.author_id))`;
}

export class Feed {
  readonly #deps: SocialDeps;
  readonly #posts: Posts;
  readonly #cache: Cache;

  constructor(deps: SocialDeps, posts: Posts, cache: Cache) {
    this.#deps = deps;
    this.#posts = posts;
    this.#cache = cache;
  }

  async home(viewerId: string, mode: 'chronological' | 'ranked', cursor: string | undefined) {
    return mode === 'chronological' ? this.#chronological(viewerId, cursor) : this.#ranked(viewerId, cursor);
  }

  async #chronological(viewerId: string, cursor: string | undefined) {
    const after = decodeCursor(cursor, 1);
    const ids = rowsOf<{ id: string }>(
      await this.#deps.db.execute(sql`
        ${feedPosts(viewerId, { ...(after === undefined ? {} : { before: after[0] as string }), perAuthor: PAGE_SIZE + 1, columns: sql`p.id` })}
        order by p.id desc limit ${PAGE_SIZE + 1}`),
    ).map((row) => row.id);
    const more = ids.length > PAGE_SIZE;
    const page = ids.slice(0, PAGE_SIZE);
    return {
      items: (await this.#load(viewerId, page)).map((post) => ({ post })),
      nextCursor: more ? encodeCursor([page.at(-1) as string]) : null,
    };
  }

  async #ranked(viewerId: string, cursor: string | undefined) {
    const decoded = decodeCursor(cursor, 3);
    let snapshot: { topId: string; at: number; offset: number };
    if (decoded === undefined) {
      const [top] = await this.#deps.db.select({ id: posts.id }).from(posts).orderBy(desc(posts.id)).limit(1);
      snapshot = { topId: top?.id ?? '00000000-0000-0000-0000-000000000000', at: Date.now(), offset: 0 };
    } else {
      const [topId, at, offset] = decoded as [string, string, string];
      snapshot = { topId, at: Number(at), offset: Number(offset) };
      if (!Number.isSafeInteger(snapshot.at) || !Number.isSafeInteger(snapshot.offset) || snapshot.offset < 0)
        throw new InvalidInputError('the cursor is not one this server gave', { field: 'cursor', code: 'INVALID_CURSOR' });
    }
    const key = `feed:${viewerId}:${snapshot.topId}:${snapshot.at}`;
    const cached = await this.#cache.get(key);
    const order: { id: string; why: Why }[] =
      cached !== null ? JSON.parse(cached) : await this.#rank(viewerId, snapshot.topId, snapshot.at);
    if (cached === null) await this.#cache.set(key, JSON.stringify(order), { ttlMs: SNAPSHOT_TTL_MS });
    const slice = order.slice(snapshot.offset, snapshot.offset + PAGE_SIZE);
    const end = snapshot.offset + slice.length;
    // Posts deleted, hidden or muted since the snapshot drop out of later pages (a page just ranked is current).
    const visible = new Set(
      cached === null || slice.length === 0
        ? slice.map((entry) => entry.id)
        : rowsOf<{ id: string }>(
            await this.#deps.db.execute(
              sql`select p.id from posts p where p.id = any(${uuids(slice.map((entry) => entry.id))}) and p.deleted_at is null and ${fromSource(viewerId)} and ${inFeed(viewerId)}`,
            ),
          ).map((row) => row.id),
    );
    const kept = slice.filter((entry) => visible.has(entry.id));
    const views = new Map(
      (
        await this.#load(
          viewerId,
          kept.map((entry) => entry.id),
        )
      ).map((post) => [post.id, post]),
    );
    return {
      items: kept.flatMap((entry) => {
        const post = views.get(entry.id);
        return post === undefined ? [] : [{ post, why: entry.why }];
      }),
      nextCursor: end < order.length ? encodeCursor([snapshot.topId, String(snapshot.at), String(end)]) : null,
    };
  }

  async #rank(viewerId: string, topId: string, at: number) {
    const { db } = this.#deps;
    const since = new Date(at - RANKED_DAYS * 24 * 3600_000).toISOString();
    const rows = rowsOf<{
      id: string;
      author_id: string;
      created_at: string | Date;
      reactions: number;
      comments: number;
      shares: number;
      hashtags: string[];
      close: boolean | null;
      friend: boolean;
    }>(
      await db.execute(sql`
        select q.*, f.close_friend as close, f.user_id is not null as friend from (
          ${feedPosts(viewerId, {
            upTo: topId,
            since,
            perAuthor: RANKED_PER_AUTHOR,
            columns: sql`p.id, p.author_id, p.created_at,
              (p.like_count + p.love_count + p.haha_count + p.wow_count + p.sad_count + p.angry_count) as reactions,
              p.comment_count as comments, p.share_count as shares, p.hashtags`,
          })}
          order by p.id desc limit ${RANKED_WINDOW}
        ) q left join friendships f on f.user_id = ${viewerId} and f.friend_id = q.author_id`),
    );
    const lessOf = new Set(
      (await db.select({ tag: topicPreferences.tag }).from(topicPreferences).where(eq(topicPreferences.userId, viewerId))).map(
        (row) => row.tag,
      ),
    );
    const candidates: Candidate[] = rows.map((row) => ({
      id: row.id,
      createdAt: new Date(row.created_at).getTime(),
      relation: row.author_id === viewerId ? 'you' : row.close === true ? 'close_friend' : row.friend ? 'friend' : 'following',
      reactions: Number(row.reactions),
      comments: Number(row.comments),
      shares: Number(row.shares),
      hashtags: row.hashtags,
    }));
    return rank(candidates, lessOf, at);
  }

  async #load(viewerId: string, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = await this.#deps.db.select().from(posts).where(anyOf(posts.id, ids));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return postViews(
      this.#deps.db,
      viewerId,
      ids.flatMap((id) => {
        const row = byId.get(id);
        return row === undefined ? [] : [row];
      }),
    );
  }

  async mute(viewerId: string, userId: string, muted: boolean) {
    if (userId === viewerId) throw new InvalidInputError('that is you', { field: 'userId' });
    const [user] = await this.#deps.db.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (user === undefined) throw new NotFoundError('user');
    if (muted) await this.#deps.db.insert(feedMutes).values({ userId: viewerId, mutedId: userId }).onConflictDoNothing();
    else await this.#deps.db.delete(feedMutes).where(and(eq(feedMutes.userId, viewerId), eq(feedMutes.mutedId, userId)));
    return { userId, muted };
  }

  async hide(viewerId: string, postId: string, hidden: boolean) {
    await this.#posts.visible(viewerId, postId);
    if (hidden) await this.#deps.db.insert(hiddenPosts).values({ userId: viewerId, postId }).onConflictDoNothing();
    else await this.#deps.db.delete(hiddenPosts).where(and(eq(hiddenPosts.userId, viewerId), eq(hiddenPosts.postId, postId)));
    return { postId, hidden };
  }

  async lessOf(viewerId: string, input: string, less: boolean) {
    const tag = normalizeTag(input);
    if (tag === undefined) throw new InvalidInputError('not a hashtag', { field: 'tag' });
    if (less)
      await this.#deps.db
        .insert(topicPreferences)
        .values({ userId: viewerId, tag, weight: 0.25 })
        .onConflictDoUpdate({ target: [topicPreferences.userId, topicPreferences.tag], set: { weight: 0.25, updatedAt: new Date() } });
    else await this.#deps.db.delete(topicPreferences).where(and(eq(topicPreferences.userId, viewerId), eq(topicPreferences.tag, tag)));
    return { tag, less };
  }

  async controls(viewerId: string) {
    const { db } = this.#deps;
    const [muted, lessOf, [hidden]] = await Promise.all([
      db
        .select(summaryColumns)
        .from(feedMutes)
        .innerJoin(users, eq(users.id, feedMutes.mutedId))
        .leftJoin(profiles, eq(profiles.userId, feedMutes.mutedId))
        .where(eq(feedMutes.userId, viewerId))
        .orderBy(users.username),
      db
        .select({ tag: topicPreferences.tag })
        .from(topicPreferences)
        .where(eq(topicPreferences.userId, viewerId))
        .orderBy(topicPreferences.tag),
      db.select({ n: count() }).from(hiddenPosts).where(eq(hiddenPosts.userId, viewerId)),
    ]);
    return { muted: muted.map(toSummary), lessOf: lessOf.map((row) => row.tag), hiddenPosts: hidden?.n ?? 0 };
  }
}
