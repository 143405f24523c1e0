// Fast shared counters and short-lived values (rate limits, trending counts, one-time tokens):
// Redis when REDIS_URL is set, process memory otherwise. Keys are namespaced by CLUSTER_NAME.
import type { Logger } from '../log.ts';
import { createMemoryCache } from './memory.ts';
import { connectRedisCache } from './redis.ts';

export interface Cache {
  readonly kind: 'redis' | 'memory';
  readonly location: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  del(key: string): Promise<void>;
  /** Gets and deletes in one step: of several concurrent takers, one gets the value. */
  take(key: string): Promise<string | null>;
  /** Adds one (or `by`) and returns the new value; a key created by this call expires after `ttlMs`. */
  incr(key: string, options?: { ttlMs?: number; by?: number }): Promise<number>;
  /**
   * Token buckets (GCRA), one per key, each `perSecond` tokens a second and at most `burst` saved
   * up, told of `count` tokens already spent at each key (never refused: the spending happened),
   * all in one round trip. Returns, per spend in order, 0 while its bucket is within its burst,
   * else the milliseconds until it is again. All nodes share one bucket per key; Redis uses its
   * own clock, so node clocks do not matter.
   */
  spendTokens(bucket: { perSecond: number; burst: number }, spends: readonly { key: string; count: number }[]): Promise<number[]>;
  /** Milliseconds until the key expires; null when it is missing or never expires. */
  ttlMs(key: string): Promise<number | null>;
  /** Sorted sets (trending): adds `by` to each member's score; the set expires `ttlMs` after its last change. */
  zincr(key: string, members: readonly string[], by: number, options: { ttlMs: number }): Promise<void>;
  /** The `limit` highest-scored members, highest first. */
  ztop(key: string, limit: number): Promise<{ member: string; score: number }[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openCache(options: { redisUrl: string | undefined; namespace: string; log: Logger }): Promise<Cache> {
  if (options.redisUrl === undefined) return createMemoryCache();
  return connectRedisCache({ url: options.redisUrl, namespace: options.namespace, log: options.log });
}
