// Signing up and signing in with a password, refreshing and ending sessions. Answers to login
// never say whether an account exists: a wrong password and an unknown login are the same
// INVALID_CREDENTIALS after the same amount of work, and attempt limits are counted per login
// text, existing or not.
import { eq } from 'drizzle-orm';
import { ConflictError, RateLimitedError, UnauthenticatedError } from '../errors.ts';
import { type AccountsDeps, appLink, type RequestOrigin, signIn, type TokenPair, tokenPair } from './context.ts';
import { queueVerificationMail } from './email-flows.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { LIMITS, LOCKOUT_MS } from './rate-limits.ts';
import { users } from './schema.ts';
import { checkSecondFactor } from './two-factor.ts';
import {
  checkLanguage,
  findUserById,
  findUserByLogin,
  normalizeEmail,
  normalizeUsername,
  type UserRow,
  violatedUniqueConstraint,
} from './users.ts';

export interface Registration {
  email: string;
  username: string;
  password: string;
  language: string;
}

export async function register(deps: AccountsDeps, input: Registration, origin: RequestOrigin): Promise<TokenPair> {
  await deps.limiter.hit(LIMITS.registerPerIp, origin.ip);
  const email = normalizeEmail(input.email);
  const username = normalizeUsername(input.username);
  const language = checkLanguage(input.language);
  checkPasswordStrength(input.password, { email, username });
  const passwordHash = await hashPassword(input.password);
  const id = Bun.randomUUIDv7();
  let user: UserRow;
  try {
    user = await deps.db.transaction(async (tx) => {
      const [row] = await tx.insert(users).values({ id, email, username, passwordHash, language }).returning();
      if (row === undefined) throw new Error('register() | insert returned no row');
      await queueVerificationMail(deps, tx, row);
      return row;
    });
  } catch (error) {
    const constraint = violatedUniqueConstraint(error);
    if (constraint === 'users_email_unique') throw new ConflictError('EMAIL_TAKEN', 'an account with this email already exists', 'email');
    if (constraint === 'users_username_unique') throw new ConflictError('USERNAME_TAKEN', 'this username is taken', 'username');
    throw error;
  }
  deps.log.info({ user: id }, `accounts.register() | registered [user:${id}]`);
  return signIn(deps, user, origin);
}

export interface Credentials {
  login: string;
  password: string;
  totp?: string | undefined;
}

const wrongCredentials = () => new UnauthenticatedError('INVALID_CREDENTIALS', 'the email/username or password is wrong');

export async function login(deps: AccountsDeps, input: Credentials, origin: RequestOrigin): Promise<TokenPair> {
  const login = input.login.trim().toLowerCase();
  await deps.limiter.hit(LIMITS.loginPerIp, origin.ip);
  await deps.limiter.check(LIMITS.loginPerAccount, login);
  const user = await findUserByLogin(deps.db, login);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash);
  if (user !== undefined && user.lockedUntil !== null && user.lockedUntil > new Date()) {
    throw new RateLimitedError(LIMITS.loginPerAccount.name, Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000));
  }
  if (user === undefined || !passwordOk) {
    await recordFailure(deps, login, user);
    throw wrongCredentials();
  }
  if (user.totpEnabledAt !== null) {
    if (input.totp === undefined || input.totp === '') {
      throw new UnauthenticatedError('TOTP_REQUIRED', 'enter the code of your authenticator app or a recovery code');
    }
    await checkSecondFactor(deps, user, input.totp);
  }
  await deps.limiter.reset(LIMITS.loginPerAccount, login);
  return signIn(deps, user, origin);
}

/** Counts a failed login; the failure that reaches the limit locks the account and tells its owner. */
async function recordFailure(deps: AccountsDeps, login: string, user: UserRow | undefined): Promise<void> {
  let failures: number;
  try {
    failures = await deps.limiter.hit(LIMITS.loginPerAccount, login);
  } catch (error) {
    if (error instanceof RateLimitedError) return;
    throw error;
  }
  if (failures < LIMITS.loginPerAccount.max || user === undefined) return;
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
  deps.log.warn({ user: user.id }, `accounts.login() | account locked after ${failures} failures [user:${user.id}]`);
}

export async function refresh(deps: AccountsDeps, refreshToken: string, origin: RequestOrigin): Promise<TokenPair> {
  const rotated = await deps.sessions.rotate(refreshToken, origin);
  const user = await findUserById(deps.db, rotated.userId);
  if (user === undefined) throw new UnauthenticatedError('SESSION_REVOKED', 'the account no longer exists');
  return tokenPair(deps, user, rotated);
}

/** Ends the session of the access token, or of the refresh token; unknown tokens are a no-op. */
export async function logout(deps: AccountsDeps, target: { sessionId: string; userId: string } | { refreshToken: string }): Promise<void> {
  const session = 'refreshToken' in target ? await deps.sessions.sessionOfToken(target.refreshToken) : target;
  if (session !== undefined) await deps.sessions.revoke(session.userId, session.sessionId, 'logout');
}
