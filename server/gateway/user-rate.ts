// Calls per user over all their sockets and nodes (WS_USER_CALLS_PER_SECOND), without a round trip
// on the call path. Each node keeps a token bucket per user with sockets here and decides at once:
// on one node the limit is exact. The calls it admits are reported to the cluster-wide buckets in
// the cache in the background, every user's in one round trip: at once after a quiet spell (or
// when some user has half a burst waiting), otherwise at most once every REPORT_EVERY_MS per node,
// batching what came meanwhile. When a user's cluster bucket is past its burst, because their
// sockets on other nodes called too, the report answers how long until it is not, and this node
// refuses the user's calls until then. Across k nodes a user may therefore pass the limit by about
// (k − 1) half-bursts, plus what one report interval admits, before every node knows. A cache
// outage leaves each node's own buckets in force.
import type { Cache } from '../platform/cache/index.ts';
import type { Logger } from '../platform/log.ts';
import { TokenBucket } from './limits.ts';

/** Reports from a node are at most this often, unless some user has half a burst waiting. */
const REPORT_EVERY_MS = 20;

interface UserState {
  readonly key: string;
  bucket: TokenBucket;
  /** Admitted here and not yet reported. */
  unreported: number;
  /** performance.now() before which the cluster-wide bucket says no. */
  limitedUntil: number;
}

export class UserRates {
  readonly #users = new Map<string, UserState>();
  /** Users with calls not yet reported, in the order their first one came. */
  readonly #waiting = new Set<UserState>();
  /** Users whose last socket here closed while a report was under way: dropped once it is done. */
  readonly #forgotten = new Set<string>();
  readonly #cache: Cache;
  readonly #log: Logger;
  readonly #perSecond: number;
  /** A report is on its way, or scheduled. */
  #reporting = false;
  /** performance.now() of the last report sent. */
  #reportedAt = Number.NEGATIVE_INFINITY;

  constructor(cache: Cache, log: Logger, perSecond: number) {
    this.#cache = cache;
    this.#log = log;
    this.#perSecond = perSecond;
  }

  /** Takes one call of `userId`: 0 when admitted, else the milliseconds to wait. */
  take(userId: string): number {
    let user = this.#users.get(userId);
    if (user === undefined) {
      user = {
        key: `ws-calls:${userId}`,
        bucket: new TokenBucket(this.#perSecond, this.#perSecond),
        unreported: 0,
        limitedUntil: 0,
      };
      this.#users.set(userId, user);
    }
    if (this.#forgotten.size > 0) this.#forgotten.delete(userId);
    // performance.now(), not Date.now(): a clock read on every call, and Date.now() costs several
    // times more on some hosts (bench/gateway-steps.ts).
    const clusterWait = user.limitedUntil - performance.now();
    if (clusterWait > 0) return Math.ceil(clusterWait);
    const wait = user.bucket.take();
    if (wait > 0) return wait;
    if (user.unreported++ === 0) this.#waiting.add(user);
    if (!this.#reporting) void this.#report();
    return 0;
  }

  /** The user has no socket on this node any more. */
  forget(userId: string): void {
    const user = this.#users.get(userId);
    if (user === undefined) return;
    if (this.#reporting) this.#forgotten.add(userId);
    else this.#users.delete(userId);
  }

  async #report(): Promise<void> {
    this.#reporting = true;
    try {
      while (this.#waiting.size > 0) {
        const due = this.#reportedAt + REPORT_EVERY_MS - performance.now();
        if (due > 0 && !this.#halfABurstWaiting()) await Bun.sleep(due);
        const users = [...this.#waiting];
        this.#waiting.clear();
        const spends = users.map((user) => ({ key: user.key, count: user.unreported }));
        for (const user of users) user.unreported = 0;
        this.#reportedAt = performance.now();
        try {
          const waits = await this.#cache.spendTokens({ perSecond: this.#perSecond, burst: this.#perSecond }, spends);
          const now = performance.now();
          for (const [i, user] of users.entries()) {
            const wait = waits[i] ?? 0;
            if (wait > 0) user.limitedUntil = now + wait;
          }
        } catch (error) {
          this.#log.warn(
            { err: error, users: users.length },
            `gateway.userRate() | not reported; this node's limits stay in force [users:${users.length}]`,
          );
        }
      }
    } finally {
      this.#reporting = false;
      for (const userId of this.#forgotten) this.#users.delete(userId);
      this.#forgotten.clear();
    }
  }

  #halfABurstWaiting(): boolean {
    for (const user of this.#waiting) if (user.unreported >= this.#perSecond / 2) return true;
    return false;
  }
}
