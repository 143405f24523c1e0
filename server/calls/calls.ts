// The entry points of calls. Starting one asks the conversation's room actor whether the caller may
// (as they may write to it) and whom it rings, then the new call's actor (actors/call.ts) makes it;
// every later change goes to that actor. Reads check that the reader is still a member of the
// call's conversation: someone removed from a group no longer sees its calls.
import { and, desc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import { type CallMessage, isNoSuchCall, type MediaCall, type MediaRequest, type StartRefusal } from '../../actors/call.ts';
import { NoPlacementError } from '../../actors/errors.ts';
import type { CallCheck } from '../../actors/room.ts';
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import { CALL_LIMITS } from '../../protocol/lists.ts';
import type { Chats } from '../chats/chats.ts';
import { conversationMembers } from '../chats/schema.ts';
import { NotFoundError } from '../errors.ts';
import { announceAccessChange, type SocialDeps } from '../people/context.ts';
import { anyOf } from '../platform/db/any-of.ts';
import { liveCallOf, presentIn } from './access.ts';
import { AlreadyInCallError, CallInProgressError, CallsUnavailableError } from './errors.ts';
import { callParticipants, calls } from './schema.ts';
import { type CallView, callView } from './views.ts';

export interface CallsDeps extends Pick<SocialDeps, 'db' | 'actors' | 'limiter' | 'bus' | 'namespace' | 'log' | 'topics'> {
  /** CALLS_PER_HOUR. */
  callsPerHour: number;
  /** CALL_RINGS_PER_HOUR: how often one person may be rung an hour, whoever calls. */
  ringsPerHour: number;
  /** CALL_JOINS_PER_MINUTE: how often one person may join or answer one call a minute. */
  joinsPerMinute: number;
}

/** How long a lost call's move is retried: beyond the actor lease of the dead node (10 s by default). */
const RELOCATE_WITHIN_MS = 60_000;
const RELOCATE_RETRY_MS = 250;

export class Calls {
  readonly #deps: CallsDeps;
  readonly #chats: Chats;

  constructor(deps: CallsDeps, chats: Chats) {
    this.#deps = deps;
    this.#chats = chats;
  }

  /**
   * Someone left or was removed from the conversation: followers of its call in progress are
   * re-checked by every gateway (server/calls/access.ts), and those no longer in it are cut off;
   * the call takes whoever is no longer a member out of it.
   */
  revokeAccess(conversationId: string): void {
    liveCallOf(this.#deps.db, conversationId)
      .then(async (callId) => {
        if (callId === undefined) return;
        announceAccessChange(this.#deps, { topics: [`call:${callId}`] });
        await this.#callActor(callId, { op: 'members' } satisfies CallMessage);
      })
      .catch((error: unknown) => this.#deps.log.error({ err: error }, `calls.revokeAccess() | failed [conversation:${conversationId}]`));
  }

  /**
   * Nodes died (this node took them for lost): the calls whose routers they held lost their media.
   * Their placement is cleared in one statement, so of the nodes that notice, one alone goes on
   * with each call: it signals `call.mediaLost` to the call's followers (their transports are
   * dead; they will ask `calls.media` again) and asks the call to make a router on another SFU
   * node, retrying while the dead node's lease on the call lapses; the new epoch then reaches
   * everyone in `call.changed`.
   */
  async nodesLost(nodes: string[]): Promise<void> {
    const moved = await this.#deps.db
      .update(calls)
      .set({ placement: null })
      .where(and(ne(calls.state, 'ended'), inArray(sql`${calls.placement}->>'node'`, nodes)))
      .returning({ id: calls.id });
    await Promise.all(
      moved.map(async ({ id }) => {
        this.#deps.topics.signal(`call:${id}`, 'call.mediaLost', { callId: id });
        this.#deps.log.warn({ call: id, nodes }, `calls.nodesLost() | media lost with its node, moving [call:${id}]`);
        const deadline = Date.now() + RELOCATE_WITHIN_MS;
        for (;;) {
          try {
            await this.#callActor(id, { op: 'relocate' } satisfies CallMessage);
            return;
          } catch (error) {
            if (Date.now() > deadline) {
              this.#deps.log.error(
                { err: error, call: id },
                `calls.nodesLost() | not moved; its people will on their next calls.media [call:${id}]`,
              );
              return;
            }
            await Bun.sleep(RELOCATE_RETRY_MS);
          }
        }
      }),
    );
  }

  async start(userId: string, socketId: string, request: CallRequest<'calls.start'>): Promise<CallView> {
    // A retry of a start answers the call it made.
    const made = await this.#byClient(userId, request.clientId);
    if (made !== undefined) return this.get(userId, made);
    const check = await this.#chats.room<CallCheck>(request.conversationId, { op: 'callCheck', userId });
    await this.#deps.limiter.hit({ name: 'calls started', max: this.#deps.callsPerHour, windowMs: 60 * 60_000 }, userId);
    // Each callee is rung at most ringsPerHour times an hour, whoever calls (many callers cannot
    // make someone's devices ring without end): beyond it a group does not ring them, and a
    // one-to-one call is refused RATE_LIMITED.
    const invitees: string[] = [];
    for (const invitee of check.invitees) {
      const { refusal } = await this.#deps.limiter.hitMany(
        { name: 'calls rung', max: this.#deps.ringsPerHour, windowMs: 60 * 60_000 },
        invitee,
        1,
      );
      if (refusal === undefined) invitees.push(invitee);
      else if (check.kind === 'direct') throw refusal;
    }
    const callId = Bun.randomUUIDv7();
    const answer = (await this.#callActor(callId, {
      op: 'start',
      userId,
      socketId,
      conversationId: request.conversationId,
      kind: check.kind,
      video: request.video,
      clientId: request.clientId,
      invitees,
    } satisfies CallMessage)) as CallView | StartRefusal;
    if (!('refused' in answer)) return answer;
    const refusal = answer;
    switch (refusal.refused) {
      case 'inProgress':
        throw new CallInProgressError(refusal.callId);
      case 'alreadyInCall':
        throw new AlreadyInCallError();
      case 'sameClient': {
        // The same start ran at once elsewhere: answer what it made.
        const other = (await this.#byClient(userId, request.clientId)) as string;
        return this.get(userId, other);
      }
    }
  }

  async get(userId: string, callId: string): Promise<CallView> {
    await this.#member(userId, callId);
    return this.#ask(callId, { op: 'get', userId });
  }

  async accept(userId: string, socketId: string, callId: string): Promise<CallView> {
    await this.#member(userId, callId);
    await this.#joinLimit(userId, callId);
    return this.#ask(callId, { op: 'accept', userId, socketId });
  }

  async decline(userId: string, callId: string): Promise<CallView> {
    await this.#member(userId, callId);
    return this.#ask(callId, { op: 'decline', userId });
  }

  async join(userId: string, socketId: string, callId: string): Promise<CallView> {
    await this.#member(userId, callId);
    await this.#joinLimit(userId, callId);
    return this.#ask(callId, { op: 'join', userId, socketId });
  }

  /** Joins and answers of one call by one person, a minute: each tells everyone in it (join and leave loops). */
  async #joinLimit(userId: string, callId: string): Promise<void> {
    await this.#deps.limiter.hit({ name: 'call joins', max: this.#deps.joinsPerMinute, windowMs: 60_000 }, `${userId}:${callId}`);
  }

  /**
   * Someone no longer in the conversation learns nothing of the call (NOT_FOUND), but is taken out
   * of it all the same, should the revocation's pass have missed them: nobody stays stuck in a
   * call they cannot see (and out of every other one: ALREADY_IN_CALL).
   */
  async leave(userId: string, callId: string): Promise<CallView> {
    try {
      await this.#member(userId, callId);
    } catch (refusal) {
      await this.#callActor(callId, { op: 'members' } satisfies CallMessage);
      throw refusal;
    }
    return this.#ask(callId, { op: 'leave', userId });
  }

  /**
   * Media signalling (protocol/calls/call-media.ts) from the device in the call, answered by the
   * call's actor on the SFU node that holds its router.
   */
  async media(userId: string, socketId: string, request: MediaRequest): Promise<CallResponse<MediaCall>> {
    await this.#member(userId, request.body.callId);
    const answer = await this.#callActor(request.body.callId, { op: 'media', userId, socketId, request } satisfies CallMessage);
    if (isNoSuchCall(answer)) throw new NotFoundError('call');
    return answer as CallResponse<MediaCall>;
  }

  /** The calls that rang the user or that they made, newest first, in conversations they are still in. */
  async history(userId: string, request: CallRequest<'calls.history'>): Promise<CallResponse<'calls.history'>> {
    const limit = request.limit ?? CALL_LIMITS.historyDefault;
    const rows = await this.#deps.db
      .select({ call: calls })
      .from(callParticipants)
      .innerJoin(calls, eq(calls.id, callParticipants.callId))
      .innerJoin(conversationMembers, presentIn(calls.conversationId, userId))
      .where(
        and(eq(callParticipants.userId, userId), request.before === undefined ? undefined : lt(callParticipants.callId, request.before)),
      )
      .orderBy(desc(callParticipants.callId))
      .limit(limit + 1);
    const page = rows.slice(0, limit).map((row) => row.call);
    const participants =
      page.length === 0
        ? []
        : await this.#deps.db
            .select()
            .from(callParticipants)
            .where(
              anyOf(
                callParticipants.callId,
                page.map((call) => call.id),
              ),
            );
    return {
      items: page.map((call) =>
        callView(
          call,
          participants.filter((participant) => participant.callId === call.id),
        ),
      ),
      more: rows.length > limit,
    };
  }

  /** The call's id made by this start (same caller and clientId), if one was. */
  async #byClient(userId: string, clientId: string): Promise<string | undefined> {
    const [row] = await this.#deps.db
      .select({ id: calls.id })
      .from(calls)
      .where(and(eq(calls.startedBy, userId), eq(calls.clientId, clientId)));
    return row?.id;
  }

  /** The user is a present member of the call's conversation; NOT_FOUND otherwise, as for a call that does not exist. */
  async #member(userId: string, callId: string): Promise<void> {
    const [row] = await this.#deps.db
      .select({ state: conversationMembers.state })
      .from(calls)
      .innerJoin(conversationMembers, presentIn(calls.conversationId, userId))
      .where(eq(calls.id, callId));
    if (row === undefined) throw new NotFoundError('call');
  }

  /** Asks the call's actor, which lives on the least-loaded SFU node (CALLS_UNAVAILABLE when none runs). */
  async #callActor(callId: string, message: CallMessage): Promise<unknown> {
    try {
      return await this.#deps.actors.ask('call', callId, message);
    } catch (error) {
      if (error instanceof NoPlacementError) throw new CallsUnavailableError();
      throw error;
    }
  }

  async #ask(callId: string, message: CallMessage): Promise<CallView> {
    const answer = await this.#callActor(callId, message);
    if (isNoSuchCall(answer)) throw new NotFoundError('call');
    return answer as CallView;
  }
}
