// Sign-in with Google, Facebook and Apple: OAuth 2.0 authorization code with PKCE (S256), state
// and nonce. The callback never puts tokens in a URL: it ends with a redirect to the web app
// carrying a one-time login code, which the app exchanges for tokens with a POST.
//
// Every flow is bound to the browser that started it (against login CSRF): the start sets an
// HttpOnly cookie holding a random binding value, the state remembers its hash, and the callback
// and the code exchange work only with that cookie.
//
// Accounts are matched by (provider, subject) only. A provider account whose email belongs to an
// existing account is never linked silently: the callback answers OAUTH_LINK_REQUIRED, and the
// owner links it while signed in, after proving it again (password and second factor). Two-factor
// applies to provider sign-in as to password sign-in: the exchange asks for the code. A provider
// sign-in also counts as a fresh re-authentication of its session for five minutes, and a
// signed-in account without a password re-authenticates through a flow of its own (startReauth)
// that ends back at the settings (credentials.ts).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { InvalidInputError, NotFoundError, ServerError, UnauthenticatedError } from '../errors.ts';
import { isLanguage } from '../i18n/languages.ts';
import { violatedUniqueConstraint } from '../platform/db/unique.ts';
import type { OAuthProviderConfig, OAuthProviderName } from './config.ts';
import { type AccountsDeps, appLink, type RequestOrigin, signIn, type TokenPair } from './context.ts';
import { markProviderSignIn, type Reauthentication, reauthenticate } from './credentials.ts';
import { queueVerificationMail } from './email-flows.ts';
import { fetchProfile, OAuthError, type ProviderProfile } from './oauth-provider.ts';
import { oauthIdentities, users } from './schema.ts';
import { sha256 } from './secrets.ts';
import { checkSecondFactor } from './two-factor.ts';
import { findUserByEmail, findUserById, type UserRow } from './users.ts';

const STATE_TTL_MS = 10 * 60_000;
/** Long enough to type an authenticator code when two-factor is on; the code works once, in one browser. */
const LOGIN_CODE_TTL_MS = 5 * 60_000;
/** The cookie that binds a flow to its browser; SameSite=Lax so the provider's redirect back carries it. */
export const OAUTH_BINDING_COOKIE = 'oauth_binding';
export const OAUTH_BINDING_COOKIE_PATH = '/auth/oauth';
export const OAUTH_BINDING_TTL_SECONDS = STATE_TTL_MS / 1000;

interface PendingAuthorization {
  provider: OAuthProviderName;
  codeVerifier: string;
  nonce: string;
  language: string;
  /** SHA-256 of the browser's binding cookie. */
  binding: string;
  /** Set when a signed-in user links this provider: the account to link to. */
  linkUserId?: string;
  /** Set when a signed-in user re-authenticates at this provider: who, and the session it is for. */
  reauth?: { userId: string; sessionId: string };
}

interface LoginGrant {
  userId: string;
  binding: string;
}

/** A started flow: where to send the browser, and the binding cookie value it must hold. */
export interface StartedFlow {
  url: string;
  binding: string;
}

const isBindingValue = (value: string | undefined): value is string => value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);

/** The browser's binding value: its cookie's when it has a well-formed one (flows in two tabs share it), else a new one. */
function bindingFor(cookie: string | undefined): string {
  return isBindingValue(cookie) ? cookie : base64url(randomBytes(32));
}

/** A value this module stored in the cache, or undefined when it is missing or not of this shape (e.g. from an older version). */
function parseStored<T extends object>(stored: string | null): Partial<T> | undefined {
  if (stored === null) return undefined;
  try {
    const value: unknown = JSON.parse(stored);
    return typeof value === 'object' && value !== null ? (value as Partial<T>) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the browser's cookie is the one whose hash the flow remembers. */
function sameBrowser(cookie: string | undefined, bindingHash: string | undefined): boolean {
  if (!isBindingValue(cookie) || bindingHash === undefined) return false;
  const given = Buffer.from(sha256(cookie));
  const expected = Buffer.from(bindingHash);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function providerConfig(deps: AccountsDeps, name: string): OAuthProviderConfig {
  const provider = deps.config.oauth.find((candidate) => candidate.name === name);
  if (provider === undefined) throw new NotFoundError(`sign-in provider ${name}`);
  return provider;
}

function redirectUri(deps: AccountsDeps, provider: OAuthProviderName): string {
  return `${deps.config.appUrl}/auth/oauth/${provider}/callback`;
}

/** The provider's authorization URL for a new sign-in, bound to the browser's binding cookie. */
export async function startOAuth(
  deps: AccountsDeps,
  name: string,
  language: string | undefined,
  bindingCookie: string | undefined,
): Promise<StartedFlow> {
  return authorize(deps, providerConfig(deps, name), { language, bindingCookie });
}

/**
 * For a signed-in user: after proving it again (password and second factor, as at sign-in), the
 * provider's authorization URL for linking an account there to this one. The flow is bound to
 * this browser like a sign-in; its callback links instead of signing in.
 */
export async function startLink(
  deps: AccountsDeps,
  user: UserRow,
  sessionId: string,
  name: string,
  proof: Reauthentication,
  bindingCookie: string | undefined,
): Promise<StartedFlow> {
  const provider = providerConfig(deps, name);
  await reauthenticate(deps, user, sessionId, proof);
  return authorize(deps, provider, { language: user.language, bindingCookie, linkUserId: user.id });
}

/**
 * For a signed-in user with an account at `name`: the provider's authorization URL for signing
 * in there again, which re-authenticates session `sessionId` for five minutes. Only the provider
 * account linked to this user counts (OAUTH_REAUTH_MISMATCH otherwise).
 */
export async function startReauth(
  deps: AccountsDeps,
  user: UserRow,
  sessionId: string,
  name: string,
  bindingCookie: string | undefined,
): Promise<StartedFlow> {
  const provider = providerConfig(deps, name);
  const [linked] = await deps.db
    .select({ subject: oauthIdentities.subject })
    .from(oauthIdentities)
    .where(and(eq(oauthIdentities.userId, user.id), eq(oauthIdentities.provider, provider.name)));
  if (linked === undefined)
    throw new InvalidInputError(`this account does not sign in with ${provider.name}`, { field: 'provider', code: 'OAUTH_NOT_LINKED' });
  return authorize(deps, provider, { language: user.language, bindingCookie, reauth: { userId: user.id, sessionId } });
}

async function authorize(
  deps: AccountsDeps,
  provider: OAuthProviderConfig,
  options: {
    language: string | undefined;
    bindingCookie: string | undefined;
    linkUserId?: string;
    reauth?: PendingAuthorization['reauth'];
  },
): Promise<StartedFlow> {
  const state = base64url(randomBytes(24));
  const binding = bindingFor(options.bindingCookie);
  const pending: PendingAuthorization = {
    provider: provider.name,
    codeVerifier: base64url(randomBytes(48)),
    nonce: base64url(randomBytes(24)),
    language: options.language !== undefined && isLanguage(options.language) ? options.language : 'en',
    binding: sha256(binding),
    ...(options.linkUserId === undefined ? {} : { linkUserId: options.linkUserId }),
    ...(options.reauth === undefined ? {} : { reauth: options.reauth }),
  };
  await deps.cache.set(`oauth-state:${state}`, JSON.stringify(pending), { ttlMs: STATE_TTL_MS });
  const url = new URL(provider.authorizationUrl);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: redirectUri(deps, provider.name),
    scope: provider.scopes.join(' '),
    state,
    code_challenge: base64url(createHash('sha256').update(pending.codeVerifier).digest()),
    code_challenge_method: 'S256',
  };
  if (provider.flavor === 'oidc') params.nonce = pending.nonce;
  if (provider.responseMode === 'form_post') params.response_mode = 'form_post';
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { url: url.toString(), binding };
}

/**
 * Completes a sign-in (or a link) from the provider's redirect. Returns where to send the
 * browser: the app with a one-time login code, the settings after a link, or the app's login
 * page with an error code. `bindingCookie` is the browser's binding cookie: a state started in
 * another browser (or without the cookie) is refused.
 */
export async function finishOAuth(
  deps: AccountsDeps,
  name: string,
  params: Record<string, string | undefined>,
  bindingCookie: string | undefined,
): Promise<string> {
  let fromSettings = false;
  try {
    const provider = providerConfig(deps, name);
    if (params.error !== undefined) throw new OAuthError('OAUTH_DENIED', `the provider answered ${params.error.slice(0, 100)}`);
    const stored = params.state === undefined ? null : await deps.cache.take(`oauth-state:${params.state}`);
    const pending = parseStored<PendingAuthorization>(stored) as PendingAuthorization | undefined;
    if (pending === undefined || pending.provider !== provider.name || !sameBrowser(bindingCookie, pending.binding))
      throw new OAuthError('OAUTH_STATE_INVALID', 'the sign-in expired or did not start in this browser');
    fromSettings = pending.linkUserId !== undefined || pending.reauth !== undefined;
    if (params.code === undefined || params.code === '') throw new OAuthError('OAUTH_DENIED', 'the provider sent no code');
    const profile = await fetchProfile(provider, {
      code: params.code,
      redirectUri: redirectUri(deps, provider.name),
      codeVerifier: pending.codeVerifier,
      nonce: pending.nonce,
      appleUser: params.user,
    });
    if (pending.linkUserId !== undefined) {
      await linkIdentity(deps, pending.linkUserId, provider.name, profile);
      return appLink(deps, '/settings/sign-in', { linked: provider.name });
    }
    if (pending.reauth !== undefined) {
      await confirmReauth(deps, pending.reauth, provider.name, profile);
      return appLink(deps, '/settings/sign-in', { reauthenticated: provider.name });
    }
    const user = await resolveUser(deps, provider.name, profile, pending.language);
    const loginCode = base64url(randomBytes(32));
    const grant: LoginGrant = { userId: user.id, binding: pending.binding };
    await deps.cache.set(`oauth-login:${loginCode}`, JSON.stringify(grant), { ttlMs: LOGIN_CODE_TTL_MS });
    deps.log.info({ user: user.id, provider: provider.name }, `accounts.oauth() | signed in [user:${user.id}] [provider:${provider.name}]`);
    return appLink(deps, '/oauth/complete', { code: loginCode });
  } catch (error) {
    if (!(error instanceof ServerError)) throw error;
    deps.log.warn({ err: error, provider: name }, `accounts.oauth() | sign-in failed [provider:${name}] [code:${error.code}]`);
    return appLink(deps, fromSettings ? '/settings/sign-in' : '/login', { oauthError: error.code, provider: name });
  }
}

/**
 * Trades a one-time login code from the callback for tokens, in the browser that started the
 * flow. When the account has two-factor on, `totp` is required (TOTP_REQUIRED, the code stays
 * usable) and checked as at password sign-in; the code is used up only by a sign-in.
 */
export async function exchangeLoginCode(
  deps: AccountsDeps,
  code: string,
  totp: string | undefined,
  bindingCookie: string | undefined,
  origin: RequestOrigin,
): Promise<TokenPair> {
  const invalid = () =>
    new InvalidInputError('the sign-in code is invalid, expired or already used', { field: 'code', code: 'INVALID_TOKEN' });
  if (!/^[A-Za-z0-9_-]{43}$/.test(code)) throw invalid();
  const key = `oauth-login:${code}`;
  const grant = parseStored<LoginGrant>(await deps.cache.get(key));
  if (grant?.userId === undefined || !sameBrowser(bindingCookie, grant.binding)) throw invalid();
  const user = await findUserById(deps.db, grant.userId);
  if (user === undefined) throw invalid();
  if (user.totpEnabledAt !== null) {
    if (totp === undefined || totp === '')
      throw new UnauthenticatedError('TOTP_REQUIRED', 'enter the code of your authenticator app or a recovery code');
    await checkSecondFactor(deps, user, totp);
  }
  if ((await deps.cache.take(key)) === null) throw invalid();
  const pair = await signIn(deps, user, origin);
  await markProviderSignIn(deps, pair.sessionId);
  return pair;
}

/** A provider re-authentication: the provider account must be the one linked to the user who started it. */
async function confirmReauth(
  deps: AccountsDeps,
  reauth: { userId: string; sessionId: string },
  provider: OAuthProviderName,
  profile: ProviderProfile,
): Promise<void> {
  const [linked] = await deps.db
    .select({ userId: oauthIdentities.userId })
    .from(oauthIdentities)
    .where(and(eq(oauthIdentities.provider, provider), eq(oauthIdentities.subject, profile.subject)));
  if (linked?.userId !== reauth.userId)
    throw new OAuthError('OAUTH_REAUTH_MISMATCH', 'this is not the provider account that signs in to yours');
  await markProviderSignIn(deps, reauth.sessionId);
  deps.log.info({ user: reauth.userId, provider }, `accounts.oauth() | re-authenticated [user:${reauth.userId}] [provider:${provider}]`);
}

/** A free username from the profile's name or email: lower-case, 3 to 30 characters. */
async function pickUsername(deps: AccountsDeps, profile: ProviderProfile): Promise<string> {
  const source = profile.name ?? profile.email?.split('@')[0] ?? 'pet.friend';
  const base = (
    source
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '.')
      .replace(/^[._]+|\.+$/g, '') || 'pet.friend'
  ).slice(0, 22);
  const padded = base.length < 3 ? `${base}.pet` : base;
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = attempt === 0 ? padded : `${padded}.${randomBytes(3).toString('hex')}`;
    const [taken] = await deps.db.select({ id: users.id }).from(users).where(eq(users.username, candidate)).limit(1);
    if (taken === undefined) return candidate;
  }
  return `user.${randomBytes(6).toString('hex')}`;
}

/** Links the provider account to `userId` (who started the link signed in and re-authenticated). */
async function linkIdentity(deps: AccountsDeps, userId: string, provider: OAuthProviderName, profile: ProviderProfile): Promise<void> {
  const [linked] = await deps.db
    .select({ userId: oauthIdentities.userId })
    .from(oauthIdentities)
    .where(and(eq(oauthIdentities.provider, provider), eq(oauthIdentities.subject, profile.subject)));
  if (linked !== undefined && linked.userId !== userId)
    throw new OAuthError('OAUTH_ALREADY_LINKED', 'this provider account is linked to another account');
  if (linked !== undefined) return;
  if ((await findUserById(deps.db, userId)) === undefined) throw new OAuthError('OAUTH_STATE_INVALID', 'the account no longer exists');
  try {
    await deps.db.insert(oauthIdentities).values({ provider, subject: profile.subject, userId, email: profile.email ?? null });
  } catch (error) {
    if (violatedUniqueConstraint(error) !== undefined)
      throw new OAuthError('OAUTH_ALREADY_LINKED', 'this provider account was linked at the same moment', { cause: error });
    throw error;
  }
  deps.log.info({ user: userId, provider }, `accounts.oauth() | linked [user:${userId}] [provider:${provider}]`);
}

async function resolveUser(deps: AccountsDeps, provider: OAuthProviderName, profile: ProviderProfile, language: string): Promise<UserRow> {
  const [linked] = await deps.db
    .select({ userId: oauthIdentities.userId })
    .from(oauthIdentities)
    .where(and(eq(oauthIdentities.provider, provider), eq(oauthIdentities.subject, profile.subject)));
  if (linked !== undefined) {
    const user = await findUserById(deps.db, linked.userId);
    if (user !== undefined) return user;
  }
  if (profile.email === undefined) throw new OAuthError('OAUTH_EMAIL_REQUIRED', 'the provider did not share an email address');
  const email = profile.email;
  // An account with this mailbox exists: only its owner, signed in, may link the provider to it.
  if ((await findUserByEmail(deps.db, email)) !== undefined)
    throw new OAuthError('OAUTH_LINK_REQUIRED', 'an account with this email exists: sign in to it, then link the provider in its settings');
  const id = Bun.randomUUIDv7();
  const username = await pickUsername(deps, profile);
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ id, email, username, language, emailVerifiedAt: profile.emailVerified ? new Date() : null })
        .returning();
      if (row === undefined) throw new Error('resolveUser() | insert returned no row');
      await tx.insert(oauthIdentities).values({ provider, subject: profile.subject, userId: id, email });
      if (!profile.emailVerified) await queueVerificationMail(deps, tx, row);
      return row;
    });
  } catch (error) {
    if (violatedUniqueConstraint(error) !== undefined)
      throw new OAuthError('OAUTH_CONFLICT', 'the account was created at the same moment; try again');
    throw error;
  }
}
