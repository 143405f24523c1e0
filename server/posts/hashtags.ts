// Trending hashtags per region: counts of public posts that lose half their weight every 6 hours,
// in cache sorted sets (Redis in a cluster, memory when embedded). A post at time t adds
// 2^((t - dayStart) / halfLife) to its tags in the set of its day, so scores in one set only grow
// and never need rewriting; reading multiplies today's set by 2^(-(now - dayStart) / halfLife) and
// adds yesterday's the same way. Each post counts in its locale (es-MX), its language (es) and
// everywhere (`all`), which is what a region with nothing trending yet falls back to.
import type { Cache } from '../platform/cache/index.ts';

export const HALF_LIFE_MS = 6 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Every public post's tags also count here: trends worldwide. */
export const EVERYWHERE = 'all';

export function regionsOf(locale: string): string[] {
  const language = locale.split('-')[0] ?? locale;
  return language === locale ? [language, EVERYWHERE] : [locale, language, EVERYWHERE];
}

export class Trends {
  readonly #cache: Cache;

  constructor(cache: Cache) {
    this.#cache = cache;
  }

  async count(locale: string, tags: readonly string[], at: number): Promise<void> {
    await this.#add(locale, tags, at, 1);
  }

  /** Takes back what `count` added for a post made at `at` (it was deleted or made non-public). */
  async uncount(locale: string, tags: readonly string[], at: number): Promise<void> {
    // Sets older than yesterday are no longer read; they expire by themselves.
    if (Math.floor(at / DAY_MS) < Math.floor(Date.now() / DAY_MS) - 1) return;
    await this.#add(locale, tags, at, -1);
  }

  async #add(locale: string, tags: readonly string[], at: number, sign: 1 | -1) {
    const day = Math.floor(at / DAY_MS);
    const weight = sign * 2 ** ((at - day * DAY_MS) / HALF_LIFE_MS);
    await Promise.all(regionsOf(locale).map((region) => this.#cache.zincr(`trend:${region}:${day}`, tags, weight, { ttlMs: 2 * DAY_MS })));
  }

  async top(region: string, limit: number, now = Date.now()): Promise<{ tag: string; score: number }[]> {
    const today = Math.floor(now / DAY_MS);
    const merged = new Map<string, number>();
    for (const day of [today, today - 1]) {
      const factor = 2 ** (-(now - day * DAY_MS) / HALF_LIFE_MS);
      for (const { member, score } of await this.#cache.ztop(`trend:${region}:${day}`, limit * 4))
        merged.set(member, (merged.get(member) ?? 0) + score * factor);
    }
    return (
      [...merged]
        .map(([tag, score]) => ({ tag, score: Math.round(score * 100) / 100 }))
        // Rounding after an uncount can leave a hair above zero: what is gone stays gone.
        .filter((entry) => entry.score > 0.005)
        .sort((a, b) => b.score - a.score || (a.tag < b.tag ? -1 : 1))
        .slice(0, limit)
    );
  }
}
