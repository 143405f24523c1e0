// CallActor (`call:<callId>`): owns one call's state: its state (ringing, active, ended and why),
// its participants (who is rung, who is in it and from which device, who declined, missed or left)
// and its media (sfu/call-media.ts: the router on this node's SFU, made at the first `calls.media`,
// and every participant's transports, producers and consumers; `placement` records where). It is
// the only writer of the call's rows, so every transition is decided in one place. It lives on the
// least-loaded node running an SFU (placement `sfu`), the node whose workers carry its router, so
// media signalling never crosses nodes. Media is not persisted: activated elsewhere after its node
// died, the call makes a new router at the next `calls.media`, and `media.epoch` tells clients.
//
// Persistence: each transition is one transaction (the call, its participants, and the durable
// reminders it needs) committed before anyone hears of it: then `call.changed` on `call:<id>`,
// then `call.incoming` / `call.cancelled` through the user actors, then the answer. Those rings
// and stop-ringings are stored with the transition as reminders due 2 s later and dropped once
// delivered, so a node dying before it told a callee, or a user actor out of reach, only delays
// them. The no-answer deadline is a reminder (actors/reminders.ts) stored with the call, so it
// fires even if this node dies: the runtime activates the call elsewhere to receive it. The end of
// a call sets a reminder due at once to have the conversation's room write the system message
// (`report`), so that message is written even if the node dies right after the end. Activation
// loads the rows; passivated after the runtime's idle time (a ringing call is woken by its
// reminder).
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { CallRequest, CallResponse } from '../protocol/catalogue.ts';
import { CALL_LIMITS } from '../protocol/lists.ts';
import { presentIn } from '../server/calls/access.ts';
import {
  AlreadyInCallError,
  AnsweredElsewhereError,
  CallEndedError,
  CallFullError,
  NotInCallError,
  NotRingingError,
} from '../server/calls/errors.ts';
import { type CallEndReason, callParticipants, calls, type ParticipantState } from '../server/calls/schema.ts';
import { byCallerFirst, type CallRow, type CallView, callView, durationOf, type ParticipantRow } from '../server/calls/views.ts';
import { conversationMembers, PRESENT_STATES } from '../server/chats/schema.ts';
import { InvalidInputError, NotFoundError } from '../server/errors.ts';
import type { IceConfig } from '../server/platform/config.ts';
import { anyOf } from '../server/platform/db/any-of.ts';
import type { Database } from '../server/platform/db/index.ts';
import { violatedUniqueConstraint } from '../server/platform/db/unique.ts';
import type { Logger } from '../server/platform/log.ts';
import type { TopicLog } from '../server/platform/topics/index.ts';
import { CallMedia } from '../sfu/call-media.ts';
import { iceServers } from '../sfu/ice.ts';
import type { Sfu } from '../sfu/sfu.ts';
import type { Reminders } from './reminders.ts';
import type { RoomMessage } from './room.ts';
import { type ActorContext, type ActorKind, noReply, type Outcome, reply } from './types.ts';
import type { CallUserEvent, UserMessage } from './user.ts';

export type CallMessage =
  | {
      op: 'start';
      userId: string;
      socketId: string;
      conversationId: string;
      kind: 'direct' | 'group';
      video: boolean;
      clientId: string;
      /** The conversation's other present members, as its room actor listed them after its checks. */
      invitees: string[];
    }
  | { op: 'accept'; userId: string; socketId: string }
  | { op: 'decline'; userId: string }
  /** The caller checked that `userId` is a present member of the call's conversation. */
  | { op: 'join'; userId: string; socketId: string }
  | { op: 'leave'; userId: string }
  | { op: 'get'; userId: string }
  /** The ring deadline (reminder): whoever still rings missed the call. */
  | { op: 'ringOut' }
  /** Have the room write the system message of an ended call (reminder, due at the end). */
  | { op: 'report' }
  /** Members left or were removed from the conversation: those of them in the call leave it. */
  | { op: 'members' }
  /** A ring or stop-ringing not yet delivered (reminder stored with its transition). */
  | { op: 'notify'; userId: string; event: CallUserEvent }
  /** Media signalling from the device in the call (sfu/call-media.ts). */
  | { op: 'media'; userId: string; socketId: string; request: MediaRequest }
  /** The user actor saw the socket someone is in the call from go (closed, or its node died). */
  | { op: 'away'; userId: string; socketId: string }
  /** The reconnect deadline of someone away (reminder): not back, they leave. */
  | { op: 'awayOut'; userId: string }
  /** The call's longest life (reminder, set at the answer): it ends. */
  | { op: 'maxOut' }
  /** The node that held the call's router died: make a new one here, so everyone learns its epoch. */
  | { op: 'relocate' };

/** The media calls (protocol/calls/call-media.ts), each with its body. */
export type MediaCall =
  | 'calls.media'
  | 'calls.createTransport'
  | 'calls.connectTransport'
  | 'calls.restartIce'
  | 'calls.produce'
  | 'calls.setProducer'
  | 'calls.closeProducer'
  | 'calls.consume'
  | 'calls.setConsumer';
export type MediaRequest = { [C in MediaCall]: { call: C; body: CallRequest<C> } }[MediaCall];

/** What a callee's devices are to be told after a transition: ring, or stop ringing. */
interface Notice {
  userId: string;
  event: CallUserEvent;
}

const noticeName = (notice: Notice) => `${notice.event.name}:${notice.userId}`;
/** A stored notice is delivered by the reminder poller if this actor has not done it by then (its node died, a user actor was away). */
const NOTICE_AFTER_MS = 2000;
/**
 * Media changes (producers made, paused, closed) are told together: one `call.changed` for all
 * of those of this long, with the call as it is then, so a mute button pressed in a loop does not
 * make one event for everyone per press.
 */
const MEDIA_CHANGED_MS = 100;

/** A start refused by the database's rules: another call in progress, a caller in another call, a retried clientId. */
export type StartRefusal = { refused: 'inProgress'; callId: string } | { refused: 'alreadyInCall' } | { refused: 'sameClient' };

export interface CallActorDeps {
  db: Database;
  topics: TopicLog;
  log: Logger;
  /** The node's reminder store: the ring deadline and the report are set in a transition's transaction. */
  reminders: Reminders;
  /** CALL_RING_SECONDS, in ms. */
  ringMs: number;
  /** CALL_RECONNECT_SECONDS, in ms. */
  reconnectMs: number;
  /** CALL_MAX_SECONDS, in ms. */
  maxMs: number;
  idleMs?: number;
  /** This node's SFU, whose workers carry the routers of the calls placed here. */
  sfu: Sfu | undefined;
  /** The STUN and TURN servers handed to each participant. */
  ice: IceConfig;
}

const NO_SUCH_CALL = { noSuchCall: true } as const;
export const isNoSuchCall = (answer: unknown): boolean => typeof answer === 'object' && answer !== null && 'noSuchCall' in answer;

const RING = 'ring';
const REPORT = 'report';
const MAX = 'max';
const awayName = (userId: string) => `away:${userId}`;

type Executor = Parameters<Parameters<Database['transaction']>[0]>[0];

export function callActorKind(deps: CallActorDeps): ActorKind {
  return {
    name: 'call',
    // On the least-loaded node running an SFU, whose workers will carry the call's media router.
    placement: 'sfu',
    ...(deps.idleMs === undefined ? {} : { idleMs: deps.idleMs }),
    async create(callId: string, context: ActorContext) {
      const [row] = await deps.db.select().from(calls).where(eq(calls.id, callId));
      const participants =
        row === undefined ? [] : await deps.db.select().from(callParticipants).where(eq(callParticipants.callId, callId));
      const call = new Call(callId, deps, context, row, participants);
      return { handle: (message) => call.handle(message as CallMessage) };
    },
  };
}

class Call {
  readonly #id: string;
  readonly #deps: CallActorDeps;
  readonly #context: ActorContext;
  #call: CallRow | undefined;
  readonly #participants = new Map<string, ParticipantRow>();
  /** The router and what is on it, from the first `calls.media` until the end (or the router's loss). */
  #media: CallMedia | undefined;
  /** A `call.changed` for media changes is due (MEDIA_CHANGED_MS). */
  #mediaChangedDue: ReturnType<typeof setTimeout> | undefined;

  constructor(id: string, deps: CallActorDeps, context: ActorContext, call: CallRow | undefined, participants: ParticipantRow[]) {
    this.#id = id;
    this.#deps = deps;
    this.#context = context;
    this.#call = call;
    for (const participant of participants.sort(byCallerFirst(call?.startedBy ?? null)))
      this.#participants.set(participant.userId, participant);
  }

  get #topic() {
    return `call:${this.#id}`;
  }

  #view(): CallView {
    const media = this.#media === undefined ? null : { epoch: this.#media.epoch, producers: this.#media.producers() };
    return callView(this.#call as CallRow, this.#participants.values(), media);
  }

  async handle(message: CallMessage): Promise<Outcome> {
    if (message.op === 'start') return this.#start(message);
    const call = this.#call;
    // Ids that lead nowhere must not keep actors alive.
    if (call === undefined) return { stop: true, reply: NO_SUCH_CALL };
    switch (message.op) {
      case 'ringOut':
        await this.#ringOut(call);
        return noReply;
      case 'report':
        await this.#report(call);
        return noReply;
      case 'away':
        await this.#away(call, message.userId, message.socketId);
        return noReply;
      case 'awayOut': {
        const gone = this.#participants.get(message.userId);
        // Back meanwhile (their socket is set again), or out already: nothing to do.
        if (call.state !== 'ended' && gone?.state === 'joined' && gone.socketId === null) await this.#drop(call, [gone]);
        return noReply;
      }
      case 'maxOut':
        if (call.state !== 'ended') await this.#end(call, call.answeredAt === null ? 'missed' : 'completed', {});
        return noReply;
      case 'relocate':
        if (call.state !== 'ended' && this.#joined() > 0) await this.#ensureMedia(call);
        return reply({});
      case 'members':
        await this.#pruneMembers(call);
        return reply({});
      case 'notify':
        // A ring retried after the call moved on (answered, declined, ended) would ring for
        // nothing, after its `call.cancelled`: it is dropped. A failure throws, and the reminder
        // tries again later.
        if (
          message.event.name === 'call.incoming' &&
          (call.state === 'ended' || this.#participants.get(message.userId)?.state !== 'ringing')
        )
          return noReply;
        await this.#context.ask('user', message.userId, { op: 'call', event: message.event } satisfies UserMessage);
        return noReply;
      case 'join':
        return reply(await this.#join(call, message.userId, message.socketId));
      case 'media':
        return reply(await this.#mediaCall(call, message));
    }
    const participant = this.#participants.get(message.userId);
    // Nobody the call did not ring learns that it exists.
    if (participant === undefined) throw new NotFoundError('call');
    switch (message.op) {
      case 'get':
        return reply(this.#view());
      case 'accept':
        return reply(await this.#accept(call, participant, message.socketId));
      case 'decline':
        return reply(await this.#decline(call, participant));
      case 'leave':
        return reply(await this.#leave(call, participant));
    }
  }

  // ——— start ———

  async #start(message: Extract<CallMessage, { op: 'start' }>): Promise<Outcome> {
    if (this.#call !== undefined) return reply(this.#view());
    // Checked first, as the unique indexes would only catch them when rows go in as `ringing` and
    // `joined` (a call to a busy callee is stored ended at once); those indexes decide the races.
    const refusal = await this.#startRefused(message.conversationId, message.userId);
    if (refusal !== undefined) return { stop: true, reply: refusal };
    const now = new Date();
    // Callees in another call now are not rung. A callee who joins one meanwhile is rung anyway,
    // and cannot answer (ALREADY_IN_CALL) until they leave it.
    const busy = new Set(
      message.invitees.length === 0
        ? []
        : (
            await this.#deps.db
              .select({ userId: callParticipants.userId })
              .from(callParticipants)
              .where(and(anyOf(callParticipants.userId, message.invitees), eq(callParticipants.state, 'joined')))
          ).map((row) => row.userId),
    );
    const allBusy = message.kind === 'direct' && message.invitees.every((userId) => busy.has(userId));
    const call: CallRow = {
      id: this.#id,
      conversationId: message.conversationId,
      kind: message.kind,
      video: message.video,
      startedBy: message.userId,
      clientId: message.clientId,
      state: allBusy ? 'ended' : 'ringing',
      endReason: allBusy ? 'busy' : null,
      placement: null,
      reported: false,
      createdAt: now,
      answeredAt: null,
      endedAt: allBusy ? now : null,
    };
    const participants: ParticipantRow[] = [
      {
        callId: this.#id,
        userId: message.userId,
        state: allBusy ? 'left' : 'joined',
        invitedAt: now,
        joinedAt: now,
        leftAt: allBusy ? now : null,
        socketId: message.socketId,
      },
      ...message.invitees.map(
        (userId): ParticipantRow => ({
          callId: this.#id,
          userId,
          state: busy.has(userId) ? 'busy' : 'ringing',
          invitedAt: now,
          joinedAt: null,
          leftAt: null,
          socketId: null,
        }),
      ),
    ];
    const view = callView(call, participants);
    const notices = participants
      .filter((participant) => participant.state === 'ringing')
      .map((participant): Notice => ({ userId: participant.userId, event: { name: 'call.incoming', body: { call: view } } }));
    try {
      await this.#deps.db.transaction(async (tx) => {
        await tx.insert(calls).values(call);
        await tx.insert(callParticipants).values(participants);
        await this.#storeNotices(tx, notices);
        if (allBusy) await this.#deps.reminders.set('call', this.#id, REPORT, 0, { op: 'report' } satisfies CallMessage, tx);
        else await this.#deps.reminders.set('call', this.#id, RING, this.#deps.ringMs, { op: 'ringOut' } satisfies CallMessage, tx);
      });
    } catch (error) {
      const refusal = await this.#startRefusal(error, message.conversationId);
      return { stop: true, reply: refusal };
    }
    this.#call = call;
    for (const participant of participants) this.#participants.set(participant.userId, participant);
    await this.#changed();
    await this.#notify(notices);
    if (allBusy) await this.#report(call);
    return reply(view);
  }

  /** Another call in progress in the conversation, or the caller in a call. */
  async #startRefused(conversationId: string, userId: string): Promise<StartRefusal | undefined> {
    const [[live], [inCall]] = await Promise.all([
      this.#deps.db
        .select({ id: calls.id })
        .from(calls)
        .where(and(eq(calls.conversationId, conversationId), ne(calls.state, 'ended'))),
      this.#deps.db
        .select({ callId: callParticipants.callId })
        .from(callParticipants)
        .where(and(eq(callParticipants.userId, userId), eq(callParticipants.state, 'joined'))),
    ]);
    if (live !== undefined) return { refused: 'inProgress', callId: live.id };
    if (inCall !== undefined) return { refused: 'alreadyInCall' };
    return undefined;
  }

  async #startRefusal(error: unknown, conversationId: string): Promise<StartRefusal> {
    switch (violatedUniqueConstraint(error)) {
      case 'calls_conversation_live': {
        const [live] = await this.#deps.db
          .select({ id: calls.id })
          .from(calls)
          .where(and(eq(calls.conversationId, conversationId), ne(calls.state, 'ended')));
        // Ended between the insert and this read: the caller may start again.
        if (live === undefined) throw error;
        return { refused: 'inProgress', callId: live.id };
      }
      case 'call_participants_one_call':
        return { refused: 'alreadyInCall' };
      case 'calls_client':
        return { refused: 'sameClient' };
      default:
        throw error;
    }
  }

  // ——— answering ———

  #limit(call: CallRow): number {
    return call.video ? CALL_LIMITS.videoParticipants : CALL_LIMITS.audioParticipants;
  }

  #joined(): number {
    let joined = 0;
    for (const participant of this.#participants.values()) if (participant.state === 'joined') joined++;
    return joined;
  }

  /** Someone joins (an answer, or a group member coming in): the call becomes active if it rang. */
  async #enter(call: CallRow, userId: string, socketId: string, wasRinging: boolean): Promise<CallView> {
    if (this.#joined() >= this.#limit(call)) throw new CallFullError(this.#limit(call));
    const now = new Date();
    const answered = call.state === 'ringing';
    const previous = this.#participants.get(userId);
    const participant: ParticipantRow = {
      callId: this.#id,
      userId,
      state: 'joined',
      invitedAt: previous?.invitedAt ?? now,
      joinedAt: now,
      leftAt: null,
      socketId,
    };
    // The user's other devices stop ringing.
    const notices: Notice[] = wasRinging
      ? [{ userId, event: { name: 'call.cancelled', body: { callId: this.#id, reason: 'answered' } } }]
      : [];
    try {
      await this.#deps.db.transaction(async (tx) => {
        // Still a present member, read here, in the actor's order: a removal that committed after
        // the caller's access check (and whose revocation this actor handled first, with nobody to
        // take out yet) refuses the entry instead of letting them in.
        const [stillMember] = await tx
          .select({ userId: conversationMembers.userId })
          .from(conversationMembers)
          .where(presentIn(call.conversationId, userId));
        if (stillMember === undefined) throw new NotFoundError('call');
        await this.#storeNotices(tx, notices);
        if (previous === undefined) await tx.insert(callParticipants).values(participant);
        else await this.#setParticipant(tx, userId, { state: 'joined', joinedAt: now, leftAt: null, socketId });
        if (answered) {
          await tx.update(calls).set({ state: 'active', answeredAt: now }).where(eq(calls.id, this.#id));
          await this.#deps.reminders.set('call', this.#id, MAX, this.#deps.maxMs, { op: 'maxOut' } satisfies CallMessage, tx);
        }
      });
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'call_participants_one_call') throw new AlreadyInCallError();
      throw error;
    }
    this.#participants.set(userId, participant);
    if (answered) {
      call.state = 'active';
      call.answeredAt = now;
      // One-to-one, nobody else rings: the deadline has nothing left to do.
      if (call.kind === 'direct') await this.#cancelReminder(RING);
    }
    await this.#changed();
    await this.#notify(notices);
    return this.#view();
  }

  async #accept(call: CallRow, participant: ParticipantRow, socketId: string): Promise<CallView> {
    if (participant.state === 'joined') return this.#rejoin(participant, socketId);
    if (call.state === 'ended') throw new CallEndedError();
    if (participant.state !== 'ringing') throw new NotRingingError();
    return this.#enter(call, participant.userId, socketId, true);
  }

  async #join(call: CallRow, userId: string, socketId: string): Promise<CallView> {
    const participant = this.#participants.get(userId);
    if (participant?.state === 'joined') return this.#rejoin(participant, socketId);
    if (call.kind !== 'group') throw new InvalidInputError('a one-to-one call is answered with calls.accept', { field: 'callId' });
    if (call.state === 'ended') throw new CallEndedError();
    return this.#enter(call, userId, socketId, participant?.state === 'ringing');
  }

  /**
   * Someone in the call answers or joins again: from the device in it, the call as it is; from
   * another, that device takes their place if the one in it is gone (away, or no longer open:
   * its node died unseen), else ANSWERED_ELSEWHERE.
   */
  async #rejoin(participant: ParticipantRow, socketId: string): Promise<CallView> {
    if (participant.socketId === socketId) return this.#view();
    if (participant.socketId !== null) {
      const live = await this.#context.ask('user', participant.userId, {
        op: 'socketLive',
        socketId: participant.socketId,
      } satisfies UserMessage);
      if (live === true) throw new AnsweredElsewhereError();
    }
    await this.#setParticipant(this.#deps.db, participant.userId, { socketId });
    participant.socketId = socketId;
    await this.#cancelReminder(awayName(participant.userId));
    this.#deps.log.info(
      { call: this.#id, user: participant.userId, socket: socketId },
      `call.rejoin() | back from another socket [call:${this.#id}] [user:${participant.userId}]`,
    );
    return this.#view();
  }

  /** The device someone is in the call from went away: they stay CALL_RECONNECT_SECONDS for it (or another) to come back. */
  async #away(call: CallRow, userId: string, socketId: string): Promise<void> {
    const participant = this.#participants.get(userId);
    if (call.state === 'ended' || participant?.state !== 'joined' || participant.socketId !== socketId) return;
    await this.#deps.db.transaction(async (tx) => {
      await this.#setParticipant(tx, userId, { socketId: null });
      await this.#deps.reminders.set(
        'call',
        this.#id,
        awayName(userId),
        this.#deps.reconnectMs,
        { op: 'awayOut', userId } satisfies CallMessage,
        tx,
      );
    });
    participant.socketId = null;
    this.#deps.log.info({ call: this.#id, user: userId }, `call.away() | device gone, waiting for it [call:${this.#id}] [user:${userId}]`);
  }

  async #decline(call: CallRow, participant: ParticipantRow): Promise<CallView> {
    // A repeat of a decline (that may have ended the call) answers the call as it is.
    if (participant.state === 'declined') return this.#view();
    if (call.state === 'ended') throw new CallEndedError();
    if (participant.state !== 'ringing') throw new NotRingingError();
    const userId = participant.userId;
    const notices: Notice[] = [{ userId, event: { name: 'call.cancelled', body: { callId: this.#id, reason: 'declined' } } }];
    if (call.kind === 'direct') {
      await this.#end(call, 'declined', { [userId]: 'declined' }, notices);
      return this.#view();
    }
    await this.#deps.db.transaction(async (tx) => {
      await this.#setParticipant(tx, userId, { state: 'declined' });
      await this.#storeNotices(tx, notices);
    });
    participant.state = 'declined';
    await this.#changed();
    await this.#notify(notices);
    return this.#view();
  }

  async #leave(call: CallRow, participant: ParticipantRow): Promise<CallView> {
    // Not in it (any more): nothing to do, as the first leave left it.
    if (participant.state !== 'joined' || call.state === 'ended') return this.#view();
    await this.#drop(call, [participant]);
    return this.#view();
  }

  /**
   * Members who left or were removed from the conversation leave the call (and stop ringing):
   * told by Calls.revokeAccess, and asked again by a leave from someone no longer a member.
   */
  async #pruneMembers(call: CallRow): Promise<void> {
    if (call.state === 'ended') return;
    const present = new Set(
      (
        await this.#deps.db
          .select({ userId: conversationMembers.userId })
          .from(conversationMembers)
          .where(and(eq(conversationMembers.conversationId, call.conversationId), inArray(conversationMembers.state, [...PRESENT_STATES])))
      ).map((row) => row.userId),
    );
    const gone = [...this.#participants.values()].filter(
      (participant) => !present.has(participant.userId) && (participant.state === 'joined' || participant.state === 'ringing'),
    );
    if (gone.length > 0) await this.#drop(call, gone);
  }

  /** Takes people out of the call (those in it leave, those rung miss it); ends it when that is the rule. */
  async #drop(call: CallRow, gone: ParticipantRow[]): Promise<void> {
    const states = Object.fromEntries(
      gone.map((participant): [string, ParticipantState] => [participant.userId, participant.state === 'joined' ? 'left' : 'missed']),
    );
    const leaving = new Set(gone.map((participant) => participant.userId));
    const others = [...this.#participants.values()].filter((participant) => !leaving.has(participant.userId));
    const remaining = others.filter((participant) => participant.state === 'joined').length;
    const stillRinging = others.some((participant) => participant.state === 'ringing');
    if (call.kind === 'direct' || remaining === 0) {
      // Nobody answered: hung up while it still rang is cancelled; after everyone missed it, missed.
      const outcome: CallEndReason = call.answeredAt !== null ? 'completed' : stillRinging ? 'cancelled' : 'missed';
      await this.#end(call, outcome, states);
      return;
    }
    const now = new Date();
    const notices = gone
      .filter((participant) => participant.state === 'ringing')
      .map((participant): Notice => ({ userId: participant.userId, event: this.#cancelled('ended') }));
    await this.#deps.db.transaction(async (tx) => {
      for (const [userId, state] of Object.entries(states))
        await this.#setParticipant(tx, userId, state === 'left' ? { state, leftAt: now } : { state });
      await this.#storeNotices(tx, notices);
    });
    for (const participant of gone) {
      if (participant.state === 'joined' && participant.socketId === null) await this.#cancelReminder(awayName(participant.userId));
      participant.state = states[participant.userId] as ParticipantState;
      if (participant.state === 'left') participant.leftAt = now;
      this.#media?.removePeer(participant.userId);
    }
    await this.#changed();
    await this.#notify(notices);
  }

  // ——— media ———

  /** A media call from the device in the call: its answer (sfu/call-media.ts checks every id is the caller's own). */
  async #mediaCall(call: CallRow, message: Extract<CallMessage, { op: 'media' }>): Promise<CallResponse<MediaCall>> {
    const { userId, request } = message;
    const participant = this.#participants.get(userId);
    // Nobody the call did not ring learns that it exists (a group member who never joined is NOT_IN_CALL below).
    if (participant === undefined && call.kind === 'direct') throw new NotFoundError('call');
    if (call.state === 'ended') throw new CallEndedError();
    if (participant?.state !== 'joined' || participant.socketId !== message.socketId) throw new NotInCallError();
    const media = await this.#ensureMedia(call);
    switch (request.call) {
      case 'calls.media':
        return { epoch: media.epoch, rtpCapabilities: media.rtpCapabilities, iceServers: iceServers(this.#deps.ice, userId) };
      case 'calls.createTransport':
        return media.createTransport(userId, request.body.direction);
      case 'calls.connectTransport':
        await media.connectTransport(userId, request.body.transportId, request.body.dtlsParameters);
        return {};
      case 'calls.restartIce':
        return { iceParameters: await media.restartIce(userId, request.body.transportId) };
      case 'calls.produce':
        return { producerId: await media.produce(userId, request.body) };
      case 'calls.setProducer':
        await media.setProducer(userId, request.body.producerId, request.body.paused);
        return {};
      case 'calls.closeProducer':
        media.closeProducer(userId, request.body.producerId);
        return {};
      case 'calls.consume':
        return media.consume(userId, request.body);
      case 'calls.setConsumer':
        await media.setConsumer(userId, request.body);
        return {};
    }
  }

  /** The call's router, made on this node's SFU the first time media is asked for; where it runs is recorded. */
  async #ensureMedia(call: CallRow): Promise<CallMedia> {
    if (this.#media !== undefined) return this.#media;
    const media = await CallMedia.create(
      this.#deps.sfu,
      call,
      {
        changed: () => this.#mediaChanged(),
        speaker: (userId) => this.#deps.topics.signal(this.#topic, 'call.speaker', { callId: this.#id, userId }),
        lost: () => {
          if (this.#media !== media) return;
          this.#media = undefined;
          void this.#changedLogged();
        },
      },
      this.#deps.log,
    );
    this.#media = media;
    call.placement = { node: this.#context.node, routerId: media.epoch };
    await this.#deps.db.update(calls).set({ placement: call.placement }).where(eq(calls.id, this.#id));
    this.#deps.log.info(
      { call: this.#id, node: this.#context.node, router: media.epoch },
      `call.media() | router made [call:${this.#id}] [router:${media.epoch}]`,
    );
    await this.#changed();
    return media;
  }

  /** Media changed: told with the others of the next MEDIA_CHANGED_MS. */
  #mediaChanged(): void {
    this.#mediaChangedDue ??= setTimeout(() => {
      this.#mediaChangedDue = undefined;
      void this.#changedLogged();
    }, MEDIA_CHANGED_MS);
  }

  /** A change seen outside a turn (a producer closed with its transport, the router lost): told, or logged. */
  async #changedLogged(): Promise<void> {
    try {
      await this.#changed();
    } catch (error) {
      this.#deps.log.warn({ err: error }, `call.changed() | not published [call:${this.#id}]`);
    }
  }

  // ——— deadlines and the end ———

  /** The ring deadline: whoever still rings missed it; a one-to-one call nobody answered ends `missed`. */
  async #ringOut(call: CallRow): Promise<void> {
    if (call.state === 'ended') return;
    const ringing = [...this.#participants.values()].filter((participant) => participant.state === 'ringing').map((p) => p.userId);
    if (call.kind === 'direct' && call.state === 'ringing') {
      await this.#end(call, 'missed', {});
      return;
    }
    if (ringing.length === 0) return;
    const notices = ringing.map((userId): Notice => ({ userId, event: this.#cancelled('missed') }));
    await this.#deps.db.transaction(async (tx) => {
      await tx
        .update(callParticipants)
        .set({ state: 'missed' })
        .where(and(eq(callParticipants.callId, this.#id), eq(callParticipants.state, 'ringing')));
      await this.#storeNotices(tx, notices);
    });
    for (const userId of ringing) (this.#participants.get(userId) as ParticipantRow).state = 'missed';
    await this.#changed();
    await this.#notify(notices);
  }

  /**
   * Ends the call: `states` for the participants named, and everyone else still rung misses it and
   * everyone still in it leaves. The report reminder is set in the same transaction.
   */
  async #end(call: CallRow, reason: CallEndReason, states: Record<string, ParticipantState>, extra: Notice[] = []): Promise<void> {
    const now = new Date();
    const away = [...this.#participants.values()].filter((p) => p.state === 'joined' && p.socketId === null).map((p) => p.userId);
    const changes = new Map<string, ParticipantState>();
    for (const [userId, participant] of this.#participants) {
      const state = states[userId] ?? (participant.state === 'ringing' ? 'missed' : participant.state === 'joined' ? 'left' : undefined);
      if (state !== undefined && state !== participant.state) changes.set(userId, state);
    }
    // Those still rung stop ringing (a decline is told by its caller, in `extra`).
    const notices = [
      ...[...changes]
        .filter(([userId, state]) => state === 'missed' && this.#participants.get(userId)?.state === 'ringing')
        .map(([userId]): Notice => ({ userId, event: this.#cancelled(reason === 'missed' ? 'missed' : 'ended') })),
      ...extra,
    ];
    await this.#deps.db.transaction(async (tx) => {
      for (const [userId, state] of changes) await this.#setParticipant(tx, userId, state === 'left' ? { state, leftAt: now } : { state });
      await tx.update(calls).set({ state: 'ended', endReason: reason, endedAt: now }).where(eq(calls.id, this.#id));
      await this.#deps.reminders.set('call', this.#id, REPORT, 0, { op: 'report' } satisfies CallMessage, tx);
      await this.#storeNotices(tx, notices);
    });
    for (const [userId, state] of changes) {
      const participant = this.#participants.get(userId) as ParticipantRow;
      participant.state = state;
      if (state === 'left') participant.leftAt = now;
    }
    call.state = 'ended';
    call.endReason = reason;
    call.endedAt = now;
    this.#media?.close();
    this.#media = undefined;
    await this.#cancelReminder(RING);
    if (call.answeredAt !== null) await this.#cancelReminder(MAX);
    for (const userId of away) await this.#cancelReminder(awayName(userId));
    await this.#changed();
    await this.#notify(notices);
    await this.#report(call);
  }

  /**
   * Has the conversation's room write the call's system message (the room skips it if it already
   * did: a report repeated after a failover). On failure the report reminder tries again.
   */
  async #report(call: CallRow): Promise<void> {
    if (call.reported || call.state !== 'ended' || call.endReason === null) return;
    // The account that started it is gone: its message has nobody to name.
    if (call.startedBy !== null) {
      const userIds = [...this.#participants.values()].filter((participant) => participant.joinedAt !== null).map((p) => p.userId);
      await this.#context.ask('room', call.conversationId, {
        op: 'callEnded',
        system: {
          action: 'call',
          actorId: call.startedBy,
          userIds,
          name: null,
          call: { callId: this.#id, video: call.video, durationSeconds: durationOf(call) ?? 0, outcome: call.endReason },
        },
      } satisfies RoomMessage);
    }
    await this.#deps.db.update(calls).set({ reported: true }).where(eq(calls.id, this.#id));
    call.reported = true;
    await this.#cancelReminder(REPORT);
  }

  // ——— writes and events ———

  #setParticipant(
    executor: Executor | Database,
    userId: string,
    set: Partial<Pick<ParticipantRow, 'state' | 'joinedAt' | 'leftAt' | 'socketId'>>,
  ) {
    return executor
      .update(callParticipants)
      .set(set)
      .where(and(eq(callParticipants.callId, this.#id), eq(callParticipants.userId, userId)));
  }

  /** A reminder that fires anyway finds nothing to do (each handler checks the state first). */
  async #cancelReminder(name: string): Promise<void> {
    try {
      await this.#context.cancelReminder(name);
    } catch (error) {
      this.#deps.log.warn(
        { err: error },
        `call.reminder() | cancel failed, it will fire for nothing [call:${this.#id}] [reminder:${name}]`,
      );
    }
  }

  #changed(): Promise<number> {
    return this.#deps.topics.publish(this.#topic, 'call.changed', { call: this.#view() });
  }

  #cancelled(reason: 'answered' | 'declined' | 'missed' | 'ended'): CallUserEvent {
    return { name: 'call.cancelled', body: { callId: this.#id, reason } };
  }

  /** Stores a transition's notices in its transaction: due a little later, for the case this node
   * dies before #notify delivers them (a repeat is harmless: clients key rings by call id). */
  async #storeNotices(tx: Executor, notices: Notice[]): Promise<void> {
    for (const notice of notices)
      await this.#deps.reminders.set(
        'call',
        this.#id,
        noticeName(notice),
        NOTICE_AFTER_MS,
        { op: 'notify', ...notice } satisfies CallMessage,
        tx,
      );
  }

  /**
   * Rings or stops ringing users through their user actors, which log the event on `user:<id>`
   * for every session; each delivered notice's reminder is dropped. One that fails is logged and
   * left to its reminder, which delivers it later from whichever node polls it.
   */
  async #notify(notices: Notice[]): Promise<void> {
    await Promise.all(
      notices.map(async (notice) => {
        try {
          await this.#context.ask('user', notice.userId, { op: 'call', event: notice.event } satisfies UserMessage);
        } catch (error) {
          this.#deps.log.warn(
            { err: error },
            `call.notify() | ${notice.event.name} not delivered, its reminder will [call:${this.#id}] [user:${notice.userId}]`,
          );
          return;
        }
        await this.#cancelReminder(noticeName(notice));
      }),
    );
  }
}
