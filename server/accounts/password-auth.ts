// Signing up and signing in with a password, refreshing and ending sessions. Answers to login
// never say whether an account exists: a wrong password and an unknown login are the same
// INVALID_CREDENTIALS after the same amount of work, and attempt limits answer alike for
// accounts that exist and those that do not (login-limits.ts).
import { ConflictError, UnauthenticatedError } from '../errors.ts';
import { violatedUniqueConstraint } from '../platform/db/unique.ts';
import { type AccountsDeps, type RequestOrigin, signIn, type TokenPair, tokenPair } from './context.ts';
import { queueVerificationMail } from './email-flows.ts';
import { lockIfLimitReached, releaseLoginAttempt, reserveLoginAttempt } from './login-limits.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { LIMITS } from './rate-limits.ts';
import { users } from './schema.ts';
import { checkSecondFactor } from './two-factor.ts';
import { checkLanguage, findUserById, findUserByLogin, normalizeEmail, normalizeUsername, type UserRow } from './users.ts';

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
    if (constraint === 'users_email_key_unique')
      throw new ConflictError('EMAIL_TAKEN', 'an account with this email already exists', 'email');
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

export interface SignedIn {
  tokens: TokenPair;
  /** A fresh device cookie for the client (see device-cookies.ts). */
  deviceCookie: string;
}

const wrongCredentials = () => new UnauthenticatedError('INVALID_CREDENTIALS', 'the email/username or password is wrong');

/** Password sign-in; `deviceCookie` is the client's device cookie, if it sent one. Limits: login-limits.ts. */
export async function login(
  deps: AccountsDeps,
  input: Credentials,
  origin: RequestOrigin,
  deviceCookie: string | undefined,
): Promise<SignedIn> {
  const login = input.login.trim().toLowerCase();
  await deps.limiter.hit(LIMITS.loginPerIp, origin.ip);
  const user = await findUserByLogin(deps.db, login);
  const attempt = await reserveLoginAttempt(deps, login, user, deps.deviceCookies.verify(deviceCookie));
  const passwordOk = await verifyPassword(input.password, user?.passwordHash);
  if (user === undefined || !passwordOk) {
    await lockIfLimitReached(deps, attempt, user);
    throw wrongCredentials();
  }
  await releaseLoginAttempt(deps, attempt);
  if (user.totpEnabledAt !== null) {
    if (input.totp === undefined || input.totp === '') {
      throw new UnauthenticatedError('TOTP_REQUIRED', 'enter the code of your authenticator app or a recovery code');
    }
    await checkSecondFactor(deps, user, input.totp);
  }
  return { tokens: await signIn(deps, user, origin), deviceCookie: deps.deviceCookies.issue(user.id) };
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
