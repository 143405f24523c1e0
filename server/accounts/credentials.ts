// Proving again who one is while signed in (re-authentication), and the one way a password is
// set. Setting a password ends every reset link mailed before (so an old link cannot set it
// again) and tells the owner by mail; the caller decides which sessions end.
import { eq } from 'drizzle-orm';
import { UnauthenticatedError } from '../errors.ts';
import { type AccountsDeps, appLink } from './context.ts';
import { endResetLinks } from './email-tokens.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { LIMITS } from './rate-limits.ts';
import { users } from './schema.ts';
import { checkSecondFactor } from './two-factor.ts';
import type { UserRow } from './users.ts';

type Executor = Parameters<Parameters<AccountsDeps['db']['transaction']>[0]>[0];

export interface Reauthentication {
  /** Required when the account has a password. */
  password?: string | undefined;
  /** Required when two-factor is on: an authenticator code or a recovery code. */
  code?: string | undefined;
}

/**
 * The signed-in user proves it again, as at sign-in: the password when the account has one, and
 * the second factor when it is on. Attempts are counted per account. Throws UnauthenticatedError
 * INVALID_CREDENTIALS, TOTP_REQUIRED or TOTP_INVALID.
 */
export async function reauthenticate(deps: AccountsDeps, user: UserRow, proof: Reauthentication): Promise<void> {
  if (user.passwordHash !== null) {
    await deps.limiter.hit(LIMITS.reauthPerAccount, user.id);
    if (!(await verifyPassword(proof.password ?? '', user.passwordHash)))
      throw new UnauthenticatedError('INVALID_CREDENTIALS', 'the password is wrong');
    await deps.limiter.reset(LIMITS.reauthPerAccount, user.id);
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
  await reauthenticate(deps, user, input);
  checkPasswordStrength(input.newPassword, { email: user.email, username: user.username });
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction((tx) => storePassword(deps, tx, user, passwordHash));
  await deps.sessions.revokeAll(user.id, 'password_reset', sessionId);
  deps.log.info({ user: user.id }, `accounts.password() | changed [user:${user.id}]`);
}
