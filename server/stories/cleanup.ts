// The cleanup of expired stories: every STORY_CLEANUP_EVERY_MS (an hour) one node deletes the
// stories that are past their 24 hours and kept nowhere (no highlight holds them, and their
// author turned the archive off), the stories their authors deleted, and then each of their media
// that nothing else shows (a post may show the same photo). One node runs a round, and a round a
// node died in is run again by another (platform/periodic.ts, the job `stories.cleanup`). Every
// step is idempotent: a round run twice deletes nothing twice.
import { and, eq, sql } from 'drizzle-orm';
import { NotFoundError } from '../errors.ts';
import { MediaInUseError } from '../media/errors.ts';
import type { Media } from '../media/media.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { Logger } from '../platform/log.ts';
import { PeriodicJob } from '../platform/periodic.ts';
import { stories } from './schema.ts';

const BATCH = 500;
/** Its row in periodic_jobs. */
export const CLEANUP_JOB = 'stories.cleanup';

export interface CleanupDeps {
  db: Database;
  media: Media;
  log: Logger;
  node: string;
  everyMs: number;
}

export class StoryCleanup {
  readonly #deps: CleanupDeps;
  readonly #job: PeriodicJob<number>;

  constructor(deps: CleanupDeps) {
    this.#deps = deps;
    this.#job = new PeriodicJob({ ...deps, name: CLEANUP_JOB, round: (stopping) => this.#round(stopping) });
  }

  start(): void {
    this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** Runs a round if one is due and no other node holds it; returns the stories deleted, or undefined when it did not run. */
  runDue(): Promise<number | undefined> {
    return this.#job.runDue();
  }

  async #round(stopping: () => boolean): Promise<number> {
    let deleted = 0;
    for (;;) {
      const batch = await this.#deleteBatch();
      deleted += batch;
      if (batch < BATCH || stopping()) break;
    }
    if (deleted > 0) this.#deps.log.info(`stories.cleanup() | deleted ${deleted} stories [node:${this.#deps.node}]`);
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
