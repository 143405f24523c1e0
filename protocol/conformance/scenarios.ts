// The conformance scenarios: what a client sends a running server, step by step, and the shape of
// each answer it must get (protocol/conformance/README.md). They use one access token of an
// ordinary user and learn the rest (user id, epoch, seqs) from the server's answers.
import { DEFAULT_LIMITS } from '../../server/gateway/limits.ts';
import { CLOSE_CODES } from '../errors.ts';
import { Limits } from '../frames.ts';
import { PROTOCOL_VERSION } from '../version.ts';
import type { MalformedVector } from './vectors.ts';

/** The limits a server has out of the box, as its welcome lists them. */
export const limits = Object.fromEntries(
  Object.keys((Limits as unknown as { properties: Record<string, unknown> }).properties).map((name) => [
    name,
    DEFAULT_LIMITS[name as keyof typeof DEFAULT_LIMITS],
  ]),
);

/** A topic of someone else. */
export const strangerTopic = 'user:0192a1b2-c3d4-7e5f-8a9b-000000000000';

export type Step =
  | { send: Record<string, unknown> }
  | { sendHex: string }
  | { sendText: string }
  | { expect: Record<string, unknown>; varying?: string[]; capture?: Record<string, string>; ordered?: true }
  | { expectClose: number };

export interface Scenario {
  name: string;
  description: string;
  steps: Step[];
}

/** `{{name}}` in a scenario is what an earlier step captured (a whole-string one keeps its type). */
export function scenarios(malformed: MalformedVector[]): Scenario[] {
  const hello = { send: { type: 'hello', version: PROTOCOL_VERSION, token: '{{token}}', client: 'conformance' } };
  const welcome = {
    expect: {
      type: 'welcome',
      version: PROTOCOL_VERSION,
      socketId: '',
      userId: '',
      sessionId: '',
      node: '',
      heartbeatMs: 0,
      tokenExpiresAt: 0,
      serverTime: 0,
      limits,
    },
    varying: ['/socketId', '/userId', '/sessionId', '/node', '/heartbeatMs', '/tokenExpiresAt', '/serverTime', '/limits'],
    capture: { userId: '/userId' },
  };
  const presence = 'presence:{{userId}}';
  const setStatus = (ref: number, text: string): Step[] => [
    { send: { type: 'call', ref, op: 'presence.setStatus', body: { text } } },
    { expect: { type: 'reply', ref, body: { text, updatedAt: 0 } }, varying: ['/body/updatedAt'] },
  ];
  // A live event may arrive before the reply of the call that caused it; a replayed one comes
  // after the reply to its sub (`ordered`).
  const statusEvent = (text: string, options: { capture?: Record<string, string>; ordered?: true }): Step => ({
    expect: {
      type: 'event',
      topic: presence,
      epoch: '{{epoch}}',
      seq: 0,
      name: 'presence.changed',
      body: { userId: '{{userId}}', status: '', since: 0, text },
    },
    varying: ['/seq', '/body/status', '/body/since'],
    ...options,
  });
  return [
    {
      name: 'handshake, calls and their errors',
      description:
        'hello → welcome; a call → its reply; an unknown call, an invalid body, an unknown key and a wrong state each → their error; ping → pong.',
      steps: [
        hello,
        welcome,
        { send: { type: 'call', ref: 1, op: 'session.get', body: {} } },
        {
          expect: {
            type: 'reply',
            ref: 1,
            body: { userId: '{{userId}}', role: 'user', sessionId: '', socketId: '', node: '', topics: [] },
          },
          varying: ['/body/sessionId', '/body/socketId', '/body/node'],
        },
        { send: { type: 'call', ref: 2, op: 'no.such.call', body: {} } },
        { expect: { type: 'error', ref: 2, code: 'UNKNOWN_CALL', message: '' }, varying: ['/message'] },
        { send: { type: 'call', ref: 3, op: 'presence.set', body: { state: 'asleep' } } },
        { expect: { type: 'error', ref: 3, code: 'INVALID_BODY', message: '', details: { field: 'state' } }, varying: ['/message'] },
        { send: { type: 'call', ref: 4, op: 'presence.set', body: { state: 'active', mood: 'happy' } } },
        { expect: { type: 'error', ref: 4, code: 'INVALID_BODY', message: '', details: { field: 'mood' } }, varying: ['/message'] },
        { send: { type: 'call', ref: 5, op: 'system.announce', body: { text: 'hi', level: 'info' } } },
        { expect: { type: 'error', ref: 5, code: 'FORBIDDEN', message: '' }, varying: ['/message'] },
        { send: { type: 'call', ref: 6, op: 'session.get' } },
        { expect: { type: 'reply', ref: 6, body: {} }, varying: ['/body'] },
        { send: { type: 'hello', version: PROTOCOL_VERSION, token: '{{token}}' } },
        { expect: { type: 'error', code: 'INVALID_FRAME', message: '' }, varying: ['/message'] },
        { send: { type: 'ping', ts: 42 } },
        { expect: { type: 'pong', ts: 42, serverTime: 0 }, varying: ['/serverTime'] },
        { send: { type: 'ping' } },
        { expect: { type: 'pong', serverTime: 0 }, varying: ['/serverTime'] },
      ],
    },
    {
      name: 'topics: subscribe, events with seq, resume, reset, unsub',
      description:
        "The user's own presence topic: a fresh sub → the last seq; a status change → an event; unsub; a change while away; sub with since → the reply, then the missed event; a since of another epoch or beyond the end → the reply, then a reset; topics that are not the user's or do not exist → their errors.",
      steps: [
        hello,
        welcome,
        { send: { type: 'sub', ref: 1, topic: presence } },
        {
          expect: { type: 'reply', ref: 1, body: { topic: presence, epoch: '', seq: 0 } },
          varying: ['/body/epoch', '/body/seq'],
          capture: { epoch: '/body/epoch' },
        },
        ...setStatus(2, 'conformance 1'),
        statusEvent('conformance 1', { capture: { seen: '/seq' } }),
        { send: { type: 'unsub', ref: 3, topic: presence } },
        { expect: { type: 'reply', ref: 3, body: { topic: presence } } },
        ...setStatus(4, 'conformance 2'),
        { send: { type: 'sub', ref: 5, topic: presence, since: { epoch: '{{epoch}}', seq: '{{seen}}' } } },
        { expect: { type: 'reply', ref: 5, body: { topic: presence, epoch: '{{epoch}}', seq: 0 } }, varying: ['/body/seq'] },
        statusEvent('conformance 2', { ordered: true }),
        { send: { type: 'sub', ref: 6, topic: presence, since: { epoch: 'another-epoch', seq: 1 } } },
        {
          expect: { type: 'reply', ref: 6, body: { topic: presence, epoch: '{{epoch}}', seq: 0 } },
          varying: ['/body/seq'],
          capture: { last: '/body/seq' },
        },
        { expect: { type: 'reset', topic: presence, epoch: '{{epoch}}', seq: '{{last}}' }, ordered: true },
        { send: { type: 'sub', ref: 7, topic: presence, since: { epoch: '{{epoch}}', seq: 4294967295 } } },
        { expect: { type: 'reply', ref: 7, body: { topic: presence, epoch: '{{epoch}}', seq: 0 } }, varying: ['/body/seq'] },
        { expect: { type: 'reset', topic: presence, epoch: '{{epoch}}', seq: 0 }, varying: ['/seq'], ordered: true },
        { send: { type: 'sub', ref: 8, topic: strangerTopic } },
        { expect: { type: 'error', ref: 8, code: 'FORBIDDEN', message: '' }, varying: ['/message'] },
        { send: { type: 'sub', ref: 9, topic: 'nope' } },
        { expect: { type: 'error', ref: 9, code: 'UNKNOWN_TOPIC', message: '' }, varying: ['/message'] },
      ],
    },
    {
      name: 'auth on the open socket',
      description: 'auth with a valid token of the same user → the new expiry; with a bad token → UNAUTHENTICATED, and the socket stays.',
      steps: [
        hello,
        welcome,
        { send: { type: 'auth', ref: 1, token: '{{token}}' } },
        { expect: { type: 'reply', ref: 1, body: { tokenExpiresAt: 0 } }, varying: ['/body/tokenExpiresAt'] },
        { send: { type: 'auth', ref: 2, token: 'not-a-token' } },
        {
          expect: { type: 'error', ref: 2, code: 'UNAUTHENTICATED', message: '', details: { reason: 'TOKEN_INVALID' } },
          varying: ['/message'],
        },
        { send: { type: 'ping', ts: 1 } },
        { expect: { type: 'pong', ts: 1, serverTime: 0 }, varying: ['/serverTime'] },
      ],
    },
    {
      name: 'malformed frames',
      description: `Every malformed vector after the hello gets its error; a valid frame between them keeps the count of refused frames in a row under ${DEFAULT_LIMITS.maxMalformedInARow}.`,
      steps: [
        hello,
        welcome,
        ...malformed.flatMap((vector): Step[] => [
          { sendHex: vector.hex },
          { expect: vector.expect, varying: vector.varying },
          { send: { type: 'ping' } },
          { expect: { type: 'pong', serverTime: 0 }, varying: ['/serverTime'] },
        ]),
      ],
    },
    {
      name: 'too many malformed frames in a row',
      description: `${DEFAULT_LIMITS.maxMalformedInARow} refused frames in a row close the socket with PROTOCOL_VIOLATION.`,
      steps: [
        hello,
        welcome,
        ...Array.from({ length: DEFAULT_LIMITS.maxMalformedInARow }, (): Step => ({ sendHex: 'c1' })),
        { expectClose: CLOSE_CODES.PROTOCOL_VIOLATION.code },
      ],
    },
    {
      name: 'a frame before the hello',
      description: 'The first frame must be a valid hello.',
      steps: [{ send: { type: 'call', ref: 1, op: 'session.get', body: {} } }, { expectClose: CLOSE_CODES.HELLO_REQUIRED.code }],
    },
    {
      name: 'garbage before the hello',
      description: 'Bytes that are no frame, first: the socket is closed.',
      steps: [{ sendHex: 'c1' }, { expectClose: CLOSE_CODES.HELLO_REQUIRED.code }],
    },
    {
      name: 'a bad token',
      description: 'A hello whose token is not an access token.',
      steps: [{ send: { type: 'hello', version: PROTOCOL_VERSION, token: 'not-a-token' } }, { expectClose: CLOSE_CODES.AUTH_FAILED.code }],
    },
    {
      name: 'an unsupported version',
      description: 'A hello naming a protocol version the server does not speak.',
      steps: [{ send: { type: 'hello', version: 99, token: '{{token}}' } }, { expectClose: CLOSE_CODES.VERSION_UNSUPPORTED.code }],
    },
    {
      name: 'a text frame',
      description: 'The protocol is binary only.',
      steps: [hello, welcome, { sendText: '{"type":"ping"}' }, { expectClose: CLOSE_CODES.TEXT_FRAME.code }],
    },
  ];
}
