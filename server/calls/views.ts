// What a call looks like on the wire (protocol/calls/calls.ts `Call`), from its rows.
import type { CallResponse } from '../../protocol/catalogue.ts';
import type { callParticipants, calls } from './schema.ts';

export type CallRow = typeof calls.$inferSelect;
export type ParticipantRow = typeof callParticipants.$inferSelect;
export type CallView = CallResponse<'calls.get'>;
/** What is being sent in a call now (its router's epoch and producers); null while no router runs. */
export type CallMediaView = CallView['media'];

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** Whole seconds from the first answer to the end; 0 when nobody answered; null before the end. */
export function durationOf(call: Pick<CallRow, 'answeredAt' | 'endedAt'>): number | null {
  if (call.endedAt === null) return null;
  if (call.answeredAt === null) return 0;
  return Math.max(0, Math.floor((call.endedAt.getTime() - call.answeredAt.getTime()) / 1000));
}

/** The caller first, then the others in the order they were rung. */
export function byCallerFirst(startedBy: string | null) {
  return (a: ParticipantRow, b: ParticipantRow) =>
    Number(b.userId === startedBy) - Number(a.userId === startedBy) ||
    a.invitedAt.getTime() - b.invitedAt.getTime() ||
    a.userId.localeCompare(b.userId);
}

export function callView(call: CallRow, participants: Iterable<ParticipantRow>, media: CallMediaView = null): CallView {
  return {
    id: call.id,
    conversationId: call.conversationId,
    kind: call.kind,
    video: call.video,
    state: call.state,
    endReason: call.endReason,
    startedBy: call.startedBy,
    participants: [...participants].sort(byCallerFirst(call.startedBy)).map((participant) => ({
      userId: participant.userId,
      state: participant.state,
      joinedAt: iso(participant.joinedAt),
      leftAt: iso(participant.leftAt),
    })),
    createdAt: call.createdAt.toISOString(),
    answeredAt: iso(call.answeredAt),
    endedAt: iso(call.endedAt),
    durationSeconds: durationOf(call),
    media,
  };
}
