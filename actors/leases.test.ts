// The lease stores, JetStream KV and memory, against one contract: a key is held by one live
// node at a time; a node keeps all of its keys with one keepAlive; a dead node's keys are free
// once its node key lapsed, long before the keys' own TTL, or at once when other nodes fence it;
// a restarted node (same id, new incarnation) frees what its earlier process held at once.
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dropNamespaceStreams, services, uniqueName } from '../test/harness/services.ts';
import { createMemoryLeases, type LeaseStore, openJetStreamLeases } from './leases.ts';

const TTL_MS = 1000;
let nc: NatsConnection;
const namespaces: string[] = [];

beforeAll(async () => {
  nc = await connect({ servers: services.natsUrl });
});
afterAll(async () => {
  for (const namespace of namespaces) await dropNamespaceStreams(namespace);
  await nc.close();
});

/** Stores that share their keys, as the processes of one cluster do: each call is one process. */
const kinds: [string, () => () => Promise<LeaseStore>][] = [
  [
    'jetstream',
    () => {
      const namespace = uniqueName('leases');
      namespaces.push(namespace);
      return () => openJetStreamLeases(nc, namespace, TTL_MS);
    },
  ],
  [
    'memory',
    () => {
      const shared = createMemoryLeases(TTL_MS);
      return async () => shared;
    },
  ],
];

describe.each(kinds)('leases (%s)', (_kind, cluster) => {
  test('leases: one live holder per key; its keepAlive keeps every key it holds; released keys are free', async () => {
    const open = cluster();
    const [a, b] = await Promise.all([open(), open()]);
    const first = await a.claim('counter.x', 'node-a');
    const second = await a.claim('counter.y', 'node-a');
    expect(first).toMatchObject({ key: 'counter.x', node: 'node-a' });
    expect(await b.claim('counter.x', 'node-b')).toBeUndefined();
    // Past the TTL, kept alive by the node's one write.
    for (let i = 0; i < 4; i++) {
      await Bun.sleep(TTL_MS / 3);
      expect(await a.keepAlive('node-a')).toBe(true);
    }
    expect(await b.holder('counter.x')).toBe('node-a');
    expect(await b.holder('counter.y')).toBe('node-a');
    expect(await b.claim('counter.y', 'node-b')).toBeUndefined();
    await a.release(second as NonNullable<typeof second>);
    expect(await b.holder('counter.y')).toBeUndefined();
    expect(await b.claim('counter.y', 'node-b')).toMatchObject({ node: 'node-b' });
  });

  test('leases: a node silent past the TTL loses every key (its keepAlive says so), and another node takes them without waiting for the keys to expire', async () => {
    const open = cluster();
    const [a, b] = await Promise.all([open(), open()]);
    const lease = await a.claim('counter.z', 'node-a');
    await Bun.sleep(TTL_MS + 500);
    expect(await b.holder('counter.z')).toBeUndefined();
    expect(await b.claim('counter.z', 'node-b')).toMatchObject({ node: 'node-b' });
    expect(await a.keepAlive('node-a')).toBe(false);
    expect(await a.renew(lease as NonNullable<typeof lease>)).toBeUndefined();
    // The lapsed node starts again with a new incarnation: the key stays with node-b.
    expect(await a.claim('counter.z', 'node-a')).toBeUndefined();
    expect(await a.holder('counter.z')).toBe('node-b');
  });

  test('leases: a node still renewing is not fenced; one whose key went stale is (its keys free at once, well inside the TTL): its keepAlive says so and it starts again as a new incarnation', async () => {
    const open = cluster();
    const [a, b] = await Promise.all([open(), open()]);
    const lease = await a.claim('counter.f', 'node-a');
    expect(await b.claim('counter.f', 'node-b')).toBeUndefined();
    // Renewed just now (the claim wrote its key): heartbeats may be lost, the node is not.
    expect(await b.fence('node-a', 300)).toBe('renewing');
    expect(await b.holder('counter.f')).toBe('node-a');
    await Bun.sleep(400);
    expect(await b.fence('node-a', 300)).toBe('fenced');
    expect(await b.fence('node-a', 300)).toBe('gone');
    expect(await b.holder('counter.f')).toBeUndefined();
    expect(await b.claim('counter.f', 'node-b')).toMatchObject({ node: 'node-b' });
    expect(await a.keepAlive('node-a')).toBe(false);
    expect(await a.renew(lease as NonNullable<typeof lease>)).toBeUndefined();
    expect(await a.claim('counter.f', 'node-a')).toBeUndefined();
    // Its new incarnation holds what it claims next, and keeps it.
    expect(await a.claim('counter.g', 'node-a')).toMatchObject({ node: 'node-a' });
    expect(await a.keepAlive('node-a')).toBe(true);
    expect(await b.holder('counter.g')).toBe('node-a');
  });

  test('leases: claims made at once by a node that holds nothing yet name one incarnation, and every key stays its own', async () => {
    const open = cluster();
    const [a, b] = await Promise.all([open(), open()]);
    const keys = Array.from({ length: 8 }, (_, i) => `counter.first-${i}`);
    const leases = await Promise.all(keys.map((key) => a.claim(key, 'node-a')));
    expect(leases.every((lease) => lease?.node === 'node-a')).toBe(true);
    for (const key of keys) {
      expect(await b.holder(key)).toBe('node-a');
      expect(await b.claim(key, 'node-b')).toBeUndefined();
    }
  });

  test('leases: a node renews an actor key on the revision it holds; a stale revision is refused', async () => {
    const open = cluster();
    const a = await open();
    const lease = (await a.claim('counter.r', 'node-a')) as NonNullable<Awaited<ReturnType<LeaseStore['claim']>>>;
    const renewed = await a.renew(lease);
    expect(renewed?.revision).toBeGreaterThan(lease.revision);
    expect(await a.renew(lease)).toBeUndefined();
  });
});

test('leases (jetstream): a node restarted under the same id frees at once what its earlier process held', async () => {
  const namespace = uniqueName('leases');
  namespaces.push(namespace);
  const before = await openJetStreamLeases(nc, namespace, 60_000);
  const other = await openJetStreamLeases(nc, namespace, 60_000);
  await before.claim('user.u1', 'node-a');
  expect(await other.claim('user.u1', 'node-b')).toBeUndefined();
  const restarted = await openJetStreamLeases(nc, namespace, 60_000);
  expect(await restarted.claim('user.u1', 'node-a')).toMatchObject({ node: 'node-a' });
  expect(await before.keepAlive('node-a')).toBe(false);
});
