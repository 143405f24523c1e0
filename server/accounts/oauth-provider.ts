// The provider's side of a sign-in: trading the authorization code (with the PKCE verifier and
// the client secret, which Apple wants as an ES256 JWT) for a profile, from a verified id_token
// (OIDC: signature by the provider's JWKS, issuer, audience, nonce) or from the userinfo URL.
import { createRemoteJWKSet, importPKCS8, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import { ServerError } from '../errors.ts';
import type { OAuthProviderConfig } from './config.ts';

const PROVIDER_TIMEOUT_MS = 10_000;
const jwksCache = new Map<string, JWTVerifyGetKey>();

/** A failed sign-in at the provider's end; the callback turns it into ?oauthError=<code>. */
export class OAuthError extends ServerError {
  readonly code: string;
  readonly status = 400;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OAuthError';
    this.code = code;
  }
}

export interface ProviderProfile {
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
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

/** Trades the authorization code for the user's profile: a verified id_token (OIDC) or the userinfo answer (OAuth 2). */
export async function fetchProfile(
  provider: OAuthProviderConfig,
  grant: { code: string; redirectUri: string; codeVerifier: string; nonce: string; appleUser: string | undefined },
): Promise<ProviderProfile> {
  const { code, codeVerifier, nonce, appleUser } = grant;
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: grant.redirectUri,
    code_verifier: codeVerifier,
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
  if (provider.flavor === 'oidc') return verifyIdToken(provider, tokens.id_token, nonce, appleUser);
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
