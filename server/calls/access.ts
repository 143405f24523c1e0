// Who may follow `call:<callId>`: the people the call rang (and its caller) while they are present
// members of its conversation. The gateway asks on subscribe, and again for current followers when
// members leave or are removed (Calls.revokeAccess).
import { and, eq, inArray, ne, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { conversationMembers, PRESENT_STATES } from '../chats/schema.ts';
import type { Database } from '../platform/db/index.ts';
import { callParticipants, calls } from './schema.ts';

/** Joins `conversation_members` to the rows of `userId` present in the conversation `conversationId` names. */
export function presentIn(conversationId: AnyPgColumn | string, userId: string): SQL {
  return and(
    eq(conversationMembers.conversationId, conversationId),
    eq(conversationMembers.userId, userId),
    inArray(conversationMembers.state, [...PRESENT_STATES]),
  ) as SQL;
}

export async function mayFollowCall(db: Database, userId: string, callId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: callParticipants.userId })
    .from(callParticipants)
    .innerJoin(calls, eq(calls.id, callParticipants.callId))
    .innerJoin(conversationMembers, presentIn(calls.conversationId, userId))
    .where(and(eq(callParticipants.callId, callId), eq(callParticipants.userId, userId)));
  return row !== undefined;
}

/** The call in progress in a conversation, if any. */
export async function liveCallOf(db: Database, conversationId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: calls.id })
    .from(calls)
    .where(and(eq(calls.conversationId, conversationId), ne(calls.state, 'ended')));
  return row?.id;
}
