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

// GCRA: the key holds the theoretical arrival time (ms) of the next token; the bucket is within its
// burst while that time is less than `burst` intervals ahead of now. Told of `count` tokens already
// spent, the arrival time moves on regardless, and the answer is how far it is past the burst.
const SPEND_TOKENS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval = tonumber(ARGV[1])
local window = interval * tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
tat = tat + interval * tonumber(ARGV[3])
redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil(tat - now + interval))
local wait = tat - window - now
if wait > 0 then return math.ceil(wait) end
return 0`;

export async function connectRedisCache(options: { url: string; namespace: string; log: Logger }): Promise<Cache> {
  const location = redactUrl(options.url);
  const redis = new Redis(options.url, {
    keyPrefix: `${options.namespace}:`,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
  });
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
    incr: async (key, incrOptions) =>
      Number(await redis.eval(INCR_WITH_TTL, 1, key, String(incrOptions?.ttlMs ?? 0), String(incrOptions?.by ?? 1))),
    spendTokens: async (key, bucket, count) =>
      Number(await redis.eval(SPEND_TOKENS, 1, key, String(1000 / bucket.perSecond), String(bucket.burst), String(count))),
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
