// Tables owned by calls. A call's actor (actors/call.ts, `call:<id>`) is the only writer of its
// row and of its participants: it loads them on activation, so a call outlives the node that held
// it. At most one call is in progress per conversation (calls_conversation_live), and a user is in
// at most one call at a time (call_participants_one_call, on `joined`): the database refuses a
// second, whatever node tries it.
import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { CALL_END_REASONS } from '../../protocol/lists.ts';
import { userRef, users } from '../accounts/schema.ts';
import { conversations } from '../chats/schema.ts';

export const CALL_STATES = ['ringing', 'active', 'ended'] as const;
/** ringing: being rung; joined: in the call now; the rest: not in it (and why). */
export const PARTICIPANT_STATES = ['ringing', 'joined', 'left', 'declined', 'missed', 'busy'] as const;

export type CallState = (typeof CALL_STATES)[number];
export type CallEndReason = (typeof CALL_END_REASONS)[number];
export type ParticipantState = (typeof PARTICIPANT_STATES)[number];

/** Where the call's media router runs: the `sfu` node holding the call, and the router's id (the media's epoch). Null before the first `calls.media`. */
export interface CallPlacement {
  node: string;
  routerId: string;
}

export const calls = pgTable(
  'calls',
  {
    id: uuid('id').primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The conversation's kind when the call started: one-to-one calls end when either side goes. */
    kind: text('kind', { enum: ['direct', 'group'] }).notNull(),
    video: boolean('video').notNull(),
    startedBy: uuid('started_by').references(() => users.id, { onDelete: 'set null' }),
    /** Chosen by the caller, the same on every retry of one start: a retry answers the call it made. */
    clientId: uuid('client_id').notNull(),
    state: text('state', { enum: CALL_STATES }).notNull(),
    endReason: text('end_reason', { enum: CALL_END_REASONS }),
    placement: jsonb('placement').$type<CallPlacement>(),
    /** The conversation's system message about the end of the call is written (or was never due). */
    reported: boolean('reported').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('calls_conversation_live').on(table.conversationId).where(sql`${table.state} <> 'ended'`),
    uniqueIndex('calls_client').on(table.startedBy, table.clientId),
    check('calls_kind_known', sql`${table.kind} in ('direct', 'group')`),
    check('calls_state_known', sql`${table.state} in ('ringing', 'active', 'ended')`),
    check(
      'calls_end_reason_known',
      sql`(${table.state} = 'ended') = (${table.endReason} is not null) and (${table.endReason} is null or ${table.endReason} in ('completed', 'missed', 'declined', 'busy', 'cancelled', 'failed'))`,
    ),
  ],
);

export const callParticipants = pgTable(
  'call_participants',
  {
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    userId: userRef('user_id'),
    state: text('state', { enum: PARTICIPANT_STATES }).notNull(),
    invitedAt: timestamp('invited_at', { withTimezone: true }).notNull(),
    /** When they last joined; null if they never did. */
    joinedAt: timestamp('joined_at', { withTimezone: true }),
    leftAt: timestamp('left_at', { withTimezone: true }),
    /** The socket that answered or joined (the device that takes part): another device's accept is refused. */
    socketId: text('socket_id'),
  },
  (table) => [
    primaryKey({ columns: [table.callId, table.userId] }),
    // A user's call history, newest first (call ids are UUIDv7: time ordered).
    index('call_participants_user').on(table.userId, table.callId.desc()),
    uniqueIndex('call_participants_one_call').on(table.userId).where(sql`${table.state} = 'joined'`),
    check('call_participants_state_known', sql`${table.state} in ('ringing', 'joined', 'left', 'declined', 'missed', 'busy')`),
  ],
);
