// Stories: posting (a ready photo or video of the author's, cut into 60 s clips on request, with
// overlays, mentions, a hashtag, a link to one of the author's posts and a sticker, as a pet),
// deleting, reading (one, an author's ring, the archive), views and sticker answers, and the
// author's "hide from" and the viewer's "mute" lists. A create commits the stories and the
// mentions' notifications together; after the commit friends and followers it reaches hear of it
// on `feed:<id>`. Every read applies storyVisibleTo (visibility.ts): past `expires_at` a story is
// gone for everyone but its author at once, whatever the cleanup has done yet.
import type { Static } from '@sinclair/typebox';
import { and, asc, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { storyCalls } from '../../protocol/calls/stories.ts';
import { STORY_LIMITS } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';
import type { Chats } from '../chats/chats.ts';
import type { MessageView } from '../chats/views.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import { isBlocked, notBlockedWith, relationFacts } from '../graph/relations.ts';
import { follows, friendships } from '../graph/schema.ts';
import type { Prepared } from '../notifications/notifier.ts';
import type { SocialDeps } from '../people/context.ts';
import { allows } from '../people/privacy.ts';
import { profiles } from '../people/schema.ts';
import { summaryColumns, toSummary } from '../people/summaries.ts';
import { pets } from '../pets/schema.ts';
import { decodeTypedCursor, olderThan, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import type { Database } from '../platform/db/index.ts';
import { createOnce } from '../platform/db/once.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { checkPlainText } from '../platform/input.ts';
import { posts } from '../posts/schema.ts';
import { mentionsAndTags, normalizeTag } from '../posts/text.ts';
import { ListFullError, StoryTooLongError } from './errors.ts';
import { type StoryAudience, stories, storyAnswers, storyHidden, storyMutes, storySettings, storyViews } from './schema.ts';
import { type StoryRow, type StoryView, storyViewsFor } from './views.ts';
import { storyVisibleTo } from './visibility.ts';

type Request<N extends keyof typeof storyCalls> = Static<(typeof storyCalls)[N]['request']>;

/** Authors with more followers than this are not announced live (as for posts). */
const FANOUT_LIMIT = 2000;
const DAY_MS = 86_400_000;
const LIST_MAX = 100;

export interface StoriesDeps extends SocialDeps {
  /** How long a story stays (STORY_LIFETIME_MS; a day). */
  lifetimeMs: number;
  /** Stories one user may post per day (STORIES_PER_DAY). */
  perDay: number;
}

const s = alias(stories, 's');
/** One emoji: a pictograph with its variation selectors, skin tones and joined parts, or a flag. */
const ONE_EMOJI =
  /^(?:\p{Regional_Indicator}{2}|\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)*)$/u;

export class Stories {
  readonly #deps: StoriesDeps;
  readonly #announcing = new Set<Promise<void>>();

  constructor(deps: StoriesDeps) {
    this.#deps = deps;
  }

  /** The story if `viewerId` may see it now (visibility.ts); NOT_FOUND otherwise. */
  async visible(viewerId: string, storyId: string): Promise<StoryRow> {
    const [row] = await this.#deps.db
      .select()
      .from(s)
      .where(and(eq(s.id, storyId), storyVisibleTo(viewerId)))
      .limit(1);
    if (row === undefined) throw new NotFoundError('story');
    return row;
  }

  /** One of the caller's own stories, active or not (not deleted); NOT_FOUND otherwise. */
  async #own(authorId: string, storyId: string): Promise<StoryRow> {
    const [row] = await this.#deps.db
      .select()
      .from(stories)
      .where(and(eq(stories.id, storyId), eq(stories.authorId, authorId), sql`${stories.deletedAt} is null`))
      .limit(1);
    if (row === undefined) throw new NotFoundError('story');
    return row;
  }

  async #view(viewerId: string, row: StoryRow): Promise<StoryView> {
    const [view] = await storyViewsFor(this.#deps.db, viewerId, [row]);
    if (view === undefined) throw new NotFoundError('story');
    return view;
  }

  create(authorId: string, request: Request<'stories.create'>): Promise<{ stories: StoryView[] }> {
    return createOnce(
      request.clientId,
      async (clientId) => {
        const rows = await this.#deps.db
          .select()
          .from(stories)
          .where(and(eq(stories.authorId, authorId), eq(stories.clientId, clientId)))
          .orderBy(asc(stories.part));
        if (rows.length === 0) return undefined;
        if (rows.some((row) => row.deletedAt !== null)) throw new NotFoundError('story');
        return { stories: await storyViewsFor(this.#deps.db, authorId, rows) };
      },
      () => this.#create(authorId, request),
    );
  }

  async #create(authorId: string, request: Request<'stories.create'>): Promise<{ stories: StoryView[] }> {
    const { db, media } = this.#deps;
    const overlays = (request.overlays ?? []).map((overlay) => {
      const text = overlay.text.trim();
      checkPlainText(text, 'overlays');
      if (text === '') throw new InvalidInputError('an overlay needs text', { field: 'overlays' });
      return { text, x: overlay.x, y: overlay.y, color: overlay.color };
    });
    const usernames = [...new Set(overlays.flatMap((overlay) => mentionsAndTags(overlay.text).mentions))];
    if (usernames.length > STORY_LIMITS.mentions)
      throw new InvalidInputError(`a story mentions at most ${STORY_LIMITS.mentions} people`, { field: 'overlays' });
    let hashtag: string | null = null;
    if (request.hashtag !== undefined) {
      hashtag = normalizeTag(request.hashtag.trim()) ?? null;
      if (hashtag === null) throw new InvalidInputError('not a hashtag', { field: 'hashtag' });
    }
    const sticker = request.sticker === undefined ? null : cleanSticker(request.sticker);
    const [item] = await media.attachable(authorId, [request.mediaId], ['image', 'video']);
    if (item === undefined) throw new NotFoundError('media');
    const clips = clipsOf(item.kind, item.durationMs, request.split === true);
    if (request.linkPostId !== undefined) {
      const [post] = await db
        .select({ id: posts.id })
        .from(posts)
        .where(and(eq(posts.id, request.linkPostId), eq(posts.authorId, authorId), sql`${posts.deletedAt} is null`));
      if (post === undefined) throw new NotFoundError('post');
    }
    if (request.asPetId !== undefined) {
      const [pet] = await db
        .select({ id: pets.id })
        .from(pets)
        .where(and(eq(pets.id, request.asPetId), eq(pets.ownerId, authorId)));
      if (pet === undefined) throw new NotFoundError('pet');
    }
    const { allowed, refusal } = await this.#deps.limiter.hitMany(
      { name: 'stories', max: this.#deps.perDay, windowMs: DAY_MS },
      authorId,
      clips.length,
    );
    if (refusal !== undefined && allowed < clips.length) throw refusal;
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + this.#deps.lifetimeMs);
    const { rows, notify } = await db.transaction(async (tx) => {
      const mentioned =
        usernames.length === 0
          ? []
          : await tx
              .select({ id: users.id })
              .from(users)
              .where(and(inArray(users.username, usernames), notBlockedWith(authorId, users.id)));
      const rows = await tx
        .insert(stories)
        .values(
          clips.map((clip, part) => ({
            id: Bun.randomUUIDv7(),
            authorId,
            petId: request.asPetId ?? null,
            mediaId: item.id,
            kind: item.kind,
            clipStartMs: clip?.startMs ?? null,
            clipEndMs: clip?.endMs ?? null,
            part,
            audience: request.audience,
            overlays,
            mentionIds: mentioned.map((user) => user.id).filter((id) => id !== authorId),
            hashtag,
            linkPostId: request.linkPostId ?? null,
            sticker,
            createdAt,
            expiresAt,
            clientId: request.clientId ?? null,
          })),
        )
        .returning();
      const first = rows[0] as StoryRow;
      const notify: (Prepared | undefined)[] = [];
      for (const userId of first.mentionIds) {
        if (!(await this.#mayShow(tx as unknown as Database, first, userId))) continue;
        notify.push(
          await this.#deps.notifier.prepare(tx, { userId, type: 'story.mention', actorId: authorId, data: { storyId: first.id } }),
        );
      }
      return { rows, notify };
    });
    this.#deps.notifier.dispatch(notify);
    const announce = this.#announce(rows).finally(() => this.#announcing.delete(announce));
    this.#announcing.add(announce);
    return { stories: await storyViewsFor(db, authorId, rows) };
  }

  /** Whether `viewerId` may see `row` (an active story) by its audience, blocks and the hidden list. */
  async #mayShow(db: Database, row: StoryRow, viewerId: string): Promise<boolean> {
    if (!allows(row.audience, await relationFacts(db, viewerId, row.authorId))) return false;
    const [hidden] = await db
      .select({ id: storyHidden.hiddenId })
      .from(storyHidden)
      .where(and(eq(storyHidden.ownerId, row.authorId), eq(storyHidden.hiddenId, viewerId)));
    return hidden === undefined;
  }

  /** After a create: the friends and followers it reaches (not muting the author) hear of it. */
  async #announce(rows: StoryRow[]): Promise<void> {
    const last = rows.at(-1) as StoryRow;
    try {
      const audience = await this.#audience(last.authorId, last.audience);
      await Promise.all(
        audience.map((userId) => emit(this.#deps, 'feed', userId, 'story.added', { authorId: last.authorId, storyId: last.id })),
      );
    } catch (error) {
      this.#deps.log.error({ err: error, story: last.id }, `stories.create() | trays not told [story:${last.id}]`);
    }
  }

  /** Waits for the announcements under way (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all(this.#announcing);
  }

  /**
   * The people an author's story of `audience` reaches live: friends (close friends only for a
   * close-friends story), and followers for a public one; never the hidden, the blocked either
   * way, or those who muted the author; nobody beyond FANOUT_LIMIT.
   */
  async #audience(authorId: string, audience: StoryAudience): Promise<string[]> {
    const { db } = this.#deps;
    const friends = await db
      .select({ id: friendships.friendId })
      .from(friendships)
      .where(and(eq(friendships.userId, authorId), audience === 'close_friends' ? eq(friendships.closeFriend, true) : undefined))
      .limit(FANOUT_LIMIT + 1);
    const reached = new Set(friends.map((row) => row.id));
    if (audience === 'public') {
      const followers = await db
        .select({ id: follows.followerId })
        .from(follows)
        .where(eq(follows.followeeId, authorId))
        .limit(FANOUT_LIMIT + 1);
      for (const row of followers) reached.add(row.id);
    }
    if (reached.size === 0 || reached.size > FANOUT_LIMIT) return [];
    const ids = [...reached];
    const [hidden, muting] = await Promise.all([
      db
        .select({ id: storyHidden.hiddenId })
        .from(storyHidden)
        .where(and(eq(storyHidden.ownerId, authorId), inArray(storyHidden.hiddenId, ids))),
      db
        .select({ id: storyMutes.userId })
        .from(storyMutes)
        .where(and(eq(storyMutes.mutedId, authorId), inArray(storyMutes.userId, ids))),
    ]);
    for (const row of [...hidden, ...muting]) reached.delete(row.id);
    return [...reached];
  }

  /** Deletes one of the author's stories; those who could see it hear `story.removed`. */
  async remove(authorId: string, storyId: string): Promise<void> {
    const row = await this.#own(authorId, storyId);
    const [deleted] = await this.#deps.db
      .update(stories)
      .set({ deletedAt: new Date() })
      .where(and(eq(stories.id, row.id), sql`${stories.deletedAt} is null`))
      .returning({ id: stories.id });
    if (deleted === undefined) throw new NotFoundError('story');
    if (row.expiresAt.getTime() > Date.now()) await this.#tellRemoved(row.authorId, [row.id], await this.#audience(authorId, row.audience));
  }

  async #tellRemoved(authorId: string, storyIds: string[], userIds: string[]): Promise<void> {
    await Promise.all(
      userIds.flatMap((userId) => storyIds.map((storyId) => emit(this.#deps, 'feed', userId, 'story.removed', { authorId, storyId }))),
    );
  }

  async get(viewerId: string, storyId: string): Promise<StoryView> {
    return this.#view(viewerId, await this.visible(viewerId, storyId));
  }

  /** An author's active stories the viewer may see, oldest first; NOT_FOUND for no such person or a block either way. */
  async byAuthor(viewerId: string, authorId: string): Promise<{ items: StoryView[] }> {
    if (!(await seeable(this.#deps.db, viewerId, authorId))) throw new NotFoundError('user');
    const rows = await this.#deps.db
      .select()
      .from(s)
      .where(and(eq(s.authorId, authorId), sql`s.expires_at > now()`, storyVisibleTo(viewerId)))
      .orderBy(asc(s.createdAt), asc(s.part))
      .limit(LIST_MAX);
    return { items: await storyViewsFor(this.#deps.db, viewerId, rows) };
  }

  /** The author's own stories, newest first (not deleted; expired ones while kept). */
  async archive(authorId: string, cursor: string | undefined) {
    const after = decodeTypedCursor(cursor, ['uuid']);
    const rows = await this.#deps.db
      .select()
      .from(stories)
      .where(
        and(
          eq(stories.authorId, authorId),
          sql`${stories.deletedAt} is null`,
          after === undefined ? undefined : lt(stories.id, after[0] as string),
        ),
      )
      .orderBy(desc(stories.id))
      .limit(PAGE_SIZE + 1);
    const page = pageOf(
      rows,
      PAGE_SIZE,
      (row) => [row.id],
      (row) => row,
    );
    return { items: await storyViewsFor(this.#deps.db, authorId, page.items), nextCursor: page.nextCursor };
  }

  /** Counts a view once per viewer; the author hears of a first view. */
  async markSeen(viewerId: string, storyId: string): Promise<{ seen: boolean }> {
    const row = await this.visible(viewerId, storyId);
    if (row.authorId === viewerId || row.expiresAt.getTime() <= Date.now()) return { seen: true };
    const viewedAt = new Date();
    const views = await this.#deps.db.transaction(async (tx) => {
      const [added] = await tx
        .insert(storyViews)
        .values({ storyId: row.id, viewerId, viewedAt })
        .onConflictDoNothing()
        .returning({ storyId: storyViews.storyId });
      if (added === undefined) return undefined;
      const [counted] = await tx
        .update(stories)
        .set({ viewCount: sql`${stories.viewCount} + 1` })
        .where(eq(stories.id, row.id))
        .returning({ views: stories.viewCount });
      return counted?.views;
    });
    if (views !== undefined)
      await emit(this.#deps, 'user', row.authorId, 'story.viewed', { storyId: row.id, viewerId, viewedAt: viewedAt.toISOString(), views });
    return { seen: true };
  }

  /** Who viewed one of the author's stories, newest first. */
  async viewers(authorId: string, request: Request<'stories.viewers'>) {
    const row = await this.#own(authorId, request.storyId);
    const after = decodeTypedCursor(request.cursor, ['time', 'uuid']);
    const rows = await this.#deps.db
      .select({ ...summaryColumns, viewedAt: storyViews.viewedAt })
      .from(storyViews)
      .innerJoin(users, eq(users.id, storyViews.viewerId))
      .leftJoin(profiles, eq(profiles.userId, users.id))
      .where(
        and(eq(storyViews.storyId, row.id), notBlockedWith(authorId, users.id), olderThan(storyViews.viewedAt, storyViews.viewerId, after)),
      )
      .orderBy(desc(storyViews.viewedAt), desc(storyViews.viewerId))
      .limit(PAGE_SIZE + 1);
    const page = pageOf(
      rows,
      PAGE_SIZE,
      (r) => [r.viewedAt.toISOString(), r.id],
      (r) => ({ viewer: toSummary(r), viewedAt: r.viewedAt.toISOString() }),
    );
    return { ...page, views: row.viewCount };
  }

  /** A vote in the story's poll or an answer to its question, once per person. */
  async answer(userId: string, request: Request<'stories.answer'>): Promise<StoryView> {
    const row = await this.visible(userId, request.storyId);
    if (row.authorId === userId) throw new InvalidInputError('you cannot answer your own story', { field: 'storyId' });
    const sticker = row.sticker;
    let option: number | null = null;
    let answer: string | null = null;
    if (sticker?.kind === 'poll') {
      if (request.option === undefined || request.answer !== undefined || request.option >= sticker.options.length)
        throw new InvalidInputError(`the poll takes an option from 0 to ${sticker.options.length - 1}`, { field: 'option' });
      option = request.option;
    } else if (sticker?.kind === 'question') {
      if (request.answer === undefined || request.option !== undefined)
        throw new InvalidInputError('the question takes an answer', { field: 'answer' });
      answer = request.answer.trim();
      checkPlainText(answer, 'answer');
      if (answer === '') throw new InvalidInputError('the answer is empty', { field: 'answer' });
    } else throw new InvalidInputError('the story has no poll or question', { field: 'storyId' });
    const answeredAt = new Date();
    const [stored] = await this.#deps.db
      .insert(storyAnswers)
      .values({ storyId: row.id, userId, option, answer, answeredAt })
      .onConflictDoNothing()
      .returning({ storyId: storyAnswers.storyId });
    if (stored === undefined) throw new ConflictError('ALREADY_ANSWERED', 'you already answered this story', 'storyId');
    await this.markSeen(userId, row.id);
    // The totals after this answer, as the author's view of the story counts them.
    const totals = rowsOf<{ option: number | null; n: number }>(
      await this.#deps.db.execute(sql`select option, count(*)::int as n from story_answers where story_id = ${row.id} group by option`),
    );
    await emit(this.#deps, 'user', row.authorId, 'story.answered', {
      storyId: row.id,
      userId,
      option,
      answer,
      answeredAt: answeredAt.toISOString(),
      votes: sticker.kind === 'poll' ? sticker.options.map((_, i) => totals.find((total) => total.option === i)?.n ?? 0) : null,
      answers: sticker.kind === 'question' ? totals.reduce((sum, total) => sum + total.n, 0) : null,
    });
    return this.#view(userId, row);
  }

  /** A message to the author quoting the story, through the messenger (its rules, its room). */
  async reply(userId: string, request: Request<'stories.reply'>, chats: Chats): Promise<MessageView> {
    if ((request.text === undefined) === (request.emoji === undefined))
      throw new InvalidInputError('give exactly one of text and emoji', { field: 'text' });
    const text = (request.text ?? request.emoji ?? '').trim();
    if (text === '') throw new InvalidInputError('the reply is empty', { field: 'text' });
    if (request.emoji !== undefined && !ONE_EMOJI.test(text)) throw new InvalidInputError('not one emoji', { field: 'emoji' });
    const row = await this.visible(userId, request.storyId);
    if (row.authorId === userId || row.expiresAt.getTime() <= Date.now()) throw new NotFoundError('story');
    return chats.sendStoryReply(
      userId,
      {
        storyId: row.id,
        authorId: row.authorId,
        kind: request.emoji === undefined ? 'reply' : 'reaction',
        mediaId: row.mediaId,
        expiresAt: row.expiresAt.toISOString(),
      },
      text,
      request.clientId,
    );
  }

  async answers(authorId: string, request: Request<'stories.answers'>) {
    const row = await this.#own(authorId, request.storyId);
    const after = decodeTypedCursor(request.cursor, ['time', 'uuid']);
    const rows = await this.#deps.db
      .select({ ...summaryColumns, option: storyAnswers.option, answer: storyAnswers.answer, answeredAt: storyAnswers.answeredAt })
      .from(storyAnswers)
      .innerJoin(users, eq(users.id, storyAnswers.userId))
      .leftJoin(profiles, eq(profiles.userId, users.id))
      .where(
        and(
          eq(storyAnswers.storyId, row.id),
          notBlockedWith(authorId, users.id),
          olderThan(storyAnswers.answeredAt, storyAnswers.userId, after),
        ),
      )
      .orderBy(desc(storyAnswers.answeredAt), desc(storyAnswers.userId))
      .limit(PAGE_SIZE + 1);
    return pageOf(
      rows,
      PAGE_SIZE,
      (r) => [r.answeredAt.toISOString(), r.id],
      (r) => ({ user: toSummary(r), option: r.option, answer: r.answer, answeredAt: r.answeredAt.toISOString() }),
    );
  }

  /** Hides (or shows again) the owner's stories from people; the newly hidden lose the active ones at once. */
  async hide(ownerId: string, userIds: string[], hidden: boolean): Promise<Record<string, never>> {
    const { db } = this.#deps;
    const targets = [...new Set(userIds)].filter((id) => id !== ownerId);
    if (targets.length === 0) return {};
    const visible = await db
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, targets), notBlockedWith(ownerId, users.id)));
    if (visible.length !== targets.length) throw new NotFoundError('user');
    if (!hidden) {
      await db.delete(storyHidden).where(and(eq(storyHidden.ownerId, ownerId), inArray(storyHidden.hiddenId, targets)));
      return {};
    }
    // What each of them may see now, before the hiding: what they are told to take out.
    const active = await db
      .select()
      .from(stories)
      .where(and(eq(stories.authorId, ownerId), sql`${stories.deletedAt} is null and ${stories.expiresAt} > now()`));
    const couldSee = new Map<string, string[]>();
    for (const target of targets) {
      // One read of how they stand per person; someone hidden already is not told again (not `added`).
      const facts = await relationFacts(db, target, ownerId);
      couldSee.set(
        target,
        active.filter((row) => allows(row.audience, facts)).map((row) => row.id),
      );
    }
    const added = await db.transaction(async (tx) => {
      // One owner's list changes one at a time: the count below holds.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`story_hidden:${ownerId}`}, 0))`);
      const rows = await tx
        .insert(storyHidden)
        .values(targets.map((hiddenId) => ({ ownerId, hiddenId, createdAt: new Date() })))
        .onConflictDoNothing()
        .returning({ id: storyHidden.hiddenId });
      const [total] = await tx.select({ n: count() }).from(storyHidden).where(eq(storyHidden.ownerId, ownerId));
      if ((total?.n ?? 0) > STORY_LIMITS.hidden) throw new ListFullError('TOO_MANY_HIDDEN', STORY_LIMITS.hidden);
      return rows.map((row) => row.id);
    });
    await Promise.all(added.map((userId) => this.#tellRemoved(ownerId, couldSee.get(userId) ?? [], [userId])));
    return {};
  }

  async mute(userId: string, mutedId: string, muted: boolean): Promise<{ muted: boolean }> {
    const { db } = this.#deps;
    if (mutedId === userId) throw new InvalidInputError('you cannot mute yourself', { field: 'userId' });
    const [target] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, mutedId), notBlockedWith(userId, users.id)));
    if (target === undefined) throw new NotFoundError('user');
    if (!muted) {
      await db.delete(storyMutes).where(and(eq(storyMutes.userId, userId), eq(storyMutes.mutedId, mutedId)));
      return { muted };
    }
    await db.transaction(async (tx) => {
      // One user's list changes one at a time: the count below holds.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`story_mutes:${userId}`}, 0))`);
      await tx.insert(storyMutes).values({ userId, mutedId, createdAt: new Date() }).onConflictDoNothing();
      const [total] = await tx.select({ n: count() }).from(storyMutes).where(eq(storyMutes.userId, userId));
      if ((total?.n ?? 0) > STORY_LIMITS.muted) throw new ListFullError('TOO_MANY_MUTED', STORY_LIMITS.muted);
    });
    return { muted };
  }

  async settings(userId: string, request: Request<'stories.settings'>) {
    const { db } = this.#deps;
    if (request.archive !== undefined)
      await db
        .insert(storySettings)
        .values({ userId, archive: request.archive, updatedAt: new Date() })
        .onConflictDoUpdate({ target: storySettings.userId, set: { archive: request.archive, updatedAt: new Date() } });
    const [settings] = await db.select({ archive: storySettings.archive }).from(storySettings).where(eq(storySettings.userId, userId));
    const [hidden, hiddenCount, muted, mutedCount] = await Promise.all([
      db
        .select(summaryColumns)
        .from(storyHidden)
        .innerJoin(users, eq(users.id, storyHidden.hiddenId))
        .leftJoin(profiles, eq(profiles.userId, users.id))
        .where(and(eq(storyHidden.ownerId, userId), notBlockedWith(userId, users.id)))
        .orderBy(desc(storyHidden.createdAt))
        .limit(LIST_MAX),
      db.select({ n: count() }).from(storyHidden).where(eq(storyHidden.ownerId, userId)),
      db
        .select(summaryColumns)
        .from(storyMutes)
        .innerJoin(users, eq(users.id, storyMutes.mutedId))
        .leftJoin(profiles, eq(profiles.userId, users.id))
        .where(and(eq(storyMutes.userId, userId), notBlockedWith(userId, users.id)))
        .orderBy(desc(storyMutes.createdAt))
        .limit(LIST_MAX),
      db.select({ n: count() }).from(storyMutes).where(eq(storyMutes.userId, userId)),
    ]);
    return {
      archive: settings?.archive ?? true,
      hidden: hidden.map(toSummary),
      hiddenCount: hiddenCount[0]?.n ?? 0,
      muted: muted.map(toSummary),
      mutedCount: mutedCount[0]?.n ?? 0,
    };
  }
}

/** The clips a media plays as stories: one whole (undefined) for an image or a short video. */
function clipsOf(kind: 'image' | 'video', durationMs: number | null, split: boolean): ({ startMs: number; endMs: number } | undefined)[] {
  const max = STORY_LIMITS.videoMs;
  if (kind === 'image' || durationMs === null || durationMs <= max) return [undefined];
  if (!split || durationMs > max * STORY_LIMITS.clips) throw new StoryTooLongError(durationMs, max);
  const clips = [];
  for (let startMs = 0; startMs < durationMs; startMs += max) clips.push({ startMs, endMs: Math.min(durationMs, startMs + max) });
  return clips;
}

function cleanSticker(sticker: Request<'stories.create'>['sticker'] & object) {
  const clean = (text: string, field: string) => {
    const trimmed = text.trim();
    checkPlainText(trimmed, field);
    if (trimmed === '') throw new InvalidInputError(`${field} is empty`, { field });
    return trimmed;
  };
  if (sticker.kind === 'question') return { kind: 'question' as const, prompt: clean(sticker.prompt, 'sticker') };
  return { kind: 'poll' as const, question: clean(sticker.question, 'sticker'), options: sticker.options.map((o) => clean(o, 'sticker')) };
}

/** Whether the person exists and no block stands between them and the viewer (NOT_FOUND otherwise, wherever it is asked). */
export async function seeable(db: Database, viewerId: string, userId: string): Promise<boolean> {
  const [found] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  return found !== undefined && (viewerId === userId || !isBlocked(await relationFacts(db, viewerId, userId)));
}
