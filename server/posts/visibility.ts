// Who may see a post: its author always; anyone else only when no block stands between them and
// its visibility allows (public: everyone; friends: the author's friends; close_friends: friends
// in the author's circle; private: nobody). The same rule twice: for one post from relation facts,
// and as SQL for lists (feed, timelines, hashtag pages).
import { type SQL, sql } from 'drizzle-orm';
import type { RelationFacts } from '../graph/relations.ts';
import { allows } from '../people/privacy.ts';
import type { Visibility } from './schema.ts';

export function canSee(post: { visibility: Visibility; deletedAt: Date | null }, facts: RelationFacts): boolean {
  // A post's visibility is an audience of the privacy rules, with `private` for `only_me`.
  return post.deletedAt === null && allows(post.visibility === 'private' ? 'only_me' : post.visibility, facts);
}

/** SQL: the post aliased `p` is visible to `viewerId` (not deleted, visibility, no block either way). */
export function visibleTo(viewerId: string): SQL {
  return sql`(p.deleted_at is null and (p.author_id = ${viewerId} or (
    not exists (select 1 from blocks b where (b.blocker_id = ${viewerId} and b.blocked_id = p.author_id) or (b.blocker_id = p.author_id and b.blocked_id = ${viewerId}))
    and (p.visibility = 'public'
      or (p.visibility = 'friends' and exists (select 1 from friendships f where f.user_id = p.author_id and f.friend_id = ${viewerId}))
      or (p.visibility = 'close_friends' and exists (select 1 from friendships f where f.user_id = p.author_id and f.friend_id = ${viewerId} and f.close_friend))))))`;
}
