// CHAT_MESSAGES_PER_MINUTE, counted in the cache (one fixed window per user, shared by every node)
// without a round trip on a send's path while the sender is far from the limit. The node keeps, per
// sender, the count the cache last answered and what it has counted since; while that total plus
// the new sends stays under three quarters of the limit (and the answer is recent), the sends pass
// at once and are counted in the background. Nearer the limit, or with nothing known, the send
// waits for the cache's answer, so the limit itself is exact on one node. Across nodes a sender
// can pass it only by what they send elsewhere within one cache round trip of a background count.
import type { RateLimiter } from '../accounts/rate-limits.ts';
import type { RateLimitedError } from '../errors.ts';
import type { Logger } from '../platform/log.ts';

/** A count answered longer ago than this is not trusted for the fast path. */
const FRESH_MS = 5_000;
const KNOWN_SENDERS = 10_000;

interface Known {
  /** The cache's count after our last answered step. */
  count: number;
  answeredAt: number;
  /** Counted since, not yet answered. */
  pending: number;
}

export class SendLimit {
  readonly #limiter: RateLimiter;
  readonly #log: Logger;
  readonly #perMinute: number;
  readonly #known = new Map<string, Known>();
  /** Background counts not yet sent to the cache, by sender. */
  readonly #queued = new Map<string, number>();

  constructor(limiter: RateLimiter, perMinute: number, log: Logger) {
    this.#limiter = limiter;
    this.#perMinute = perMinute;
    this.#log = log;
  }

  get #limit() {
    return { name: 'messages sent', max: this.#perMinute, windowMs: 60_000 };
  }

  /** Counts `count` sends of `userId`; the first `allowed` are within the limit, the rest refused with `refusal`. */
  async count(userId: string, count: number): Promise<{ allowed: number; refusal?: RateLimitedError }> {
    const known = this.#known.get(userId);
    const fresh = known !== undefined && Date.now() - known.answeredAt < FRESH_MS;
    if (fresh && known.count + known.pending + count <= (this.#perMinute * 3) / 4) {
      known.pending += count;
      if (this.#queued.size === 0) setImmediate(() => this.#countQueued());
      this.#queued.set(userId, (this.#queued.get(userId) ?? 0) + count);
      return { allowed: count };
    }
    // The sender's sends still queued for the background go first, in the same step: the cache
    // must hold them before it decides on these.
    const queued = this.#queued.get(userId) ?? 0;
    this.#queued.delete(userId);
    return this.#step(userId, queued, count);
  }

  /** Counts in the background what passed: a sender's sends of one turn (to many rooms, say) in one step. */
  #countQueued(): void {
    const queued = [...this.#queued];
    this.#queued.clear();
    for (const [userId, count] of queued)
      this.#step(userId, count, 0).catch((error: unknown) =>
        this.#log.warn({ err: error, user: userId }, `chats.sendLimit() | background count failed [user:${userId}]`),
      );
  }

  /**
   * One counting step in the cache: `passed` sends that already went through (their count is
   * pending) and `count` new ones, which get the places left after them.
   */
  async #step(userId: string, passed: number, count: number): Promise<{ allowed: number; refusal?: RateLimitedError }> {
    let answer: { allowed: number; refusal?: RateLimitedError; after: number };
    try {
      answer = await this.#limiter.hitMany(this.#limit, userId, passed + count);
    } finally {
      const known = this.#known.get(userId);
      if (passed > 0 && known !== undefined) known.pending = Math.max(0, known.pending - passed);
    }
    const known = this.#known.get(userId) ?? { count: 0, answeredAt: 0, pending: 0 };
    // Answers may arrive out of order: the highest count is the latest.
    known.count = Math.max(Date.now() - known.answeredAt >= FRESH_MS ? 0 : known.count, answer.after);
    known.answeredAt = Date.now();
    this.#known.delete(userId);
    this.#known.set(userId, known);
    if (this.#known.size > KNOWN_SENDERS) this.#known.delete(this.#known.keys().next().value as string);
    const allowed = Math.max(0, answer.allowed - passed);
    return answer.refusal === undefined ? { allowed } : { allowed, refusal: answer.refusal };
  }
}
