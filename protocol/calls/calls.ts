// Calls of voice and video calls: the call's lifecycle (ring, answer, decline, busy, no answer,
// join and leave, end), history, and the events that ring and stop ringing every device. The
// media (the SFU's router, WebRTC transports, producers and consumers) is negotiated with the
// calls of call-media.ts; a call's `media` says what is being sent in it.
//
// A call belongs to one conversation and rings its other members: one-to-one, the other person;
// in a group, every member. States: `ringing` (nobody answered yet) → `active` (someone answered)
// → `ended` with its `endReason`. A one-to-one call ends when either side leaves; a group call
// lasts while someone is in it and can be joined and left at will.

import { CALL_END_REASONS, CALL_LIMITS } from '../lists.ts';
import { type CallSpec, exampleFriendId, exampleUserId, OneOf, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';
import { CallMediaState, callSpeakerEvent } from './call-media.ts';
import { exampleChatId } from './chats.ts';

const exampleCallId = '0192a1b2-c3d4-7e5f-8a9b-0000000ca111';

const CallTarget = T.Object({ callId: Uuid });

const CallParticipant = T.Object({
  userId: Uuid,
  state: OneOf(['ringing', 'joined', 'left', 'declined', 'missed', 'busy'] as const, {
    description:
      'ringing: being rung; joined: in the call now; left: was in it and left; declined; missed: did not answer in time; busy: was in another call when this one started (never rung)',
  }),
  joinedAt: T.Union([T.String({ format: 'date-time' }), T.Null()], { description: 'When they last joined; null if they never did' }),
  leftAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
});

const Call = T.Object({
  id: Uuid,
  conversationId: Uuid,
  kind: OneOf(['direct', 'group'] as const, { description: 'Of the conversation: a one-to-one call ends when either side leaves' }),
  video: T.Boolean({
    description: `Video (at most ${CALL_LIMITS.videoParticipants} people in it) or voice only (at most ${CALL_LIMITS.audioParticipants})`,
  }),
  state: OneOf(['ringing', 'active', 'ended'] as const),
  endReason: T.Union([OneOf(CALL_END_REASONS), T.Null()], {
    description:
      'Once ended: completed (answered, then everyone left), missed (nobody answered in time), declined (the one-to-one callee declined), busy (the one-to-one callee was in another call), cancelled (the caller hung up before anyone answered), failed (the server could not go on with it: reserved for the media placement to come, not given yet)',
  }),
  startedBy: T.Union([Uuid, T.Null()], { description: 'Null once that account is gone' }),
  participants: T.Array(CallParticipant, { description: 'Everyone the call rang, and its caller (first)' }),
  createdAt: T.String({ format: 'date-time' }),
  answeredAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  endedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  durationSeconds: T.Union([T.Integer({ minimum: 0 }), T.Null()], {
    description: 'Once ended: from the first answer to the end (0 if nobody answered); null before',
  }),
  media: CallMediaState,
});

const exampleCall = {
  id: exampleCallId,
  conversationId: exampleChatId,
  kind: 'direct',
  video: true,
  state: 'ringing',
  endReason: null,
  startedBy: exampleUserId,
  participants: [
    { userId: exampleUserId, state: 'joined', joinedAt: '2026-11-24T18:00:00.000Z', leftAt: null },
    { userId: exampleFriendId, state: 'ringing', joinedAt: null, leftAt: null },
  ],
  createdAt: '2026-11-24T18:00:00.000Z',
  answeredAt: null,
  endedAt: null,
  durationSeconds: null,
  media: null,
} as const;

const activeCall = {
  ...exampleCall,
  state: 'active',
  answeredAt: '2026-11-24T18:00:05.000Z',
  participants: [
    exampleCall.participants[0],
    { userId: exampleFriendId, state: 'joined', joinedAt: '2026-11-24T18:00:05.000Z', leftAt: null },
  ],
} as const;

export const callCalls = {
  'calls.start': {
    description: `Call the other members of a conversation: voice, or video with \`video: true\`. Allowed exactly when sending a message to the conversation is (a block, a declined request or the other person's \`messages\` setting refuses it with MESSAGE_NOT_ALLOWED), and in a one-to-one only once the other person has accepted your message request (MESSAGE_NOT_ALLOWED while it waits); NOT_FOUND when you are not in the conversation. In a group, members with a block either way with you, and members whose own request to the group is still waiting, are not rung (they are not participants, and may still \`calls.join\`), and a large group rings at most the server's \`CALL_RING_MEMBERS\` (32 by default): the members who read it most recently; the others may join. You are in the call at once (\`joined\`); every session of every callee gets \`call.incoming\` on its \`user:\` topic, except a callee already in another call, who is not rung (\`busy\`): a one-to-one call to them ends at once with \`endReason: busy\`. Unanswered, the callees stop ringing after the server's ring time (30 s by default): a one-to-one call then ends \`missed\`, a group call goes on. A conversation has one call in progress at most: while one is (ringing or active), this is refused with CALL_IN_PROGRESS, whose \`details.callId\` names that call — answer it with \`calls.accept\` or \`calls.join\` instead. ALREADY_IN_CALL while you are in another call; at most 30 calls started per hour (RATE_LIMITED), and one person is rung at most the server's \`CALL_RINGS_PER_HOUR\` (60) times an hour, whoever calls: beyond it a one-to-one call to them is RATE_LIMITED and a group call does not ring them. The call lives on the least-loaded node of the platform that runs a media server (SFU); CALLS_UNAVAILABLE when none does now.`,
    role: 'user',
    errors: ['NOT_FOUND', 'MESSAGE_NOT_ALLOWED', 'ALREADY_IN_CALL', 'CALL_IN_PROGRESS', 'CALLS_UNAVAILABLE'],
    request: T.Object({ conversationId: Uuid, video: T.Boolean(), clientId: Uuid }),
    response: Call,
    example: {
      request: { conversationId: exampleChatId, video: true, clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000c2' },
      response: exampleCall,
    },
  },
  'calls.accept': {
    description:
      'Answer a call that is ringing you: you join it, and it becomes `active`. Your other devices get `call.cancelled` (`answered`) and stop ringing. The device that answered takes part; an accept from another device of yours is refused with ANSWERED_ELSEWHERE while that device is connected (the same socket repeating it gets the call again). If the device in the call goes away (its socket closes or its server dies), you stay in the call for the server’s reconnect time (`CALL_RECONNECT_SECONDS`, 30 s by default): `calls.accept` (or `calls.join`) from any device of yours within it takes its place (negotiate media again from `calls.media`); after it you leave, and a one-to-one call ends. A call lasts at most `CALL_MAX_SECONDS` (12 hours by default) from its answer. Answers count with joins toward `CALL_JOINS_PER_MINUTE` (see `calls.join`). NOT_RINGING when it no longer rings you (declined, missed), CALL_ENDED once the call is over, ALREADY_IN_CALL while you are in another call, CALL_FULL when it has the most people allowed; NOT_FOUND for a call you were not invited to.',
    role: 'user',
    errors: ['NOT_FOUND', 'NOT_RINGING', 'CALL_ENDED', 'ALREADY_IN_CALL', 'ANSWERED_ELSEWHERE', 'CALL_FULL', 'CALLS_UNAVAILABLE'],
    request: CallTarget,
    response: Call,
    example: { request: { callId: exampleCallId }, response: activeCall },
  },
  'calls.decline': {
    description:
      'Decline a call that is ringing you: every device of yours stops ringing (`call.cancelled`, `declined`). A one-to-one call ends `declined`; a group call goes on without you (you may still `calls.join` it). Declining again answers the call as it is; NOT_RINGING once you answered or missed it, CALL_ENDED once it is over.',
    role: 'user',
    errors: ['NOT_FOUND', 'NOT_RINGING', 'CALL_ENDED', 'CALLS_UNAVAILABLE'],
    request: CallTarget,
    response: Call,
    example: {
      request: { callId: exampleCallId },
      response: {
        ...exampleCall,
        state: 'ended',
        endReason: 'declined',
        participants: [exampleCall.participants[0], { userId: exampleFriendId, state: 'declined', joinedAt: null, leftAt: null }],
        endedAt: '2026-11-24T18:00:04.000Z',
        durationSeconds: 0,
      },
    },
  },
  'calls.join': {
    description: `Join a group call in progress: any member of the group may, rung or not (declined, missed, left, or added to the group since it started). At most ${CALL_LIMITS.videoParticipants} people in a video call and ${CALL_LIMITS.audioParticipants} in a voice call (CALL_FULL). A one-to-one call is answered with \`calls.accept\` (INVALID_INPUT here). Joining again from the device already in it answers the call as it is; from another device, see \`calls.accept\` (it takes the place of a device gone away, else ANSWERED_ELSEWHERE). Joins and answers of one call by one person count together: at most \`CALL_JOINS_PER_MINUTE\` (20 by default) a minute, then RATE_LIMITED with \`details.retryAfterMs\` and nothing changes.`,
    role: 'user',
    errors: ['NOT_FOUND', 'INVALID_INPUT', 'CALL_ENDED', 'ALREADY_IN_CALL', 'ANSWERED_ELSEWHERE', 'CALL_FULL', 'CALLS_UNAVAILABLE'],
    request: CallTarget,
    response: Call,
    example: { request: { callId: exampleCallId }, response: { ...activeCall, kind: 'group' } },
  },
  'calls.leave': {
    description:
      'Hang up: leave the call you are in. The caller hanging up before anyone answered ends it `cancelled` (the callees stop ringing); either side leaving a one-to-one call ends it `completed`; a group call ends when its last person leaves. Leaving a call you are not in (any more) answers it as it is. Someone who left or was removed from the conversation gets NOT_FOUND, and is out of the call anyway (that happens on its own when they go).',
    role: 'user',
    errors: ['NOT_FOUND', 'CALLS_UNAVAILABLE'],
    request: CallTarget,
    response: Call,
    example: {
      request: { callId: exampleCallId },
      response: { ...activeCall, state: 'ended', endReason: 'completed', endedAt: '2026-11-24T18:10:05.000Z', durationSeconds: 600 },
    },
  },
  'calls.get': {
    description:
      'A call you were invited to (or started), as it is now. NOT_FOUND for any other, and once you are no longer in its conversation.',
    role: 'user',
    errors: ['NOT_FOUND', 'CALLS_UNAVAILABLE'],
    request: CallTarget,
    response: Call,
    example: { request: { callId: exampleCallId }, response: exampleCall },
  },
  'calls.history': {
    description: `Your calls, newest first: those you started or were rung for, in conversations you are still in. \`before\`: the id of the oldest call of the previous page. At most ${CALL_LIMITS.historyPage} a page (${CALL_LIMITS.historyDefault} unless \`limit\` says).`,
    role: 'user',
    errors: [],
    request: T.Object({ before: T.Optional(Uuid), limit: T.Optional(T.Integer({ minimum: 1, maximum: CALL_LIMITS.historyPage })) }),
    response: T.Object({ items: T.Array(Call), more: T.Boolean() }),
    example: { request: { limit: 20 }, response: { items: [activeCall], more: false } },
  },
} satisfies Record<string, CallSpec>;

const CancelReason = OneOf(['answered', 'declined', 'missed', 'ended'] as const, {
  description:
    'answered: on another of your devices; declined: on another of your devices; missed: you did not answer in time; ended: the caller hung up, or the call ended otherwise',
});

/** Events of the `user:<id>` topic that ring and stop ringing every session of a callee. */
export const callUserEvents = {
  'call.incoming': {
    description:
      'A call rings you: show it on every device until `call.cancelled` for it arrives (or you answer it here). Answer with `calls.accept` or `calls.decline`. With no session open you get a web push instead (notification type `call.incoming`, tag `call:<callId>`, urgency high, TTL the ring time): a client that connects while a call may ring reads `calls.history` and shows those in which you are still `ringing`, since this event is not replayed to a new session.',
    body: T.Object({ call: Call }),
    example: { call: exampleCall },
  },
  'call.cancelled': {
    description: 'Stop ringing for this call.',
    body: T.Object({ callId: Uuid, reason: CancelReason }),
    example: { callId: exampleCallId, reason: 'answered' },
  },
} as const;

/** Events of the `call:<id>` topic. */
export const callEvents = {
  'call.changed': {
    description:
      'The call changed: someone joined, left, declined or missed it, it was answered, it ended, or what is sent in it changed (a producer made, paused, resumed or closed: such changes are told together, one event per 100 ms at most; the router moved: `media.epoch`). Carries the whole call, so a client that missed one loses nothing by taking the next.',
    body: T.Object({ call: Call }),
    example: { call: activeCall },
  },
  ...callSpeakerEvent,
} as const;
