// Counting several attempts at once (a room's batch of sends): the first ones within the window's
// max pass, the rest are refused with the window's Retry-After, and refused ones count too.
import { expect, test } from 'vitest';
import { RateLimitedError } from '../errors.ts';
import { createMemoryCache } from '../platform/cache/memory.ts';
import { RateLimiter } from './rate-limits.ts';

test('limits: hitMany lets through the first of a batch up to the max and refuses the rest', async () => {
  const limiter = new RateLimiter(createMemoryCache());
  const limit = { name: 'test sends', max: 5, windowMs: 60_000 };
  expect(await limiter.hitMany(limit, 'ana', 3)).toEqual({ allowed: 3, after: 3 });
  const partly = await limiter.hitMany(limit, 'ana', 4);
  expect(partly.allowed).toBe(2);
  expect(partly.refusal).toBeInstanceOf(RateLimitedError);
  expect(partly.refusal?.retryAfterSeconds).toBeGreaterThan(55);
  expect((await limiter.hitMany(limit, 'ana', 1)).allowed).toBe(0);
  // Someone else's window is their own.
  expect(await limiter.hitMany(limit, 'bruno', 5)).toEqual({ allowed: 5, after: 5 });
  await expect(limiter.hit(limit, 'bruno')).rejects.toBeInstanceOf(RateLimitedError);
});
