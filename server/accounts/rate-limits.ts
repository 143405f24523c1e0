// Attempt limits on the doors attackers knock on: login, registration, password reset and 2FA.
// Counted in the cache (Redis in a cluster) in fixed windows per client IP and per account
// identifier; the identifier is the login text as typed (normalized), so a limit answers the same
// for accounts that exist and accounts that do not.
import { RateLimitedError } from '../errors.ts';
import type { Cache } from '../platform/cache/index.ts';

export interface Limit {
  /** Part of the cache key and of the error message. */
  name: string;
  max: number;
  windowMs: number;
}

const MINUTE = 60_000;

export const LIMITS = {
  loginPerIp: { name: 'login attempts from this address', max: 50, windowMs: 15 * MINUTE },
  loginPerAccount: { name: 'failed login attempts for this account', max: 10, windowMs: 15 * MINUTE },
  registerPerIp: { name: 'registrations from this address', max: 10, windowMs: 60 * MINUTE },
  forgotPerIp: { name: 'password reset requests from this address', max: 10, windowMs: 15 * MINUTE },
  forgotPerAccount: { name: 'password reset requests for this account', max: 3, windowMs: 60 * MINUTE },
  resendPerAccount: { name: 'verification mails for this account', max: 3, windowMs: 60 * MINUTE },
  twoFactorPerAccount: { name: 'two-factor attempts for this account', max: 5, windowMs: 5 * MINUTE },
} satisfies Record<string, Limit>;

/** How long an account stays locked after loginPerAccount failures. */
export const LOCKOUT_MS = 15 * MINUTE;

const key = (limit: Limit, subject: string) => `rate:${limit.name.replaceAll(' ', '-')}:${subject}`;

export class RateLimiter {
  readonly #cache: Cache;
  constructor(cache: Cache) {
    this.#cache = cache;
  }

  /** Counts one attempt; throws RateLimitedError (with Retry-After) once the window's max is passed. */
  async hit(limit: Limit, subject: string): Promise<number> {
    const k = key(limit, subject);
    const count = await this.#cache.incr(k, { ttlMs: limit.windowMs });
    if (count > limit.max) throw new RateLimitedError(limit.name, await this.#retryAfter(k, limit));
    return count;
  }

  /** Throws RateLimitedError when `subject` has already used up the window, without counting. */
  async check(limit: Limit, subject: string): Promise<void> {
    const k = key(limit, subject);
    const count = Number((await this.#cache.get(k)) ?? 0);
    if (count >= limit.max) throw new RateLimitedError(limit.name, await this.#retryAfter(k, limit));
  }

  async reset(limit: Limit, subject: string): Promise<void> {
    await this.#cache.del(key(limit, subject));
  }

  async #retryAfter(k: string, limit: Limit): Promise<number> {
    const ttl = (await this.#cache.ttlMs(k)) ?? limit.windowMs;
    return Math.max(1, Math.ceil(ttl / 1000));
  }
}
