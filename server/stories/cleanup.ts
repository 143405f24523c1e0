// The cleanup of expired stories: every STORY_CLEANUP_EVERY_MS (an hour) one node deletes the
// stories that are past their 24 hours and kept nowhere (no highlight holds them, and their
// author turned the archive off), the stories their authors deleted, and then each of their media
// that nothing else shows (a post may show the same photo). Which node runs a round is decided by
// one row (`story_cleanup`): the first node whose claim on it succeeds, for a lease of a quarter
// of the period (at most 15 minutes); the round's due time moves on only when it finishes, so a
// node that dies mid-round leaves it to the next node whose claim finds the lease lapsed. Every
// step is idempotent: a round run twice deletes nothing twice.
import { and, eq, lt, or, sql } from 'drizzle-orm';
import { NotFoundError } from '../errors.ts';
import { MediaInUseError } from '../media/errors.ts';
import type { Media } from '../media/media.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { Logger } from '../platform/log.ts';
import { stories, storyCleanup } from './schema.ts';

const BATCH = 500;
const MAX_LEASE_MS = 15 * 60_000;
const MAX_TICK_MS = 60_000;

export interface CleanupDeps {
  db: Database;
  media: Media;
  log: Logger;
  node: string;
  everyMs: number;
}

export class StoryCleanup {
  readonly #deps: CleanupDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(deps: CleanupDeps) {
    this.#deps = deps;
  }

  get #leaseMs() {
    return Math.min(MAX_LEASE_MS, Math.max(1000, this.#deps.everyMs / 4));
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        this.#running = this.runDue()
          .catch((error: unknown) => this.#deps.log.error({ err: error }, 'stories.cleanup() | round failed'))
          .finally(() => this.#schedule());
      },
      Math.min(MAX_TICK_MS, this.#deps.everyMs / 4),
    );
  }

  /** Runs a round if one is due and no other node holds it; returns the stories deleted, or undefined when it did not run. */
  async runDue(): Promise<number | undefined> {
    const { db, node } = this.#deps;
    await db.insert(storyCleanup).values({ id: 1, nextRunAt: new Date() }).onConflictDoNothing();
    const [claimed] = await db
      .update(storyCleanup)
      .set({ claimedBy: node, claimedUntil: sql`now() + make_interval(secs => ${this.#leaseMs / 1000})` })
      .where(
        and(
          eq(storyCleanup.id, 1),
          sql`${storyCleanup.nextRunAt} <= now()`,
          or(sql`${storyCleanup.claimedUntil} is null`, lt(storyCleanup.claimedUntil, sql`now()`)),
        ),
      )
      .returning({ id: storyCleanup.id });
    if (claimed === undefined) return undefined;
    let deleted = 0;
    for (;;) {
      const batch = await this.#deleteBatch();
      deleted += batch;
      if (batch < BATCH || this.#stopped) break;
    }
    await db
      .update(storyCleanup)
      .set({
        nextRunAt: sql`now() + make_interval(secs => ${this.#deps.everyMs / 1000})`,
        claimedBy: null,
        claimedUntil: null,
        lastRunAt: sql`now()`,
        lastDeleted: deleted,
      })
      .where(and(eq(storyCleanup.id, 1), eq(storyCleanup.claimedBy, node)));
    if (deleted > 0) this.#deps.log.info(`stories.cleanup() | deleted ${deleted} stories [node:${node}]`);
    return deleted;
  }

  /** One batch: the stories to go, then the media they leave unused. */
  async #deleteBatch(): Promise<number> {
    const { db, media } = this.#deps;
    const gone = rowsOf<{ id: string; media_id: string; author_id: string }>(
      await db.execute(sql`
        delete from stories where id in (
          select s.id from stories s
          where s.deleted_at is not null
            or (s.expires_at <= now()
              and not exists (select 1 from story_highlight_items i where i.story_id = s.id)
              and exists (select 1 from story_settings st where st.user_id = s.author_id and not st.archive))
          limit ${BATCH}
          -- A story being put in a highlight is locked: left for the next round, which sees it kept.
          for update skip locked)
        returning id, media_id, author_id`),
    );
    const mediaOf = new Map(gone.map((row) => [row.media_id, row.author_id]));
    for (const [mediaId, ownerId] of mediaOf) {
      // Still shown by another story (a clip, one kept), a post, a profile…: it stays.
      const [inUse] = await db
        .select({ id: stories.id })
        .from(stories)
        .where(and(eq(stories.mediaId, mediaId), sql`${stories.deletedAt} is null`))
        .limit(1);
      if (inUse !== undefined) continue;
      try {
        await media.delete(ownerId, mediaId);
      } catch (error) {
        if (error instanceof MediaInUseError || error instanceof NotFoundError) continue;
        throw error;
      }
    }
    return gone.length;
  }
}
