// The fake OIDC provider is only worth trusting if it behaves like the real ones, so it is driven here the way a relying
// party drives Google, Facebook and Apple: plain fetch, manual redirects, PKCE, signed tokens checked against the JWKS.
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeOidcProvider, type FakeOidcUser, startFakeOidcProvider } from './oidc-provider.ts';

const REDIRECT = 'http://127.0.0.1:9/auth/callback';
const alice: FakeOidcUser = { sub: 'alice-123', email: 'alice@example.com', emailVerified: true, name: 'Alice Liddell' };

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorize(provider: FakeOidcProvider, params: Record<string, string>): Promise<Response> {
  const url = new URL(provider.authorizationEndpoint);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return fetch(url, { redirect: 'manual' });
}

function redeem(provider: FakeOidcProvider, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(provider.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
}

/** Authorizes with a fresh PKCE pair and returns what the callback would receive. */
async function authorizeCode(provider: FakeOidcProvider, clientId: string, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const response = await authorize(provider, {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: 'openid email profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('Location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe(state);
  return { code: location.searchParams.get('code') ?? '', verifier };
}

function formFields(html: string): { action: string | undefined; fields: Record<string, string> } {
  const decodeEntities = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[decodeEntities(match[1] ?? '')] = decodeEntities(match[2] ?? '');
  }
  return { action: action === undefined ? undefined : decodeEntities(action), fields };
}

describe('google-like (oidc, client_secret_post)', () => {
  let google: FakeOidcProvider;
  beforeAll(async () => {
    google = await startFakeOidcProvider({ clientId: 'g-client', clientSecret: 'g-secret', redirectUris: [REDIRECT], flavor: 'oidc' });
    google.setUser(alice);
  });
  afterAll(() => google.close());
  const exchange = (code: string, verifier: string, secret = 'g-secret') =>
    redeem(google, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: 'g-client',
      client_secret: secret,
    });

  test('oidc fake: the discovery document points at its own endpoints and advertises only code + S256 + RS256', async () => {
    const response = await fetch(`${google.issuer}/.well-known/openid-configuration`);
    expect(await response.json()).toMatchObject({
      issuer: google.issuer,
      authorization_endpoint: google.authorizationEndpoint,
      token_endpoint: google.tokenEndpoint,
      userinfo_endpoint: google.userinfoEndpoint,
      jwks_uri: google.jwksUri,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
    });
  });

  test('oidc fake: code + PKCE flow yields an RS256 id_token that verifies against the JWKS and carries the nonce', async () => {
    const { code, verifier } = await authorizeCode(google, 'g-client', { nonce: 'n-0S6_WzA2Mj' });
    const response = await exchange(code, verifier);
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const tokens = (await response.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid email profile' });
    const { payload, protectedHeader } = await jwtVerify(String(tokens.id_token), createRemoteJWKSet(new URL(google.jwksUri)), {
      issuer: google.issuer,
      audience: 'g-client',
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toBeTypeOf('string');
    expect(payload).toMatchObject({ sub: 'alice-123', nonce: 'n-0S6_WzA2Mj', email: 'alice@example.com', email_verified: true });
    expect(payload.name).toBe('Alice Liddell');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);

    const userinfo = await fetch(google.userinfoEndpoint, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(await userinfo.json()).toEqual({ sub: 'alice-123', email: 'alice@example.com', email_verified: true, name: 'Alice Liddell' });
    expect(google.requests.some((request) => request.path === '/token' && request.params.code === code)).toBe(true);
  });

  test('oidc fake: a wrong code_verifier is refused with invalid_grant', async () => {
    const { code } = await authorizeCode(google, 'g-client');
    const response = await exchange(code, pkce().verifier);
    expect(response.status).toBe(400);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  test('oidc fake: a code works once; its replay is invalid_grant and revokes the tokens it gave', async () => {
    const { code, verifier } = await authorizeCode(google, 'g-client');
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    const { access_token: accessToken } = (await first.json()) as { access_token: string };
    const second = await exchange(code, verifier);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
    const userinfo = await fetch(google.userinfoEndpoint, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
  });

  test('oidc fake: an unregistered redirect_uri gets a 400 page, never a redirect', async () => {
    const response = await authorize(google, {
      response_type: 'code',
      client_id: 'g-client',
      redirect_uri: 'https://evil.example/callback',
      state: 's',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
    expect(await response.text()).not.toContain('evil.example');
  });

  test('oidc fake: a missing code_challenge, or the plain method, is redirected back as invalid_request with the state', async () => {
    const base = { response_type: 'code', client_id: 'g-client', redirect_uri: REDIRECT, state: 'st-1' };
    for (const params of [base, { ...base, code_challenge: pkce().verifier, code_challenge_method: 'plain' }]) {
      const response = await authorize(google, params);
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('Location') ?? '');
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe('st-1');
      expect(location.searchParams.get('code')).toBeNull();
    }
  });

  test('oidc fake: a wrong client secret is 401 invalid_client', async () => {
    const { code, verifier } = await authorizeCode(google, 'g-client');
    const response = await exchange(code, verifier, 'not-the-secret');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  test('oidc fake: userinfo without a token is 401 with a Bearer challenge', async () => {
    const response = await fetch(google.userinfoEndpoint);
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
  });
});

describe('facebook-like (oauth2, client_secret_basic)', () => {
  let facebook: FakeOidcProvider;
  beforeAll(async () => {
    facebook = await startFakeOidcProvider({
      clientId: 'fb-client',
      clientSecret: 'fb secret:+/',
      redirectUris: [REDIRECT],
      flavor: 'oauth2',
      clientAuth: 'client_secret_basic',
    });
    facebook.setUser({ sub: '10158', email: 'bob@example.com', emailVerified: false, name: 'Bob' });
  });
  afterAll(() => facebook.close());
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

  test('oidc fake: oauth2 flavor gives no id_token and userinfo answers the Graph /me shape', async () => {
    const { code, verifier } = await authorizeCode(facebook, 'fb-client', { scope: 'email public_profile' });
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
    const response = await redeem(facebook, params, { Authorization: basic('fb-client', 'fb secret:+/') });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Record<string, unknown>;
    expect(tokens.id_token).toBeUndefined();
    const me = await fetch(`${facebook.userinfoEndpoint}?fields=id,name,email`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await me.json()).toEqual({ id: '10158', email: 'bob@example.com', name: 'Bob' });
  });

  test('oidc fake: a wrong basic client secret is 401 invalid_client with a Basic challenge', async () => {
    const { code, verifier } = await authorizeCode(facebook, 'fb-client');
    const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
    const response = await redeem(facebook, params, { Authorization: basic('fb-client', 'wrong') });
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Basic/);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('apple-like (oidc, form_post, private_key_jwt_es256)', () => {
  let apple: FakeOidcProvider;
  let clientKey: CryptoKey;
  beforeAll(async () => {
    const keys = await generateKeyPair('ES256');
    clientKey = keys.privateKey;
    apple = await startFakeOidcProvider({
      clientId: 'com.petamigos.web',
      redirectUris: [REDIRECT],
      flavor: 'oidc',
      responseMode: 'form_post',
      clientAuth: 'private_key_jwt_es256',
      clientPublicKey: keys.publicKey,
      teamId: 'TEAM123456',
      keyId: 'KEY7654321',
    });
    apple.setUser(alice);
  });
  afterAll(() => apple.close());
  const clientSecret = (claims: { kid?: string; aud?: string; expiresIn?: number } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: claims.kid ?? 'KEY7654321' })
      .setIssuer('TEAM123456')
      .setSubject('com.petamigos.web')
      .setAudience(claims.aud ?? apple.issuer)
      .setIssuedAt(now - 120)
      .setExpirationTime(now + (claims.expiresIn ?? 300))
      .sign(clientKey);
  };
  /** Authorizes and returns the fields the browser would post to the callback. */
  const authorizeForm = async () => {
    const { verifier, challenge } = pkce();
    const response = await authorize(apple, {
      response_type: 'code',
      response_mode: 'form_post',
      client_id: 'com.petamigos.web',
      redirect_uri: REDIRECT,
      scope: 'name email',
      state: 'apple-state',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain('text/html');
    return { ...formFields(await response.text()), verifier };
  };
  const exchange = async (code: string, verifier: string, secret: string) =>
    redeem(apple, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: 'com.petamigos.web',
      client_secret: secret,
    });

  test('oidc fake: form_post answers an HTML form posting code, state and (first time only) the user JSON', async () => {
    const first = await authorizeForm();
    expect(first.action).toBe(REDIRECT);
    expect(first.fields.state).toBe('apple-state');
    expect(first.fields.code).toMatch(/^[\w-]{20,}$/);
    expect(JSON.parse(first.fields.user ?? 'null')).toEqual({
      name: { firstName: 'Alice', lastName: 'Liddell' },
      email: 'alice@example.com',
    });
    const second = await authorizeForm();
    expect(second.fields.code).toBeTypeOf('string');
    expect(second.fields.user).toBeUndefined();
  });

  test('oidc fake: an ES256 client_secret JWT signed by the client key redeems the code for an id_token', async () => {
    const { fields, verifier } = await authorizeForm();
    const response = await exchange(fields.code ?? '', verifier, await clientSecret());
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as { id_token: string };
    const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(apple.jwksUri)), {
      issuer: apple.issuer,
      audience: 'com.petamigos.web',
    });
    expect(payload.sub).toBe('alice-123');
  });

  test('oidc fake: a client_secret JWT with the wrong kid, audience or an expired exp is 401 invalid_client', async () => {
    for (const claims of [{ kid: 'OTHERKEY00' }, { aud: 'https://appleid.apple.com' }, { expiresIn: -60 }]) {
      const { fields, verifier } = await authorizeForm();
      const response = await exchange(fields.code ?? '', verifier, await clientSecret(claims));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    }
  });
});
