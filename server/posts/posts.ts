// Posts: creating (text with mentions and hashtags, media, place, poll, share, as a pet), editing
// with history, deleting, reading one or an author's timeline, and voting in polls. Writes commit
// the post, its parsed mentions and hashtags and the notifications they cause in one transaction;
// after the commit the post reaches its audience's `feed:<id>` topics and its hashtags the trends.

import type { Static } from '@sinclair/typebox';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { MediaKind } from '../../media/detect.ts';
import type { postCalls } from '../../protocol/calls/posts.ts';
import { REEL_AUDIENCES } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import { relationFacts } from '../graph/relations.ts';
import { follows, friendships } from '../graph/schema.ts';
import type { Prepared } from '../notifications/notifier.ts';
import { announceAccessChange, type SocialDeps } from '../people/context.ts';
import { profiles } from '../people/schema.ts';
import { pets } from '../pets/schema.ts';
import { decodeCursor, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import { anyOf } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { createOnce } from '../platform/db/once.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { checkPlainText } from '../platform/input.ts';
import { logOnReel } from '../reels/log.ts';
import { reels } from '../reels/schema.ts';
import type { Trends } from './hashtags.ts';
import { pollOptions, polls, pollVotes, postEdits, postHashtags, postMentions, posts, savedPosts } from './schema.ts';
import { mentionsAndTags } from './text.ts';
import { countsEventOf, type PostRow, type PostView, postViews } from './views.ts';
import { canSee, visibleTo } from './visibility.ts';

type Request<N extends keyof typeof postCalls> = Static<(typeof postCalls)[N]['request']>;
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** What a kind of post built on posts (a reel) adds: the media kinds it takes, and its own rows,
 * written in the post's transaction. */
export interface PostExtension {
  mediaKinds: readonly MediaKind[];
  within: (tx: Tx, row: PostRow) => Promise<void>;
}

/** Authors with more followers than this get no live feed fan-out; their posts appear on refresh. */
const FANOUT_LIMIT = 2000;
const MINUTE = 60_000;

export class Posts {
  readonly #deps: SocialDeps;
  readonly #trends: Trends;
  readonly #fanningOut = new Set<Promise<void>>();

  constructor(deps: SocialDeps, trends: Trends) {
    this.#deps = deps;
    this.#trends = trends;
  }

  /** The post if the viewer may see it; NOT_FOUND otherwise (deleted, hidden by visibility, blocked). */
  async visible(viewerId: string, postId: string): Promise<PostRow> {
    const [row] = await this.#deps.db.select().from(posts).where(eq(posts.id, postId)).limit(1);
    if (row === undefined || !canSee(row, await relationFacts(this.#deps.db, viewerId, row.authorId))) throw new NotFoundError('post');
    return row;
  }

  async view(viewerId: string, row: PostRow): Promise<PostView> {
    const [view] = await postViews(this.#deps.db, viewerId, [row]);
    if (view === undefined) throw new NotFoundError('post');
    return view;
  }

  /** With `clientId`, a retry answers the post the first attempt made (platform/db/once.ts). */
  create(authorId: string, request: Request<'posts.create'>, extension?: PostExtension): Promise<PostView> {
    return createOnce(
      request.clientId,
      async (clientId) => {
        const [row] = await this.#deps.db
          .select()
          .from(posts)
          .where(and(eq(posts.authorId, authorId), eq(posts.clientId, clientId)));
        if (row === undefined) return undefined;
        if (row.deletedAt !== null) throw new NotFoundError('post');
        return this.view(authorId, row);
      },
      () => this.#create(authorId, request, extension),
    );
  }

  async #create(authorId: string, request: Request<'posts.create'>, extension: PostExtension | undefined): Promise<PostView> {
    const text = (request.text ?? '').trim();
    checkPlainText(text, 'text');
    const mediaIds = request.mediaIds ?? [];
    if (text === '' && mediaIds.length === 0 && request.poll === undefined && request.sharedPostId === undefined)
      throw new InvalidInputError('a post needs text, media, a poll or a shared post', { field: 'text' });
    if (request.place !== undefined) checkPlainText(request.place.name, 'place.name');
    await this.#deps.media.attachable(authorId, mediaIds, extension?.mediaKinds ?? ['image', 'video']);
    if ((request.place?.latitude === undefined) !== (request.place?.longitude === undefined))
      throw new InvalidInputError('give both latitude and longitude, or neither', { field: 'place.latitude' });
    const poll = request.poll;
    if (poll !== undefined) {
      for (const option of poll.options) checkPlainText(option, 'poll.options');
      if (new Set(poll.options.map((option) => option.trim().toLowerCase())).size !== poll.options.length)
        throw new InvalidInputError('poll options must differ', { field: 'poll.options' });
      if (poll.closesAt !== undefined) {
        const closes = Date.parse(poll.closesAt);
        if (closes < Date.now() + 5 * MINUTE || closes > Date.now() + 30 * 24 * 60 * MINUTE)
          throw new InvalidInputError('a poll closes between 5 minutes and 30 days from now', { field: 'poll.closesAt' });
      }
    }
    const { mentions, hashtags } = mentionsAndTags(text);
    const { db } = this.#deps;
    const id = Bun.randomUUIDv7();
    const createdAt = new Date();
    const { row, notify } = await db.transaction(async (tx) => {
      if (request.petId !== undefined) {
        const [pet] = await tx.select({ ownerId: pets.ownerId }).from(pets).where(eq(pets.id, request.petId));
        if (pet?.ownerId !== authorId) throw new NotFoundError('pet');
      }
      let shared: PostRow | undefined;
      if (request.sharedPostId !== undefined) {
        [shared] = await tx.select().from(posts).where(eq(posts.id, request.sharedPostId)).for('update');
        if (shared === undefined || !canSee(shared, await relationFacts(tx as unknown as Database, authorId, shared.authorId)))
          throw new NotFoundError('post');
        await tx
          .update(posts)
          .set({ shareCount: sql`${posts.shareCount} + 1` })
          .where(eq(posts.id, shared.id));
        await logOnReel(tx, shared.id, authorId, 'share');
      }
      const [author] = await tx
        .select({ language: users.language, locale: profiles.locale })
        .from(users)
        .leftJoin(profiles, eq(profiles.userId, users.id))
        .where(eq(users.id, authorId));
      const [inserted] = await tx
        .insert(posts)
        .values({
          id,
          authorId,
          petId: request.petId ?? null,
          text,
          visibility: request.visibility,
          mediaIds,
          placeName: request.place?.name ?? null,
          latitude: request.place?.latitude ?? null,
          longitude: request.place?.longitude ?? null,
          sharedPostId: request.sharedPostId ?? null,
          locale: author?.locale ?? author?.language ?? 'en',
          hashtags,
          createdAt,
          clientId: request.clientId ?? null,
        })
        .returning();
      if (hashtags.length > 0) await tx.insert(postHashtags).values(hashtags.map((tag) => ({ tag, postId: id })));
      if (poll !== undefined) {
        await tx
          .insert(polls)
          .values({ postId: id, multiple: poll.multiple, closesAt: poll.closesAt === undefined ? null : new Date(poll.closesAt) });
        await tx.insert(pollOptions).values(poll.options.map((option, position) => ({ postId: id, position, text: option.trim() })));
      }
      const row = inserted as PostRow;
      await extension?.within(tx, row);
      const notify = await this.#mention(tx, row, mentions);
      if (shared !== undefined)
        notify.push(
          await this.#deps.notifier.prepare(tx, { userId: shared.authorId, type: 'post.share', actorId: authorId, data: { postId: id } }),
        );
      return { row, notify };
    });
    await this.#announce(row);
    if (shared(row))
      await emit(this.#deps, 'post', row.sharedPostId as string, 'post.counts', await this.countsEvent(row.sharedPostId as string));
    this.#deps.notifier.dispatch(notify);
    return this.view(authorId, row);
  }

  /** Stores the mentions of `row` and prepares notifications for mentioned people who may see it. */
  async #mention(tx: Tx, row: PostRow, usernames: string[]): Promise<(Prepared | undefined)[]> {
    if (usernames.length === 0) return [];
    const found = await tx.select({ id: users.id }).from(users).where(anyOf(users.username, usernames));
    const already = new Set(
      (await tx.select({ userId: postMentions.userId }).from(postMentions).where(eq(postMentions.postId, row.id))).map((r) => r.userId),
    );
    const fresh = found.filter((user) => !already.has(user.id) && user.id !== row.authorId);
    if (fresh.length === 0) return [];
    await tx.insert(postMentions).values(fresh.map((user) => ({ postId: row.id, userId: user.id })));
    const prepared: (Prepared | undefined)[] = [];
    for (const user of fresh) {
      if (!canSee(row, await relationFacts(tx as unknown as Database, user.id, row.authorId))) continue;
      prepared.push(
        await this.#deps.notifier.prepare(tx, { userId: user.id, type: 'post.mention', actorId: row.authorId, data: { postId: row.id } }),
      );
    }
    return prepared;
  }

  /**
   * After a post is committed: public hashtags count toward trends (before the answer, so that an
   * edit or delete that follows takes back what was counted), and its audience's feeds hear of it.
   * That fan-out (a log write to each of up to FANOUT_LIMIT feed topics, which other nodes write
   * too) is started without holding up the answer: it was most of a post's time, and, as before,
   * a feed that misses the event shows the post on its next read.
   */
  async #announce(row: PostRow) {
    const fanout = this.#fanOut(row).finally(() => this.#fanningOut.delete(fanout));
    this.#fanningOut.add(fanout);
    if (row.visibility === 'public' && row.hashtags.length > 0) await this.#trends.count(row.locale, row.hashtags, row.createdAt.getTime());
  }

  async #fanOut(row: PostRow) {
    try {
      const audience = await feedAudience(this.#deps.db, row);
      await Promise.all(
        audience.map((userId) => emit(this.#deps, 'feed', userId, 'feed.post', { postId: row.id, authorId: row.authorId })),
      );
    } catch (error) {
      this.#deps.log.error({ err: error, post: row.id }, `posts.create() | feeds not told [post:${row.id}]`);
    }
  }

  /** Waits for the feed fan-outs under way. */
  async settled(): Promise<void> {
    await Promise.all(this.#fanningOut);
  }

  /** Trends count public posts' hashtags: an edit or a delete takes back what no longer counts and adds what newly does. */
  async #retrend(before: PostRow, after: PostRow | undefined) {
    const counted = (row: PostRow | undefined) => new Set(row?.visibility === 'public' ? row.hashtags : []);
    const was = counted(before);
    const now = counted(after);
    const at = before.createdAt.getTime();
    const gone = [...was].filter((tag) => !now.has(tag));
    const added = [...now].filter((tag) => !was.has(tag));
    if (gone.length > 0) await this.#trends.uncount(before.locale, gone, at);
    if (added.length > 0) await this.#trends.count(before.locale, added, at);
  }

  async edit(authorId: string, request: Request<'posts.edit'>): Promise<PostView> {
    const { db, captions } = this.#deps;
    // A reel's new caption is embedded before the transaction, so no row lock waits for a model's
    // inference (a post is a reel from its creation, so asking first is safe); unused when the
    // text turns out unchanged or the edit is refused.
    const text = request.text?.trim();
    const captionVector =
      text !== undefined && (await isReel(db, request.postId))
        ? { vector: await captions.embed(text, mentionsAndTags(text).hashtags) }
        : undefined;
    const { row, before, notify, visibilityChanged } = await db.transaction(async (tx) => {
      const [current] = await tx.select().from(posts).where(eq(posts.id, request.postId)).for('update');
      if (current === undefined || current.deletedAt !== null || current.authorId !== authorId) throw new NotFoundError('post');
      const set: Partial<typeof posts.$inferInsert> = {};
      let notify: (Prepared | undefined)[] = [];
      if (text !== undefined && text !== current.text) {
        checkPlainText(text, 'text');
        if (text === '' && current.mediaIds.length === 0 && current.sharedPostId === null)
          throw new InvalidInputError('a post needs text, media, a poll or a shared post', { field: 'text' });
        const [versions] = await tx.select({ n: count() }).from(postEdits).where(eq(postEdits.postId, current.id));
        await tx
          .insert(postEdits)
          .values({ postId: current.id, version: (versions?.n ?? 0) + 1, text: current.text, replacedAt: new Date() });
        const { mentions, hashtags } = mentionsAndTags(text);
        await tx.delete(postHashtags).where(eq(postHashtags.postId, current.id));
        if (hashtags.length > 0) await tx.insert(postHashtags).values(hashtags.map((tag) => ({ tag, postId: current.id })));
        Object.assign(set, { text, hashtags });
        if (captionVector !== undefined)
          await tx
            .update(reels)
            .set({ captionVector: captionVector.vector, captionModel: captions.name })
            .where(eq(reels.postId, current.id));
        notify = await this.#mention(tx, { ...current, ...set } as PostRow, mentions);
      }
      if (request.visibility !== undefined && request.visibility !== current.visibility) {
        if (!(REEL_AUDIENCES as readonly string[]).includes(request.visibility) && (await isReel(tx, current.id)))
          throw new InvalidInputError(`a reel is for ${REEL_AUDIENCES.join(' or ')}`, { field: 'visibility' });
        set.visibility = request.visibility;
      }
      if (Object.keys(set).length === 0) return { row: current, before: current, notify, visibilityChanged: false };
      const [updated] = await tx
        .update(posts)
        .set({ ...set, editedAt: new Date() })
        .where(eq(posts.id, current.id))
        .returning();
      return { row: updated as PostRow, before: current, notify, visibilityChanged: set.visibility !== undefined };
    });
    await this.#retrend(before, row);
    await emit(this.#deps, 'post', row.id, 'post.changed', { postId: row.id, deleted: false, at: Date.now() });
    if (visibilityChanged) announceAccessChange(this.#deps, { topics: [`post:${row.id}`] });
    this.#deps.notifier.dispatch(notify);
    return this.view(authorId, row);
  }

  async remove(authorId: string, postId: string): Promise<Record<string, never>> {
    const { db } = this.#deps;
    const { sharedPostId, before } = await db.transaction(async (tx) => {
      const [current] = await tx.select().from(posts).where(eq(posts.id, postId)).for('update');
      if (current === undefined || current.deletedAt !== null || current.authorId !== authorId) throw new NotFoundError('post');
      // What was said goes; the row stays so that shares and comments can say it is gone.
      await tx
        .update(posts)
        .set({ deletedAt: new Date(), text: '', mediaIds: [], hashtags: [], placeName: null, latitude: null, longitude: null })
        .where(eq(posts.id, postId));
      await tx.delete(postHashtags).where(eq(postHashtags.postId, postId));
      await tx.delete(postMentions).where(eq(postMentions.postId, postId));
      await tx.update(reels).set({ deletedAt: new Date() }).where(eq(reels.postId, postId));
      // Nobody may see it any more: it leaves everyone's saved posts (and stops counting toward their limit).
      await tx.delete(savedPosts).where(eq(savedPosts.postId, postId));
      if (current.sharedPostId !== null)
        await tx
          .update(posts)
          .set({ shareCount: sql`greatest(${posts.shareCount} - 1, 0)` })
          .where(eq(posts.id, current.sharedPostId));
      return { sharedPostId: current.sharedPostId, before: current };
    });
    await this.#retrend(before, undefined);
    await emit(this.#deps, 'post', postId, 'post.changed', { postId, deleted: true, at: Date.now() });
    announceAccessChange(this.#deps, { topics: [`post:${postId}`] });
    if (sharedPostId !== null) await emit(this.#deps, 'post', sharedPostId, 'post.counts', await this.countsEvent(sharedPostId));
    return {};
  }

  async get(viewerId: string, postId: string): Promise<PostView> {
    return this.view(viewerId, await this.visible(viewerId, postId));
  }

  async history(viewerId: string, postId: string) {
    await this.visible(viewerId, postId);
    const rows = await this.#deps.db.select().from(postEdits).where(eq(postEdits.postId, postId)).orderBy(postEdits.version);
    return { items: rows.map((row) => ({ version: row.version, text: row.text, replacedAt: row.replacedAt.toISOString() })) };
  }

  async byAuthor(viewerId: string, request: Request<'posts.byAuthor'>) {
    const { db } = this.#deps;
    const after = decodeCursor(request.cursor, 1);
    const ids = rowsOf<{ id: string }>(
      await db.execute(sql`
        select p.id from posts p
        where p.author_id = ${request.userId}
          ${request.petId === undefined ? sql`` : sql`and p.pet_id = ${request.petId}`}
          ${after === undefined ? sql`` : sql`and p.id < ${after[0]}`}
          and ${visibleTo(viewerId)}
        order by p.id desc limit ${PAGE_SIZE + 1}`),
    ).map((row) => row.id);
    return this.#page(viewerId, ids);
  }

  /** A page of posts by id (newest first), with the cursor of its last one. */
  async #page(viewerId: string, ids: string[]) {
    const { db } = this.#deps;
    const rows = ids.length === 0 ? [] : await db.select().from(posts).where(anyOf(posts.id, ids)).orderBy(desc(posts.id));
    const page = pageOf(
      rows,
      PAGE_SIZE,
      (row) => [row.id],
      (row) => row,
    );
    return { items: await postViews(db, viewerId, page.items), nextCursor: page.nextCursor };
  }

  async byHashtag(viewerId: string, tag: string, cursor: string | undefined) {
    const after = decodeCursor(cursor, 1);
    const ids = rowsOf<{ id: string }>(
      await this.#deps.db.execute(sql`
        select p.id from post_hashtags h join posts p on p.id = h.post_id
        where h.tag = ${tag} ${after === undefined ? sql`` : sql`and h.post_id < ${after[0]}`} and ${visibleTo(viewerId)}
        order by h.post_id desc limit ${PAGE_SIZE + 1}`),
    ).map((row) => row.id);
    return this.#page(viewerId, ids);
  }

  async vote(viewerId: string, request: Request<'posts.vote'>) {
    const { db } = this.#deps;
    const row = await this.visible(viewerId, request.postId);
    const positions = [...new Set(request.positions)];
    if (positions.length !== request.positions.length) throw new InvalidInputError('a position is repeated', { field: 'positions' });
    await db.transaction(async (tx) => {
      const [poll] = await tx.select().from(polls).where(eq(polls.postId, row.id)).for('update');
      if (poll === undefined) throw new NotFoundError('poll');
      if (poll.closesAt !== null && poll.closesAt.getTime() <= Date.now()) throw new ForbiddenError('the poll is closed', 'POLL_CLOSED');
      if (!poll.multiple && positions.length > 1) throw new InvalidInputError('this poll takes one choice', { field: 'positions' });
      const [options] = await tx.select({ n: count() }).from(pollOptions).where(eq(pollOptions.postId, row.id));
      if (positions.some((position) => position >= (options?.n ?? 0)))
        throw new InvalidInputError('no such option', { field: 'positions' });
      const previous = await tx
        .delete(pollVotes)
        .where(and(eq(pollVotes.postId, row.id), eq(pollVotes.userId, viewerId)))
        .returning({ position: pollVotes.position });
      if (previous.length > 0)
        await tx
          .update(pollOptions)
          .set({ votes: sql`${pollOptions.votes} - 1` })
          .where(
            and(
              eq(pollOptions.postId, row.id),
              anyOf(
                pollOptions.position,
                previous.map((vote) => vote.position),
              ),
            ),
          );
      if (positions.length > 0) {
        await tx.insert(pollVotes).values(positions.map((position) => ({ postId: row.id, userId: viewerId, position })));
        await tx
          .update(pollOptions)
          .set({ votes: sql`${pollOptions.votes} + 1` })
          .where(and(eq(pollOptions.postId, row.id), anyOf(pollOptions.position, positions)));
      }
    });
    const view = await this.view(viewerId, row);
    if (view.poll === null) throw new ConflictError('POLL_GONE', 'the poll is gone');
    await emit(this.#deps, 'post', row.id, 'poll.results', {
      postId: row.id,
      options: view.poll.options.map((option) => option.votes),
      voters: view.poll.voters,
    });
    return view.poll;
  }

  async countsEvent(postId: string) {
    const [row] = await this.#deps.db.select().from(posts).where(eq(posts.id, postId));
    if (row === undefined) throw new NotFoundError('post');
    return countsEventOf(row);
  }
}

const shared = (row: PostRow) => row.sharedPostId !== null;

const isReel = async (tx: Tx | Database, postId: string) =>
  (await tx.select({ postId: reels.postId }).from(reels).where(eq(reels.postId, postId))).length > 0;

/** Who hears of a new post live: the author, and those its visibility reaches (friends; the circle; followers of public posts). */
async function feedAudience(db: Database, row: PostRow): Promise<string[]> {
  const audience = new Set([row.authorId]);
  if (row.visibility === 'private') return [...audience];
  const friends = await db
    .select({ id: friendships.friendId })
    .from(friendships)
    .where(and(eq(friendships.userId, row.authorId), row.visibility === 'close_friends' ? eq(friendships.closeFriend, true) : undefined))
    .limit(FANOUT_LIMIT + 1);
  for (const friend of friends) audience.add(friend.id);
  if (row.visibility === 'public') {
    const followers = await db
      .select({ id: follows.followerId })
      .from(follows)
      .where(eq(follows.followeeId, row.authorId))
      .limit(FANOUT_LIMIT + 1);
    for (const follower of followers) audience.add(follower.id);
  }
  return audience.size > FANOUT_LIMIT ? [row.authorId] : [...audience];
}
