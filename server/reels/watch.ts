// What players report (reels.watch): watch time per viewer and reel, capped at a few plays so a
// looping player does not inflate it; a view counted once per viewer when their total passes
// 2 s or half the reel; finishing and skipping. Each item updates the viewer's row and the reel's
// counters in one transaction, taken in reel order, then the creators' reach in creator order, so
// two batches never wait on each other in a circle; the counters stay equal to the rows they
// count (tested under concurrency, with batches sharing creators in opposite orders).
import type { Static } from '@sinclair/typebox';
import { and, eq, sql } from 'drizzle-orm';
import type { reelCalls } from '../../protocol/calls/reels.ts';
import { REEL_LIMITS } from '../../protocol/lists.ts';
import { InvalidInputError } from '../errors.ts';
import type { SocialDeps } from '../people/context.ts';
import { uuids } from '../platform/db/any-of.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { reelCreators, reelInteractions, reels, reelViewers } from './schema.ts';
import { reelVisibleTo } from './views.ts';

type Item = Static<(typeof reelCalls)['reels.watch']['request']>['items'][number];

/** How long a viewer must watch for their view to count: 2 s, or half a reel shorter than 4 s. */
const viewThresholdMs = (durationMs: number) => Math.min(REEL_LIMITS.viewAfterMs, Math.floor(durationMs / 2));

export async function recordWatch(
  deps: Pick<SocialDeps, 'db' | 'limiter'>,
  viewerId: string,
  items: Item[],
): Promise<{ counted: string[]; ignored: string[] }> {
  const ids = items.map((item) => item.reelId);
  if (new Set(ids).size !== ids.length) throw new InvalidInputError('each reel once per batch', { field: 'items' });
  await deps.limiter.hit({ name: 'reel-watch', max: REEL_LIMITS.watchBatchesPerMinute, windowMs: 60_000 }, viewerId);
  const visible = new Map(
    rowsOf<{ post_id: string; author_id: string; duration_ms: number }>(
      await deps.db.execute(sql`
        select r.post_id, r.author_id, r.duration_ms from reels r join posts p on p.id = r.post_id
        where r.post_id = any(${uuids(ids)}) and ${reelVisibleTo(viewerId)}`),
    ).map((row) => [row.post_id, row]),
  );
  const ignored = ids.filter((id) => !visible.has(id));
  const counted: string[] = [];
  const mine = [...items]
    .filter((item) => {
      const reel = visible.get(item.reelId);
      return reel !== undefined && reel.author_id !== viewerId;
    })
    .sort((a, b) => (a.reelId < b.reelId ? -1 : 1));
  if (mine.length === 0) return { counted, ignored };
  await deps.db.transaction(async (tx) => {
    const now = new Date();
    const creatorViews = new Map<string, number>();
    for (const item of mine) {
      const durationMs = (visible.get(item.reelId) as { duration_ms: number }).duration_ms;
      const cap = durationMs * REEL_LIMITS.watchPlays;
      // The viewer's row, locked: concurrent batches for one reel and viewer take turns.
      await tx
        .insert(reelViewers)
        .values({ reelId: item.reelId, userId: viewerId, source: item.source, firstAt: now, lastAt: now })
        .onConflictDoNothing();
      const [before] = await tx
        .select()
        .from(reelViewers)
        .where(and(eq(reelViewers.reelId, item.reelId), eq(reelViewers.userId, viewerId)))
        .for('update');
      if (before === undefined) continue;
      const watchedMs = Math.min(before.watchedMs + item.watchedMs, cap);
      const viewed = before.viewed || watchedMs >= viewThresholdMs(durationMs);
      const newView = viewed && !before.viewed;
      const completed = before.completed || item.completed;
      const skipped = before.skipped || (item.skipped && !viewed);
      await tx
        .update(reelViewers)
        .set({ watchedMs, viewed, completed, skipped, source: before.source ?? item.source, lastAt: now })
        .where(and(eq(reelViewers.reelId, item.reelId), eq(reelViewers.userId, viewerId)));
      const addedMs = watchedMs - before.watchedMs;
      const finished = completed && !before.completed;
      if (addedMs > 0 || newView || finished)
        await tx
          .update(reels)
          .set({
            watchMs: sql`${reels.watchMs} + ${addedMs}`,
            viewCount: sql`${reels.viewCount} + ${newView ? 1 : 0}`,
            completions: sql`${reels.completions} + ${finished ? 1 : 0}`,
          })
          .where(eq(reels.postId, item.reelId));
      const log = (kind: 'view' | 'skip') => ({
        id: Bun.randomUUIDv7(),
        reelId: item.reelId,
        userId: viewerId,
        kind,
        watchMs: watchedMs,
        source: item.source,
        createdAt: now,
      });
      if (newView) {
        const authorId = (visible.get(item.reelId) as { author_id: string }).author_id;
        creatorViews.set(authorId, (creatorViews.get(authorId) ?? 0) + 1);
        await tx.insert(reelInteractions).values(log('view'));
        counted.push(item.reelId);
      }
      if (skipped && !before.skipped) await tx.insert(reelInteractions).values(log('skip'));
    }
    // The creators' reach last, in their order: batches that share creators lock them in the
    // same order, after every reel row, and never wait on each other in a circle.
    for (const authorId of [...creatorViews.keys()].sort())
      await tx
        .insert(reelCreators)
        .values({ authorId, views: creatorViews.get(authorId) as number })
        .onConflictDoUpdate({ target: reelCreators.authorId, set: { views: sql`${reelCreators.views} + ${creatorViews.get(authorId)}` } });
  });
  return { counted, ignored };
}
