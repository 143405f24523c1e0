// Fuzzing the gateway: at least 10,000 random and mutated frames per run (fast-check), sent by
// signed-in sockets. The server must answer only with documented error codes or close with
// documented close codes, stay up, keep serving a well-behaved socket alongside, and never log
// client garbage at error level. Frames nested thousands deep and the byte-level faults a
// decoder meets (truncation, extension types, invalid UTF-8, lengths the bytes cannot hold) are
// also sent one by one, with the answer each gets.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Calls } from '../../protocol/catalogue.ts';
import { encodeFrame } from '../../protocol/codec.ts';
import { CLOSE_CODES, DOMAIN_ERROR_CODES, ERROR_CODES } from '../../protocol/errors.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { loggedErrors } from '../../test/harness/node.ts';
import { unchecked } from '../../test/harness/wire.ts';
import { connectAs, type RawSocket } from '../../test/harness/ws.ts';
import { DEFAULT_LIMITS } from './limits.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('fuzz');
});
afterAll(async () => {
  await env.close();
});

const FRAMES = 10_000;
const documentedClose = new Set<number>(Object.values(CLOSE_CODES).map((entry) => entry.code));
const documentedErrors = new Set<string>([...Object.keys(ERROR_CODES), ...Object.keys(DOMAIN_ERROR_CODES)]);

const validFrames = [
  { type: 'ping', ts: 1 },
  { type: 'call', ref: 1, op: 'session.get', body: {} },
  { type: 'call', ref: 2, op: 'system.announce', body: { text: 'hi', level: 'info' } },
  { type: 'sub', ref: 3, topic: 'system' },
  { type: 'sub', ref: 4, topic: 'system', since: { epoch: 'e', seq: 1 } },
  { type: 'unsub', ref: 5, topic: 'system' },
  { type: 'auth', ref: 6, token: 'x.y.z' },
  { type: 'hello', version: 1, token: 'again' },
].map((frame) => encodeFrame(frame));

/** Arrays (0x91: an array of 1) or maps (0x81 a1 61: a map of 1, key "a") nested `depth` deep around nil. */
function nested(depth: number, kind: 'array' | 'map'): Uint8Array {
  const level = kind === 'array' ? [0x91] : [0x81, 0xa1, 0x61];
  const bytes = new Uint8Array(depth * level.length + 1);
  for (let i = 0; i < depth; i++) bytes.set(level, i * level.length);
  bytes[bytes.length - 1] = 0xc0;
  return bytes;
}

/** A call of session.get whose body is `body`, as bytes: the body is the last key, written last. */
function callWithBody(ref: number, body: Uint8Array): Uint8Array {
  const head = encodeFrame({ type: 'call', ref, op: 'session.get', body: null });
  const bytes = new Uint8Array(head.length - 1 + body.length);
  bytes.set(head.subarray(0, head.length - 1));
  bytes.set(body, head.length - 1);
  return bytes;
}

const hex = (text: string) => new Uint8Array(Buffer.from(text.replaceAll(' ', ''), 'hex'));

/** Bytes no decoder should take, each with the reason the server gives. */
const garbage: [string, Uint8Array][] = [
  ['truncated', encodeFrame({ type: 'ping', ts: 1 }).subarray(0, 9)],
  ['truncated', hex('dd ffffffff 01 02')],
  ['truncated', hex('df ffffffff a161 01')],
  ['truncated', hex('db ffffffff 61')],
  ['truncated', callWithBody(3, hex('dc ffff c0'))],
  ['more than one value', new Uint8Array([...encodeFrame({ type: 'ping' }), 0x01])],
  ['reserved byte', hex('c1')],
  ['extension type', hex('d6 ff 00000001')],
  ['extension type', callWithBody(4, hex('d4 00 00'))],
  ['extension type', callWithBody(5, hex('c7 03 05 010203'))],
  ['invalid UTF-8', hex('82 a4 74797065 a4 70696e67 a2 7473 01').map((byte, at) => (at === 3 ? 0xff : byte))],
  ['invalid UTF-8', callWithBody(6, hex('81 a3 ed a0 80 01'))],
  ['container key', hex('82 80 01 a4 74797065 a4 70696e67')],
  ['container key', callWithBody(7, hex('81 91 01 01'))],
];

/** Well-formed MessagePack that is an odd frame, each with the code it gets. */
const odd: [string, Uint8Array][] = [
  ['MALFORMED_FRAME', hex('82 c4 01 ff 01 a4 74797065 a4 70696e67')], // binary as a key
  ['INVALID_FRAME', hex('82 01 01 a4 74797065 a4 70696e67')], // an integer key
  ['INVALID_FRAME', hex('82 c0 01 a4 74797065 a4 70696e67')], // a nil key
  ['MALFORMED_FRAME', hex('81 a4 74797065 c4 01 ff')], // binary as the type
  ['MALFORMED_FRAME', hex('81 a4 74797065 a9 5f5f70726f746f5f5f')], // "__proto__" as the type
  ['INVALID_FRAME', hex('82 a4 74797065 a4 70696e67 a2 7473 cb 7ff8000000000000')], // a NaN ts
  ['INVALID_FRAME', hex('82 a4 74797065 a4 70696e67 a2 7473 cb fff0000000000000')], // a -Infinity ts
];

const ref = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 0xffffffff }) }, { weight: 1, arbitrary: fc.anything() });
const op = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...Object.keys(Calls)) }, { weight: 1, arbitrary: fc.string() });
const topic = fc.oneof(fc.constantFrom('system', 'user:x', 'room:1'), fc.string());
const body = fc.oneof(fc.constant({}), fc.record({ text: fc.string(), level: fc.constantFrom('info', 'warning', 'x') }), fc.anything());

/** Random values, random bytes, and valid frames with bytes flipped, cut, or spliced. */
const fuzzedFrame = fc.oneof(
  fc.anything().map((value) => encodeFrame(value)),
  fc.uint8Array({ minLength: 0, maxLength: 300 }),
  // Frames are closed (a key their type does not list is INVALID_FRAME), so most records carry
  // only their type's keys, to reach call dispatch; the last kind mixes every key.
  fc
    .oneof(
      { weight: 3, arbitrary: fc.record({ type: fc.constant('call'), ref, op, body }, { requiredKeys: ['type'] }) },
      fc.record({ type: fc.constantFrom('sub', 'unsub'), ref, topic }, { requiredKeys: ['type'] }),
      fc.record({ type: fc.constant('auth'), ref, token: fc.anything() }, { requiredKeys: ['type'] }),
      fc.record(
        { type: fc.constantFrom('call', 'sub', 'unsub', 'auth', 'ping', 'hello', 'bogus'), ref, op, topic, body, token: fc.anything() },
        { requiredKeys: ['type'] },
      ),
    )
    .map((frame) => encodeFrame(frame)),
  fc.tuple(fc.constantFrom(...validFrames), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([frame, at, byte]) => {
    const copy = frame.slice();
    copy[at % copy.length] = byte;
    return copy;
  }),
  fc.tuple(fc.constantFrom(...validFrames), fc.nat()).map(([frame, at]) => frame.slice(0, at % frame.length)),
  fc.tuple(fc.constantFrom(...validFrames), fc.constantFrom(...validFrames)).map(([a, b]) => new Uint8Array([...a, ...b])),
  fc
    .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('array' as const, 'map' as const), fc.boolean())
    .map(([depth, kind, inCall]) => (inCall ? callWithBody(1, nested(depth, kind)) : nested(depth, kind))),
  fc.constantFrom(...[...garbage, ...odd].map(([, bytes]) => bytes)),
);

test(`fuzz: ${FRAMES} random and mutated frames get documented answers, and the server keeps serving`, async () => {
  const user = await env.register();
  const control = (await connectAs(env.node.url, user.tokens.accessToken)).socket;
  const closes: number[] = [];
  const errorCodes = new Map<string, number>();
  // Random values include undefined and floats the suite-wide wire check would refuse to encode:
  // sending such garbage is the point here, so the check is off while it is made.
  const frames = unchecked(() => fc.sample(fuzzedFrame, { numRuns: FRAMES, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) }));
  let socket: RawSocket | undefined;
  const harvest = (done: RawSocket) => {
    for (const frame of done.frames)
      if (frame.type === 'error') errorCodes.set(String(frame.code), (errorCodes.get(String(frame.code)) ?? 0) + 1);
  };
  // Each fuzzed frame is followed by a ping; its pong proves the server handled the frame (frames
  // are handled in order). A documented close instead also counts as handled.
  let handled = 0;
  for (let i = 0; i < frames.length; i++) {
    if (socket === undefined || !socket.isOpen) {
      if (socket !== undefined) {
        closes.push((await socket.closed).code);
        harvest(socket);
      }
      socket = (await connectAs(env.node.url, user.tokens.accessToken)).socket;
    }
    const current = socket;
    current.sendRaw(frames[i] as Uint8Array);
    current.send({ type: 'ping', ts: i });
    const answered = await Promise.race([
      current.next((frame) => frame.type === 'pong' && frame.ts === i, 5000).then(() => true),
      current.closed.then(() => true),
    ]).catch(() => false);
    if (answered) handled++;
  }
  if (socket !== undefined) {
    // Closed by the test itself, so its code (1005, no status) is not the server's.
    socket.close();
    await socket.closed;
    harvest(socket);
  }
  expect(handled).toBe(FRAMES);
  for (const code of closes) expect(documentedClose.has(code), `close code ${code}`).toBe(true);
  const undocumented = [...errorCodes.keys()].filter((code) => !documentedErrors.has(code));
  expect(undocumented).toEqual([]);
  expect(errorCodes.get('INTERNAL') ?? 0).toBe(0);
  // The fuzz reaches past the decoder into frame checks and call dispatch, not just the first gate.
  expect(errorCodes.get('MALFORMED_FRAME') ?? 0).toBeGreaterThan(500);
  expect(errorCodes.get('INVALID_FRAME') ?? 0).toBeGreaterThan(500);
  expect(
    (errorCodes.get('UNKNOWN_CALL') ?? 0) + (errorCodes.get('INVALID_BODY') ?? 0) + (errorCodes.get('FORBIDDEN') ?? 0),
  ).toBeGreaterThan(50);
  expect(control.isOpen).toBe(true);
  expect((await control.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
  expect((await fetch(`${env.node.url}/health`)).status).toBe(200);
  expect(loggedErrors()).toEqual([]);
  control.close();
}, 240_000);

test('fuzz: frames nested 5,000 to 20,000 deep get MALFORMED_FRAME naming the depth limit, count as malformed, and log no error', async () => {
  const user = await env.register();
  const { socket, welcome } = await connectAs(env.node.url, user.tokens.accessToken);
  const maxDepth = DEFAULT_LIMITS.maxDepth;
  expect((welcome.limits as { maxDepth: number }).maxDepth).toBe(maxDepth);
  const frames = [
    nested(20_000, 'array'),
    callWithBody(1, nested(5_000, 'map')),
    callWithBody(2, nested(20_000, 'array')),
    nested(maxDepth + 1, 'array'),
    callWithBody(3, nested(maxDepth, 'map')),
  ];
  for (const frame of frames) {
    socket.sendRaw(frame);
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({
      code: 'MALFORMED_FRAME',
      details: { reason: 'too deep', maxDepth },
    });
    // A good frame in between: the malformed count starts over.
    expect((await socket.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
  }
  // Exactly as deep as the limit is read (the body then fails its schema, as any wrong body).
  socket.sendRaw(callWithBody(9, nested(maxDepth - 1, 'map')));
  expect(await socket.next((f) => f.ref === 9)).toMatchObject({ type: 'error', code: 'INVALID_BODY' });
  for (let i = 0; i < DEFAULT_LIMITS.maxMalformedInARow; i++) socket.sendRaw(nested(10_000, 'array'));
  expect((await socket.closed).code).toBe(CLOSE_CODES.PROTOCOL_VIOLATION.code);
  expect(loggedErrors()).toEqual([]);
});

test('fuzz: truncated frames, extension types, invalid UTF-8, lengths the bytes cannot hold and odd keys get documented errors, the socket stays open', async () => {
  const user = await env.register();
  const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
  for (const [reason, bytes] of garbage) {
    socket.sendRaw(bytes);
    expect(await socket.next((f) => f.type === 'error'), reason).toMatchObject({ code: 'MALFORMED_FRAME', details: { reason } });
    expect((await socket.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
  }
  for (const [code, bytes] of odd) {
    socket.sendRaw(bytes);
    expect(await socket.next((f) => f.type === 'error'), Buffer.from(bytes).toString('hex')).toMatchObject({ code });
    expect((await socket.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
  }
  expect(socket.isOpen).toBe(true);
  expect(loggedErrors()).toEqual([]);
  socket.close();
});
