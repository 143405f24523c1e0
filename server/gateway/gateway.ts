// The WebSocket gateway: GET /ws upgrades; the first frame must be a hello with an access token;
// then calls get exactly one reply or error each, and topics are followed through the node's
// router. Every inbound frame is decoded and checked against the protocol's schemas before
// anything acts on it. Misbehaving sockets get typed errors, then documented close codes; no
// socket can affect another.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerWebSocket, WebSocketHandler } from 'bun';
import { ActorSystemStoppedError, ActorUnavailableError, AskTimeoutError, MailboxFullError } from '../../actors/errors.ts';
import type { ActorSystem } from '../../actors/system.ts';
import {
  type SocketRefusal,
  type SocketReport,
  type SocketsOfRequest,
  socketRefusedSubject,
  socketsOfSubject,
  type UserMessage,
} from '../../actors/user.ts';
import { type CallName, Calls, parseTopic, requestCheckers, type TopicSpec, Topics } from '../../protocol/catalogue.ts';
import { decodeFrame, encodeFrame } from '../../protocol/codec.ts';
import { CLOSE_CODES, type ProtocolErrorCode, RETRY_AFTER_MS } from '../../protocol/errors.ts';
import { type ClientFrameOf, firstProblem } from '../../protocol/frames.ts';
import { readClientFrame } from '../../protocol/inbound.ts';
import { type ScopeNeed, scopeAllows, scopeOfCall, scopeOfTopic } from '../../protocol/scopes.ts';
import { PROTOCOL_VERSION, SUPPORTED_VERSIONS } from '../../protocol/version.ts';
import type { AccountsDeps } from '../accounts/context.ts';
import { type RevocationNotice, sessionsRevokedSubject } from '../accounts/events.ts';
import { authenticateAny, hasRole, type Principal } from '../accounts/guard.ts';
import type { TokenStanding } from '../accounts/personal-tokens.ts';
import { type RoleChange, roleChangedSubject } from '../accounts/roles.ts';
import type { Role } from '../accounts/schema.ts';
import { findUserById } from '../accounts/users.ts';
import { ServerError, UnauthenticatedError } from '../errors.ts';
import { errorBody } from '../http/errors.ts';
import { PlanRequiredError } from '../payments/errors.ts';
import { mayView } from '../people/access.ts';
import { type AccessChange, accessChangedSubject } from '../people/context.ts';
import type { Social } from '../people/social.ts';
import type { Platform } from '../platform/index.ts';
import { Connection } from './connection.ts';
import { declaredCodes, UNDECLARED_ERROR_LOG } from './contract.ts';
import { type Deadline, Deadlines } from './deadlines.ts';
import { createHandlers, type Handlers } from './handlers.ts';
import { DEFAULT_LIMITS, type GatewayLimits, TokenBucket } from './limits.ts';
import { type ReplayReview, TopicRouter } from './router.ts';
import { UserRates } from './user-rate.ts';

export interface Gateway {
  readonly websocket: WebSocketHandler<Connection>;
  readonly router: TopicRouter;
  /** Upgrades GET /ws: undefined once upgraded, else the refusal to answer (426 not an upgrade, 429 too many waiting sockets). */
  upgrade(request: Request, server: UpgradingServer): Response | undefined;
  attach(server: { publish(topic: string, data: Uint8Array): number }): void;
  readonly sockets: number;
  /** Closes every socket with GOING_AWAY and stops listening. */
  close(): void;
}

/** A call awaiting its handler, with the deadline of its TIMEOUT. */
interface PendingCall extends Deadline {
  connection: Connection;
  ref: number;
  op: string;
  timedOut: boolean;
}

interface UpgradingServer {
  upgrade(request: Request, options: { data: Connection }): boolean;
  requestIP(request: Request): { address: string } | null;
}

export interface GatewayOptions {
  platform: Platform;
  accounts: AccountsDeps;
  actors: ActorSystem;
  social: Social;
  limits?: Partial<GatewayLimits>;
  /** Replaces or adds handlers (tests add slow or failing calls to exercise timeouts and errors). */
  handlers?: Partial<Record<string, (context: Parameters<Handlers[CallName]>[0], body: unknown) => Promise<unknown>>>;
  /** Extra call specs for `handlers` that are not in the catalogue (tests only). */
  extraCalls?: Record<string, { role: Role }>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { platform, accounts, actors, social } = options;
  const log = platform.log;
  const limits: GatewayLimits = {
    ...DEFAULT_LIMITS,
    callsPerSecond: platform.config.wsCallsPerSecond,
    callBurst: platform.config.wsCallBurst,
    socketsPerUser: platform.config.wsSocketsPerUser,
    userCallsPerSecond: platform.config.wsUserCallsPerSecond,
    pendingSocketsPerAddress: platform.config.wsPendingSocketsPerAddress,
    retainedEventsPerTopic: platform.topics.retained,
    ...options.limits,
  };
  const router = new TopicRouter(platform.topics, log);
  const bySocket = new Map<string, Connection>();
  const handlers = {
    ...createHandlers({
      topics: platform.topics,
      actors,
      social,
      tokens: accounts.tokens,
      setSocketState: (socketId, state) => {
        const connection = bySocket.get(socketId);
        if (connection !== undefined) connection.state = state;
      },
    }),
    ...options.handlers,
  } as Record<string, (c: unknown, b: unknown) => Promise<unknown>>;
  const roles: Record<string, Role> = {
    ...Object.fromEntries(Object.entries(Calls).map(([name, spec]) => [name, spec.role])),
    ...Object.fromEntries(Object.entries(options.extraCalls ?? {}).map(([name, spec]) => [name, spec.role])),
  };
  // What each call needs of a socket opened with a personal API token (protocol/scopes.ts).
  const scopes: Record<string, ScopeNeed> = {
    ...Object.fromEntries(Object.entries(Calls).map(([name, spec]) => [name, scopeOfCall(name, spec)])),
    ...Object.fromEntries(Object.entries(options.extraCalls ?? {}).map(([name, spec]) => [name, scopeOfCall(name, spec)])),
  };
  for (const name of Object.keys(Calls)) if (handlers[name] === undefined) throw new Error(`gateway: call ${name} has no handler`);
  const declared = declaredCodes(Calls);
  const connections = new Set<Connection>();
  // Sockets by session and by user: lists, one socket each usually.
  const bySession = new Map<string, Connection[]>();
  const byUser = new Map<string, Connection[]>();
  const remove = (map: Map<string, Connection[]>, key: string, connection: Connection): boolean => {
    const list = map.get(key);
    if (list === undefined) return false;
    const index = list.indexOf(connection);
    if (index >= 0) list.splice(index, 1);
    if (list.length > 0) return false;
    map.delete(key);
    return true;
  };
  const userRates = new UserRates(platform.cache, log, limits.userCallsPerSecond);
  /** Sockets not yet welcomed, by client address. */
  const pending = new Map<string, number>();
  const releasePending = (connection: Connection) => {
    const address = connection.pendingAddress;
    if (address === undefined) return;
    connection.pendingAddress = undefined;
    const left = (pending.get(address) ?? 1) - 1;
    if (left > 0) pending.set(address, left);
    else pending.delete(address);
  };
  const node = platform.config.nodeId;

  const closeWith = (connection: Connection, reason: keyof typeof CLOSE_CODES, detail?: string) => {
    connection.close(CLOSE_CODES[reason].code, detail ?? reason);
  };
  const error = (
    connection: Connection,
    code: ProtocolErrorCode | string,
    message: string,
    ref?: number,
    details?: Record<string, unknown>,
  ) => {
    connection.send({ type: 'error', ...(ref === undefined ? {} : { ref }), code, message, ...(details === undefined ? {} : { details }) });
  };

  // One timer for every call's timeout (deadlines.ts), not one per call.
  const deadlines = new Deadlines<PendingCall>((call) => {
    call.timedOut = true;
    call.connection.removeInFlight(call.ref);
    error(call.connection, 'TIMEOUT', `${call.op} did not finish within ${limits.callTimeoutMs} ms`, call.ref);
  });

  // A user actor (re)activating asks every gateway which sockets of its user it holds (looked up
  // by user: every activation asks, so a scan of all sockets would cost sockets × activations).
  const socketsOf = platform.bus.subscribe(socketsOfSubject(platform.config.clusterName), (message) => {
    const request = decodeFrame(message.data) as SocketsOfRequest;
    const reports: SocketReport[] = [];
    for (const connection of byUser.get(request.userId) ?? []) {
      const principal = connection.principal;
      if (principal !== undefined && connection.open) {
        reports.push({
          socketId: connection.socketId,
          sessionId: principal.sessionId,
          node,
          state: connection.state,
          since: connection.welcomedAt,
        });
      }
    }
    if (reports.length > 0) platform.bus.publish(request.replyTo, encodeFrame(reports));
  });

  // The user's actor counted a socket beyond WS_SOCKETS_PER_USER over all nodes.
  const refusals = platform.bus.subscribe(socketRefusedSubject(platform.config.clusterName), (message) => {
    const refusal = decodeFrame(message.data) as SocketRefusal;
    const connection = bySocket.get(refusal.socketId);
    if (connection !== undefined) closeWith(connection, 'TOO_MANY_SOCKETS');
  });

  // An admin changed someone's role: their sockets here use it from their next call.
  const roleChanges = platform.bus.subscribe(roleChangedSubject(platform.config.clusterName), (message) => {
    const change = JSON.parse(new TextDecoder().decode(message.data)) as RoleChange;
    for (const connection of byUser.get(change.userId) ?? [])
      if (connection.principal !== undefined) connection.principal.role = change.role;
  });

  const revocations = platform.bus.subscribe(sessionsRevokedSubject(platform.config.clusterName), (message) => {
    const notice = JSON.parse(new TextDecoder().decode(message.data)) as RevocationNotice;
    for (const sessionId of notice.sessionIds) {
      for (const connection of bySession.get(sessionId) ?? []) closeWith(connection, 'SESSION_REVOKED');
    }
  });

  // Someone's visibility changed (privacy settings, unfriend, block): followers of their presence
  // and profile topics on this node who may no longer see them are unsubscribed.
  const accessChanges = platform.bus.subscribe(accessChangedSubject(platform.config.clusterName), (message) => {
    const change = JSON.parse(new TextDecoder().decode(message.data)) as AccessChange;
    const owned = change.ownerId === undefined ? [] : [`presence:${change.ownerId}`, `profile:${change.ownerId}`];
    const named = [...owned, ...(change.topics ?? [])];
    const viewers = new Set(change.viewers ?? []);
    for (const connection of connections) {
      const principal = connection.principal;
      if (principal === undefined) continue;
      const recheck = new Set(named.filter((topic) => connection.follows(topic)));
      if (viewers.has(principal.userId)) for (const topic of connection.topics) if (topic.startsWith('post:')) recheck.add(topic);
      for (const topic of recheck) {
        const parsed = parseTopic(topic);
        if (parsed === undefined || parsed.param === undefined) continue;
        mayView(social.deps.db, principal.userId, parsed.kind, parsed.param).then(
          (allowed) => {
            if (allowed || !connection.follows(topic)) return;
            router.unsubscribe(connection, topic);
            connection.send({ type: 'revoked', topic, code: 'FORBIDDEN' });
          },
          (failure: unknown) =>
            log.error(
              { err: failure, topic, socket: connection.socketId },
              `gateway.access() | re-check failed [topic:${topic}] [socket:${connection.socketId}]`,
            ),
        );
      }
    }
  });

  // A socket whose token expired is closed within a second (one sweep for all, not a timer per
  // socket), and none of its requests is admitted from the expiry on.
  const tokenSweep = setInterval(() => {
    const now = Date.now();
    for (const connection of connections) if (connection.principal !== undefined && connection.tokenExpiresAt <= now) expired(connection);
  }, limits.tokenSweepMs);
  const expired = (connection: Connection) => closeWith(connection, 'TOKEN_EXPIRED');

  // Sockets opened with personal API tokens: a revocation closes them at once (the notice above,
  // the token's id standing for the session); this sweep also catches a plan that lapsed, and a
  // notice that never arrived, within personalTokenCheckMs.
  const TOKEN_CLOSE: Record<Exclude<TokenStanding, 'ok'>, [keyof typeof CLOSE_CODES, string]> = {
    revoked: ['SESSION_REVOKED', 'TOKEN_REVOKED'],
    expired: ['TOKEN_EXPIRED', 'TOKEN_EXPIRED'],
    plan: ['AUTH_FAILED', 'PLAN_REQUIRED'],
  };
  let checkingTokens = false;
  const tokenCheck = setInterval(() => {
    if (checkingTokens) return;
    const held = [...connections].filter((connection) => connection.principal?.token !== undefined);
    if (held.length === 0) return;
    checkingTokens = true;
    accounts.tokens
      .standings(held.map((connection) => (connection.principal as Principal).sessionId))
      .then(
        (standings) => {
          for (const connection of held) {
            const standing = standings.get((connection.principal as Principal).sessionId) ?? 'revoked';
            if (standing === 'ok') continue;
            const [reason, detail] = TOKEN_CLOSE[standing];
            closeWith(connection, reason, detail);
          }
        },
        (failure: unknown) => log.error({ err: failure }, `gateway.tokens() | check failed [sockets:${held.length}]`),
      )
      .finally(() => {
        checkingTokens = false;
      });
  }, limits.personalTokenCheckMs);

  /** Refuses (SCOPE_DENIED) what a socket's personal token does not cover; true when the socket may go on. */
  function inScope(connection: Connection, needed: ScopeNeed, what: string, ref: number): boolean {
    const token = connection.principal?.token;
    if (token === undefined || scopeAllows(token.scopes, needed)) return true;
    const message = needed === 'never' ? `${what} needs a signed-in session, not a personal token` : `${what} needs the ${needed} scope`;
    error(connection, 'SCOPE_DENIED', message, ref, { needed });
    return false;
  }

  async function onHello(connection: Connection, frame: ClientFrameOf<'hello'>) {
    if (!SUPPORTED_VERSIONS.includes(frame.version))
      return closeWith(connection, 'VERSION_UNSUPPORTED', `supported: ${SUPPORTED_VERSIONS.join(',')}`);
    let principal: Principal;
    try {
      principal = await authenticateAny(accounts, frame.token);
    } catch (failure) {
      const code = failure instanceof UnauthenticatedError ? failure.code : undefined;
      if (code === 'TOKEN_EXPIRED') return closeWith(connection, 'TOKEN_EXPIRED');
      if (code === 'SESSION_REVOKED') return closeWith(connection, 'SESSION_REVOKED');
      if (code === 'TOKEN_REVOKED') return closeWith(connection, 'AUTH_FAILED', 'TOKEN_REVOKED');
      if (failure instanceof PlanRequiredError) return closeWith(connection, 'AUTH_FAILED', 'PLAN_REQUIRED');
      if (!(failure instanceof UnauthenticatedError))
        log.error({ err: failure }, `gateway.hello() | failed [socket:${connection.socketId}]`);
      return closeWith(connection, 'AUTH_FAILED');
    }
    if (!connection.open) return;
    const mine = byUser.get(principal.userId) ?? [];
    if (mine.length >= limits.socketsPerUser) return closeWith(connection, 'TOO_MANY_SOCKETS');
    byUser.set(principal.userId, mine);
    mine.push(connection);
    releasePending(connection);
    connection.principal = principal;
    connection.welcomedAt = Date.now();
    connection.tokenExpiresAt = principal.expiresAt;
    connection.bucket = new TokenBucket(limits.callsPerSecond, limits.callBurst);
    connection.clearHelloTimer();
    const sessions = bySession.get(principal.sessionId) ?? [];
    bySession.set(principal.sessionId, sessions);
    sessions.push(connection);
    bySocket.set(connection.socketId, connection);
    actors.tell('user', principal.userId, {
      op: 'connected',
      socket: {
        socketId: connection.socketId,
        sessionId: principal.sessionId,
        node,
        state: connection.state,
        since: connection.welcomedAt,
      },
      limit: limits.socketsPerUser,
    } satisfies UserMessage);
    connection.send({
      type: 'welcome',
      version: PROTOCOL_VERSION,
      socketId: connection.socketId,
      userId: principal.userId,
      sessionId: principal.sessionId,
      node,
      heartbeatMs: limits.heartbeatMs,
      tokenExpiresAt: principal.expiresAt,
      serverTime: Date.now(),
      limits: {
        maxFrameBytes: limits.maxFrameBytes,
        maxInFlight: limits.maxInFlight,
        callsPerSecond: limits.callsPerSecond,
        callBurst: limits.callBurst,
        callTimeoutMs: limits.callTimeoutMs,
        sendBufferBytes: limits.sendBufferBytes,
        retainedEventsPerTopic: limits.retainedEventsPerTopic,
        helloTimeoutMs: limits.helloTimeoutMs,
        maxSubscriptions: limits.maxSubscriptions,
        socketsPerUser: limits.socketsPerUser,
        userCallsPerSecond: limits.userCallsPerSecond,
        maxDepth: limits.maxDepth,
      },
    });
  }

  /**
   * Admits a request with a ref: in-flight, the socket's rate and the user's own rate over all
   * their sockets and nodes (user-rate.ts: decided here at once, reported to the cluster in the
   * background). Returns false after answering an error.
   */
  function admit(connection: Connection, ref: number): boolean {
    if (connection.tokenExpiresAt <= Date.now()) {
      expired(connection);
      return false;
    }
    if (connection.isInFlight(ref)) {
      error(connection, 'DUPLICATE_REF', `ref ${ref} is still in flight`, ref);
      return false;
    }
    if (connection.inFlightCount >= limits.maxInFlight) {
      error(connection, 'TOO_MANY_IN_FLIGHT', `at most ${limits.maxInFlight} requests may await replies`, ref);
      return false;
    }
    const waitMs = connection.bucket?.take() ?? 0;
    if (waitMs > 0) return rateLimited(connection, ref, waitMs, 'too many calls');
    const userWaitMs = userRates.take((connection.principal as Principal).userId);
    if (userWaitMs > 0) return rateLimited(connection, ref, userWaitMs, 'too many calls from this user');
    connection.rateLimitedInARow = 0;
    return true;
  }

  function rateLimited(connection: Connection, ref: number, waitMs: number, what: string): false {
    if (++connection.rateLimitedInARow >= limits.maxRateLimitedInARow) {
      closeWith(connection, 'FLOODING');
      return false;
    }
    error(connection, 'RATE_LIMITED', `${what}; retry in ${waitMs} ms`, ref, { retryAfterMs: waitMs });
    return false;
  }

  /** Answers a request that failed; `op` names the call, whose declared codes are checked. */
  function failed(connection: Connection, ref: number, failure: unknown, op?: string) {
    // Failover, as clients see it: one code, whether the actor's node died (its lease has not
    // expired yet), stopped, or did not answer in time; the call may or may not have acted.
    if (failure instanceof ActorUnavailableError || failure instanceof AskTimeoutError || failure instanceof ActorSystemStoppedError)
      return error(connection, 'ACTOR_UNAVAILABLE', failure.message, ref, { retryAfterMs: RETRY_AFTER_MS.ACTOR_UNAVAILABLE });
    if (failure instanceof MailboxFullError)
      return error(connection, 'MAILBOX_FULL', failure.message, ref, { retryAfterMs: RETRY_AFTER_MS.MAILBOX_FULL });
    if (failure instanceof ServerError) {
      const allowed = op === undefined ? undefined : declared.get(op);
      if (allowed !== undefined && !allowed.has(failure.code))
        log.error(
          { err: failure, op, code: failure.code, socket: connection.socketId },
          `${UNDECLARED_ERROR_LOG} [op:${op}] [code:${failure.code}]`,
        );
      return error(connection, failure.code, failure.message, ref, failure.details());
    }
    const errorId = randomUUID();
    log.error(
      { err: failure, errorId, socket: connection.socketId },
      `gateway.call() | internal error [socket:${connection.socketId}] [error:${errorId}]`,
    );
    error(connection, 'INTERNAL', 'internal error', ref, { errorId });
  }

  async function onCall(connection: Connection, frame: ClientFrameOf<'call'>) {
    const principal = connection.principal as NonNullable<Connection['principal']>;
    const handler = Object.hasOwn(handlers, frame.op) ? handlers[frame.op] : undefined;
    const role = roles[frame.op];
    if (handler === undefined || role === undefined)
      return error(connection, 'UNKNOWN_CALL', `no call ${JSON.stringify(frame.op)}`, frame.ref);
    if (!inScope(connection, scopes[frame.op] ?? 'never', frame.op, frame.ref)) return;
    if (role !== 'user') {
      // Staff calls read the role from the database, as HTTP does: a role changed since the token
      // was signed counts at once, even if the change notice never reached this node.
      connection.addInFlight(frame.ref);
      try {
        const user = await findUserById(accounts.db, principal.userId);
        if (user === undefined) throw new UnauthenticatedError('SESSION_REVOKED', 'the account no longer exists');
        principal.role = user.role;
      } catch (failure) {
        return failed(connection, frame.ref, failure, frame.op);
      } finally {
        connection.removeInFlight(frame.ref);
      }
    }
    if (!hasRole(principal.role, role)) return error(connection, 'FORBIDDEN', `${frame.op} needs the ${role} role`, frame.ref);
    const body = frame.body ?? {};
    const checker = requestCheckers[frame.op as CallName];
    if (checker !== undefined && !checker.Check(body)) {
      const { field, message } = firstProblem(checker.Errors(body).First());
      return error(connection, 'INVALID_BODY', `${field ?? 'body'}: ${message}`, frame.ref, field === undefined ? undefined : { field });
    }
    connection.addInFlight(frame.ref);
    const call: PendingCall = {
      at: performance.now() + limits.callTimeoutMs,
      connection,
      ref: frame.ref,
      op: frame.op,
      timedOut: false,
      older: undefined,
      newer: undefined,
    };
    deadlines.add(call);
    try {
      const result = await handler({ principal, socketId: connection.socketId, node, topics: connection.topics }, body);
      if (!call.timedOut) connection.send({ type: 'reply', ref: frame.ref, body: result });
    } catch (failure) {
      if (!call.timedOut) failed(connection, frame.ref, failure, frame.op);
    } finally {
      deadlines.delete(call);
      if (!call.timedOut) connection.removeInFlight(frame.ref);
    }
  }

  /**
   * What a resuming subscriber gets of what it missed. A room member: what it may see of the room
   * now (chats.replay). Someone else's presence: a reset, never the history, because its events
   * hold past statuses that a read now would not give, and nothing tells when the follower's
   * access began (it re-reads with presence.get). Everything else in full: a user's own topics and
   * `system`, and profile and post topics, whose events hold only ids, counts and times that
   * whoever may follow the topic now may read anyway. A call's: never (a reset), so nobody invited
   * late sees what came before; each of its events carries the whole call, which calls.get reads.
   */
  function replayReview(kind: string, userId: string, param: string | undefined): ReplayReview | undefined {
    if (kind === 'room') return (frames) => social.chats.replay(userId, param as string, frames);
    if (kind === 'presence' && param !== userId) return async () => 'reset';
    if (kind === 'call') return async () => 'reset';
    return undefined;
  }

  async function onSub(connection: Connection, frame: ClientFrameOf<'sub'>) {
    const principal = connection.principal as NonNullable<Connection['principal']>;
    const parsed = parseTopic(frame.topic);
    if (parsed === undefined) return error(connection, 'UNKNOWN_TOPIC', `no topic ${JSON.stringify(frame.topic)}`, frame.ref);
    if (!inScope(connection, scopeOfTopic(parsed.kind), frame.topic, frame.ref)) return;
    const access = (Topics[parsed.kind] as TopicSpec).access;
    if (access === 'self' && parsed.param !== principal.userId)
      return error(connection, 'FORBIDDEN', `only its user may follow ${frame.topic}`, frame.ref);
    if (access === 'viewer' || access === 'member') {
      connection.addInFlight(frame.ref);
      let allowed: boolean;
      try {
        allowed = await mayView(social.deps.db, principal.userId, parsed.kind, parsed.param as string);
      } catch (failure) {
        connection.removeInFlight(frame.ref);
        return failed(connection, frame.ref, failure);
      }
      connection.removeInFlight(frame.ref);
      if (!allowed) return error(connection, 'FORBIDDEN', `${frame.topic} is not shared with you`, frame.ref);
    }
    if (connection.follows(frame.topic)) router.unsubscribe(connection, frame.topic);
    if (connection.topics.length >= limits.maxSubscriptions)
      return error(connection, 'TOO_MANY_SUBSCRIPTIONS', `at most ${limits.maxSubscriptions} topics per socket`, frame.ref, {
        maxSubscriptions: limits.maxSubscriptions,
      });
    connection.addInFlight(frame.ref);
    try {
      await router.subscribe(
        connection,
        frame.topic,
        frame.since,
        (position) => connection.send({ type: 'reply', ref: frame.ref, body: { topic: frame.topic, ...position } }),
        replayReview(parsed.kind, principal.userId, parsed.param),
      );
    } catch (failure) {
      failed(connection, frame.ref, failure);
    } finally {
      connection.removeInFlight(frame.ref);
    }
  }

  async function onAuth(connection: Connection, frame: ClientFrameOf<'auth'>) {
    const current = connection.principal as Principal;
    try {
      const principal = await authenticateAny(accounts, frame.token);
      if (principal.userId !== current.userId)
        return error(connection, 'FORBIDDEN', 'a socket keeps its user; open a new one for another', frame.ref);
      // A personal token's socket is closed by the token's revocation, a session's by the session's:
      // neither kind may take the other's place.
      if ((principal.token !== undefined || current.token !== undefined) && principal.sessionId !== current.sessionId)
        return error(
          connection,
          'FORBIDDEN',
          'a socket opened with a personal token keeps it; open a new one for another credential',
          frame.ref,
        );
      connection.principal = principal;
      connection.tokenExpiresAt = principal.expiresAt;
      connection.send({ type: 'reply', ref: frame.ref, body: { tokenExpiresAt: principal.expiresAt } });
    } catch (failure) {
      if (failure instanceof UnauthenticatedError)
        return error(connection, 'UNAUTHENTICATED', failure.message, frame.ref, { reason: failure.code });
      failed(connection, frame.ref, failure);
    }
  }

  function onMessage(connection: Connection, data: Uint8Array) {
    // The bytes are walked before anything recurses over them: a frame nested too deep is
    // refused here like any other malformed frame.
    const read = readClientFrame(data, limits.maxDepth);
    if (!read.ok) {
      if (connection.principal === undefined) return closeWith(connection, 'HELLO_REQUIRED');
      if (++connection.malformedInARow >= limits.maxMalformedInARow) return closeWith(connection, 'PROTOCOL_VIOLATION');
      const { code, message, ref, details } = read.refusal;
      return error(connection, code, message, ref, details);
    }
    connection.malformedInARow = 0;
    const frame = read.frame;
    if (connection.principal === undefined) {
      if (frame.type !== 'hello') return closeWith(connection, 'HELLO_REQUIRED');
      return void onHello(connection, frame);
    }
    switch (frame.type) {
      case 'hello':
        return error(connection, 'INVALID_FRAME', 'the socket already said hello');
      case 'ping':
        return connection.send({ type: 'pong', ...(frame.ts === undefined ? {} : { ts: frame.ts }), serverTime: Date.now() });
      case 'call':
        if (admit(connection, frame.ref)) void onCall(connection, frame);
        return;
      case 'sub':
        if (admit(connection, frame.ref)) void onSub(connection, frame);
        return;
      case 'unsub':
        router.unsubscribe(connection, frame.topic);
        return connection.send({ type: 'reply', ref: frame.ref, body: { topic: frame.topic } });
      case 'auth':
        if (admit(connection, frame.ref)) void onAuth(connection, frame);
        return;
    }
  }

  const websocket: WebSocketHandler<Connection> = {
    maxPayloadLength: limits.maxFrameBytes,
    backpressureLimit: limits.sendBufferBytes,
    closeOnBackpressureLimit: true,
    idleTimeout: Math.min(960, Math.ceil((limits.heartbeatMs * 2) / 1000)),
    sendPings: true,
    perMessageDeflate: false,
    open(ws: ServerWebSocket<Connection>) {
      const connection = ws.data;
      connection.ws = ws;
      connections.add(connection);
      connection.helloTimer(limits.helloTimeoutMs, () => {
        if (connection.principal === undefined) closeWith(connection, 'HANDSHAKE_TIMEOUT');
      });
    },
    message(ws: ServerWebSocket<Connection>, message: string | Buffer) {
      if (typeof message === 'string') return closeWith(ws.data, 'TEXT_FRAME');
      try {
        onMessage(ws.data, message);
      } catch (failure) {
        log.error({ err: failure, socket: ws.data.socketId }, `gateway.message() | failed [socket:${ws.data.socketId}]`);
        closeWith(ws.data, 'INTERNAL');
      }
    },
    close(ws: ServerWebSocket<Connection>) {
      const connection = ws.data;
      connection.closed = true;
      connection.clearHelloTimer();
      releasePending(connection);
      router.release(connection);
      connections.delete(connection);
      const sessionId = connection.principal?.sessionId;
      bySocket.delete(connection.socketId);
      if (connection.principal !== undefined) {
        const userId = connection.principal.userId;
        actors.tell('user', userId, { op: 'disconnected', socketId: connection.socketId } satisfies UserMessage);
        if (remove(byUser, userId, connection)) userRates.forget(userId);
      }
      if (sessionId !== undefined) remove(bySession, sessionId, connection);
    },
  };

  return {
    websocket,
    router,
    upgrade(request, server) {
      if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
        return Response.json(errorBody('UPGRADE_REQUIRED', 'GET /ws with a WebSocket upgrade'), {
          status: 426,
          headers: { upgrade: 'websocket' },
        });
      }
      const address = accounts.config.trustProxy.addressOf(request, server.requestIP(request)?.address);
      const waiting = pending.get(address) ?? 0;
      if (waiting >= limits.pendingSocketsPerAddress) {
        const message = `at most ${limits.pendingSocketsPerAddress} sockets from one address may wait for their hello`;
        return Response.json(errorBody('RATE_LIMITED', message, { retryAfterSeconds: 1 }), {
          status: 429,
          headers: { 'retry-after': '1' },
        });
      }
      const connection = new Connection(`s-${randomBytes(6).toString('hex')}`);
      if (!server.upgrade(request, { data: connection })) {
        return Response.json(errorBody('UPGRADE_REQUIRED', 'GET /ws with a WebSocket upgrade'), { status: 400 });
      }
      connection.pendingAddress = address;
      pending.set(address, waiting + 1);
      return undefined;
    },
    attach(server) {
      router.attach((topic, bytes) => {
        server.publish(topic, bytes);
      });
    },
    get sockets() {
      return connections.size;
    },
    close() {
      revocations.unsubscribe();
      refusals.unsubscribe();
      roleChanges.unsubscribe();
      accessChanges.unsubscribe();
      socketsOf.unsubscribe();
      clearInterval(tokenSweep);
      clearInterval(tokenCheck);
      for (const connection of connections) closeWith(connection, 'GOING_AWAY');
      deadlines.clear();
      router.close();
    },
  };
}
