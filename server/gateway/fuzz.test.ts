// Fuzzing the gateway: at least 10,000 random and mutated frames per run (fast-check), sent by
// signed-in sockets. The server must answer only with documented error codes or close with
// documented close codes, stay up, and keep serving a well-behaved socket alongside.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Calls } from '../../protocol/catalogue.ts';
import { encodeFrame } from '../../protocol/codec.ts';
import { CLOSE_CODES, DOMAIN_ERROR_CODES, ERROR_CODES } from '../../protocol/errors.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { connectAs, type RawSocket } from '../../test/harness/ws.ts';

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
);

test(`fuzz: ${FRAMES} random and mutated frames get documented answers, and the server keeps serving`, async () => {
  const user = await env.register();
  const control = (await connectAs(env.node.url, user.tokens.accessToken)).socket;
  const closes: number[] = [];
  const errorCodes = new Map<string, number>();
  const frames = fc.sample(fuzzedFrame, { numRuns: FRAMES, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) });
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
  control.close();
}, 240_000);
