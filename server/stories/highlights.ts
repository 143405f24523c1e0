// Highlights: named collections of an author's own stories on their profile, kept beyond 24
// hours (the cleanup never deletes a story a highlight holds). Others see, in each, the stories
// their audience and "hide my story from" allow, whatever their age; a highlight showing them
// nothing is not listed. A save replaces the title, the stories in order and the cover at once.
import type { Static } from '@sinclair/typebox';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Highlight, storyCalls } from '../../protocol/calls/stories.ts';
import { STORY_LIMITS } from '../../protocol/lists.ts';
import { InvalidInputError, NotFoundError, ServerError } from '../errors.ts';
import { allowsSql } from '../people/privacy.ts';
import type { Database } from '../platform/db/index.ts';
import { cleanName } from '../platform/input.ts';
import { stories, storyHighlightItems, storyHighlights } from './schema.ts';
import { seeable } from './stories.ts';
import { type StoryView, storyViewsFor } from './views.ts';

type Request<N extends keyof typeof storyCalls> = Static<(typeof storyCalls)[N]['request']>;
type HighlightView = Static<typeof Highlight>;

/** The user already has STORY_LIMITS.highlights highlights; nothing was saved. */
class TooManyHighlightsError extends ServerError {
  readonly code = 'TOO_MANY_HIGHLIGHTS';
  readonly status = 403;
  readonly limit = STORY_LIMITS.highlights;
  constructor() {
    super(`at most ${STORY_LIMITS.highlights} highlights`);
    this.name = 'TooManyHighlightsError';
  }
  override details() {
    return { limit: this.limit };
  }
}

const s = alias(stories, 's');

/** SQL: the story aliased `s`, in a highlight, may be seen by `viewerId` (its audience and the hidden list; not its age). */
function inHighlightVisibleTo(viewerId: string) {
  return sql`(s.deleted_at is null and (s.author_id = ${viewerId} or (${allowsSql(sql`s.audience`, sql`s.author_id`, viewerId)}
    and not exists (select 1 from story_hidden h where h.owner_id = s.author_id and h.hidden_id = ${viewerId}))))`;
}

export class Highlights {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Each highlight's stories `viewerId` may see, in order. */
  async #visibleItems(viewerId: string, highlightIds: string[]) {
    if (highlightIds.length === 0) return [];
    return this.#db
      .select({ highlightId: storyHighlightItems.highlightId, story: s })
      .from(storyHighlightItems)
      .innerJoin(s, eq(s.id, storyHighlightItems.storyId))
      .where(and(inArray(storyHighlightItems.highlightId, highlightIds), inHighlightVisibleTo(viewerId)))
      .orderBy(asc(storyHighlightItems.position));
  }

  #view(row: typeof storyHighlights.$inferSelect, items: { story: typeof stories.$inferSelect }[]): HighlightView {
    const cover = items.find((item) => item.story.id === row.coverStoryId) ?? items[0];
    return {
      id: row.id,
      title: row.title,
      cover: cover === undefined ? null : { storyId: cover.story.id, mediaId: cover.story.mediaId },
      stories: items.length,
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async list(viewerId: string, ownerId: string): Promise<{ items: HighlightView[] }> {
    if (!(await seeable(this.#db, viewerId, ownerId))) throw new NotFoundError('user');
    const rows = await this.#db
      .select()
      .from(storyHighlights)
      .where(eq(storyHighlights.ownerId, ownerId))
      .orderBy(asc(storyHighlights.position), asc(storyHighlights.id));
    const items = await this.#visibleItems(
      viewerId,
      rows.map((row) => row.id),
    );
    return {
      items: rows.flatMap((row) => {
        const mine = items.filter((item) => item.highlightId === row.id);
        return mine.length === 0 ? [] : [this.#view(row, mine)];
      }),
    };
  }

  async get(viewerId: string, highlightId: string): Promise<{ highlight: HighlightView; items: StoryView[] }> {
    const [row] = await this.#db.select().from(storyHighlights).where(eq(storyHighlights.id, highlightId));
    if (row === undefined) throw new NotFoundError('highlight');
    if (!(await seeable(this.#db, viewerId, row.ownerId))) throw new NotFoundError('highlight');
    const items = await this.#visibleItems(viewerId, [row.id]);
    if (items.length === 0) throw new NotFoundError('highlight');
    return {
      highlight: this.#view(row, items),
      items: await storyViewsFor(
        this.#db,
        viewerId,
        items.map((item) => item.story),
      ),
    };
  }

  async save(ownerId: string, request: Request<'stories.saveHighlight'>): Promise<HighlightView> {
    const title = cleanName(request.title, 'title', { required: true });
    const storyIds = [...new Set(request.storyIds)];
    if (storyIds.length !== request.storyIds.length) throw new InvalidInputError('a story is in a highlight once', { field: 'storyIds' });
    if (request.coverStoryId !== undefined && !storyIds.includes(request.coverStoryId))
      throw new InvalidInputError('the cover is one of the highlight’s stories', { field: 'coverStoryId' });
    const now = new Date();
    const id = await this.#db.transaction(async (tx) => {
      // One owner's highlights change one at a time: the count and the positions hold.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`story_highlights:${ownerId}`}, 0))`);
      // Locked: the cleanup skips stories being put in a highlight (and one it is deleting is gone here).
      const own = await tx
        .select({ id: stories.id })
        .from(stories)
        .where(and(inArray(stories.id, storyIds), eq(stories.authorId, ownerId), sql`${stories.deletedAt} is null`))
        .for('update');
      if (own.length !== storyIds.length) throw new NotFoundError('story');
      let id = request.highlightId;
      if (id === undefined) {
        const [total] = await tx.select({ n: count() }).from(storyHighlights).where(eq(storyHighlights.ownerId, ownerId));
        if ((total?.n ?? 0) >= STORY_LIMITS.highlights) throw new TooManyHighlightsError();
        const [last] = await tx
          .select({ position: sql<number>`coalesce(max(${storyHighlights.position}), -1)::int` })
          .from(storyHighlights)
          .where(eq(storyHighlights.ownerId, ownerId));
        id = Bun.randomUUIDv7();
        await tx.insert(storyHighlights).values({
          id,
          ownerId,
          title,
          coverStoryId: request.coverStoryId ?? null,
          position: (last?.position ?? -1) + 1,
          createdAt: now,
          updatedAt: now,
        });
      } else {
        const [updated] = await tx
          .update(storyHighlights)
          .set({ title, coverStoryId: request.coverStoryId ?? null, updatedAt: now })
          .where(and(eq(storyHighlights.id, id), eq(storyHighlights.ownerId, ownerId)))
          .returning({ id: storyHighlights.id });
        if (updated === undefined) throw new NotFoundError('highlight');
        await tx.delete(storyHighlightItems).where(eq(storyHighlightItems.highlightId, id));
      }
      await tx.insert(storyHighlightItems).values(storyIds.map((storyId, position) => ({ highlightId: id as string, storyId, position })));
      return id;
    });
    const [row] = await this.#db.select().from(storyHighlights).where(eq(storyHighlights.id, id));
    return this.#view(row as typeof storyHighlights.$inferSelect, await this.#visibleItems(ownerId, [id]));
  }

  async remove(ownerId: string, highlightId: string): Promise<void> {
    const deleted = await this.#db
      .delete(storyHighlights)
      .where(and(eq(storyHighlights.id, highlightId), eq(storyHighlights.ownerId, ownerId)))
      .returning({ id: storyHighlights.id });
    if (deleted.length === 0) throw new NotFoundError('highlight');
  }

  async order(ownerId: string, highlightIds: string[]): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`story_highlights:${ownerId}`}, 0))`);
      const rows = await tx.select({ id: storyHighlights.id }).from(storyHighlights).where(eq(storyHighlights.ownerId, ownerId));
      const mine = new Set(rows.map((row) => row.id));
      if (
        new Set(highlightIds).size !== highlightIds.length ||
        highlightIds.length !== mine.size ||
        highlightIds.some((id) => !mine.has(id))
      )
        throw new InvalidInputError('give every one of your highlights, each once', { field: 'highlightIds' });
      for (const [position, id] of highlightIds.entries())
        await tx.update(storyHighlights).set({ position }).where(eq(storyHighlights.id, id));
    });
  }
}
