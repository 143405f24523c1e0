// The flows that go through the user's mailbox: proving an email address, and choosing a new
// password with a mailed link. "Forgot password" answers the same whether or not the address
// has an account; the mail is the only thing that differs.
import { and, eq } from 'drizzle-orm';
import { ConflictError } from '../errors.ts';
import { type AccountsDeps, appLink } from './context.ts';
import { storePassword } from './credentials.ts';
import { consumeEmailToken, issueEmailToken, peekEmailToken } from './email-tokens.ts';
import { publishAccountUpdated } from './events.ts';
import { clearLoginFailures } from './login-limits.ts';
import { checkPasswordStrength, hashPassword } from './passwords.ts';
import { LIMITS, limitSubject } from './rate-limits.ts';
import { users } from './schema.ts';
import { findUserByEmail, findUserById, normalizeEmail, type UserRow, type UserView, userView } from './users.ts';

export async function verifyEmail(deps: AccountsDeps, token: string): Promise<UserView> {
  const grant = await deps.db.transaction(async (tx) => {
    const used = await consumeEmailToken(tx, token, 'verify_email');
    // Only the address the mail went to is proven; if the user changed it since, nothing is.
    await tx
      .update(users)
      .set({ emailVerifiedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(users.id, used.userId), eq(users.email, used.email)));
    return used;
  });
  const user = await findUserById(deps.db, grant.userId);
  if (user === undefined) throw new ConflictError('ACCOUNT_GONE', 'the account no longer exists');
  await publishAccountUpdated(deps, user.id);
  return userView(user);
}

type Executor = Parameters<Parameters<AccountsDeps['db']['transaction']>[0]>[0];

/** Issues a verification token for the user's address and queues the mail that carries it, in `tx`. */
export async function queueVerificationMail(
  deps: AccountsDeps,
  tx: Executor,
  user: { id: string; email: string; username: string; language: string },
): Promise<void> {
  const token = await issueEmailToken(tx, { userId: user.id, purpose: 'verify_email', email: user.email });
  await deps.outbox.enqueue(
    {
      to: user.email,
      template: 'verify_email',
      language: user.language,
      params: { username: user.username, link: appLink(deps, '/verify-email', { token }) },
    },
    tx,
  );
}

async function sendVerification(deps: AccountsDeps, user: UserRow): Promise<void> {
  await deps.db.transaction((tx) => queueVerificationMail(deps, tx, user));
}

/** For a signed-in user: a new verification mail, unless the address is verified already. */
export async function resendVerification(deps: AccountsDeps, user: UserRow): Promise<void> {
  if (user.emailVerifiedAt !== null) throw new ConflictError('EMAIL_ALREADY_VERIFIED', 'the email address is verified already');
  await deps.limiter.hit(LIMITS.resendPerAccount, user.id);
  await sendVerification(deps, user);
}

/** For someone signed out: the same answer for any address; a mail only to an unverified account. */
export async function resendVerificationTo(deps: AccountsDeps, rawEmail: string, ip: string): Promise<void> {
  const email = normalizeEmail(rawEmail);
  await deps.limiter.hit(LIMITS.forgotPerIp, ip);
  await deps.limiter.hit(LIMITS.resendPerAccount, limitSubject(email));
  const user = await findUserByEmail(deps.db, email);
  if (user !== undefined && user.emailVerifiedAt === null) await sendVerification(deps, user);
}

export async function forgotPassword(deps: AccountsDeps, rawEmail: string, ip: string): Promise<void> {
  const email = normalizeEmail(rawEmail);
  await deps.limiter.hit(LIMITS.forgotPerIp, ip);
  await deps.limiter.hit(LIMITS.forgotPerAccount, limitSubject(email));
  const user = await findUserByEmail(deps.db, email);
  if (user === undefined) return;
  // To the account's own address, not the one typed: they are the same mailbox only by our rules.
  await deps.db.transaction(async (tx) => {
    const token = await issueEmailToken(tx, { userId: user.id, purpose: 'reset_password', email: user.email });
    await deps.outbox.enqueue(
      {
        to: user.email,
        template: 'reset_password',
        language: user.language,
        params: { username: user.username, link: appLink(deps, '/reset-password', { token }) },
      },
      tx,
    );
  });
}

/**
 * Sets a new password with a mailed token. The password is checked before the token is used, so
 * a weak choice does not burn the link. Every other reset link of the account ends with it; every
 * session and every personal API token ends; the owner is told by mail; the account is unlocked, and its address counts as
 * verified (the link reached it).
 */
export async function resetPassword(deps: AccountsDeps, token: string, password: string): Promise<void> {
  const grant = await peekEmailToken(deps.db, token, 'reset_password');
  const user = await findUserById(deps.db, grant.userId);
  if (user === undefined) throw new ConflictError('ACCOUNT_GONE', 'the account no longer exists');
  checkPasswordStrength(password, { email: user.email, username: user.username });
  const passwordHash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    await consumeEmailToken(tx, token, 'reset_password');
    const verified = user.emailVerifiedAt ?? (grant.email === user.email ? new Date() : null);
    await storePassword(deps, tx, user, passwordHash, { lockedUntil: null, emailVerifiedAt: verified });
  });
  await deps.sessions.revokeAll(user.id, 'password_reset');
  // A reset recovers an account someone else may have held: their personal tokens end too. A
  // change of password (the owner knows the old one) and "sign out everywhere" end sessions only.
  const tokens = await deps.tokens.revokeAll(user.id);
  if (tokens > 0)
    deps.log.info({ user: user.id, tokens }, `accounts.reset() | personal tokens revoked [user:${user.id}] [count:${tokens}]`);
  await clearLoginFailures(deps, user);
}
