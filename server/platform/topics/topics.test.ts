// One contract, two topic logs: JetStream on the real NATS server, and process memory.
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeFrame } from '../../../protocol/codec.ts';
import { testLogger } from '../../../test/harness/node.ts';
import { services, uniqueName } from '../../../test/harness/services.ts';
import type { TopicLog } from './index.ts';
import { connectJetStreamTopicLog } from './jetstream.ts';
import { createMemoryTopicLog } from './memory.ts';

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: services.natsUrl });
});
afterAll(async () => {
  await nc.drain();
});

const RETAINED = 5;
const logs: [string, (namespace: string) => Promise<TopicLog>][] = [
  ['memory', async () => createMemoryTopicLog(RETAINED)],
  ['jetstream', (namespace) => connectJetStreamTopicLog({ nc, namespace, retained: RETAINED, log: testLogger() })],
];

describe.each(logs)('topic log (%s)', (_kind, open) => {
  let log: TopicLog;
  let namespace: string;
  beforeAll(async () => {
    namespace = uniqueName('tl');
    log = await open(namespace);
  });
  afterAll(async () => {
    await log.close();
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(`${namespace}_TOPICS`).catch((error: unknown) => {
      if (!/not found/i.test((error as Error).message)) throw error;
    });
  });
  const topic = () => `user:${crypto.randomUUID()}`;

  test('topics: seqs start at 1 and follow each other; each frame is the event as clients get it', async () => {
    const t = topic();
    expect(await log.last(t)).toBe(0);
    expect(await log.publish(t, 'account.updated', { n: 1 })).toBe(1);
    expect(await log.publish(t, 'account.updated', { n: 2 })).toBe(2);
    expect(await log.last(t)).toBe(2);
    const since = await log.since(t, 0);
    if (since === 'gap') throw new Error('unexpected gap');
    expect(since.last).toBe(2);
    expect(since.frames.map((frame) => decodeFrame(frame.frame))).toEqual([
      { type: 'event', topic: t, epoch: log.epoch, seq: 1, name: 'account.updated', body: { n: 1 } },
      { type: 'event', topic: t, epoch: log.epoch, seq: 2, name: 'account.updated', body: { n: 2 } },
    ]);
  });

  test('topics: since returns only what came after, and nothing when up to date', async () => {
    const t = topic();
    for (let i = 1; i <= 4; i++) await log.publish(t, 'e', { i });
    const after2 = await log.since(t, 2);
    expect(after2 !== 'gap' && after2.frames.map((frame) => frame.seq)).toEqual([3, 4]);
    expect(await log.since(t, 4)).toEqual({ frames: [], last: 4 });
  });

  test('topics: asking for events older than what is retained is a gap', async () => {
    const t = topic();
    for (let i = 1; i <= RETAINED + 3; i++) await log.publish(t, 'e', { i });
    expect(await log.since(t, 1)).toBe('gap');
    const kept = await log.since(t, 3);
    expect(kept !== 'gap' && kept.frames.map((frame) => frame.seq)).toEqual([4, 5, 6, 7, 8]);
  });

  test('topics: twenty concurrent publishers get twenty distinct, contiguous seqs', async () => {
    const t = topic();
    const seqs = await Promise.all(Array.from({ length: 20 }, (_, i) => log.publish(t, 'e', { i })));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  test('topics: listeners get live frames in seq order, and stop when they unlisten', async () => {
    const t = topic();
    const seen: number[] = [];
    const stop = log.listen(t, (seq, frame) => {
      expect((decodeFrame(frame) as { seq: number }).seq).toBe(seq);
      seen.push(seq);
    });
    await nc.flush();
    await Promise.all(Array.from({ length: 10 }, (_, i) => log.publish(t, 'e', { i })));
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(10);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    stop.unsubscribe();
    await log.publish(t, 'e', {});
    await Bun.sleep(100);
    expect(seen).toHaveLength(10);
  });

  test('topics: one function can listen to several topics: each frame comes with its topic', async () => {
    const [a, b] = [topic(), topic()];
    const seen: [string, number][] = [];
    const onFrame = (seq: number, _frame: Uint8Array, from: string) => seen.push([from, seq]);
    const stops = [log.listen(a, onFrame), log.listen(b, onFrame)];
    await nc.flush();
    await log.publish(a, 'e', {});
    await log.publish(b, 'e', {});
    await log.publish(b, 'e', {});
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(3);
    expect(seen.filter(([from]) => from === a)).toEqual([[a, 1]]);
    expect(seen.filter(([from]) => from === b)).toEqual([
      [b, 1],
      [b, 2],
    ]);
    for (const stop of stops) stop.unsubscribe();
  });

  test('topics: events published together get contiguous seqs, and listeners and replays see each as its own frame', async () => {
    const t = topic();
    const live: unknown[] = [];
    const stop = log.listen(t, (seq, frame) => live.push([seq, decodeFrame(frame)]));
    await nc.flush();
    expect(await log.publish(t, 'e', { n: 1 })).toBe(1);
    expect(
      await log.publishMany(t, [
        { name: 'message.new', body: { n: 2 } },
        { name: 'message.new', body: { n: 3 } },
        { name: 'message.new', body: { n: 4 } },
      ]),
    ).toBe(4);
    expect(await log.publishMany(t, [{ name: 'e', body: { n: 5 } }])).toBe(5);
    expect(await log.last(t)).toBe(5);
    const event = (seq: number, name: string) => ({ type: 'event', topic: t, epoch: log.epoch, seq, name, body: { n: seq } });
    const expected = [event(1, 'e'), event(2, 'message.new'), event(3, 'message.new'), event(4, 'message.new'), event(5, 'e')];
    await expect.poll(() => live.length, { timeout: 5000 }).toBe(5);
    stop.unsubscribe();
    expect(live).toEqual(expected.map((frame) => [frame.seq, frame]));
    // A replay from inside the entry of three gets only what came after.
    const after2 = await log.since(t, 2);
    if (after2 === 'gap') throw new Error('unexpected gap');
    expect(after2.frames.map(({ seq, frame }) => [seq, decodeFrame(frame)])).toEqual(expected.slice(2).map((frame) => [frame.seq, frame]));
  });

  test('topics: a second publish of the same id drops the whole entry', async () => {
    const t = topic();
    const events = [
      { name: 'e', body: { n: 1 } },
      { name: 'e', body: { n: 2 } },
    ];
    const id = `dup-${crypto.randomUUID()}`;
    expect(await log.publishMany(t, events, { id })).toBe(2);
    expect(await log.publishMany(t, events, { id })).toBe(2);
    const all = await log.since(t, 0);
    expect(all !== 'gap' && all.frames.map((frame) => frame.seq)).toEqual([1, 2]);
  });

  test('topics: topics do not see each other', async () => {
    const [a, b] = [topic(), topic()];
    await log.publish(a, 'e', {});
    expect(await log.last(b)).toBe(0);
  });
});

test('topics (jetstream): a second node on the same namespace shares the epoch and the log', async () => {
  const namespace = uniqueName('tl2');
  const first = await connectJetStreamTopicLog({ nc, namespace, retained: RETAINED, log: testLogger() });
  const second = await connectJetStreamTopicLog({ nc, namespace, retained: RETAINED, log: testLogger() });
  try {
    expect(second.epoch).toBe(first.epoch);
    await first.publish('system', 'announcement', { text: 'hi' });
    expect(await second.last('system')).toBe(1);
  } finally {
    await (await nc.jetstreamManager()).streams.delete(`${namespace}_TOPICS`);
  }
});

test('topics (jetstream): two nodes writing one topic in turn get contiguous seqs (each finds the other moved the end and retries)', async () => {
  const namespace = uniqueName('tl3');
  const other = await connect({ servers: services.natsUrl });
  const first = await connectJetStreamTopicLog({ nc, namespace, retained: 50, log: testLogger() });
  const second = await connectJetStreamTopicLog({ nc: other, namespace, retained: 50, log: testLogger() });
  try {
    const seqs: number[] = [];
    for (let i = 0; i < 10; i++) seqs.push(await (i % 2 === 0 ? first : second).publish('system', 'n', { i }));
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const replay = await first.since('system', 0);
    if (replay === 'gap') throw new Error('gap');
    expect(replay.frames.map(({ frame }) => (decodeFrame(frame) as { body: { i: number } }).body.i)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  } finally {
    await first.close();
    await second.close();
    await other.drain();
    await (await nc.jetstreamManager()).streams.delete(`${namespace}_TOPICS`);
  }
});

test('topics (jetstream): a publish no stream takes fails with a typed error, not a timeout; an id with a line break is refused before sending', async () => {
  const namespace = uniqueName('tl4');
  const log = await connectJetStreamTopicLog({ nc, namespace, retained: RETAINED, log: testLogger() });
  try {
    await expect(log.publish('system', 'n', {}, { id: 'a\r\nNats-Expected-Stream: x' })).rejects.toThrow(/line break/);
    expect(await log.last('system')).toBe(0);
    expect(await log.publish('system', 'n', {})).toBe(1);
    await (await nc.jetstreamManager()).streams.delete(`${namespace}_TOPICS`);
    // The node still knows where 'system' ended, so this goes straight to the publish: no responders,
    // not a wait for the 5 s answer timeout (that would be BUS_TIMEOUT).
    await expect(log.publish('system', 'n', {})).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: /no stream/ });
  } finally {
    await log.close();
  }
});
