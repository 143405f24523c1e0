// Reels as the protocol shows them to one viewer: the post each one is (postViews: author, pet,
// caption with its links, reactions, the viewer's reaction and save) and the reel's own fields.
// Who may see a reel is the post's rule (posts/visibility.ts) on the post it is.
import type { Static } from '@sinclair/typebox';
import { type SQL, sql } from 'drizzle-orm';
import type { Reel } from '../../protocol/calls/reels.ts';
import { anyOf } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { posts } from '../posts/schema.ts';
import { postViews } from '../posts/views.ts';
import { visibleTo } from '../posts/visibility.ts';
import type { reels } from './schema.ts';

export type ReelRow = typeof reels.$inferSelect;
export type ReelView = Static<typeof Reel>;

/** SQL: the reel aliased `r`, joined to its post aliased `p`, is there and `viewerId` may see it. */
export function reelVisibleTo(viewerId: string): SQL {
  return sql`(r.deleted_at is null and ${visibleTo(viewerId)})`;
}

/** Views of `rows` (already known visible to the viewer), in the same order. */
export async function reelViews(db: Database, viewerId: string, rows: ReelRow[]): Promise<ReelView[]> {
  if (rows.length === 0) return [];
  const postRows = await db
    .select()
    .from(posts)
    .where(
      anyOf(
        posts.id,
        rows.map((row) => row.postId),
      ),
    );
  const byId = new Map(postRows.map((row) => [row.id, row]));
  const ordered = rows.flatMap((row) => {
    const post = byId.get(row.postId);
    return post === undefined ? [] : [post];
  });
  const views = new Map((await postViews(db, viewerId, ordered)).map((view) => [view.id, view]));
  return rows.flatMap((row) => {
    const post = views.get(row.postId);
    if (post === undefined) return [];
    return [
      {
        post,
        mediaId: row.mediaId,
        durationMs: row.durationMs,
        coverMs: row.coverMs,
        language: row.language,
        allowDuet: row.allowDuet,
        allowStitch: row.allowStitch,
        views: row.viewCount,
      },
    ];
  });
}
