// How password sign-in is limited. Each attempt is reserved (counted, atomically) before its
// password is checked, so N parallel guesses never get more than the limit of checks; a correct
// password clears the count.
//
// Two kinds of client (OWASP device cookies, see device-cookies.ts):
// - untrusted (no valid device cookie for this account): counted per account, or per login text
//   when no account has it, so the answer is the same for accounts that exist and those that do
//   not. The failure that reaches the limit locks the account for untrusted clients
//   (users.locked_until) and mails its owner;
// - trusted (a valid device cookie naming this account): counted per device cookie only, and
//   not subject to the account lock. A forged cookie, or one naming another user, is untrusted.
import { eq } from 'drizzle-orm';
import { RateLimitedError } from '../errors.ts';
import { type AccountsDeps, appLink } from './context.ts';
import type { TrustedDevice } from './device-cookies.ts';
import { LIMITS, type Limit, LOCKOUT_MS, limitSubject } from './rate-limits.ts';
import { users } from './schema.ts';
import type { UserRow } from './users.ts';

export interface LoginAttempt {
  trusted: boolean;
  limit: Limit;
  subject: string;
  /** This attempt's number in the window. */
  number: number;
}

const accountSubject = (user: UserRow) => `user:${user.id}`;

/** Counts the attempt before anything is checked; throws RateLimitedError when it is over a limit or the account is locked. */
export async function reserveLoginAttempt(
  deps: AccountsDeps,
  loginText: string,
  user: UserRow | undefined,
  device: TrustedDevice | undefined,
): Promise<LoginAttempt> {
  const trusted = device !== undefined && user !== undefined && device.userId === user.id;
  const limit = trusted ? LIMITS.loginPerDevice : LIMITS.loginPerAccount;
  const subject = trusted ? `device:${device.nonce}` : user === undefined ? `login:${limitSubject(loginText)}` : accountSubject(user);
  const number = await deps.limiter.hit(limit, subject);
  if (!trusted && user?.lockedUntil != null && user.lockedUntil > new Date()) {
    throw new RateLimitedError(LIMITS.loginPerAccount.name, Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000));
  }
  return { trusted, limit, subject, number };
}

/** After a wrong password: the untrusted attempt that reaches the limit locks the account and tells its owner. */
export async function lockIfLimitReached(deps: AccountsDeps, attempt: LoginAttempt, user: UserRow | undefined): Promise<void> {
  if (attempt.trusted || user === undefined || attempt.number !== LIMITS.loginPerAccount.max) return;
  const lockedUntil = new Date(Date.now() + LOCKOUT_MS);
  await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ lockedUntil }).where(eq(users.id, user.id));
    await deps.outbox.enqueue(
      {
        to: user.email,
        template: 'account_locked',
        language: user.language,
        params: { username: user.username, minutes: String(LOCKOUT_MS / 60_000), link: appLink(deps, '/forgot-password') },
      },
      tx,
    );
  });
  deps.log.warn({ user: user.id }, `accounts.login() | account locked after ${attempt.number} failures [user:${user.id}]`);
}

/** After a correct password: this client's count starts again. */
export async function releaseLoginAttempt(deps: AccountsDeps, attempt: LoginAttempt): Promise<void> {
  await deps.limiter.reset(attempt.limit, attempt.subject);
}

/** After a password reset: the untrusted clients' count of the account starts again. */
export async function clearLoginFailures(deps: AccountsDeps, user: UserRow): Promise<void> {
  await deps.limiter.reset(LIMITS.loginPerAccount, accountSubject(user));
}
