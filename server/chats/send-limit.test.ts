// CHAT_MESSAGES_PER_MINUTE without a cache round trip while far from the limit: sends pass at once
// and are counted in the background; near the limit each waits for the cache, which keeps the
// limit exact on a node, and counts from other nodes come in with every answer.
import { expect, test } from 'vitest';
import { testLogger } from '../../test/harness/node.ts';
import { RateLimiter } from '../accounts/rate-limits.ts';
import type { Cache } from '../platform/cache/index.ts';
import { createMemoryCache } from '../platform/cache/memory.ts';
import { SendLimit } from './send-limit.ts';

/** A cache whose increments wait until `open()` (a slow round trip). */
function gatedCache() {
  const inner = createMemoryCache();
  let gate = Promise.withResolvers<void>();
  let waiting = 0;
  const cache: Cache = {
    ...inner,
    incr: async (key, options) => {
      waiting++;
      await gate.promise;
      waiting--;
      return inner.incr(key, options);
    },
  };
  return {
    cache,
    waiting: () => waiting,
    open() {
      gate.resolve();
      gate = Promise.withResolvers<void>();
    },
  };
}

const settledWithin = async <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then(() => true), Bun.sleep(ms).then(() => false)]);

test('chats: far from the limit sends pass without waiting for the cache, and are counted there all the same', async () => {
  const { cache, waiting, open } = gatedCache();
  const limit = new SendLimit(new RateLimiter(cache), 40, testLogger());
  // Nothing known yet: the first send waits for the cache's answer.
  const first = limit.count('ana', 1);
  expect(await settledWithin(first, 50)).toBe(false);
  open();
  expect(await first).toEqual({ allowed: 1 });
  // Known and far from the limit (1 + 10 ≤ 30): at once, while the count is still on its way.
  expect(await settledWithin(limit.count('ana', 10), 50)).toBe(true);
  await expect.poll(() => waiting()).toBe(1);
  // 11 known or pending + 25 passes three quarters of 40: this one waits.
  const near = limit.count('ana', 25);
  expect(await settledWithin(near, 50)).toBe(false);
  open();
  expect(await near).toMatchObject({ allowed: 25 });
  // The background count of 10 landed too: the cache holds 1 + 10 + 25.
  expect(await cache.get('rate:messages-sent:ana')).toBe('36');
});

test('chats: near the limit every send waits, so one node lets exactly the limit through', async () => {
  const limit = new SendLimit(new RateLimiter(createMemoryCache()), 12, testLogger());
  const results = [];
  for (let i = 0; i < 20; i++) results.push(await limit.count('bruno', 1));
  expect(results.reduce((sum, result) => sum + result.allowed, 0)).toBe(12);
  expect(results.slice(12).every((result) => result.refusal?.code === 'RATE_LIMITED')).toBe(true);
});

test('chats: what a sender sent through another node counts: a node that knows nothing of them waits for the cache', async () => {
  const cache = createMemoryCache();
  const [nodeA, nodeB] = [new SendLimit(new RateLimiter(cache), 12, testLogger()), new SendLimit(new RateLimiter(cache), 12, testLogger())];
  let allowed = 0;
  for (let i = 0; i < 11; i++) allowed += (await nodeB.count('carla', 1)).allowed;
  await Bun.sleep(10);
  for (let i = 0; i < 3; i++) allowed += (await nodeA.count('carla', 1)).allowed;
  expect(allowed).toBe(12);
});

test('chats: a sender’s background counts of one turn (sends to many rooms) reach the cache as one increment', async () => {
  const inner = createMemoryCache();
  const increments: number[] = [];
  const cache: Cache = {
    ...inner,
    incr: (key, options) => {
      increments.push(options?.by ?? 1);
      return inner.incr(key, options);
    },
  };
  const limit = new SendLimit(new RateLimiter(cache), 1000, testLogger());
  await limit.count('dora', 1);
  increments.length = 0;
  // As 30 rooms do, each counting its own send.
  const counted = await Promise.all(Array.from({ length: 30 }, () => limit.count('dora', 1)));
  expect(counted.every((result) => result.allowed === 1)).toBe(true);
  await expect.poll(() => increments).toEqual([30]);
  expect(await cache.get('rate:messages-sent:dora')).toBe('31');
});
