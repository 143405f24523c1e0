// Calls per user over all their sockets and nodes (WS_USER_CALLS_PER_SECOND), without a round trip
// on the call path. Each node keeps a token bucket per user with sockets here and decides at once:
// on one node the limit is exact. The calls it admits are reported to the cluster-wide bucket in the
// cache in the background: at once after a quiet spell (or when half a burst is waiting), otherwise
// at most once every REPORT_EVERY_MS, batching what came meanwhile. When the cluster's bucket is
// past its burst, because the user's sockets on other nodes called too, the report answers how long
// until it is not, and this node refuses the user's calls until then. Across k nodes a user may
// therefore pass the limit by about (k − 1) half-bursts, plus what one report interval admits,
// before every node knows. A cache outage leaves each node's own bucket in force.
import type { Cache } from '../platform/cache/index.ts';
import type { Logger } from '../platform/log.ts';
import { TokenBucket } from './limits.ts';

/** Reports per user and node are at most this often, unless half a burst is waiting. */
const REPORT_EVERY_MS = 20;

interface UserState {
  bucket: TokenBucket;
  /** Admitted here and not yet reported. */
  unreported: number;
  /** A report is on its way, or scheduled. */
  reporting: boolean;
  /** Date.now() of the last report sent. */
  reportedAt: number;
  /** Date.now() before which the cluster-wide bucket says no. */
  limitedUntil: number;
  /** The user's last socket here closed while a report was on its way: dropped once it is done. */
  forgotten: boolean;
}

export class UserRates {
  readonly #users = new Map<string, UserState>();
  readonly #cache: Cache;
  readonly #log: Logger;
  readonly #perSecond: number;

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
        bucket: new TokenBucket(this.#perSecond, this.#perSecond),
        unreported: 0,
        reporting: false,
        reportedAt: 0,
        limitedUntil: 0,
        forgotten: false,
      };
      this.#users.set(userId, user);
    }
    user.forgotten = false;
    const clusterWait = user.limitedUntil - Date.now();
    if (clusterWait > 0) return clusterWait;
    const wait = user.bucket.take();
    if (wait > 0) return wait;
    user.unreported++;
    if (!user.reporting) void this.#report(userId, user);
    return 0;
  }

  /** The user has no socket on this node any more. */
  forget(userId: string): void {
    const user = this.#users.get(userId);
    if (user === undefined) return;
    if (user.reporting) user.forgotten = true;
    else this.#users.delete(userId);
  }

  async #report(userId: string, user: UserState): Promise<void> {
    user.reporting = true;
    try {
      while (user.unreported > 0) {
        const due = user.reportedAt + REPORT_EVERY_MS - Date.now();
        if (due > 0 && user.unreported < this.#perSecond / 2) await Bun.sleep(due);
        const count = user.unreported;
        user.unreported = 0;
        user.reportedAt = Date.now();
        const wait = await this.#cache.spendTokens(`ws-calls:${userId}`, { perSecond: this.#perSecond, burst: this.#perSecond }, count);
        if (wait > 0) user.limitedUntil = Date.now() + wait;
      }
    } catch (error) {
      this.#log.warn({ err: error, user: userId }, `gateway.userRate() | not reported; this node's limit stays in force [user:${userId}]`);
    } finally {
      user.reporting = false;
      if (user.forgotten && this.#users.get(userId) === user) this.#users.delete(userId);
    }
  }
}
