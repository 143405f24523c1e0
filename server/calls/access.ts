// Who may follow `call:<callId>`: the people the call rang (and its caller) while they are present
// members of its conversation. The gateway asks on subscribe, and again for current followers when
// members leave or are removed (Calls.revokeAccess).
import { and, eq, inArray, ne } from 'drizzle-orm';
import { conversationMembers, PRESENT_STATES } from '../chats/schema.ts';
import type { Database } from '../platform/db/index.ts';
import { callParticipants, calls } from './schema.ts';

export async function mayFollowCall(db: Database, userId: string, callId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: callParticipants.userId })
    .from(callParticipants)
    .innerJoin(calls, eq(calls.id, callParticipants.callId))
    .innerJoin(
      conversationMembers,
      and(eq(conversationMembers.conversationId, calls.conversationId), eq(conversationMembers.userId, userId)),
    )
    .where(
      and(
        eq(callParticipants.callId, callId),
        eq(callParticipants.userId, userId),
        inArray(conversationMembers.state, [...PRESENT_STATES]),
      ),
    );
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
