// The envelope: every frame is a MessagePack map whose `type` says which of these it is. Declared
// once as TypeBox schemas; the TypeScript types derive from them, the server validates every
// inbound frame with the compiled checkers, and PROTOCOL.md is generated from the same objects.
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ValueError } from '@sinclair/typebox/errors';
import { T } from './typebox.ts';

const Ref = T.Integer({ minimum: 1, maximum: 0xffffffff, description: 'Chosen by the client; echoed in the one reply or error' });
const TopicName = T.String({ minLength: 1, maxLength: 128, description: 'A topic name, e.g. `system` or `user:<id>`' });
const Token = T.String({ minLength: 1, maxLength: 4096, description: 'An access token from POST /auth/login or /auth/refresh' });
const Position = T.Object(
  {
    epoch: T.String({ maxLength: 64, description: 'The epoch of the last event the client has' }),
    seq: T.Integer({ minimum: 0, description: 'The seq of the last event the client has' }),
  },
  { description: 'Where a client left a topic' },
);

/** Frames a client sends. */
export const ClientFrames = {
  hello: T.Object({
    type: T.Literal('hello'),
    version: T.Integer({ minimum: 1, description: 'Protocol version the client speaks' }),
    token: Token,
    client: T.Optional(T.String({ maxLength: 128, description: 'Client name and version, for logs' })),
  }),
  call: T.Object({
    type: T.Literal('call'),
    ref: Ref,
    op: T.String({ minLength: 1, maxLength: 64, description: 'Name of the call in the catalogue' }),
    body: T.Optional(T.Unknown({ description: 'The call body; its schema is in the catalogue' })),
  }),
  sub: T.Object({
    type: T.Literal('sub'),
    ref: Ref,
    topic: TopicName,
    since: T.Optional(Position),
  }),
  unsub: T.Object({ type: T.Literal('unsub'), ref: Ref, topic: TopicName }),
  auth: T.Object({ type: T.Literal('auth'), ref: Ref, token: Token }),
  ping: T.Object({ type: T.Literal('ping'), ts: T.Optional(T.Number({ description: 'Anything; echoed in the pong' })) }),
} satisfies Record<string, TSchema>;

export const Limits = T.Object({
  maxFrameBytes: T.Integer({ description: 'Largest frame the server accepts' }),
  maxInFlight: T.Integer({ description: 'Calls and subscriptions awaiting a reply, per socket' }),
  callsPerSecond: T.Integer({ description: 'Sustained calls per second, per socket' }),
  callBurst: T.Integer({ description: 'Calls allowed in a burst above the sustained rate' }),
  callTimeoutMs: T.Integer({ description: 'A call without a reply by then gets TIMEOUT' }),
  sendBufferBytes: T.Integer({ description: 'Unsent bytes the server keeps for a socket; past them it drops the connection (1006)' }),
  retainedEventsPerTopic: T.Integer({ description: 'Events per topic kept for resume, at least' }),
  helloTimeoutMs: T.Integer({ description: 'Time to send hello after connecting' }),
  maxSubscriptions: T.Integer({ description: 'Topics one socket may follow' }),
  socketsPerUser: T.Integer({
    description: 'Sockets one user may have open at once, over every node; more are closed with TOO_MANY_SOCKETS',
  }),
  userCallsPerSecond: T.Integer({ description: 'Calls per second one user may make over all their sockets; more get RATE_LIMITED' }),
  maxDepth: T.Integer({
    description: 'Maps and arrays nested in a frame, the frame itself counting 1; a deeper frame gets MALFORMED_FRAME',
  }),
});

/** Frames the server sends. */
export const ServerFrames = {
  welcome: T.Object({
    type: T.Literal('welcome'),
    version: T.Integer(),
    socketId: T.String({ description: 'Id of this connection, for support and logs' }),
    userId: T.String(),
    sessionId: T.String({ description: 'The sign-in session of the token; for a personal API token, the token’s id' }),
    node: T.String({ description: 'The node that holds the socket' }),
    heartbeatMs: T.Integer({ description: 'Send a ping at least this often; the server closes a socket silent for twice as long' }),
    tokenExpiresAt: T.Integer({
      description:
        'Unix ms when the access token expires; send `auth` with a fresh one before. A personal API token: when it expires (253402300799999, the end of the year 9999, when it never does)',
    }),
    serverTime: T.Integer({ description: 'Unix ms on the server' }),
    limits: Limits,
  }),
  reply: T.Object({ type: T.Literal('reply'), ref: Ref, body: T.Unknown() }),
  error: T.Object({
    type: T.Literal('error'),
    ref: T.Optional(Ref),
    code: T.String(),
    message: T.String(),
    details: T.Optional(T.Record(T.String(), T.Unknown())),
  }),
  event: T.Object({
    type: T.Literal('event'),
    topic: TopicName,
    epoch: T.String(),
    seq: T.Integer({ minimum: 1, description: 'Per topic, contiguous: 1, 2, 3, …' }),
    name: T.String({ description: 'Event name in the catalogue' }),
    body: T.Unknown(),
  }),
  signal: T.Object({
    type: T.Literal('signal'),
    topic: TopicName,
    name: T.String({ description: 'Signal name in the catalogue (typing, receipt)' }),
    body: T.Unknown(),
  }),
  reset: T.Object({
    type: T.Literal('reset'),
    topic: TopicName,
    epoch: T.String(),
    seq: T.Integer({ minimum: 0, description: 'The current last seq; events continue from here' }),
  }),
  revoked: T.Object({
    type: T.Literal('revoked'),
    topic: TopicName,
    code: T.String({ description: 'Why: FORBIDDEN when the user the topic names no longer lets this user see it' }),
  }),
  pong: T.Object({ type: T.Literal('pong'), ts: T.Optional(T.Number()), serverTime: T.Integer() }),
} satisfies Record<string, TSchema>;

/**
 * The bodies of the replies to the frames that are not calls (each call's reply body is in the
 * catalogue): where a topic stands after `sub`, the topic left after `unsub`, the new expiry after
 * `auth`.
 */
export const FrameReplies = {
  sub: T.Object({
    topic: TopicName,
    epoch: T.String({ description: "The topic log's epoch; compare it with the one of `since`" }),
    seq: T.Integer({ minimum: 0, description: 'The last seq of the topic now; events after it follow' }),
  }),
  unsub: T.Object({ topic: TopicName }),
  auth: T.Object({ tokenExpiresAt: T.Integer({ description: 'Unix ms when the new access token expires' }) }),
} satisfies Record<string, TSchema>;

export type ClientFrame = { [K in keyof typeof ClientFrames]: Static<(typeof ClientFrames)[K]> }[keyof typeof ClientFrames];
export type ServerFrame = { [K in keyof typeof ServerFrames]: Static<(typeof ServerFrames)[K]> }[keyof typeof ServerFrames];
export type FrameOf<K extends keyof typeof ServerFrames> = Static<(typeof ServerFrames)[K]>;
export type ClientFrameOf<K extends keyof typeof ClientFrames> = Static<(typeof ClientFrames)[K]>;
export type LimitsFrame = Static<typeof Limits>;

const refChecker = TypeCompiler.Compile(Ref);

/** A `ref` as frames carry it (1 to 2³²−1): an error about a frame echoes it only then. */
export const isRef = (value: unknown): value is number => refChecker.Check(value);

const clientCheckers = Object.fromEntries(Object.entries(ClientFrames).map(([type, schema]) => [type, TypeCompiler.Compile(schema)])) as {
  [K in keyof typeof ClientFrames]: ReturnType<typeof TypeCompiler.Compile<(typeof ClientFrames)[K]>>;
};

export type FrameCheck =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: 'MALFORMED_FRAME' | 'INVALID_FRAME'; message: string; field?: string };

/** Checks a decoded value against the client frames: which one it is, or what is wrong with it. */
export function checkClientFrame(value: unknown): FrameCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'MALFORMED_FRAME', message: 'a frame must be a MessagePack map' };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(clientCheckers, type)) {
    return {
      ok: false,
      code: 'MALFORMED_FRAME',
      message: `unknown frame type ${JSON.stringify(String(type)).slice(0, 40)}`,
      field: 'type',
    };
  }
  const checker = clientCheckers[type as keyof typeof ClientFrames];
  if (checker.Check(value)) return { ok: true, frame: value as ClientFrame };
  const { field, message } = firstProblem(checker.Errors(value).First());
  return { ok: false, code: 'INVALID_FRAME', message: `${field ?? type}: ${message}`, ...(field === undefined ? {} : { field }) };
}

/**
 * What is wrong with a value, for a person: the field (dotted path) and why. A union reports
 * the error of the member that came closest (the deepest path), so `location: {…, userId}`
 * says `location.userId: unexpected property` rather than "expected union value".
 */
export function firstProblem(error: ValueError | undefined): { field: string | undefined; message: string } {
  let chosen = error;
  while (chosen !== undefined && chosen.errors.length > 0) {
    let deepest: ValueError | undefined;
    for (const variant of chosen.errors) {
      const first = variant.First();
      if (first !== undefined && (deepest === undefined || first.path.length > deepest.path.length)) deepest = first;
    }
    if (deepest === undefined || deepest.path.length <= chosen.path.length) break;
    chosen = deepest;
  }
  const field = chosen?.path.replace(/^\//, '').replaceAll('/', '.') || undefined;
  return { field, message: chosen?.message.toLowerCase() ?? 'invalid' };
}
