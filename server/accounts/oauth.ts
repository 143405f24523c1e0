// Sign-in with Google, Facebook and Apple: OAuth 2.0 authorization code with PKCE (S256), state
// and nonce. The callback never puts tokens in a URL: it ends with a redirect to the web app
// carrying a one-time login code (60 s), which the app exchanges for tokens with a POST.
//
// Accounts are matched by (provider, subject) first, then linked by a verified email. Linking to
// an account whose own address was never verified also ends that account's password and
// sessions: whoever registered the address without proving it may not be its owner, and the
// provider has just proven who is.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { createRemoteJWKSet, importPKCS8, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import { ConflictError, InvalidInputError, NotFoundError, ServerError } from '../errors.ts';
import { isLanguage } from '../i18n/languages.ts';
import type { OAuthProviderConfig, OAuthProviderName } from './config.ts';
import { type AccountsDeps, appLink, type RequestOrigin, signIn, type TokenPair } from './context.ts';
import { queueVerificationMail } from './email-flows.ts';
import { oauthIdentities, users } from './schema.ts';
import { findUserByEmail, findUserById, type UserRow, violatedUniqueConstraint } from './users.ts';

const STATE_TTL_MS = 10 * 60_000;
const LOGIN_CODE_TTL_MS = 60_000;
const PROVIDER_TIMEOUT_MS = 10_000;

/** A failed sign-in at the provider's end; the callback turns it into ?oauthError=<code>. */
class OAuthError extends ServerError {
  readonly code: string;
  readonly status = 400;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OAuthError';
    this.code = code;
  }
}

interface PendingAuthorization {
  provider: OAuthProviderName;
  codeVerifier: string;
  nonce: string;
  language: string;
}

interface ProviderProfile {
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const jwksCache = new Map<string, JWTVerifyGetKey>();

function providerConfig(deps: AccountsDeps, name: string): OAuthProviderConfig {
  const provider = deps.config.oauth.find((candidate) => candidate.name === name);
  if (provider === undefined) throw new NotFoundError(`sign-in provider ${name}`);
  return provider;
}

function redirectUri(deps: AccountsDeps, provider: OAuthProviderName): string {
  return `${deps.config.appUrl}/auth/oauth/${provider}/callback`;
}

/** The provider's authorization URL for a new sign-in; the caller redirects the browser to it. */
export async function startOAuth(deps: AccountsDeps, name: string, language: string | undefined): Promise<string> {
  const provider = providerConfig(deps, name);
  const state = base64url(randomBytes(24));
  const pending: PendingAuthorization = {
    provider: provider.name,
    codeVerifier: base64url(randomBytes(48)),
    nonce: base64url(randomBytes(24)),
    language: language !== undefined && isLanguage(language) ? language : 'en',
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
  return url.toString();
}

/**
 * Completes a sign-in from the provider's redirect (query) or form post. Returns where to send
 * the browser: the app with a one-time login code, or the app's login page with an error code.
 */
export async function finishOAuth(deps: AccountsDeps, name: string, params: Record<string, string | undefined>): Promise<string> {
  try {
    const provider = providerConfig(deps, name);
    if (params.error !== undefined) throw new OAuthError('OAUTH_DENIED', `the provider answered ${params.error.slice(0, 100)}`);
    const stored = params.state === undefined ? null : await deps.cache.take(`oauth-state:${params.state}`);
    const pending = stored === null ? undefined : (JSON.parse(stored) as PendingAuthorization);
    if (pending === undefined || pending.provider !== provider.name)
      throw new OAuthError('OAUTH_STATE_INVALID', 'the sign-in expired or did not start here');
    if (params.code === undefined || params.code === '') throw new OAuthError('OAUTH_DENIED', 'the provider sent no code');
    const profile = await fetchProfile(deps, provider, params.code, pending, params.user);
    const user = await resolveUser(deps, provider.name, profile, pending.language);
    const loginCode = base64url(randomBytes(32));
    await deps.cache.set(`oauth-login:${loginCode}`, user.id, { ttlMs: LOGIN_CODE_TTL_MS });
    deps.log.info({ user: user.id, provider: provider.name }, `accounts.oauth() | signed in [user:${user.id}] [provider:${provider.name}]`);
    return appLink(deps, '/oauth/complete', { code: loginCode });
  } catch (error) {
    if (!(error instanceof ServerError)) throw error;
    deps.log.warn({ err: error, provider: name }, `accounts.oauth() | sign-in failed [provider:${name}] [code:${error.code}]`);
    return appLink(deps, '/login', { oauthError: error.code });
  }
}

/** Trades a one-time login code from the callback for tokens. */
export async function exchangeLoginCode(deps: AccountsDeps, code: string, origin: RequestOrigin): Promise<TokenPair> {
  const invalid = () =>
    new InvalidInputError('the sign-in code is invalid, expired or already used', { field: 'code', code: 'INVALID_TOKEN' });
  if (!/^[A-Za-z0-9_-]{43}$/.test(code)) throw invalid();
  const userId = await deps.cache.take(`oauth-login:${code}`);
  const user = userId === null ? undefined : await findUserById(deps.db, userId);
  if (user === undefined) throw invalid();
  return signIn(deps, user, origin);
}

async function clientSecret(provider: OAuthProviderConfig): Promise<string | undefined> {
  if (provider.apple === undefined) return provider.clientSecret;
  const key = await importPKCS8(provider.apple.privateKey, 'ES256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: provider.apple.keyId })
    .setIssuer(provider.apple.teamId)
    .setSubject(provider.clientId)
    .setAudience(provider.issuer ?? 'https://appleid.apple.com')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

async function providerJson(response: Response, what: string): Promise<Record<string, unknown>> {
  const body = (await response.json().catch((cause: unknown) => {
    throw new OAuthError('OAUTH_PROVIDER_ERROR', `${what}: the provider answered ${response.status} without JSON`, { cause });
  })) as Record<string, unknown>;
  if (!response.ok) throw new OAuthError('OAUTH_PROVIDER_ERROR', `${what}: ${response.status} ${String(body.error ?? '')}`);
  return body;
}

async function fetchProfile(
  deps: AccountsDeps,
  provider: OAuthProviderConfig,
  code: string,
  pending: PendingAuthorization,
  appleUser: string | undefined,
): Promise<ProviderProfile> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri(deps, provider.name),
    code_verifier: pending.codeVerifier,
    client_id: provider.clientId,
  });
  const secret = await clientSecret(provider);
  if (secret !== undefined) form.set('client_secret', secret);
  const tokens = await providerJson(
    await fetch(provider.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    }),
    'token request',
  );
  if (provider.flavor === 'oidc') return verifyIdToken(provider, tokens.id_token, pending.nonce, appleUser);
  if (typeof tokens.access_token !== 'string') throw new OAuthError('OAUTH_PROVIDER_ERROR', 'the token response has no access_token');
  if (provider.userinfoUrl === undefined)
    throw new OAuthError('OAUTH_PROVIDER_ERROR', `no userinfo URL is configured for ${provider.name}`);
  const info = await providerJson(
    await fetch(provider.userinfoUrl, {
      headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    }),
    'userinfo request',
  );
  const subject = info.id ?? info.sub;
  if (typeof subject !== 'string' && typeof subject !== 'number') throw new OAuthError('OAUTH_PROVIDER_ERROR', 'the profile has no id');
  // Facebook returns only confirmed addresses, and has no email_verified field.
  return {
    subject: String(subject),
    email: typeof info.email === 'string' ? info.email.toLowerCase() : undefined,
    emailVerified: info.email_verified === undefined ? typeof info.email === 'string' : info.email_verified === true,
    name: typeof info.name === 'string' ? info.name : undefined,
  };
}

async function verifyIdToken(
  provider: OAuthProviderConfig,
  idToken: unknown,
  nonce: string,
  appleUser: string | undefined,
): Promise<ProviderProfile> {
  if (typeof idToken !== 'string') throw new OAuthError('OAUTH_PROVIDER_ERROR', 'the token response has no id_token');
  if (provider.jwksUrl === undefined) throw new OAuthError('OAUTH_PROVIDER_ERROR', `no JWKS URL is configured for ${provider.name}`);
  let jwks = jwksCache.get(provider.jwksUrl);
  if (jwks === undefined) {
    jwks = createRemoteJWKSet(new URL(provider.jwksUrl));
    jwksCache.set(provider.jwksUrl, jwks);
  }
  const { payload } = await jwtVerify(idToken, jwks, {
    audience: provider.clientId,
    ...(provider.issuer === undefined ? {} : { issuer: provider.issuer }),
  }).catch((cause: unknown) => {
    throw new OAuthError('OAUTH_PROVIDER_ERROR', `the id_token is not valid: ${(cause as Error).message}`, { cause });
  });
  if (payload.nonce !== nonce) throw new OAuthError('OAUTH_PROVIDER_ERROR', 'the id_token nonce does not match');
  if (typeof payload.sub !== 'string') throw new OAuthError('OAUTH_PROVIDER_ERROR', 'the id_token has no subject');
  let name = typeof payload.name === 'string' ? payload.name : undefined;
  if (name === undefined && appleUser !== undefined) {
    // Apple sends the name once, in the form post's `user` field, never in the id_token.
    try {
      const parsed = JSON.parse(appleUser) as { name?: { firstName?: string; lastName?: string } };
      name = [parsed.name?.firstName, parsed.name?.lastName].filter(Boolean).join(' ') || undefined;
    } catch {
      name = undefined;
    }
  }
  return {
    subject: payload.sub,
    email: typeof payload.email === 'string' ? payload.email.toLowerCase() : undefined,
    // Apple sends "true" as a string.
    emailVerified: payload.email_verified === true || payload.email_verified === 'true',
    name,
  };
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
  const existing = await findUserByEmail(deps.db, email);
  if (existing !== undefined) {
    if (!profile.emailVerified)
      throw new ConflictError('EMAIL_TAKEN', 'an account with this email exists; sign in with its password', 'email');
    const takeover = existing.emailVerifiedAt === null;
    await deps.db.transaction(async (tx) => {
      await tx.insert(oauthIdentities).values({ provider, subject: profile.subject, userId: existing.id, email });
      if (takeover)
        await tx
          .update(users)
          .set({ emailVerifiedAt: new Date(), passwordHash: null, updatedAt: new Date() })
          .where(eq(users.id, existing.id));
    });
    if (takeover) await deps.sessions.revokeAll(existing.id, 'revoked');
    return (await findUserById(deps.db, existing.id)) ?? existing;
  }
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
