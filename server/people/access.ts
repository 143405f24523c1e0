// Who may follow the topics others can follow (`viewer` access in the catalogue): presence by the
// user's `presence` setting, the profile topic by anyone not blocked on either side, a post's topic
// by whoever may see the post, a conversation's and a call's by their members (calls/access.ts). The gateway asks on subscribe, and again for current followers when an
// AccessChange about the user arrives.
import { and, eq } from 'drizzle-orm';
import { mayFollowCall } from '../calls/access.ts';
import { conversationMembers, isPresent } from '../chats/schema.ts';
import { isBlocked, relationFacts } from '../graph/relations.ts';
import type { Database } from '../platform/db/index.ts';
import { posts } from '../posts/schema.ts';
import { canSee } from '../posts/visibility.ts';
import { allowsPresence, privacyOf } from './privacy.ts';

export async function mayView(db: Database, viewerId: string, kind: string, ownerId: string): Promise<boolean> {
  if (kind === 'post') return mayViewPost(db, viewerId, ownerId);
  if (kind === 'room') return isMember(db, viewerId, ownerId);
  if (kind === 'call') return mayFollowCall(db, viewerId, ownerId);
  if (viewerId === ownerId) return true;
  const facts = await relationFacts(db, viewerId, ownerId);
  switch (kind) {
    case 'presence':
      return allowsPresence(await privacyOf(db, ownerId), facts);
    case 'profile':
      return !isBlocked(facts);
    default:
      return false;
  }
}

async function mayViewPost(db: Database, viewerId: string, postId: string): Promise<boolean> {
  const [post] = await db.select().from(posts).where(eq(posts.id, postId)).limit(1);
  return post !== undefined && canSee(post, await relationFacts(db, viewerId, post.authorId));
}

async function isMember(db: Database, userId: string, conversationId: string): Promise<boolean> {
  const [row] = await db
    .select({ state: conversationMembers.state })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
  return row !== undefined && isPresent(row.state);
}
