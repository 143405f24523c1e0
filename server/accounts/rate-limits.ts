// Attempt limits on the doors attackers knock on: login, registration, password reset and 2FA.
// Counted in the cache (Redis in a cluster) in fixed windows per client IP and per account
// identifier. An attempt is counted (atomically, INCR) before it is tried, so parallel attempts
// cannot slip past a limit between a check and a count.
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
  /** Sign-ins from clients without a valid device cookie for the account (see login-limits.ts). */
  loginPerAccount: { name: 'failed login attempts for this account', max: 10, windowMs: 15 * MINUTE },
  /** Sign-ins from one trusted device (its device cookie). */
  loginPerDevice: { name: 'failed login attempts from this device', max: 10, windowMs: 15 * MINUTE },
  reauthPerAccount: { name: 'password confirmations for this account', max: 5, windowMs: 15 * MINUTE },
  registerPerIp: { name: 'registrations from this address', max: 10, windowMs: 60 * MINUTE },
  forgotPerIp: { name: 'password reset requests from this address', max: 10, windowMs: 15 * MINUTE },
  forgotPerAccount: { name: 'password reset requests for this account', max: 3, windowMs: 60 * MINUTE },
  resendPerAccount: { name: 'verification mails for this account', max: 3, windowMs: 60 * MINUTE },
  twoFactorPerAccount: { name: 'two-factor attempts for this account', max: 5, windowMs: 5 * MINUTE },
} satisfies Record<string, Limit>;

/** How long an account stays locked after loginPerAccount failures. */
export const LOCKOUT_MS = 15 * MINUTE;

/** A typed identifier (an address, a username) as a counter subject: the same mailbox counts once. */
export const limitSubject = (typed: string) => typed.trim().normalize('NFKC').toLowerCase();

const key = (limit: Limit, subject: string) => `rate:${limit.name.replaceAll(' ', '-')}:${subject}`;

export class RateLimiter {
  readonly #cache: Cache;
  constructor(cache: Cache) {
    this.#cache = cache;
  }

  /** Counts one attempt; throws RateLimitedError (with Retry-After) once the window's max is passed. */
  async hit(limit: Limit, subject: string): Promise<number> {
    const { refusal, after } = await this.hitMany(limit, subject, 1);
    if (refusal !== undefined) throw refusal;
    return after;
  }

  /**
   * Counts `count` attempts in one step (a batch of sends); the first `allowed` of them are within
   * the limit, and the rest are refused with `refusal` (whose Retry-After says when the window
   * ends). `after` is the window's count with them.
   */
  async hitMany(limit: Limit, subject: string, count: number): Promise<{ allowed: number; refusal?: RateLimitedError; after: number }> {
    const k = key(limit, subject);
    const after = await this.#cache.incr(k, { ttlMs: limit.windowMs, by: count });
    const allowed = Math.max(0, Math.min(count, limit.max - (after - count)));
    if (allowed === count) return { allowed, after };
    return { allowed, refusal: new RateLimitedError(limit.name, await this.#retryAfter(k, limit)), after };
  }

  async reset(limit: Limit, subject: string): Promise<void> {
    await this.#cache.del(key(limit, subject));
  }

  async #retryAfter(k: string, limit: Limit): Promise<number> {
    const ttl = (await this.#cache.ttlMs(k)) ?? limit.windowMs;
    return Math.max(1, Math.ceil(ttl / 1000));
  }
}
