// Calls per user, decided on the node and reported to the cluster's buckets on Redis, every
// user's in one round trip.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { testLogger } from '../../test/harness/node.ts';
import { services, uniqueName } from '../../test/harness/services.ts';
import type { Cache } from '../platform/cache/index.ts';
import { connectRedisCache } from '../platform/cache/redis.ts';
import { UserRates } from './user-rate.ts';

let redis: Cache;
/** Every spendTokens call the UserRates under test made: the keys and counts of one round trip. */
let reports: { key: string; count: number }[][];
const cache = (): Cache => ({
  ...redis,
  spendTokens: (bucket, spends) => {
    reports.push([...spends]);
    return redis.spendTokens(bucket, spends);
  },
});

beforeAll(async () => {
  redis = await connectRedisCache({ url: services.redisUrl, namespace: uniqueName('rates'), log: testLogger() });
});
afterAll(async () => {
  await redis.close();
});

/** Waits until no report is under way or due (REPORT_EVERY_MS is 20). */
const settle = () => Bun.sleep(150);

test('userRate: the calls of many users are reported together, one round trip for all, none lost', async () => {
  reports = [];
  const rates = new UserRates(cache(), testLogger(), 1000);
  const users = Array.from({ length: 5 }, (_, i) => uniqueName(`u${i}`));
  // The first call after a quiet spell is reported at once; the rest wait for the next report.
  for (const user of users) for (let i = 0; i < 3; i++) expect(rates.take(user)).toBe(0);
  await settle();
  expect(reports.length).toBe(2);
  expect(reports[0]).toEqual([{ key: `ws-calls:${users[0]}`, count: 1 }]);
  expect(reports[1]).toEqual(users.map((user, i) => ({ key: `ws-calls:${user}`, count: i === 0 ? 2 : 3 })));
});

test("userRate: a user past their cluster bucket's burst (calls on other nodes) is refused here until it is within it again", async () => {
  reports = [];
  const rates = new UserRates(cache(), testLogger(), 10);
  const busy = uniqueName('busy');
  const calm = uniqueName('calm');
  // Another node spent 30 of this user's tokens: 2 s past the burst of 10.
  await redis.spendTokens({ perSecond: 10, burst: 10 }, [{ key: `ws-calls:${busy}`, count: 30 }]);
  expect(rates.take(busy)).toBe(0);
  expect(rates.take(calm)).toBe(0);
  await settle();
  const wait = rates.take(busy);
  expect(wait).toBeGreaterThan(1000);
  expect(rates.take(calm)).toBe(0);
});
