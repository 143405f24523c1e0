// A local stand-in for "Sign in with Google / Facebook / Apple": a real OAuth 2.0 / OpenID Connect provider over HTTP,
// as strict as the real ones (RFC 6749, RFC 7636 PKCE, OIDC Core), so the sign-in code is tested end to end without the
// internet and a sloppy client fails here rather than in production.
import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, exportPKCS8, generateKeyPair, jwtVerify, SignJWT } from 'jose';

export interface FakeOidcUser {
  sub: string;
  email: string;
  emailVerified: boolean;
  name?: string;
}

export interface FakeOidcOptions {
  clientId: string;
  /** For client_secret_post / client_secret_basic. */
  clientSecret?: string;
  redirectUris: string[];
  /** 'oidc' (Google-like): the token response has an id_token. 'oauth2' (Facebook-like): no id_token; userinfo answers Graph /me. */
  flavor: 'oidc' | 'oauth2';
  /** 'query' (default): 302 to redirect_uri?code=…&state=…  'form_post' (Apple-like): an HTML form that posts them. */
  responseMode?: 'query' | 'form_post';
  /** 'private_key_jwt_es256' is Apple's: client_secret is an ES256 JWT signed by the client (iss teamId, sub clientId). */
  clientAuth?: 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt_es256';
  clientPublicKey?: CryptoKey;
  teamId?: string;
  keyId?: string;
}

export interface FakeOidcProvider {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userinfoEndpoint: string;
  readonly jwksUri: string;
  /** Who the next authorization signs in as (the fake consents at once, no login page). */
  setUser(user: FakeOidcUser): void;
  /** Every request received: method, path, query params and form body params, for assertions. */
  readonly requests: { method: string; path: string; params: Record<string, string> }[];
  close(): Promise<void>;
}

// accessTokens are revoked if the code is replayed (RFC 6749 §4.1.2): a replay suggests the code was stolen.
type IssuedCode = { redirectUri: string; codeChallenge: string; nonce: string | undefined; scope: string; user: FakeOidcUser };
type CodeGrant = IssuedCode & { expiresAt: number; used: boolean; accessTokens: string[] };
type TokenErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';

/** An error the token endpoint reports as RFC 6749 §5.2 JSON. */
class TokenError extends Error {
  constructor(
    readonly code: TokenErrorCode,
    description: string,
  ) {
    super(description);
  }
}

const CODE_TTL_MS = 60_000;
const ACCESS_TOKEN_TTL_S = 3600;
const ID_TOKEN_TTL_S = 600;
/** RFC 7636 §4.1: both the verifier and an S256 challenge are 43–128 unreserved characters. */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

const random = () => randomBytes(32).toString('base64url');
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } });

/** Parameters that appear once each; RFC 6749 §3.1 forbids repeating one, so a repeat yields undefined. */
function singleParams(search: URLSearchParams): Record<string, string> | undefined {
  const keys = [...search.keys()];
  return new Set(keys).size === keys.length ? Object.fromEntries(search) : undefined;
}

export async function startFakeOidcProvider(options: FakeOidcOptions): Promise<FakeOidcProvider> {
  const clientAuth = options.clientAuth ?? 'client_secret_post';
  const responseMode = options.responseMode ?? 'query';
  const { clientPublicKey, teamId, keyId } = options;
  if (clientAuth === 'private_key_jwt_es256' && !(clientPublicKey && teamId && keyId)) {
    throw new Error('fake OIDC provider: private_key_jwt_es256 needs clientPublicKey, teamId and keyId');
  }
  if (clientAuth !== 'private_key_jwt_es256' && !options.clientSecret) {
    throw new Error(`fake OIDC provider: ${clientAuth} needs clientSecret`);
  }

  const kid = random().slice(0, 16);
  const signingKeys = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(signingKeys.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, CodeGrant>();
  const accessTokens = new Map<string, { user: FakeOidcUser; expiresAt: number }>();
  const authorizedBefore = new Set<string>();
  const requests: FakeOidcProvider['requests'] = [];
  let currentUser: FakeOidcUser | undefined;
  let issuer = '';

  /** Sends the authorization response to the client the way the configured response mode does. */
  function authorizationResponse(redirectUri: string, fields: Record<string, string | undefined>): Response {
    const present = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
    if (responseMode === 'query') {
      const location = new URL(redirectUri);
      for (const [key, value] of present) location.searchParams.set(key, value);
      return new Response(null, { status: 302, headers: { Location: location.toString(), 'Cache-Control': 'no-store' } });
    }
    const inputs = present.map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`);
    const form = `<form method="post" action="${escapeHtml(redirectUri)}">${inputs.join('')}</form>`;
    const html = `<!doctype html><html><body onload="document.forms[0].submit()">${form}</body></html>`;
    return new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
  }

  function authorize(query: URLSearchParams): Response {
    const params = singleParams(query);
    // Without a trusted client and redirect URI the error cannot go back to the client (RFC 6749 §4.1.2.1).
    if (!params || params.client_id !== options.clientId || !options.redirectUris.includes(params.redirect_uri ?? '')) {
      const reason = params ? 'unknown client_id or unregistered redirect_uri' : 'a parameter is repeated';
      const page = `<!doctype html><p>Authorization error: ${reason}</p>`;
      return new Response(page, { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    }
    const redirectUri = params.redirect_uri ?? '';
    const { state, nonce, code_challenge: codeChallenge, code_challenge_method: method } = params;
    const refuse = (error: string, description: string) =>
      authorizationResponse(redirectUri, { error, error_description: description, state });
    if (params.response_type !== 'code') return refuse('unsupported_response_type', 'response_type must be code');
    if (!state) return refuse('invalid_request', 'state is required');
    if (params.response_mode !== undefined && params.response_mode !== responseMode) {
      return refuse('invalid_request', `response_mode must be ${responseMode}`);
    }
    if (!codeChallenge || !PKCE_VALUE.test(codeChallenge)) return refuse('invalid_request', 'code_challenge is missing or malformed');
    if (method !== 'S256') return refuse('invalid_request', 'code_challenge_method must be S256');
    if (!currentUser) throw new Error('fake OIDC provider: setUser() was not called before /authorize');

    const code = random();
    const scope = params.scope ?? '';
    const expiresAt = Date.now() + CODE_TTL_MS;
    codes.set(code, { redirectUri, codeChallenge, nonce, scope, user: currentUser, expiresAt, used: false, accessTokens: [] });
    let user: string | undefined;
    // Apple sends the user's name and email alongside the code only on the first authorization, and only as scoped.
    if (responseMode === 'form_post' && !authorizedBefore.has(currentUser.sub)) {
      const scopes = scope.split(' ');
      const [firstName = '', ...rest] = (currentUser.name ?? '').split(' ');
      const details = {
        ...(scopes.includes('name') ? { name: { firstName, lastName: rest.join(' ') } } : {}),
        ...(scopes.includes('email') ? { email: currentUser.email } : {}),
      };
      if (Object.keys(details).length > 0) user = JSON.stringify(details);
    }
    authorizedBefore.add(currentUser.sub);
    return authorizationResponse(redirectUri, { code, state, user });
  }

  async function authenticateClient(params: Record<string, string>, authorization: string | null): Promise<void> {
    if (clientAuth === 'client_secret_basic') {
      if (params.client_secret !== undefined) throw new TokenError('invalid_request', 'use one client authentication method only');
      const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '')?.[1];
      const decoded = encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      // RFC 6749 §2.3.1: both halves are form-urlencoded before being joined.
      const formDecode = (text: string) => new URLSearchParams(`x=${text}`).get('x') ?? '';
      const id = formDecode(decoded.slice(0, colon));
      if (colon < 0 || id !== options.clientId || formDecode(decoded.slice(colon + 1)) !== options.clientSecret) {
        throw new TokenError('invalid_client', 'client authentication failed');
      }
      if (params.client_id !== undefined && params.client_id !== id) throw new TokenError('invalid_request', 'client_id mismatch');
      return;
    }
    if (authorization !== null) throw new TokenError('invalid_request', `this client must use ${clientAuth}`);
    const secret = params.client_id === options.clientId ? params.client_secret : undefined;
    if (!secret) throw new TokenError('invalid_client', 'client authentication failed');
    if (clientAuth === 'client_secret_post' || !clientPublicKey) {
      if (secret !== options.clientSecret) throw new TokenError('invalid_client', 'client authentication failed');
      return;
    }
    try {
      const verifyOptions = {
        algorithms: ['ES256'],
        issuer: teamId,
        subject: options.clientId,
        audience: issuer,
        requiredClaims: ['iat', 'exp'],
      };
      const { protectedHeader } = await jwtVerify(secret, clientPublicKey, verifyOptions);
      if (protectedHeader.kid !== keyId) throw new Error(`kid ${protectedHeader.kid} is not ${keyId}`);
    } catch (error) {
      throw new TokenError('invalid_client', `client_secret JWT rejected: ${(error as Error).message}`);
    }
  }

  async function issueTokens(form: URLSearchParams, authorization: string | null): Promise<Record<string, unknown>> {
    const params = singleParams(form);
    if (!params) throw new TokenError('invalid_request', 'a parameter is repeated');
    await authenticateClient(params, authorization);
    if (!params.grant_type) throw new TokenError('invalid_request', 'grant_type is required');
    if (params.grant_type !== 'authorization_code') throw new TokenError('unsupported_grant_type', 'only authorization_code');
    for (const name of ['code', 'redirect_uri', 'code_verifier'] as const) {
      if (!params[name]) throw new TokenError('invalid_request', `${name} is required`);
    }
    const issued = codes.get(params.code ?? '');
    if (!issued) throw new TokenError('invalid_grant', 'unknown authorization code');
    if (issued.used) {
      for (const token of issued.accessTokens) accessTokens.delete(token);
      throw new TokenError('invalid_grant', 'authorization code already used');
    }
    issued.used = true;
    if (Date.now() > issued.expiresAt) throw new TokenError('invalid_grant', 'authorization code expired');
    if (params.redirect_uri !== issued.redirectUri) throw new TokenError('invalid_grant', 'redirect_uri differs from /authorize');
    const verifier = params.code_verifier ?? '';
    if (!PKCE_VALUE.test(verifier) || createHash('sha256').update(verifier).digest('base64url') !== issued.codeChallenge) {
      throw new TokenError('invalid_grant', 'code_verifier does not match code_challenge');
    }

    const accessToken = random();
    accessTokens.set(accessToken, { user: issued.user, expiresAt: Date.now() + ACCESS_TOKEN_TTL_S * 1000 });
    issued.accessTokens.push(accessToken);
    const response: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S };
    if (issued.scope) response.scope = issued.scope;
    if (options.flavor === 'oidc') {
      const { user, nonce } = issued;
      const now = Math.floor(Date.now() / 1000);
      response.id_token = await new SignJWT({ nonce, email: user.email, email_verified: user.emailVerified, name: user.name })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(user.sub)
        .setAudience(options.clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + ID_TOKEN_TTL_S)
        .sign(signingKeys.privateKey);
    }
    return response;
  }

  async function token(request: Request, form: URLSearchParams): Promise<Response> {
    if (!request.headers.get('Content-Type')?.startsWith('application/x-www-form-urlencoded')) {
      return json({ error: 'invalid_request', error_description: 'body must be application/x-www-form-urlencoded' }, 400);
    }
    try {
      return json(await issueTokens(form, request.headers.get('Authorization')), 200, { Pragma: 'no-cache' });
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      const status = error.code === 'invalid_client' ? 401 : 400;
      const challenge: Record<string, string> =
        status === 401 && clientAuth === 'client_secret_basic' ? { 'WWW-Authenticate': 'Basic realm="fake-oidc"' } : {};
      return json({ error: error.code, error_description: error.message }, status, challenge);
    }
  }

  function userinfo(request: Request, query: URLSearchParams): Response {
    const header = request.headers.get('Authorization');
    // Facebook's Graph API also takes the token as a query parameter (RFC 6750 §2.3).
    const presented = header ? /^Bearer (\S+)$/.exec(header)?.[1] : options.flavor === 'oauth2' ? query.get('access_token') : null;
    if (!header && !presented) return new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
    const grant = accessTokens.get(presented ?? '');
    if (!grant || Date.now() > grant.expiresAt) {
      return new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    }
    const { user } = grant;
    if (options.flavor === 'oidc') return json({ sub: user.sub, email: user.email, email_verified: user.emailVerified, name: user.name });
    // Graph /me answers only id and name unless asked for more with ?fields=.
    const fields = new Set((query.get('fields') ?? 'id,name').split(','));
    const me = { id: user.sub, email: fields.has('email') ? user.email : undefined, name: fields.has('name') ? user.name : undefined };
    return json(me);
  }

  const discovery = () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    response_modes_supported: [responseMode],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    // Apple's signed client secret still travels as client_secret in the body.
    token_endpoint_auth_methods_supported: [clientAuth === 'private_key_jwt_es256' ? 'client_secret_post' : clientAuth],
  });

  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const url = new URL(request.url);
      const isForm = request.headers.get('Content-Type')?.startsWith('application/x-www-form-urlencoded') ?? false;
      const form = new URLSearchParams(request.method === 'POST' && isForm ? await request.text() : '');
      const params = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(form) };
      requests.push({ method: request.method, path: url.pathname, params });
      const route = `${request.method} ${url.pathname}`;
      if (route === 'GET /.well-known/openid-configuration') return json(discovery(), 200, { 'Cache-Control': 'max-age=60' });
      if (route === 'GET /jwks') return json({ keys: [publicJwk] }, 200, { 'Cache-Control': 'max-age=60' });
      if (route === 'GET /authorize') return authorize(url.searchParams);
      if (route === 'POST /token') return token(request, form);
      if (route === 'GET /userinfo' || route === 'POST /userinfo') return userinfo(request, url.searchParams);
      const known = ['/.well-known/openid-configuration', '/jwks', '/authorize', '/token', '/userinfo'].includes(url.pathname);
      return new Response(known ? 'Method Not Allowed' : 'Not Found', { status: known ? 405 : 404 });
    },
  });
  issuer = `http://127.0.0.1:${server.port}`;

  return {
    issuer,
    authorizationEndpoint: `${issuer}/authorize`,
    tokenEndpoint: `${issuer}/token`,
    userinfoEndpoint: `${issuer}/userinfo`,
    jwksUri: `${issuer}/jwks`,
    requests,
    setUser(user) {
      currentUser = { ...user };
    },
    async close() {
      await server.stop(true);
    },
  };
}

/** The node's variables that point provider `name` (GOOGLE, APPLE…) at a fake provider. */
export function providerEndpoints(name: string, provider: FakeOidcProvider): Record<string, string> {
  return {
    [`OAUTH_${name}_ISSUER`]: provider.issuer,
    [`OAUTH_${name}_AUTHORIZATION_URL`]: provider.authorizationEndpoint,
    [`OAUTH_${name}_TOKEN_URL`]: provider.tokenEndpoint,
    [`OAUTH_${name}_USERINFO_URL`]: provider.userinfoEndpoint,
    [`OAUTH_${name}_JWKS_URL`]: provider.jwksUri,
  };
}

/**
 * Fake Google (OIDC with a client secret) and Apple (form_post, ES256 client secret) providers
 * redirecting to `callback(provider)`, with the node's variables that use them.
 */
export async function startGoogleAndApple(callback: (provider: string) => string) {
  const appleKeys = await generateKeyPair('ES256', { extractable: true });
  const google = await startFakeOidcProvider({
    clientId: 'google-client',
    clientSecret: 'google-secret',
    redirectUris: [callback('google')],
    flavor: 'oidc',
  });
  const apple = await startFakeOidcProvider({
    clientId: 'com.petamigos.web',
    redirectUris: [callback('apple')],
    flavor: 'oidc',
    responseMode: 'form_post',
    clientAuth: 'private_key_jwt_es256',
    clientPublicKey: appleKeys.publicKey,
    teamId: 'TEAM123456',
    keyId: 'KEY987654',
  });
  const variables: Record<string, string> = {
    OAUTH_GOOGLE_CLIENT_ID: 'google-client',
    OAUTH_GOOGLE_CLIENT_SECRET: 'google-secret',
    ...providerEndpoints('GOOGLE', google),
    OAUTH_APPLE_CLIENT_ID: 'com.petamigos.web',
    OAUTH_APPLE_TEAM_ID: 'TEAM123456',
    OAUTH_APPLE_KEY_ID: 'KEY987654',
    OAUTH_APPLE_PRIVATE_KEY: (await exportPKCS8(appleKeys.privateKey)).replaceAll('\n', '\\n'),
    ...providerEndpoints('APPLE', apple),
  };
  return { google, apple, variables };
}
