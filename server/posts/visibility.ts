// Who may see a post: its author always; anyone else only when no block stands between them and
// its visibility allows (public: everyone; friends: the author's friends; close_friends: friends
// in the author's circle; private: nobody). The same rule twice: for one post from relation facts,
// and as SQL for lists (feed, timelines, hashtag pages).
import { type SQL, sql } from 'drizzle-orm';
import type { RelationFacts } from '../graph/relations.ts';
import { allows, allowsSql } from '../people/privacy.ts';
import type { Visibility } from './schema.ts';

export function canSee(post: { visibility: Visibility; deletedAt: Date | null }, facts: RelationFacts): boolean {
  // A post's visibility is an audience of the privacy rules, with `private` for `only_me`.
  return post.deletedAt === null && allows(post.visibility === 'private' ? 'only_me' : post.visibility, facts);
}

/** SQL: the post aliased `p` is visible to `viewerId` (not deleted, visibility, no block either way). */
export function visibleTo(viewerId: string): SQL {
  // `private` matches no shared audience: the author alone.
  return sql`(p.deleted_at is null and ${allowsSql(sql`p.visibility`, sql`p.author_id`, viewerId)})`;
}

/** SQL: a post not deleted shows the media `mediaId` (an SQL expression), whoever may see it. */
export function postsUseMedia(mediaId: SQL): SQL {
  return sql`exists (select 1 from posts p where p.media_ids @> array[${mediaId}]::uuid[] and p.deleted_at is null)`;
}

/** SQL: a post `viewerId` may see shows the media `mediaId` (an SQL expression). */
export function postsShowMedia(viewerId: string, mediaId: SQL): SQL {
  return sql`exists (select 1 from posts p where p.media_ids @> array[${mediaId}]::uuid[] and ${visibleTo(viewerId)})`;
}
