// How two users stand with each other, read in one query: the facts every privacy rule and every
// list filter is decided from. A block in either direction hides each user from the other on every
// read path; `notBlockedWith` is the one SQL fragment lists use for that.
import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';

export interface RelationFacts {
  self: boolean;
  /** The viewer blocked the target. */
  blocking: boolean;
  /** The target blocked the viewer. */
  blockedBy: boolean;
  friends: boolean;
  /** The target has the viewer in their close-friends circle (what audiences ask). */
  inTargetsCircle: boolean;
  /** The viewer has the target in their own circle (what the viewer's screens show). */
  inViewersCircle: boolean;
  requestSent: boolean;
  requestReceived: boolean;
  following: boolean;
  followedBy: boolean;
  /** Friends in common (only counted when asked for). */
  mutualFriends?: number;
}

const SELF: RelationFacts = {
  self: true,
  blocking: false,
  blockedBy: false,
  friends: false,
  inTargetsCircle: false,
  inViewersCircle: false,
  requestSent: false,
  requestReceived: false,
  following: false,
  followedBy: false,
};

export async function relationFacts(db: Database, viewerId: string, targetId: string): Promise<RelationFacts> {
  if (viewerId === targetId) return SELF;
  type Row = {
    blocking: boolean;
    blocked_by: boolean;
    friend_row: boolean | null;
    their_circle: boolean | null;
    my_circle: boolean | null;
    request_sent: boolean;
    request_received: boolean;
    following: boolean;
    followed_by: boolean;
  };
  const result = await db.execute(sql`
    select
      exists (select 1 from blocks where blocker_id = ${viewerId} and blocked_id = ${targetId}) as blocking,
      exists (select 1 from blocks where blocker_id = ${targetId} and blocked_id = ${viewerId}) as blocked_by,
      (select true from friendships where user_id = ${viewerId} and friend_id = ${targetId}) as friend_row,
      (select close_friend from friendships where user_id = ${targetId} and friend_id = ${viewerId}) as their_circle,
      (select close_friend from friendships where user_id = ${viewerId} and friend_id = ${targetId}) as my_circle,
      exists (select 1 from friend_requests where from_user_id = ${viewerId} and to_user_id = ${targetId}) as request_sent,
      exists (select 1 from friend_requests where from_user_id = ${targetId} and to_user_id = ${viewerId}) as request_received,
      exists (select 1 from follows where follower_id = ${viewerId} and followee_id = ${targetId}) as following,
      exists (select 1 from follows where follower_id = ${targetId} and followee_id = ${viewerId}) as followed_by
  `);
  const row = rowsOf<Row>(result)[0];
  if (row === undefined) throw new Error('relation query returned no row');
  return {
    self: false,
    blocking: row.blocking,
    blockedBy: row.blocked_by,
    friends: row.friend_row === true,
    inTargetsCircle: row.their_circle === true,
    inViewersCircle: row.my_circle === true,
    requestSent: row.request_sent,
    requestReceived: row.request_received,
    following: row.following,
    followedBy: row.followed_by,
  };
}

export const isBlocked = (facts: RelationFacts) => facts.blocking || facts.blockedBy;

/** The relation as the protocol shows it to the viewer (never that the target blocked them). */
export function relationView(facts: RelationFacts) {
  const state = facts.self
    ? 'self'
    : facts.friends
      ? 'friends'
      : facts.requestSent
        ? 'request_sent'
        : facts.requestReceived
          ? 'request_received'
          : 'none';
  return {
    state,
    closeFriend: facts.inViewersCircle,
    following: facts.following,
    followedBy: facts.followedBy && !facts.blockedBy,
    blocked: facts.blocking,
  } as const;
}

/** Does a block stand between the two, either way? One lookup by key each way (a one-to-one send
 * asks this on every message; `relationFacts` reads nine things). */
export async function blockedBetween(db: Database, a: string, b: string): Promise<boolean> {
  const result = await db.execute(sql`select not ${notBlockedWith(a, sql`${b}::uuid`)} as blocked`);
  return rowsOf<{ blocked: boolean }>(result)[0]?.blocked === true;
}

/** `column` (a user id) is not blocked by `viewerId` and has not blocked them. */
export function notBlockedWith(viewerId: string, column: AnyPgColumn | SQL): SQL {
  return sql`not exists (select 1 from blocks b where (b.blocker_id = ${viewerId} and b.blocked_id = ${column}) or (b.blocker_id = ${column} and b.blocked_id = ${viewerId}))`;
}
