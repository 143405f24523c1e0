// Tables owned by the social graph: pending friend requests, friendships (one row per direction,
// so "my friends" is one index range; the row of A→B also says whether B is in A's close-friends
// circle), follows of public profiles and business pages, and blocks. Every change of a pair runs
// in one transaction under a lock on that pair, so crossing requests, a block racing an accept,
// or two tabs clicking at once end in one consistent state.
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, primaryKey, timestamp } from 'drizzle-orm/pg-core';
import { userRef } from '../accounts/schema.ts';

export const friendRequests = pgTable(
  'friend_requests',
  {
    fromUserId: userRef('from_user_id'),
    toUserId: userRef('to_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.fromUserId, table.toUserId] }),
    index('friend_requests_to').on(table.toUserId, table.createdAt),
    check('friend_requests_not_self', sql`${table.fromUserId} <> ${table.toUserId}`),
  ],
);

export const friendships = pgTable(
  'friendships',
  {
    userId: userRef('user_id'),
    friendId: userRef('friend_id'),
    /** friend_id is in user_id's close-friends circle. */
    closeFriend: boolean('close_friend').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.friendId] }),
    index('friendships_friend').on(table.friendId),
    check('friendships_not_self', sql`${table.userId} <> ${table.friendId}`),
  ],
);

export const follows = pgTable(
  'follows',
  {
    followerId: userRef('follower_id'),
    followeeId: userRef('followee_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.followerId, table.followeeId] }),
    index('follows_followee').on(table.followeeId, table.createdAt),
    check('follows_not_self', sql`${table.followerId} <> ${table.followeeId}`),
  ],
);

export const blocks = pgTable(
  'blocks',
  {
    blockerId: userRef('blocker_id'),
    blockedId: userRef('blocked_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.blockerId, table.blockedId] }),
    index('blocks_blocked').on(table.blockedId),
    check('blocks_not_self', sql`${table.blockerId} <> ${table.blockedId}`),
  ],
);
