// The conformance kit's test vectors (protocol/conformance/vectors.json), computed from the codec,
// the frame checks, the catalogue and the codes, so they cannot drift from what the server does:
// frames as bytes with their meaning, malformed inputs with the error they get, and scenarios a
// client plays against a running server. `bun run protocol:vectors` rewrites the file; a test
// fails when the committed file differs. The README beside it explains the format.
import { DEFAULT_LIMITS } from '../../server/gateway/limits.ts';
import { type CallSpec, Calls, type TopicSpec, Topics } from '../catalogue.ts';
import { encodeFrame } from '../codec.ts';
import { CLOSE_CODES } from '../errors.ts';
import { readClientFrame } from '../inbound.ts';
import { pascal, protocolJsonSchema } from '../json-schema.ts';
import { exampleUserId } from '../spec.ts';
import { PROTOCOL_VERSION } from '../version.ts';
import { limits, type Scenario, scenarios, strangerTopic } from './scenarios.ts';

export type { Scenario, Step } from './scenarios.ts';

type Direction = 'client->server' | 'server->client';

interface FrameVector {
  name: string;
  direction: Direction;
  /** The `$defs` entry of /protocol/schema.json the frame validates against. */
  schema: string;
  /** Whether an encoder following the rules writes exactly `hex` for `json`. */
  canonical: boolean;
  must: string;
  json: unknown;
  hex: string;
}

export interface MalformedVector {
  name: string;
  direction: 'client->server';
  hex: string;
  why: string;
  must: string;
  /** The error frame a server answers after the hello. */
  expect: Record<string, unknown>;
  /** JSON pointers of `expect` whose value may differ (the message is text for people). */
  varying: string[];
}

export interface VectorFile {
  $comment: string;
  format: string;
  protocolVersion: number;
  schema: { path: string; revision: string };
  encoding: { canonical: string[]; json: string[] };
  frames: FrameVector[];
  malformed: MalformedVector[];
  closeCodes: { name: string; code: number; meaning: string }[];
  scenarios: Scenario[];
}

const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

/** A decoded MessagePack value as JSON: `bin` becomes `{"$bin": "<hex>"}`. */
export function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bin: hexOf(value) };
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJson(item)]));
  return value;
}

/** The inverse of toJson: the value to encode. */
export function fromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value !== null && typeof value === 'object') {
    const bin = (value as { $bin?: unknown }).$bin;
    if (typeof bin === 'string' && Object.keys(value).length === 1) return Uint8Array.from(Buffer.from(bin, 'hex'));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fromJson(item)]));
  }
  return value;
}

const token = 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';
const sessionId = '0192a1b2-0000-7000-8000-000000000001';
const epoch = '5f2c9a1e7b3d4c60';
const userTopic = `user:${exampleUserId}`;

function must(direction: Direction, canonical: boolean, schema: string): string {
  const reader = direction === 'client->server' ? 'A server' : 'A client';
  const writer = direction === 'client->server' ? 'a client' : 'a server';
  return canonical
    ? `${reader} decodes hex to json (a ${schema}); ${writer} encoding json writes exactly hex.`
    : `${reader} decodes hex to json (a ${schema}) although these are not the bytes an encoder following the rules writes.`;
}

function frame(name: string, direction: Direction, schema: string, json: Record<string, unknown>): FrameVector {
  return { name, direction, schema, canonical: true, must: must(direction, true, schema), json, hex: hexOf(encodeFrame(fromJson(json))) };
}

const clientFrames = (): FrameVector[] => [
  frame('hello', 'client->server', 'HelloFrame', { type: 'hello', version: PROTOCOL_VERSION, token, client: 'ios/2.1.0' }),
  frame('hello without client name', 'client->server', 'HelloFrame', { type: 'hello', version: PROTOCOL_VERSION, token }),
  frame('auth (a fresh token on the open socket)', 'client->server', 'AuthFrame', { type: 'auth', ref: 5, token }),
  frame('ping', 'client->server', 'PingFrame', { type: 'ping', ts: 1 }),
  frame('ping without ts', 'client->server', 'PingFrame', { type: 'ping' }),
  frame('ping with a float ts (float64)', 'client->server', 'PingFrame', { type: 'ping', ts: 1.5 }),
  frame('ping with a large ts', 'client->server', 'PingFrame', { type: 'ping', ts: 1795478400000 }),
  frame('call with its body', 'client->server', 'PresenceSetStatusCall', {
    type: 'call',
    ref: 7,
    op: 'presence.setStatus',
    body: { text: 'Walking Luna 🐕' },
  }),
  frame('call without a body (as {})', 'client->server', 'SessionGetCall', { type: 'call', ref: 8, op: 'session.get' }),
  frame('call with the largest ref', 'client->server', 'SessionGetCall', { type: 'call', ref: 0xffffffff, op: 'session.get', body: {} }),
  frame('sub (fresh)', 'client->server', 'SubFrame', { type: 'sub', ref: 1, topic: userTopic }),
  frame('sub with since (resume)', 'client->server', 'SubFrame', { type: 'sub', ref: 3, topic: 'system', since: { epoch, seq: 40 } }),
  frame('unsub', 'client->server', 'UnsubFrame', { type: 'unsub', ref: 4, topic: 'system' }),
];

const error = (name: string, json: Record<string, unknown>) => frame(name, 'server->client', 'ErrorFrame', { type: 'error', ...json });

const serverFrames = (): FrameVector[] => [
  frame('welcome', 'server->client', 'WelcomeFrame', {
    type: 'welcome',
    version: PROTOCOL_VERSION,
    socketId: 's-1f2e3d4c5b6a',
    userId: exampleUserId,
    sessionId,
    node: 'node-1',
    heartbeatMs: DEFAULT_LIMITS.heartbeatMs,
    tokenExpiresAt: 1795479300000,
    serverTime: 1795478400000,
    limits,
  }),
  frame('reply to auth', 'server->client', 'AuthReply', { type: 'reply', ref: 5, body: { tokenExpiresAt: 1795480200000 } }),
  frame('pong', 'server->client', 'PongFrame', { type: 'pong', ts: 1, serverTime: 1795478400000 }),
  frame('pong to a ping without ts', 'server->client', 'PongFrame', { type: 'pong', serverTime: 1795478400000 }),
  frame('reply to a call', 'server->client', 'PresenceSetStatusReply', {
    type: 'reply',
    ref: 7,
    body: { text: 'Walking Luna 🐕', updatedAt: 1795478400000 },
  }),
  frame('reply to sub (fresh): the last seq now', 'server->client', 'SubReply', {
    type: 'reply',
    ref: 1,
    body: { topic: userTopic, epoch, seq: 4 },
  }),
  frame('event', 'server->client', 'SessionRevokedEvent', {
    type: 'event',
    topic: userTopic,
    epoch,
    seq: 5,
    name: 'session.revoked',
    body: { sessionId },
  }),
  frame('resume 1/3: reply to sub with since {seq: 40}; the topic is at 42', 'server->client', 'SubReply', {
    type: 'reply',
    ref: 3,
    body: { topic: 'system', epoch, seq: 42 },
  }),
  frame('resume 2/3: the first missed event', 'server->client', 'AnnouncementEvent', {
    type: 'event',
    topic: 'system',
    epoch,
    seq: 41,
    name: 'announcement',
    body: { text: 'Maintenance at 02:00 UTC', level: 'warning', at: 1795478400000 },
  }),
  frame('resume 3/3: the second missed event', 'server->client', 'AnnouncementEvent', {
    type: 'event',
    topic: 'system',
    epoch,
    seq: 42,
    name: 'announcement',
    body: { text: 'Maintenance done', level: 'info', at: 1795482000000 },
  }),
  frame('reset after the reply to sub: gap too old or another epoch; reload, continue from seq', 'server->client', 'ResetFrame', {
    type: 'reset',
    topic: 'system',
    epoch,
    seq: 1450,
  }),
  frame('reply to unsub', 'server->client', 'UnsubReply', { type: 'reply', ref: 4, body: { topic: 'system' } }),
  frame('signal (no seq, never replayed)', 'server->client', 'TypingSignal', {
    type: 'signal',
    topic: 'room:0192a1b2-c3d4-7e5f-8a9b-00000000c4a7',
    name: 'typing',
    body: { conversationId: '0192a1b2-c3d4-7e5f-8a9b-00000000c4a7', userId: exampleUserId },
  }),
  frame('revoked: no more events of the topic', 'server->client', 'RevokedFrame', {
    type: 'revoked',
    topic: `presence:${exampleUserId}`,
    code: 'FORBIDDEN',
  }),
  error('INVALID_BODY names the field', {
    ref: 9,
    code: 'INVALID_BODY',
    message: 'location.userId: unexpected property',
    details: { field: 'location.userId' },
  }),
  error('UNKNOWN_CALL', { ref: 10, code: 'UNKNOWN_CALL', message: 'no call "no.such.call"' }),
  error('MALFORMED_FRAME has no ref', { code: 'MALFORMED_FRAME', message: 'not one MessagePack value' }),
  error('INVALID_FRAME names the field', { ref: 7, code: 'INVALID_FRAME', message: 'op: expected string', details: { field: 'op' } }),
  error('RATE_LIMITED says when to retry', {
    ref: 11,
    code: 'RATE_LIMITED',
    message: 'too many calls; retry in 20 ms',
    details: { retryAfterMs: 20 },
  }),
  error('DUPLICATE_REF', { ref: 12, code: 'DUPLICATE_REF', message: 'ref 12 is still in flight' }),
  error('TOO_MANY_IN_FLIGHT', { ref: 13, code: 'TOO_MANY_IN_FLIGHT', message: 'at most 32 requests may await replies' }),
  error('FORBIDDEN', { ref: 14, code: 'FORBIDDEN', message: `only its user may follow ${strangerTopic}` }),
  error('UNKNOWN_TOPIC', { ref: 15, code: 'UNKNOWN_TOPIC', message: 'no topic "nope"' }),
  error('UNAUTHENTICATED (auth frame; the socket keeps its identity)', {
    ref: 16,
    code: 'UNAUTHENTICATED',
    message: 'the access token is not valid',
    details: { reason: 'TOKEN_INVALID' },
  }),
  error('TIMEOUT', { ref: 17, code: 'TIMEOUT', message: 'chats.send did not finish within 10000 ms' }),
  error('ACTOR_UNAVAILABLE', {
    ref: 18,
    code: 'ACTOR_UNAVAILABLE',
    message: `user.${exampleUserId} is held by a node that does not answer; retry once its lease expires`,
  }),
  error('INTERNAL with the id in the server log', {
    ref: 19,
    code: 'INTERNAL',
    message: 'internal error',
    details: { errorId: '0b7e6a52-3c1d-4f7e-9a2b-5d8c1e0f3a4b' },
  }),
  error('a domain code of a call', { ref: 20, code: 'NOT_FOUND', message: 'user not found' }),
];

/** Every call's example and every event's example of the catalogue, as frames. */
function catalogueFrames(): FrameVector[] {
  const vectors: FrameVector[] = [];
  for (const [op, raw] of Object.entries(Calls)) {
    const spec = raw as CallSpec;
    const name = pascal(op);
    vectors.push(frame(`${op} call`, 'client->server', `${name}Call`, { type: 'call', ref: 7, op, body: spec.example.request as object }));
    vectors.push(frame(`${op} reply`, 'server->client', `${name}Reply`, { type: 'reply', ref: 7, body: spec.example.response as object }));
  }
  for (const raw of Object.values(Topics)) {
    const spec = raw as TopicSpec;
    const topic = spec.form.replace(/<\w+>/, exampleUserId);
    for (const [event, eventSpec] of Object.entries(spec.events)) {
      const body = eventSpec.example as object;
      vectors.push(
        eventSpec.signal
          ? frame(`${event} signal`, 'server->client', `${pascal(event)}Signal`, { type: 'signal', topic, name: event, body })
          : frame(`${event} event`, 'server->client', `${pascal(event)}Event`, { type: 'event', topic, epoch, seq: 12, name: event, body }),
      );
    }
  }
  return vectors;
}

/**
 * Valid frames in bytes that are not canonical: a decoder must read them; an encoder following
 * the rules never writes them. Built from the canonical parts with one header changed each.
 */
function nonCanonicalFrames(): FrameVector[] {
  const part = (value: unknown) => encodeFrame(value);
  const variant = (name: string, bytes: Uint8Array): FrameVector => ({
    name,
    direction: 'client->server',
    schema: 'PingFrame',
    canonical: false,
    must: must('client->server', false, 'PingFrame'),
    json: { type: 'ping', ts: 1 },
    hex: hexOf(bytes),
  });
  return [
    variant('ping with ts as uint32', concat(Uint8Array.of(0x82), part('type'), part('ping'), part('ts'), Uint8Array.of(0xce, 0, 0, 0, 1))),
    variant('ping as a map16', concat(Uint8Array.of(0xde, 0x00, 0x02), part('type'), part('ping'), part('ts'), part(1))),
    variant(
      'ping with "ping" as str8',
      concat(Uint8Array.of(0x82), part('type'), Uint8Array.of(0xd9, 4), part('ping').slice(1), part('ts'), part(1)),
    ),
    variant('ping with its keys in another order', concat(Uint8Array.of(0x82), part('ts'), part(1), part('type'), part('ping'))),
  ];
}

/** What the gateway answers a refused frame, after the hello (gateway.ts onMessage). */
function refusal(bytes: Uint8Array): Record<string, unknown> {
  const read = readClientFrame(bytes, DEFAULT_LIMITS.maxDepth);
  if (read.ok) throw new Error(`conformance: ${hexOf(bytes)} is a valid frame`);
  return { ...read.refusal };
}

function malformedFrames(): MalformedVector[] {
  const ping = encodeFrame({ type: 'ping', ts: 1 });
  const cases: [string, string, Uint8Array][] = [
    ['never-used byte', '0xc1 is not a MessagePack value', Uint8Array.of(0xc1)],
    [
      'too deep',
      `a call whose body nests ${DEFAULT_LIMITS.maxDepth} arrays: ${DEFAULT_LIMITS.maxDepth + 1} levels with the frame's own map, one more than limits.maxDepth`,
      concat(
        encodeFrame({ type: 'call', ref: 11, op: 'session.get', body: 0 }).slice(0, -1),
        Uint8Array.of(...Array<number>(DEFAULT_LIMITS.maxDepth - 1).fill(0x91), 0x90),
      ),
    ],
    ['invalid UTF-8', 'strings are UTF-8: 0xff never is', Uint8Array.of(0x81, 0xa4, 0x74, 0x79, 0x70, 0x65, 0xa1, 0xff)],
    ['extension type', 'extension types are never used (here a timestamp)', Uint8Array.of(0xd6, 0xff, 0, 0, 0, 1)],
    ['container key', 'map keys are field names, never maps or arrays', Uint8Array.of(0x81, 0x90, 0x7f)],
    ['empty frame', 'a frame holds exactly one value', new Uint8Array()],
    ['two values', 'a frame holds exactly one value, here 1 then 2', concat(encodeFrame(1), encodeFrame(2))],
    ['truncated map', 'a ping cut after 5 bytes', ping.slice(0, 5)],
    ['array', 'a frame is a map, not an array', encodeFrame([1, 2])],
    ['string', 'a frame is a map, not a string', encodeFrame('ping')],
    ['map without type', 'every frame has a string `type`', encodeFrame({ ref: 1 })],
    ['unknown type', 'no frame is called teleport', encodeFrame({ type: 'teleport' })],
    ['ref of the wrong type', 'a ref is an integer', encodeFrame({ type: 'call', ref: 'seven', op: 'session.get' })],
    ['ref 0', 'refs go from 1 to 2^32-1', encodeFrame({ type: 'call', ref: 0, op: 'session.get' })],
    ['missing op', 'a call names its op', encodeFrame({ type: 'call', ref: 7 })],
    ['unknown key', 'frames are closed: no key beyond those listed', encodeFrame({ type: 'call', ref: 8, op: 'session.get', extra: true })],
    ['negative since.seq', 'a seq is 0 or more', encodeFrame({ type: 'sub', ref: 9, topic: 'system', since: { epoch, seq: -1 } })],
    ['empty topic', 'a topic name has 1 to 128 characters', encodeFrame({ type: 'sub', ref: 10, topic: '' })],
  ];
  return cases.map(([name, why, bytes]) => ({
    name,
    direction: 'client->server',
    hex: hexOf(bytes),
    why,
    must: `A server answers the error frame \`expect\` (before the hello it closes the socket with ${CLOSE_CODES.HELLO_REQUIRED.code} instead); ${DEFAULT_LIMITS.maxMalformedInARow} refused frames in a row close it with ${CLOSE_CODES.PROTOCOL_VIOLATION.code}.`,
    expect: refusal(bytes),
    varying: ['/message'],
  }));
}

function conformanceVectors(): VectorFile {
  const malformed = malformedFrames();
  return {
    $comment: 'Generated by `bun run protocol:vectors` from protocol/conformance/vectors.ts; do not edit. See README.md beside it.',
    format: 'petamigos-conformance/1',
    protocolVersion: PROTOCOL_VERSION,
    schema: { path: '/protocol/schema.json', revision: protocolJsonSchema().revision },
    encoding: {
      canonical: [
        'One frame is one MessagePack value, a map, in one binary WebSocket message.',
        'Integers (every number that is a whole number) use the smallest MessagePack integer format that holds them: positive fixint, uint 8/16/32/64 for 0 and up; negative fixint, int 8/16/32/64 below 0. Never a float.',
        'Other numbers are float64 (0xcb); never float32.',
        'Strings are UTF-8 in the smallest header: fixstr, str 8, str 16, str 32.',
        'Maps and arrays use the smallest header: fixmap/fixarray, 16, 32.',
        "Map keys are written in the order the vector's json lists them (for frames, the order of the frame's schema); decoders accept any order.",
        'Binary data is bin 8/16/32 (smallest); extension types and timestamps are never used.',
        'An absent optional field is left out of the map, never written as nil.',
      ],
      json: [
        'A MessagePack map is a JSON object with the same keys; an array is an array; a string is a string; nil is null; true and false are booleans.',
        'Integers and floats are JSON numbers; every integer the protocol uses fits in 2^53, so reading it as a double loses nothing.',
        'bin is {"$bin": "<hex>"}.',
        'hex is lower case, two digits per byte, no spaces.',
      ],
    },
    frames: [...clientFrames(), ...serverFrames(), ...nonCanonicalFrames(), ...catalogueFrames()],
    malformed,
    closeCodes: Object.entries(CLOSE_CODES).map(([name, entry]) => ({ name, code: entry.code, meaning: entry.meaning })),
    scenarios: scenarios(malformed),
  };
}

/** The file as written: JSON, two spaces, a final newline. */
export const vectorsText = () => `${JSON.stringify(conformanceVectors(), null, 2)}\n`;
