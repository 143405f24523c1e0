// The cache in process memory for embedded mode: the same contract as Redis, expiry included.
import type { Cache } from './index.ts';

interface Entry {
  value: string;
  expiresAt: number | null;
}

const SWEEP_INTERVAL_MS = 30_000;

export function createMemoryCache(): Cache {
  const entries = new Map<string, Entry>();
  const sorted = new Map<string, { scores: Map<string, number>; expiresAt: number }>();
  const liveSet = (key: string) => {
    const set = sorted.get(key);
    if (set !== undefined && set.expiresAt <= Date.now()) {
      sorted.delete(key);
      return undefined;
    }
    return set;
  };
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt != null && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    for (const key of entries.keys()) live(key);
    for (const key of sorted.keys()) liveSet(key);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  return {
    kind: 'memory',
    location: 'in-process',
    get: async (key) => live(key)?.value ?? null,
    set: async (key, value, options) => {
      entries.set(key, { value, expiresAt: options?.ttlMs === undefined ? null : Date.now() + options.ttlMs });
    },
    take: async (key) => {
      const value = live(key)?.value ?? null;
      entries.delete(key);
      return value;
    },
    del: async (key) => {
      entries.delete(key);
    },
    incr: async (key, options) => {
      const by = options?.by ?? 1;
      const entry = live(key);
      if (entry === undefined) {
        entries.set(key, { value: String(by), expiresAt: options?.ttlMs === undefined ? null : Date.now() + options.ttlMs });
        return by;
      }
      const next = Number(entry.value) + by;
      if (!Number.isSafeInteger(next)) throw new TypeError(`cache value at ${key} is not an integer`);
      entry.value = String(next);
      return next;
    },
    spendTokens: async (bucket, spends) => {
      const now = Date.now();
      const interval = 1000 / bucket.perSecond;
      const window = interval * bucket.burst;
      return spends.map(({ key, count }) => {
        const tat = Math.max(Number(live(key)?.value ?? now), now) + interval * count;
        entries.set(key, { value: String(tat), expiresAt: now + Math.ceil(tat - now + interval) });
        return Math.max(0, Math.ceil(tat - window - now));
      });
    },
    ttlMs: async (key) => {
      const entry = live(key);
      return entry?.expiresAt == null ? null : Math.max(0, entry.expiresAt - Date.now());
    },
    zincr: async (key, members, by, options) => {
      const set = liveSet(key) ?? { scores: new Map<string, number>(), expiresAt: 0 };
      for (const member of members) set.scores.set(member, (set.scores.get(member) ?? 0) + by);
      set.expiresAt = Date.now() + options.ttlMs;
      sorted.set(key, set);
    },
    ztop: async (key, limit) =>
      [...(liveSet(key)?.scores ?? new Map<string, number>())]
        .map(([member, score]) => ({ member, score }))
        .sort((a, b) => b.score - a.score || (a.member < b.member ? -1 : 1))
        .slice(0, limit),
    ping: async () => undefined,
    close: async () => {
      clearInterval(sweep);
      entries.clear();
      sorted.clear();
    },
  };
}
