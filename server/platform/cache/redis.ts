// The cache on Redis. INCR and the first-use expiry run as one script so that a window can
// never be left without a TTL by a crash between the two commands.
import { Redis } from 'ioredis';
import { DependencyError } from '../../errors.ts';
import { redactUrl } from '../env.ts';
import type { Logger } from '../log.ts';
import type { Cache } from './index.ts';

const INCR_WITH_TTL = `
local value = redis.call('INCRBY', KEYS[1], ARGV[2])
if value == tonumber(ARGV[2]) and tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return value`;

// GCRA: each key holds the theoretical arrival time (ms) of its bucket's next token; a bucket is
// within its burst while that time is less than `burst` intervals ahead of now. Told of tokens
// already spent (ARGV[3], ARGV[4], … for KEYS[1], KEYS[2], …), the arrival time moves on
// regardless, and the answer, per key, is how far it is past the burst.
const SPEND_TOKENS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval = tonumber(ARGV[1])
local window = interval * tonumber(ARGV[2])
local waits = {}
for i, key in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  tat = tat + interval * tonumber(ARGV[i + 2])
  redis.call('SET', key, tostring(tat), 'PX', math.ceil(tat - now + interval))
  local wait = tat - window - now
  if wait > 0 then waits[i] = math.ceil(wait) else waits[i] = 0 end
end
return waits`;

export async function connectRedisCache(options: { url: string; namespace: string; log: Logger }): Promise<Cache> {
  const location = redactUrl(options.url);
  const redis = new Redis(options.url, {
    keyPrefix: `${options.namespace}:`,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
    // Commands issued in one turn of the event loop go out in one write (rate limits of many
    // sends at once, say), in the order they were issued.
    enableAutoPipelining: true,
  });
  // The scripts by their SHA (EVALSHA; the body is sent only when Redis does not know it yet).
  const scripts = redis as Redis & {
    incrWithTtl(key: string, ttlMs: string, by: string): Promise<number>;
    spendTokens(keyCount: number, ...args: string[]): Promise<number[]>;
  };
  redis.defineCommand('incrWithTtl', { numberOfKeys: 1, lua: INCR_WITH_TTL });
  redis.defineCommand('spendTokens', { lua: SPEND_TOKENS });
  let reported = false;
  redis.on('error', (error: Error) => {
    // ioredis reconnects by itself; say so once per outage rather than at every retry.
    if (!reported) options.log.warn({ err: error }, `cache.redis() | connection error [redis:${location}]`);
    reported = true;
  });
  redis.on('ready', () => {
    reported = false;
  });
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    throw new DependencyError('cache', `cannot reach Redis at ${location}: ${(cause as Error).message}`, { cause });
  }

  return {
    kind: 'redis',
    location,
    get: (key) => redis.get(key),
    set: async (key, value, setOptions) => {
      if (setOptions?.ttlMs === undefined) await redis.set(key, value);
      else await redis.set(key, value, 'PX', setOptions.ttlMs);
    },
    take: (key) => redis.getdel(key),
    del: async (key) => {
      await redis.del(key);
    },
    incr: async (key, incrOptions) => Number(await scripts.incrWithTtl(key, String(incrOptions?.ttlMs ?? 0), String(incrOptions?.by ?? 1))),
    spendTokens: async (bucket, spends) => {
      if (spends.length === 0) return [];
      const keys = spends.map((spend) => spend.key);
      const counts = spends.map((spend) => String(spend.count));
      const waits = await scripts.spendTokens(keys.length, ...keys, String(1000 / bucket.perSecond), String(bucket.burst), ...counts);
      return waits.map(Number);
    },
    ttlMs: async (key) => {
      const ttl = await redis.pttl(key);
      return ttl < 0 ? null : ttl;
    },
    zincr: async (key, members, by, zOptions) => {
      const pipeline = redis.multi();
      for (const member of members) pipeline.zincrby(key, by, member);
      pipeline.pexpire(key, zOptions.ttlMs);
      await pipeline.exec();
    },
    ztop: async (key, limit) => {
      const flat = await redis.zrevrange(key, 0, limit - 1, 'WITHSCORES');
      const top: { member: string; score: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) top.push({ member: flat[i] as string, score: Number(flat[i + 1]) });
      return top;
    },
    ping: async () => {
      await redis.ping();
    },
    close: async () => {
      await redis.quit().catch((error: unknown) => {
        options.log.warn({ err: error }, 'cache.close() | quit failed, disconnecting');
        redis.disconnect();
      });
    },
  };
}
