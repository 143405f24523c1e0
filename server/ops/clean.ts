// What a cluster leaves behind in NATS and Redis, and its removal (`npm run cluster:clean`).
// Everything a cluster keeps is named after its namespace (CLUSTER_NAME):
// - JetStream: the topic log stream `<ns>_TOPICS` (platform/topics/jetstream.ts), the media job
//   work queue `<ns>_MEDIA_JOBS` with its consumer (media/queue.ts), and the actor leases, KV
//   buckets `<ns>_actors` and `<ns>_nodes`, stored as streams `KV_<ns>_actors` and
//   `KV_<ns>_nodes` (actors/leases.ts);
// - Redis: every key starts with `<ns>:` (platform/cache/redis.ts sets it as the key prefix).
// Core NATS subjects (`<ns>.actors.*`, `<ns>.topic.*`, `<ns>.gateway.*`…) keep nothing. Names are
// matched exactly, never by prefix, so cleaning `pet` leaves `petamigos` alone.

import type { Redis } from 'ioredis';
import type { JetStreamManager, NatsConnection } from 'nats';

export interface Leftovers {
  streams: string[];
  redisKeys: number;
}

/** The JetStream streams namespace `ns` creates, by exact name. */
export const clusterStreams = (ns: string) => {
  const safe = ns.replace(/[^A-Za-z0-9_-]/g, '_');
  return [`${safe}_TOPICS`, `${safe}_MEDIA_JOBS`, `KV_${safe}_actors`, `KV_${safe}_nodes`];
};

/** Redis keys of `ns`: the glob's special characters in the name are escaped. */
const keyPattern = (ns: string) => `${ns.replace(/[*?[\]\\]/g, '\\$&')}:*`;

async function existingStreams(jsm: JetStreamManager, ns: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of clusterStreams(ns)) {
    try {
      await jsm.streams.info(name);
      found.push(name);
    } catch (error) {
      if (!/not found/i.test((error as Error).message)) throw error;
    }
  }
  return found;
}

async function* redisKeys(redis: Redis, ns: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', keyPattern(ns), 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/** What `ns` has in NATS (when connected) and Redis (when connected); nothing is changed. */
export async function findLeftovers(ns: string, nc: NatsConnection | undefined, redis: Redis | undefined): Promise<Leftovers> {
  const streams = nc === undefined ? [] : await existingStreams(await nc.jetstreamManager(), ns);
  let count = 0;
  if (redis !== undefined) for await (const keys of redisKeys(redis, ns)) count += keys.length;
  return { streams, redisKeys: count };
}

/** Deletes what findLeftovers lists; returns what was there. */
export async function removeLeftovers(ns: string, nc: NatsConnection | undefined, redis: Redis | undefined): Promise<Leftovers> {
  const removed: Leftovers = { streams: [], redisKeys: 0 };
  if (nc !== undefined) {
    const jsm = await nc.jetstreamManager();
    for (const name of await existingStreams(jsm, ns)) {
      await jsm.streams.delete(name);
      removed.streams.push(name);
    }
  }
  if (redis !== undefined)
    for await (const keys of redisKeys(redis, ns)) {
      await redis.unlink(...keys);
      removed.redisKeys += keys.length;
    }
  return removed;
}
