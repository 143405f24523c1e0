// Encoding frames: encodeFrame (msgpackr, then integral float64s rewritten in place as
// uint64/int64) next to bare msgpackr with the same options, which writes integers beyond 32 bits
// as float64 (the baseline: the codec before integers were integers), and next to the other way
// considered, a copy of the value with those integers as BigInt. Decoding a client's frame:
// decodeClientFrame (an iterative walk of the bytes, then msgpackr) next to bare msgpackr.
// Figures are medians of ROUNDS rounds in one run; the machine may be shared.
import { Packr, Unpackr } from 'msgpackr';
import { Calls, Topics } from '../protocol/catalogue.ts';
import { decodeClientFrame, encodeFrame } from '../protocol/codec.ts';
import { DEFAULT_LIMITS } from '../server/gateway/limits.ts';
import { row } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PER_ROUND = Number(process.env.BENCH_CODEC ?? 20_000);
const options = { useRecords: false, mapsAsObjects: true, variableMapSize: true, moreTypes: false, bundleStrings: false } as const;
const bare = new Packr(options);
const unpackr = new Unpackr({ ...options, int64AsType: 'number' });

function withBigInts(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) && (value > 0xffffffff || value < -0x80000000) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(withBigInts);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const copy: Record<string, unknown> = {};
    for (const key in value) copy[key] = withBigInts((value as Record<string, unknown>)[key]);
    return copy;
  }
  return value;
}

const now = 1795478400000;
const limits = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((key) => [key, DEFAULT_LIMITS[key as keyof typeof DEFAULT_LIMITS]]));
const frames: Record<string, unknown> = {
  'pong (1 wide integer)': { type: 'pong', ts: 17, serverTime: now },
  'welcome (2 wide integers)': {
    type: 'welcome',
    version: 1,
    socketId: 's-1f2e3d4c5b6a',
    userId: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    sessionId: '0192a1b2-0000-7000-8000-000000000001',
    node: 'node-1',
    heartbeatMs: 25_000,
    tokenExpiresAt: now + 900_000,
    serverTime: now,
    limits,
  },
  'message.new event': {
    type: 'event',
    topic: 'room:0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    epoch: '5f2c9a1e7b3d4c60',
    seq: 12,
    name: 'message.new',
    body: Topics.room.events['message.new'].example,
  },
  'feed.home reply (20 posts)': {
    type: 'reply',
    ref: 7,
    body: {
      ...(Calls['feed.home'].example.response as Record<string, unknown>),
      items: Array.from({ length: 20 }, (_, i) => ({
        ...((Calls['feed.home'].example.response as { items: Record<string, unknown>[] }).items[0] ?? {}),
        at: now - i * 60_000,
      })),
    },
  },
  'call (no wide integer)': { type: 'call', ref: 9, op: 'chats.send', body: { conversationId: 'c', clientId: 'x', text: 'Hello there' } },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Nanoseconds per call of each of `ways`, median over the rounds; the ways take turns in each round. */
function measure(...ways: (() => unknown)[]): number[] {
  for (const once of ways) for (let i = 0; i < PER_ROUND; i++) once();
  const rounds: number[][] = ways.map(() => []);
  for (let r = 0; r < ROUNDS; r++)
    ways.forEach((once, w) => {
      const t0 = performance.now();
      for (let i = 0; i < PER_ROUND; i++) once();
      rounds[w]?.push(((performance.now() - t0) * 1e6) / PER_ROUND);
    });
  return rounds.map(median);
}

console.log(`codec: ns per frame, median of ${ROUNDS} rounds of ${PER_ROUND}`);
for (const [label, frame] of Object.entries(frames)) {
  const [baseline = 0, ours = 0, bigints = 0] = measure(
    () => bare.pack(frame),
    () => encodeFrame(frame),
    () => bare.pack(withBigInts(frame)),
  );
  console.log(
    row(`encode ${label}`, {
      bytes: encodeFrame(frame).length,
      'msgpackr (baseline) ns': baseline,
      'encodeFrame ns': ours,
      'BigInt copy ns': bigints,
      'encodeFrame / baseline': ours / baseline,
    }),
  );
}
for (const label of ['call (no wide integer)', 'message.new event']) {
  const bytes = encodeFrame(frames[label]);
  const [baseline = 0, ours = 0] = measure(
    () => unpackr.unpack(bytes),
    () => decodeClientFrame(bytes, DEFAULT_LIMITS.maxDepth),
  );
  console.log(row(`decode ${label}`, { 'msgpackr (baseline) ns': baseline, 'decodeClientFrame ns': ours, ratio: ours / baseline }));
}
