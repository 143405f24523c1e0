// Reels as the protocol shows them to one viewer: the post each one is (postViews: author, pet,
// caption with its links, reactions, the viewer's reaction and save) and the reel's own fields.
// Who may see a reel is the post's rule (posts/visibility.ts) on the post it is.
import type { Static } from '@sinclair/typebox';
import { type SQL, sql } from 'drizzle-orm';
import type { Reel } from '../../protocol/calls/reels.ts';
import { REEL_FILTER_NAMES, type ReelFilter } from '../../protocol/filters.ts';
import { type PersonSummary, summariesById } from '../people/summaries.ts';
import { anyOf, uuids } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { posts } from '../posts/schema.ts';
import { postViews } from '../posts/views.ts';
import { visibleTo } from '../posts/visibility.ts';
import type { reels } from './schema.ts';

export type ReelRow = typeof reels.$inferSelect;
const isFilter = (name: string | null): name is ReelFilter => (REEL_FILTER_NAMES as readonly (string | null)[]).includes(name);
export type ReelView = Static<typeof Reel>;

/** SQL: the reel aliased `r`, joined to its post aliased `p`, is there and `viewerId` may see it. */
export function reelVisibleTo(viewerId: string): SQL {
  return sql`(r.deleted_at is null and ${visibleTo(viewerId)})`;
}

/**
 * SQL: the sound aliased `s`, with its origin reel aliased `r` and that reel's post `p`, is one
 * `viewerId` may hear and use: they may see its reel, and the reel is public (its creator always).
 */
export function soundVisibleTo(viewerId: string): SQL {
  return sql`(${reelVisibleTo(viewerId)} and (p.visibility = 'public' or s.creator_id = ${viewerId}))`;
}

export type SoundSummaryView = ReelView['sound'] & {};

/** Summaries of the sounds `ids` that `viewerId` may hear, by id. */
export async function soundSummaries(db: Database, viewerId: string, ids: string[]): Promise<Map<string, SoundSummaryView>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<{ id: string; title: string | null; creator_id: string; origin_reel_id: string; duration_ms: number }>(
    await db.execute(sql`
      select s.id, s.title, s.creator_id, s.origin_reel_id, s.duration_ms
      from sounds s join reels r on r.post_id = s.origin_reel_id join posts p on p.id = r.post_id
      where s.id = any(${uuids(ids)}) and ${soundVisibleTo(viewerId)}`),
  );
  const creators = await summariesById(
    db,
    rows.map((row) => row.creator_id),
  );
  return new Map(
    rows.flatMap((row) => {
      const creator = creators.get(row.creator_id);
      return creator === undefined
        ? []
        : [[row.id, { id: row.id, title: row.title, creator, originReelId: row.origin_reel_id, durationMs: row.duration_ms }]];
    }),
  );
}

/** The reels `ids` that `viewerId` may see, with their authors: what a remix credits. */
async function remixedReels(db: Database, viewerId: string, ids: string[]): Promise<Map<string, PersonSummary>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<{ id: string; author_id: string }>(
    await db.execute(sql`
      select r.post_id as id, r.author_id from reels r join posts p on p.id = r.post_id
      where r.post_id = any(${uuids(ids)}) and ${reelVisibleTo(viewerId)}`),
  );
  const authors = await summariesById(
    db,
    rows.map((row) => row.author_id),
  );
  return new Map(rows.flatMap((row) => (authors.has(row.author_id) ? [[row.id, authors.get(row.author_id) as PersonSummary]] : [])));
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
  const [postList, sounds, remixed] = await Promise.all([
    postViews(db, viewerId, ordered),
    soundSummaries(db, viewerId, [...new Set(rows.flatMap((row) => (row.soundId === null ? [] : [row.soundId])))]),
    remixedReels(db, viewerId, [...new Set(rows.flatMap((row) => (row.remixOf === null ? [] : [row.remixOf])))]),
  ]);
  const views = new Map(postList.map((view) => [view.id, view]));
  const remixOf = (row: ReelRow): ReelView['remix'] => {
    if (row.remixKind === null) return null;
    const author = row.remixOf === null ? undefined : remixed.get(row.remixOf);
    return author === undefined || row.remixOf === null
      ? { kind: row.remixKind, unavailable: true }
      : { kind: row.remixKind, reelId: row.remixOf, author };
  };
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
        sound: row.soundId === null ? null : (sounds.get(row.soundId) ?? null),
        remix: remixOf(row),
        filter: isFilter(row.filter) ? row.filter : null,
      },
    ];
  });
}
