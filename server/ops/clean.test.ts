// `npm run cluster:clean`: against the real NATS and Redis, what a namespace's components create
// (topic log, media job queue, actor leases, cache keys) is listed by --dry-run and removed by the
// command, another namespace's things stay, and the command refuses without a namespace or while
// the namespace's nodes are running.
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openJetStreamLeases } from '../../actors/leases.ts';
import { ActorSystem } from '../../actors/system.ts';
import { openJetStreamQueue } from '../../media/queue.ts';
import { testLogger } from '../../test/harness/node.ts';
import { dropNamespaceStreams, services, uniqueName } from '../../test/harness/services.ts';
import { connectNatsBus } from '../platform/bus/nats.ts';
import { connectRedisCache } from '../platform/cache/redis.ts';
import { connectJetStreamTopicLog } from '../platform/topics/jetstream.ts';
import { clusterStreams } from './clean.ts';

const cleaned = uniqueName('clean_a');
// A name that starts with the cleaned one: matching by prefix would take it too.
const kept = `${cleaned}_2`;
let nc: NatsConnection;
let redis: Redis;

/** What a running cluster of `namespace` leaves: a topic event, a media job, a lease, cache keys. */
async function leaveThings(namespace: string) {
  const log = testLogger();
  const topics = await connectJetStreamTopicLog({ nc, namespace, retained: 10, log });
  await topics.publish('user:someone', 'test.event', { n: 1 });
  const queue = await openJetStreamQueue(nc, namespace, { maxAttempts: 1, ackWaitMs: 1000, log });
  await queue.enqueue({ mediaId: crypto.randomUUID() });
  await queue.stop();
  const leases = await openJetStreamLeases(nc, namespace, 60_000);
  await leases.claim('user.someone', 'node-x');
  const cache = await connectRedisCache({ url: services.redisUrl, namespace, log });
  await cache.set('presence:someone', 'online', { ttlMs: 60_000 });
  await cache.incr('rate:test:someone', { ttlMs: 60_000 });
  await cache.close();
}

async function streamsOf(namespace: string): Promise<string[]> {
  const jsm = await nc.jetstreamManager();
  const found: string[] = [];
  for await (const name of jsm.streams.names()) if (clusterStreams(namespace).includes(name)) found.push(name);
  return found.sort();
}

const keysOf = (namespace: string) => redis.keys(`${namespace}:*`);

async function clean(...args: string[]) {
  const child = Bun.spawn([process.execPath, 'scripts/cluster-clean.ts', ...args], {
    env: { ...process.env, NATS_URL: services.natsUrl, REDIS_URL: services.redisUrl, CLUSTER_NAME: cleaned },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

beforeAll(async () => {
  nc = await connect({ servers: services.natsUrl });
  redis = new Redis(services.redisUrl);
  await leaveThings(cleaned);
  await leaveThings(kept);
});
afterAll(async () => {
  await dropNamespaceStreams(cleaned);
  await dropNamespaceStreams(kept);
  for (const namespace of [cleaned, kept]) {
    const keys = await keysOf(namespace);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
  await nc.close();
});

test('cluster:clean: the components of a namespace leave three streams and its prefixed Redis keys', async () => {
  expect(await streamsOf(cleaned)).toEqual(clusterStreams(cleaned).sort());
  expect((await keysOf(cleaned)).length).toBeGreaterThanOrEqual(2);
});

test('cluster:clean: without --namespace it refuses and removes nothing, even with CLUSTER_NAME set', async () => {
  for (const args of [[], ['--dry-run'], ['--namespace'], ['--namespace', '--dry-run']]) {
    const run = await clean(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('name the namespace');
  }
  expect(await streamsOf(cleaned)).toHaveLength(4);
});

test('cluster:clean: --dry-run lists the streams and keys and removes nothing', async () => {
  const keys = (await keysOf(cleaned)).length;
  const run = await clean('--namespace', cleaned, '--dry-run');
  expect(run.code).toBe(0);
  for (const stream of clusterStreams(cleaned)) expect(run.stdout).toContain(stream);
  expect(run.stdout).toContain(`${keys} key(s) matching ${cleaned}:*`);
  expect(await streamsOf(cleaned)).toHaveLength(4);
  expect(await keysOf(cleaned)).toHaveLength(keys);
});

test('cluster:clean: it removes one namespace and leaves another', async () => {
  const keptKeys = (await keysOf(kept)).sort();
  const run = await clean(`--namespace=${cleaned}`);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('removed');
  expect(await streamsOf(cleaned)).toEqual([]);
  expect(await keysOf(cleaned)).toEqual([]);
  expect(await streamsOf(kept)).toEqual(clusterStreams(kept).sort());
  expect((await keysOf(kept)).sort()).toEqual(keptKeys);
});

test('cluster:clean: it refuses a namespace whose nodes are running', async () => {
  const running = uniqueName('clean_live');
  const bus = await connectNatsBus({ servers: services.natsUrl, name: running, log: testLogger() });
  const system = await ActorSystem.start({
    bus,
    leases: await openJetStreamLeases(bus.natsConnection as NatsConnection, running, 60_000),
    node: 'live-node',
    namespace: running,
    log: testLogger(),
    heartbeatMs: 200,
    kinds: [],
  });
  try {
    const run = await clean('--namespace', running);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('live-node');
    expect(await streamsOf(running)).toEqual([`KV_${running}_actors`, `KV_${running}_nodes`]);
  } finally {
    await system.stop();
    await bus.close();
    await dropNamespaceStreams(running);
  }
});
