// One contract, two caches: in-memory (embedded mode) and Redis (the real server).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { testLogger } from '../../../test/harness/node.ts';
import { startRedisServer } from '../../../test/harness/processes.ts';
import { services, uniqueName } from '../../../test/harness/services.ts';
import { DependencyError } from '../../errors.ts';
import type { Cache } from './index.ts';
import { createMemoryCache } from './memory.ts';
import { connectRedisCache } from './redis.ts';

const namespace = uniqueName('cache');
const caches: [string, () => Promise<Cache>][] = [
  ['memory', async () => createMemoryCache()],
  ['redis', () => connectRedisCache({ url: services.redisUrl, namespace, log: testLogger() })],
];

describe.each(caches)('cache (%s)', (_kind, open) => {
  let cache: Cache;
  let key: (name: string) => string;
  beforeAll(async () => {
    cache = await open();
  });
  afterAll(async () => {
    await cache.close();
  });
  beforeEach(() => {
    const prefix = uniqueName('k');
    key = (name) => `${prefix}:${name}`;
  });

  test('cache: set, get and del', async () => {
    expect(await cache.get(key('a'))).toBeNull();
    await cache.set(key('a'), 'bone');
    expect(await cache.get(key('a'))).toBe('bone');
    await cache.set(key('a'), 'ball');
    expect(await cache.get(key('a'))).toBe('ball');
    await cache.del(key('a'));
    expect(await cache.get(key('a'))).toBeNull();
  });

  test('cache: take returns the value once, to exactly one of many concurrent takers', async () => {
    await cache.set(key('once'), 'code', { ttlMs: 10_000 });
    const taken = await Promise.all(Array.from({ length: 20 }, () => cache.take(key('once'))));
    expect(taken.filter((value) => value === 'code')).toHaveLength(1);
    expect(taken.filter((value) => value === null)).toHaveLength(19);
    expect(await cache.get(key('once'))).toBeNull();
  });

  test('cache: a value with a TTL disappears after it', async () => {
    await cache.set(key('short'), 'x', { ttlMs: 150 });
    const ttl = await cache.ttlMs(key('short'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(150);
    expect(await cache.get(key('short'))).toBe('x');
    await Bun.sleep(250);
    expect(await cache.get(key('short'))).toBeNull();
    expect(await cache.ttlMs(key('short'))).toBeNull();
  });

  test('cache: incr counts from 1 and the window TTL is set once, by the first increment', async () => {
    expect(await cache.incr(key('hits'), { ttlMs: 300 })).toBe(1);
    await Bun.sleep(120);
    expect(await cache.incr(key('hits'), { ttlMs: 300 })).toBe(2);
    const remaining = await cache.ttlMs(key('hits'));
    expect(remaining).toBeLessThanOrEqual(300 - 100);
    await Bun.sleep(250);
    expect(await cache.incr(key('hits'), { ttlMs: 300 })).toBe(1);
  });

  test('cache: incr by several adds them at once, and the first increment still sets the TTL', async () => {
    expect(await cache.incr(key('many'), { ttlMs: 5000, by: 5 })).toBe(5);
    expect(await cache.incr(key('many'), { ttlMs: 5000, by: 3 })).toBe(8);
    expect(await cache.incr(key('many'), { ttlMs: 5000 })).toBe(9);
    const remaining = await cache.ttlMs(key('many'));
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(5000);
  });

  test('cache: incr without a TTL never expires', async () => {
    await cache.incr(key('forever'));
    expect(await cache.ttlMs(key('forever'))).toBeNull();
  });

  test('cache: 50 concurrent increments count 50', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.incr(key('race'), { ttlMs: 10_000 })));
    expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  test('cache: incr on a value that is not an integer is refused', async () => {
    await cache.set(key('text'), 'not a number');
    await expect(cache.incr(key('text'))).rejects.toThrow();
    expect(await cache.get(key('text'))).toBe('not a number');
  });

  test('cache: sorted sets add to scores and list the top, highest first, and expire after their last change', async () => {
    await cache.zincr(key('trend'), ['perros', 'gatos'], 1, { ttlMs: 10_000 });
    await cache.zincr(key('trend'), ['perros'], 2.5, { ttlMs: 10_000 });
    await cache.zincr(key('trend'), ['aves'], 0.5, { ttlMs: 10_000 });
    expect(await cache.ztop(key('trend'), 2)).toEqual([
      { member: 'perros', score: 3.5 },
      { member: 'gatos', score: 1 },
    ]);
    await cache.zincr(key('short'), ['x'], 1, { ttlMs: 50 });
    await Bun.sleep(120);
    expect(await cache.ztop(key('short'), 5)).toEqual([]);
  });

  test('cache: a token bucket told of spent tokens says nothing while within its burst, then how long until it is', async () => {
    const bucket = { perSecond: 10, burst: 5 };
    const spend = async (name: string, count: number) => (await cache.spendTokens(bucket, [{ key: key(name), count }]))[0];
    expect(await spend('bucket', 3)).toBe(0);
    // Two more fill the burst (a token may have come back meanwhile): still within it.
    expect(await spend('bucket', 2)).toBe(0);
    // Three past it: about 300 ms (one token every 100 ms) until the bucket is within it again.
    const wait = (await spend('bucket', 3)) as number;
    expect(wait).toBeGreaterThan(200);
    expect(wait).toBeLessThanOrEqual(300);
    // Spent tokens are recorded even past the burst: one more adds its interval.
    expect(await spend('bucket', 1)).toBeGreaterThan(wait);
    // Another key has its own bucket.
    expect(await spend('other', 5)).toBe(0);
  });

  test('cache: several buckets told of their spent tokens at once are each answered, in order', async () => {
    const bucket = { perSecond: 10, burst: 5 };
    expect(await cache.spendTokens(bucket, [])).toEqual([]);
    const [within, past, alone] = await cache.spendTokens(bucket, [
      { key: key('many-a'), count: 2 },
      { key: key('many-b'), count: 8 },
      { key: key('many-c'), count: 5 },
    ]);
    expect(within).toBe(0);
    expect(past).toBeGreaterThan(200);
    expect(alone).toBe(0);
    // Each key kept what it was told: a: 2 + 6 is past the burst, c: 5 + 3 too, b still further.
    const [a, b, c] = await cache.spendTokens(bucket, [
      { key: key('many-a'), count: 6 },
      { key: key('many-b'), count: 1 },
      { key: key('many-c'), count: 3 },
    ]);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(past as number);
    expect(c).toBeGreaterThan(0);
  });

  test('cache: ping answers', async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });
});

describe('cache (redis) specifics', () => {
  test('cache: keys live under the cluster namespace in Redis', async () => {
    const cache = await connectRedisCache({ url: services.redisUrl, namespace, log: testLogger() });
    const raw = new Redis(services.redisUrl);
    try {
      await cache.set('visible', 'yes');
      await cache.incr('counter', { ttlMs: 5000 });
      expect(await raw.get(`${namespace}:visible`)).toBe('yes');
      expect(await raw.get(`${namespace}:counter`)).toBe('1');
      expect(await raw.pttl(`${namespace}:counter`)).toBeGreaterThan(0);
      expect(await raw.get('visible')).toBeNull();
    } finally {
      await raw.del(`${namespace}:visible`, `${namespace}:counter`);
      raw.disconnect();
      await cache.close();
    }
  });

  test('cache: an unreachable Redis is a DependencyError naming the cache', async () => {
    const server = await startRedisServer();
    await server.kill();
    const error = await connectRedisCache({ url: server.url, namespace, log: testLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).dependency).toBe('cache');
  });
});
