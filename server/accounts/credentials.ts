// Proving again who one is while signed in (re-authentication), and the one way a password is
// set. Every sensitive change (a password set or changed, two-factor turned on or off, every
// other session ended, a provider linked) re-authenticates in the same request: the current
// password, and the second factor when it is on. An account without a password (made through a
// provider) proves itself with a fresh sign-in at its provider on this session within the last
// five minutes (markProviderSignIn), plus the second factor when it is on. Setting a password ends every reset link mailed before (so an old link cannot set it
// again) and tells the owner by mail; the caller decides which sessions end.
import { eq } from 'drizzle-orm';
import { ReauthenticationRequiredError, UnauthenticatedError } from '../errors.ts';
import { type AccountsDeps, appLink } from './context.ts';
import { endResetLinks } from './email-tokens.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { LIMITS } from './rate-limits.ts';
import { oauthIdentities, users } from './schema.ts';
import { checkSecondFactor } from './two-factor.ts';
import type { UserRow } from './users.ts';

type Executor = Parameters<Parameters<AccountsDeps['db']['transaction']>[0]>[0];

export interface Reauthentication {
  /** Required when the account has a password. */
  password?: string | undefined;
  /** Required when two-factor is on: an authenticator code or a recovery code. */
  code?: string | undefined;
}

/** How long a provider sign-in counts as a re-authentication of its session. */
const PROVIDER_REAUTH_WINDOW_MS = 5 * 60_000;
const providerSignInKey = (sessionId: string) => `reauth-provider:${sessionId}`;

/** Notes that `sessionId` just signed in at a provider (a new provider session, or a provider re-authentication of it). */
export async function markProviderSignIn(deps: AccountsDeps, sessionId: string): Promise<void> {
  await deps.cache.set(providerSignInKey(sessionId), '1', { ttlMs: PROVIDER_REAUTH_WINDOW_MS });
}

/**
 * The signed-in user proves it again on session `sessionId`, as at sign-in: the password when
 * the account has one (else a provider sign-in of this session within the last five minutes),
 * and the second factor when it is on. Password attempts are counted per account. Throws
 * ReauthenticationRequiredError (REAUTH_REQUIRED: no proof given), UnauthenticatedError
 * INVALID_CREDENTIALS, TOTP_REQUIRED or TOTP_INVALID.
 */
export async function reauthenticate(deps: AccountsDeps, user: UserRow, sessionId: string, proof: Reauthentication): Promise<void> {
  if (user.passwordHash !== null) {
    if (proof.password === undefined || proof.password === '')
      throw new ReauthenticationRequiredError('enter your current password to make this change', 'password');
    await deps.limiter.hit(LIMITS.reauthPerAccount, user.id);
    if (!(await verifyPassword(proof.password, user.passwordHash)))
      throw new UnauthenticatedError('INVALID_CREDENTIALS', 'the password is wrong');
    await deps.limiter.reset(LIMITS.reauthPerAccount, user.id);
  } else if ((await deps.cache.get(providerSignInKey(sessionId))) === null) {
    const linked = await deps.db
      .select({ provider: oauthIdentities.provider })
      .from(oauthIdentities)
      .where(eq(oauthIdentities.userId, user.id));
    throw new ReauthenticationRequiredError(
      'sign in again with your provider to make this change',
      'provider',
      linked.map((row) => row.provider),
    );
  }
  if (user.totpEnabledAt !== null) {
    if (proof.code === undefined || proof.code === '')
      throw new UnauthenticatedError('TOTP_REQUIRED', 'enter the code of your authenticator app or a recovery code');
    await checkSecondFactor(deps, user, proof.code);
  }
}

/** Stores a new password hash in `tx`, ends the outstanding reset links and queues the owner's notice. */
export async function storePassword(
  deps: AccountsDeps,
  tx: Executor,
  user: UserRow,
  passwordHash: string,
  extra: Partial<Pick<UserRow, 'lockedUntil' | 'emailVerifiedAt'>> = {},
): Promise<void> {
  await tx
    .update(users)
    .set({ passwordHash, ...extra, updatedAt: new Date() })
    .where(eq(users.id, user.id));
  await endResetLinks(tx, user.id);
  await deps.outbox.enqueue(
    {
      to: user.email,
      template: 'password_changed',
      language: user.language,
      params: { username: user.username, link: appLink(deps, '/forgot-password') },
    },
    tx,
  );
}

/**
 * A signed-in user sets a new password (or a first one, for an account made through a provider),
 * after re-authenticating. Every other session ends; this one stays.
 */
export async function changePassword(
  deps: AccountsDeps,
  user: UserRow,
  sessionId: string,
  input: Reauthentication & { newPassword: string },
): Promise<void> {
  await reauthenticate(deps, user, sessionId, input);
  checkPasswordStrength(input.newPassword, { email: user.email, username: user.username });
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction((tx) => storePassword(deps, tx, user, passwordHash));
  await deps.sessions.revokeAll(user.id, 'password_reset', sessionId);
  deps.log.info({ user: user.id }, `accounts.password() | changed [user:${user.id}]`);
}

/** Signs out every other device of `user` after re-authenticating on `sessionId`; returns how many sessions ended. */
export async function endOtherSessions(deps: AccountsDeps, user: UserRow, sessionId: string, proof: Reauthentication): Promise<number> {
  await reauthenticate(deps, user, sessionId, proof);
  const ended = await deps.sessions.revokeAll(user.id, 'revoked', sessionId);
  deps.log.info({ user: user.id, ended }, `accounts.sessions() | ended every other session [user:${user.id}] [count:${ended}]`);
  return ended;
}
