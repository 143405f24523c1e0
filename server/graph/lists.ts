// Reading the graph: friends, pending requests, followers and following, blocks. Every list is
// cursor-paginated and leaves out anyone blocked on either side of the viewer; whose lists a
// viewer may read at all is the owner's `friendsList` audience.
import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { CallRequest } from '../../protocol/catalogue.ts';
import { users } from '../accounts/schema.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { SocialDeps } from '../people/context.ts';
import { allows, privacyOf } from '../people/privacy.ts';
import { profiles } from '../people/schema.ts';
import { summaryColumns, toSummary } from '../people/summaries.ts';
import { decodeCursor, olderThan, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import type { Database } from '../platform/db/index.ts';
import { isBlocked, notBlockedWith, relationFacts } from './relations.ts';
import { blocks, follows, friendRequests, friendships } from './schema.ts';

async function checkListVisible(db: Database, viewerId: string, ownerId: string) {
  const facts = await relationFacts(db, viewerId, ownerId);
  if (isBlocked(facts)) throw new NotFoundError('user');
  const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.id, ownerId));
  if (owner === undefined) throw new NotFoundError('user');
  if (!allows((await privacyOf(db, ownerId)).friendsList, facts)) throw new ForbiddenError('their friends list is not visible to you');
}

export async function friendsList(deps: Pick<SocialDeps, 'db'>, viewerId: string, request: CallRequest<'friends.list'>) {
  const { db } = deps;
  await checkListVisible(db, viewerId, request.userId);
  const own = viewerId === request.userId;
  const after = decodeCursor(request.cursor, 1);
  const rows = await db
    .select({ ...summaryColumns, since: friendships.createdAt, closeFriend: friendships.closeFriend })
    .from(friendships)
    .innerJoin(users, eq(users.id, friendships.friendId))
    .leftJoin(profiles, eq(profiles.userId, friendships.friendId))
    .where(
      and(
        eq(friendships.userId, request.userId),
        own ? undefined : notBlockedWith(viewerId, friendships.friendId),
        own && request.closeOnly === true ? eq(friendships.closeFriend, true) : undefined,
        after === undefined ? undefined : gt(users.username, after[0] as string),
      ),
    )
    .orderBy(asc(users.username))
    .limit(PAGE_SIZE + 1);
  return pageOf(
    rows,
    PAGE_SIZE,
    (row) => [row.username],
    (row) => ({
      ...toSummary(row),
      since: row.since.toISOString(),
      ...(own ? { closeFriend: row.closeFriend } : {}),
    }),
  );
}

export async function pendingRequests(deps: Pick<SocialDeps, 'db'>, viewerId: string, request: CallRequest<'friends.requests'>) {
  const incoming = request.direction === 'incoming';
  const other = incoming ? friendRequests.fromUserId : friendRequests.toUserId;
  const after = decodeCursor(request.cursor, 2);
  const rows = await deps.db
    .select({ ...summaryColumns, sentAt: friendRequests.createdAt })
    .from(friendRequests)
    .innerJoin(users, eq(users.id, other))
    .leftJoin(profiles, eq(profiles.userId, other))
    .where(
      and(eq(incoming ? friendRequests.toUserId : friendRequests.fromUserId, viewerId), olderThan(friendRequests.createdAt, other, after)),
    )
    .orderBy(desc(friendRequests.createdAt), desc(other))
    .limit(PAGE_SIZE + 1);
  return pageOf(
    rows,
    PAGE_SIZE,
    (row) => [row.sentAt.toISOString(), row.id],
    (row) => ({ person: toSummary(row), sentAt: row.sentAt.toISOString() }),
  );
}

export async function followsList(deps: Pick<SocialDeps, 'db'>, viewerId: string, request: CallRequest<'follows.list'>) {
  const { db } = deps;
  await checkListVisible(db, viewerId, request.userId);
  const followers = request.direction === 'followers';
  const other = followers ? follows.followerId : follows.followeeId;
  const after = decodeCursor(request.cursor, 1);
  const rows = await db
    .select(summaryColumns)
    .from(follows)
    .innerJoin(users, eq(users.id, other))
    .leftJoin(profiles, eq(profiles.userId, other))
    .where(
      and(
        eq(followers ? follows.followeeId : follows.followerId, request.userId),
        notBlockedWith(viewerId, other),
        after === undefined ? undefined : gt(users.username, after[0] as string),
      ),
    )
    .orderBy(asc(users.username))
    .limit(PAGE_SIZE + 1);
  return pageOf(rows, PAGE_SIZE, (row) => [row.username], toSummary);
}

export async function blocksList(deps: Pick<SocialDeps, 'db'>, viewerId: string, request: CallRequest<'blocks.list'>) {
  const after = decodeCursor(request.cursor, 2);
  const rows = await deps.db
    .select({ ...summaryColumns, blockedAt: blocks.createdAt })
    .from(blocks)
    .innerJoin(users, eq(users.id, blocks.blockedId))
    .leftJoin(profiles, eq(profiles.userId, blocks.blockedId))
    .where(and(eq(blocks.blockerId, viewerId), olderThan(blocks.createdAt, blocks.blockedId, after)))
    .orderBy(desc(blocks.createdAt), desc(blocks.blockedId))
    .limit(PAGE_SIZE + 1);
  return pageOf(
    rows,
    PAGE_SIZE,
    (row) => [row.blockedAt.toISOString(), row.id],
    (row) => ({
      person: toSummary(row),
      blockedAt: row.blockedAt.toISOString(),
    }),
  );
}

/** Ids of the user's friends (for fan-out: a lost pet). */
export async function friendIds(db: Database, userId: string): Promise<string[]> {
  const rows = await db.select({ id: friendships.friendId }).from(friendships).where(eq(friendships.userId, userId));
  return rows.map((row) => row.id);
}
