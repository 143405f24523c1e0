// What one call costs the gateway, step by step, in process and without sockets: the real code of
// each step of a call's path (server/gateway/gateway.ts onMessage → admit → onCall → reply) timed
// on its own, next to what the bare server of bench/gateway.ts does (msgpackr decode + encode),
// and the whole path through the gateway's own `websocket.message` handler on a node with the real
// services, next to the bare work with the same await. Each decode gets a fresh buffer, as each
// WebSocket message is one (msgpackr's cost differs for a buffer it has seen). Figures are ns per
// call, medians of ROUNDS rounds in one run, the ways taking turns in each round; the machine may
// be shared.
// Needs the PostgreSQL, Redis and NATS the tests use. `bun bench/gateway-steps.ts`
import { randomUUID } from 'node:crypto';
import { Packr, Unpackr } from 'msgpackr';
import pino from 'pino';
import { requestCheckers } from '../protocol/catalogue.ts';
import { encodeFrame } from '../protocol/codec.ts';
import { checkClientFrame } from '../protocol/frames.ts';
import { readClientFrame } from '../protocol/inbound.ts';
import { scanValue } from '../protocol/scan.ts';
import { hasRole } from '../server/accounts/guard.ts';
import { Connection } from '../server/gateway/connection.ts';
import { type Deadline, Deadlines } from '../server/gateway/deadlines.ts';
import { createHandlers } from '../server/gateway/handlers.ts';
import { DEFAULT_LIMITS, TokenBucket } from '../server/gateway/limits.ts';
import { UserRates } from '../server/gateway/user-rate.ts';
import { createMemoryCache } from '../server/platform/cache/memory.ts';
import { apiClient } from '../test/harness/api.ts';
import { startTestNode, testConfig } from '../test/harness/node.ts';
import { createTestDatabase, services, uniqueName } from '../test/harness/services.ts';
import { row } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PER_ROUND = Number(process.env.BENCH_STEPS ?? 20_000);
const options = { useRecords: false, mapsAsObjects: true, variableMapSize: true, moreTypes: false, bundleStrings: false } as const;
const packr = new Packr(options);
const unpackr = new Unpackr({ ...options, int64AsType: 'number' });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Nanoseconds per call of each of `ways` (sync or async), median over the rounds; the ways take turns in each round. */
async function measure(perRound: number, ...ways: (() => unknown)[]): Promise<number[]> {
  for (const once of ways) for (let i = 0; i < perRound; i++) await once();
  const rounds: number[][] = ways.map(() => []);
  for (let r = 0; r < ROUNDS; r++)
    for (const [w, once] of ways.entries()) {
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) await once();
      rounds[w]?.push(((performance.now() - t0) * 1e6) / perRound);
    }
  return rounds.map(median);
}

/** A ServerWebSocket stand-in: sends resolve whoever waits for the next frame. */
class FakeSocket {
  readyState = 1;
  data: Connection;
  #next: ((bytes: Uint8Array) => void) | undefined;
  constructor(connection: Connection) {
    this.data = connection;
  }
  next(): Promise<Uint8Array> {
    return new Promise((resolve) => {
      this.#next = resolve;
    });
  }
  send(bytes: Uint8Array): number {
    const next = this.#next;
    this.#next = undefined;
    next?.(bytes);
    return bytes.length;
  }
  subscribe(): void {}
  unsubscribe(): void {}
  close(): void {
    this.readyState = 3;
  }
}

const database = await createTestDatabase('bench');
const namespace = uniqueName('bench');
const config = testConfig({
  DATABASE_URL: database.url,
  NATS_URL: services.natsUrl,
  REDIS_URL: services.redisUrl,
  CLUSTER_NAME: namespace,
  WS_CALLS_PER_SECOND: '1000000',
  WS_CALL_BURST: '1000000',
  WS_USER_CALLS_PER_SECOND: '1000000',
});
const node = await startTestNode(config);
try {
  const gateway = node.gateway;
  if (gateway === undefined) throw new Error('the node has no gateway');
  const account = await apiClient(node.url).post<{ accessToken: string }>('/auth/register', {
    email: `${namespace}@example.com`,
    username: namespace.slice(0, 30),
    password: 'Benchmarks are honest 1',
    language: 'en',
  });
  const connection = new Connection('s-0123456789ab');
  const ws = new FakeSocket(connection);
  const handler = gateway.websocket as unknown as {
    open(ws: FakeSocket): void;
    message(ws: FakeSocket, message: Uint8Array): void;
    close(ws: FakeSocket): void;
  };
  handler.open(ws);
  const welcome = ws.next();
  handler.message(ws, encodeFrame({ type: 'hello', version: 1, token: account.body.accessToken }));
  await welcome;
  const principal = connection.principal;
  if (principal === undefined) throw new Error('the hello was not welcomed');

  const call = encodeFrame({ type: 'call', ref: 1, op: 'session.get', body: {} });
  const decoded = unpackr.unpack(call) as { type: 'call'; ref: number; op: string; body: unknown };
  const handlers = createHandlers({
    topics: node.platform.topics,
    actors: node.actors,
    social: node.social,
    tokens: node.accounts.tokens,
    setSocketState: () => undefined,
  });
  const context = { principal, socketId: connection.socketId, node: 'node-1', topics: connection.topics };
  const reply = { type: 'reply', ref: 1, body: await handlers['session.get'](context, {}) } as const;
  const bareReply = { type: 'reply', ref: 1, body: { userId: 'u', role: 'user', sessionId: 's', socketId: 'k', node: 'bare', topics: [] } };
  const bucket = new TokenBucket(1e9, 1e9);
  const userRates = new UserRates(createMemoryCache(), pino({ level: 'silent' }), 1e9);
  const inFlight = new Set<number>();
  const deadlines = new Deadlines<Deadline>(() => undefined);
  const checker = requestCheckers['session.get'];
  // A body with two uuids and a text, checked with the formats a node registers (the HTTP app loaded:
  // @elysiajs/openapi's Zod-built uuid check made this ~32 µs, protocol/formats.ts).
  const sendChecker = requestCheckers['chats.send'];
  const sendBody = { conversationId: randomUUID(), clientId: randomUUID(), text: 'Vamos al parque con Luna' };
  const scanOptions = { maxDepth: DEFAULT_LIMITS.maxDepth, refuseExtensions: true, checkUtf8: true };

  console.log(`gateway steps: ns per call of session.get, median of ${ROUNDS} rounds of ${PER_ROUND}`);
  const [bareDecode = 0, walk = 0, unpack = 0, frameCheck = 0, read = 0, copy = 0] = await measure(
    PER_ROUND,
    () => unpackr.unpack(Buffer.from(call)),
    () => scanValue(call, scanOptions),
    () => unpackr.unpack(Buffer.from(call)),
    () => checkClientFrame(decoded),
    () => readClientFrame(Buffer.from(call), DEFAULT_LIMITS.maxDepth),
    () => Buffer.from(call),
  );
  console.log(row('decode: bare msgpackr (baseline)', { ns: bareDecode, 'of which the fresh buffer': copy }));
  console.log(
    row('decode: readClientFrame', {
      ns: read,
      'byte walk': walk,
      msgpackr: unpack,
      'frame check': frameCheck,
      'read / bare': read / bareDecode,
    }),
  );
  const [refs = 0, socketBucket = 0, userBucket = 0, role = 0, body = 0, sendBodyCheck = 0, deadline = 0, timer = 0] = await measure(
    PER_ROUND,
    () => {
      inFlight.has(1);
      inFlight.add(1);
      inFlight.delete(1);
    },
    () => bucket.take(),
    () => userRates.take(principal.userId),
    () => hasRole(principal.role, 'user'),
    () => checker?.Check({}),
    () => sendChecker?.Check(sendBody),
    () => {
      const call: Deadline = { at: performance.now() + DEFAULT_LIMITS.callTimeoutMs, older: undefined, newer: undefined };
      deadlines.add(call);
      deadlines.delete(call);
    },
    () => clearTimeout(setTimeout(() => undefined, DEFAULT_LIMITS.callTimeoutMs)),
  );
  console.log(
    row('admit and check', {
      'in-flight set': refs,
      'socket bucket': socketBucket,
      'user rate': userBucket,
      role,
      'body check': body,
      'chats.send body check': sendBodyCheck,
      'call deadline': deadline,
      'a timer per call (before)': timer,
    }),
  );
  const [bareEncode = 0, sameEncode = 0, encode = 0, handle = 0, nothing = 0] = await measure(
    PER_ROUND,
    () => packr.pack(bareReply),
    () => packr.pack(reply),
    () => encodeFrame(reply),
    () => handlers['session.get'](context, {}),
    () => undefined,
  );
  console.log(row('encode: bare msgpackr (baseline)', { ns: bareEncode }));
  console.log(row('encode: encodeFrame', { ns: encode, 'msgpackr of the same reply': sameEncode, 'encode / bare': encode / bareEncode }));
  console.log(row('handler session.get + await', { ns: handle, 'an await alone': nothing }));

  const whole = () => {
    const replied = ws.next();
    handler.message(ws, Buffer.from(call));
    return replied;
  };
  const bare = () => {
    const replied = ws.next();
    const frame = unpackr.unpack(Buffer.from(call)) as { ref: number };
    ws.send(packr.pack({ ...bareReply, ref: frame.ref }));
    return replied;
  };
  const [bareWhole = 0, gatewayWhole = 0] = await measure(PER_ROUND / 4, bare, whole);
  console.log(row('whole call: bare decode + encode', { ns: bareWhole }));
  console.log(row('whole call: gateway message()', { ns: gatewayWhole, 'gateway / bare': gatewayWhole / bareWhole }));
  handler.close(ws);
  deadlines.clear();
} finally {
  await node.stop();
  config.cleanup();
  await database.drop();
}
