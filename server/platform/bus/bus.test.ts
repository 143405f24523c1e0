// One contract, two buses: the in-process bus must behave like NATS in every way the code
// above relies on, and the NATS bus is exercised against the real server.
import type { NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testLogger } from '../../../test/harness/node.ts';
import { startNatsServer } from '../../../test/harness/processes.ts';
import { services, uniqueName } from '../../../test/harness/services.ts';
import { BusNoRespondersError, BusTimeoutError, DependencyError } from '../../errors.ts';
import type { Bus, BusMessage } from './index.ts';
import { connectMemoryBus } from './memory.ts';
import { connectNatsBus } from './nats.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (data: Uint8Array) => new TextDecoder().decode(data);

/** Collects what a subscription receives. */
function collect(bus: Bus, subject: string, options?: { queue?: string }) {
  const received: BusMessage[] = [];
  const subscription = bus.subscribe(subject, (message) => received.push(message), options);
  return { received, subscription };
}

async function settle(bus: Bus, until: () => boolean, timeoutMs = 3000): Promise<void> {
  await bus.flush();
  const deadline = Date.now() + timeoutMs;
  while (!until() && Date.now() < deadline) await Bun.sleep(5);
}

const buses: [string, () => Promise<Bus>][] = [
  ['memory', async () => connectMemoryBus()],
  ['nats', () => connectNatsBus({ servers: services.natsUrl, name: 'bus-test', log: testLogger() })],
];

describe.each(buses)('bus (%s)', (_kind, open) => {
  let bus: Bus;
  let prefix: string;
  beforeAll(async () => {
    bus = await open();
  });
  afterAll(async () => {
    await bus.close();
  });
  // Each test gets its own subject space, so tests cannot see each other's messages.
  const subject = (rest: string) => `${prefix}.${rest}`;
  test.beforeEach(() => {
    prefix = uniqueName('bus');
  });

  test('bus: a published message reaches every matching subscriber once', async () => {
    const a = collect(bus, subject('pets.created'));
    const b = collect(bus, subject('pets.created'));
    const other = collect(bus, subject('pets.deleted'));
    bus.publish(subject('pets.created'), encode('rex'));
    await settle(bus, () => a.received.length > 0 && b.received.length > 0);
    await Bun.sleep(50);
    expect(a.received.map((m) => decode(m.data))).toEqual(['rex']);
    expect(b.received.map((m) => decode(m.data))).toEqual(['rex']);
    expect(a.received[0]?.subject).toBe(subject('pets.created'));
    expect(a.received[0]?.expectsReply).toBe(false);
    expect(other.received).toHaveLength(0);
  });

  test('bus: * matches one token and > matches the rest', async () => {
    const star = collect(bus, subject('room.*.msg'));
    const tail = collect(bus, subject('room.>'));
    bus.publish(subject('room.1.msg'), encode('a'));
    bus.publish(subject('room.1.typing'), encode('b'));
    bus.publish(subject('room.2.msg.extra'), encode('c'));
    bus.publish(subject('room'), encode('d'));
    await settle(bus, () => tail.received.length >= 3);
    await Bun.sleep(50);
    expect(star.received.map((m) => decode(m.data))).toEqual(['a']);
    expect(tail.received.map((m) => decode(m.data))).toEqual(['a', 'b', 'c']);
  });

  test('bus: a queue group gets each message once, plain subscribers get all', async () => {
    const first = collect(bus, subject('jobs'), { queue: 'workers' });
    const second = collect(bus, subject('jobs'), { queue: 'workers' });
    const audit = collect(bus, subject('jobs'));
    for (let i = 0; i < 100; i++) bus.publish(subject('jobs'), encode(String(i)));
    await settle(bus, () => first.received.length + second.received.length === 100 && audit.received.length === 100);
    await Bun.sleep(50);
    const taken = [...first.received, ...second.received].map((m) => Number(decode(m.data)));
    expect(taken.sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect(first.received.length).toBeGreaterThan(0);
    expect(second.received.length).toBeGreaterThan(0);
    expect(audit.received).toHaveLength(100);
  });

  test('bus: messages from one publisher arrive in order', async () => {
    const sink = collect(bus, subject('ordered'));
    for (let i = 0; i < 500; i++) bus.publish(subject('ordered'), encode(String(i)));
    await settle(bus, () => sink.received.length === 500);
    expect(sink.received.map((m) => Number(decode(m.data)))).toEqual([...Array(500).keys()]);
  });

  test('bus: request gets the reply of a responder', async () => {
    bus.subscribe(subject('echo'), (message) => {
      expect(message.expectsReply).toBe(true);
      message.respond(encode(`echo:${decode(message.data)}`));
    });
    await bus.flush();
    expect(decode(await bus.request(subject('echo'), encode('hi')))).toBe('echo:hi');
  });

  test('bus: request with no subscriber fails fast with BusNoRespondersError', async () => {
    const started = Date.now();
    await expect(bus.request(subject('nobody'), encode('x'), { timeoutMs: 5000 })).rejects.toBeInstanceOf(BusNoRespondersError);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  test('bus: request that is never answered fails with BusTimeoutError', async () => {
    bus.subscribe(subject('silent'), () => undefined);
    await bus.flush();
    const error = await bus.request(subject('silent'), encode('x'), { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusTimeoutError);
    expect((error as BusTimeoutError).code).toBe('BUS_TIMEOUT');
  });

  test('bus: unsubscribe stops delivery', async () => {
    const sink = collect(bus, subject('stop'));
    bus.publish(subject('stop'), encode('1'));
    await settle(bus, () => sink.received.length === 1);
    sink.subscription.unsubscribe();
    bus.publish(subject('stop'), encode('2'));
    await bus.flush();
    await Bun.sleep(100);
    expect(sink.received.map((m) => decode(m.data))).toEqual(['1']);
  });

  test.each(['', 'a..b', 'has space', 'a.*', 'a.>'])('bus: publishing to the invalid subject %j throws', (bad) => {
    expect(() => bus.publish(bad, encode('x'))).toThrow(TypeError);
  });

  test.each(['', 'a..b', 'a.>.b', 'a b'])('bus: subscribing to the invalid subject %j throws', (bad) => {
    expect(() => bus.subscribe(bad, () => undefined)).toThrow(TypeError);
  });
});

describe('bus (nats) start-up', () => {
  test('bus: a NATS server without JetStream is refused with a DependencyError', async () => {
    const server = await startNatsServer({ jetstream: false });
    try {
      const error = await connectNatsBus({ servers: server.url, name: 'no-js', log: testLogger() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyError);
      expect((error as DependencyError).message).toContain('JetStream is not available');
    } finally {
      await server.kill();
    }
  });

  test('bus: an unreachable NATS server is a DependencyError naming the bus', async () => {
    const server = await startNatsServer();
    await server.kill();
    const error = await connectNatsBus({ servers: server.url, name: 'gone', log: testLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).dependency).toBe('bus');
  });
});

describe('bus (nats) connection', () => {
  test('bus: after a reconnect the subscriptions are made again (a queue group too), and one stopped before is not', async () => {
    const log = testLogger();
    const [bus, other] = await Promise.all([
      connectNatsBus({ servers: services.natsUrl, name: 'bus-reconnect', log }),
      connectNatsBus({ servers: services.natsUrl, name: 'bus-reconnect-peer', log }),
    ]);
    const prefix = uniqueName('bus');
    try {
      const kept = collect(bus, `${prefix}.kept`);
      const grouped = collect(bus, `${prefix}.*`, { queue: 'workers' });
      const stopped = collect(bus, `${prefix}.stopped`);
      stopped.subscription.unsubscribe();
      const nc = bus.natsConnection as NatsConnection;
      const reconnected = (async () => {
        for await (const status of nc.status()) if (status.type === 'reconnect') return;
      })();
      await nc.reconnect();
      await reconnected;
      // The subscriptions are sent again on the new connection; a round trip on it makes sure the
      // server has them before the other connection publishes.
      await bus.flush();
      other.publish(`${prefix}.kept`, encode('after'));
      other.publish(`${prefix}.stopped`, encode('after'));
      await settle(other, () => kept.received.length === 1 && grouped.received.length === 2);
      await Bun.sleep(100);
      expect(kept.received.map((m) => decode(m.data))).toEqual(['after']);
      expect(grouped.received.map((m) => m.subject).sort()).toEqual([`${prefix}.kept`, `${prefix}.stopped`]);
      expect(stopped.received).toEqual([]);
    } finally {
      await Promise.all([bus.close(), other.close()]);
    }
  });
});
