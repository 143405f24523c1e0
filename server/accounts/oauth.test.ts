// Sign-in with Google (OIDC, id_token), Facebook (OAuth 2 + userinfo) and Apple (form_post, ES256
// client secret) against local fake providers that speak the real HTTP exchange. The test plays
// the browser: it follows each redirect, mapping the app's public host to the node under test.
import { exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, newIdentity, startAccountsEnv, type TokenPairBody } from '../../test/harness/accounts.ts';
import { linkToken } from '../../test/harness/mailbox.ts';
import { type FakeOidcProvider, type FakeOidcUser, startFakeOidcProvider } from '../../test/harness/oidc-provider.ts';
import { uniqueName } from '../../test/harness/services.ts';

const APP_URL = 'http://app.petamigos.test';
const callback = (provider: string) => `${APP_URL}/auth/oauth/${provider}/callback`;

let env: AccountsEnv;
let google: FakeOidcProvider;
let facebook: FakeOidcProvider;
let apple: FakeOidcProvider;

beforeAll(async () => {
  const appleKeys = await generateKeyPair('ES256', { extractable: true });
  google = await startFakeOidcProvider({
    clientId: 'google-client',
    clientSecret: 'google-secret',
    redirectUris: [callback('google')],
    flavor: 'oidc',
  });
  facebook = await startFakeOidcProvider({
    clientId: 'fb-client',
    clientSecret: 'fb-secret',
    redirectUris: [callback('facebook')],
    flavor: 'oauth2',
  });
  apple = await startFakeOidcProvider({
    clientId: 'com.petamigos.web',
    redirectUris: [callback('apple')],
    flavor: 'oidc',
    responseMode: 'form_post',
    clientAuth: 'private_key_jwt_es256',
    clientPublicKey: appleKeys.publicKey,
    teamId: 'TEAM123456',
    keyId: 'KEY987654',
  });
  const endpoints = (name: string, provider: FakeOidcProvider) => ({
    [`OAUTH_${name}_ISSUER`]: provider.issuer,
    [`OAUTH_${name}_AUTHORIZATION_URL`]: provider.authorizationEndpoint,
    [`OAUTH_${name}_TOKEN_URL`]: provider.tokenEndpoint,
    [`OAUTH_${name}_USERINFO_URL`]: provider.userinfoEndpoint,
    [`OAUTH_${name}_JWKS_URL`]: provider.jwksUri,
  });
  env = await startAccountsEnv('oauth', {
    APP_URL,
    OAUTH_GOOGLE_CLIENT_ID: 'google-client',
    OAUTH_GOOGLE_CLIENT_SECRET: 'google-secret',
    ...endpoints('GOOGLE', google),
    OAUTH_FACEBOOK_CLIENT_ID: 'fb-client',
    OAUTH_FACEBOOK_CLIENT_SECRET: 'fb-secret',
    ...endpoints('FACEBOOK', facebook),
    OAUTH_FACEBOOK_USERINFO_URL: `${facebook.userinfoEndpoint}?fields=id,name,email`,
    OAUTH_APPLE_CLIENT_ID: 'com.petamigos.web',
    OAUTH_APPLE_TEAM_ID: 'TEAM123456',
    OAUTH_APPLE_KEY_ID: 'KEY987654',
    OAUTH_APPLE_PRIVATE_KEY: (await exportPKCS8(appleKeys.privateKey)).replaceAll('\n', '\\n'),
    ...endpoints('APPLE', apple),
  });
});
afterAll(async () => {
  await env.close();
  await Promise.all([google.close(), facebook.close(), apple.close()]);
});

/** The browser's view of the app host: the node under test. */
const onNode = (url: string) => url.replace(APP_URL, env.node.url);

async function redirectTo(response: Response): Promise<URL> {
  expect([302, 303]).toContain(response.status);
  return new URL(response.headers.get('location') as string);
}

/** Runs the browser part of a sign-in and returns where the app finally sent the browser. */
async function signInWith(provider: 'google' | 'facebook' | 'apple', fake: FakeOidcProvider, user: FakeOidcUser): Promise<URL> {
  fake.setUser(user);
  const authorize = await redirectTo(await fetch(`${env.node.url}/auth/oauth/${provider}/start?language=es`, { redirect: 'manual' }));
  const atProvider = await fetch(authorize, { redirect: 'manual' });
  if (provider === 'apple') {
    const html = await atProvider.text();
    const fields = Object.fromEntries(
      [...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], (m[2] as string).replaceAll('&quot;', '"')]),
    );
    const action = html.match(/action="([^"]+)"/)?.[1] as string;
    return redirectTo(
      await fetch(onNode(action), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields as Record<string, string>),
        redirect: 'manual',
      }),
    );
  }
  const back = await redirectTo(atProvider);
  return redirectTo(await fetch(onNode(back.toString()), { redirect: 'manual' }));
}

async function exchange(finalUrl: URL) {
  expect(finalUrl.origin + finalUrl.pathname).toBe(`${APP_URL}/oauth/complete`);
  return env
    .client()
    .post<TokenPairBody & { error?: { code: string } }>('/auth/oauth/exchange', { code: finalUrl.searchParams.get('code') });
}

const person = (verified = true): FakeOidcUser => {
  const identity = newIdentity('oa');
  return { sub: uniqueName('sub'), email: identity.email, emailVerified: verified, name: 'Luna Peña' };
};

describe('oauth', () => {
  test('oauth: the start redirect carries PKCE (S256), state and nonce', async () => {
    const response = await fetch(`${env.node.url}/auth/oauth/google/start`, { redirect: 'manual' });
    const url = await redirectTo(response);
    expect(url.origin + url.pathname).toBe(google.authorizationEndpoint);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(callback('google'));
  });

  test('oauth: Google sign-in creates a verified, password-less account; the one-time code works once; the next sign-in finds it', async () => {
    const user = person();
    const signedIn = await exchange(await signInWith('google', google, user));
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ email: user.email, emailVerified: true, language: 'es', username: 'luna.pena' });
    const me = await env.client().get<{ user: { hasPassword: boolean } }>('/auth/me', signedIn.body.accessToken);
    expect(me.body.user.hasPassword).toBe(false);
    const again = await exchange(await signInWith('google', google, user));
    expect(again.body.user.id).toBe(signedIn.body.user.id);
    const tokenCalls = google.requests.filter((request) => request.path === '/token');
    expect(tokenCalls.at(-1)?.params.code_verifier).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });

  test('oauth: a login code cannot be exchanged twice', async () => {
    const final = await signInWith('google', google, person());
    expect((await exchange(final)).status).toBe(200);
    const second = await exchange(final);
    expect(second.status).toBe(400);
    expect(second.body.error?.code).toBe('INVALID_TOKEN');
  });

  test('oauth: Facebook sign-in reads the profile from userinfo', async () => {
    const user = person();
    const signedIn = await exchange(await signInWith('facebook', facebook, user));
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.email).toBe(user.email);
    expect(facebook.requests.some((request) => request.path === '/userinfo')).toBe(true);
  });

  test('oauth: Apple sign-in posts back the form, and the client secret is an ES256 JWT the provider accepts', async () => {
    const user = { ...person(), name: undefined };
    const signedIn = await exchange(await signInWith('apple', apple, user));
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.email).toBe(user.email);
    const token = apple.requests.filter((request) => request.path === '/token').at(-1);
    expect(token?.params.client_secret?.split('.')).toHaveLength(3);
  });

  test('oauth: a verified provider email links to the existing verified account; its password keeps working', async () => {
    const owner = await env.register();
    const token = linkToken(await env.mailbox.waitFor(owner.email, /Confirm your email/), '/verify-email');
    await env.client().post('/auth/email/verify', { token });
    const signedIn = await exchange(
      await signInWith('google', google, { sub: uniqueName('sub'), email: owner.email, emailVerified: true }),
    );
    expect(signedIn.body.user.id).toBe(owner.id);
    expect((await env.client().post('/auth/login', { login: owner.email, password: owner.password })).status).toBe(200);
  });

  test('oauth: linking to an account whose email was never verified ends its password and sessions', async () => {
    const squatter = await env.register();
    const signedIn = await exchange(
      await signInWith('google', google, { sub: uniqueName('sub'), email: squatter.email, emailVerified: true }),
    );
    expect(signedIn.body.user.id).toBe(squatter.id);
    expect(signedIn.body.user.emailVerified).toBe(true);
    expect((await env.client().post('/auth/login', { login: squatter.email, password: squatter.password })).status).toBe(401);
    expect((await squatter.client.get('/auth/me', squatter.tokens.accessToken)).status).toBe(401);
  });

  test('oauth: an unverified provider email never takes over an existing account', async () => {
    const owner = await env.register();
    const final = await signInWith('google', google, { sub: uniqueName('sub'), email: owner.email, emailVerified: false });
    expect(final.pathname).toBe('/login');
    expect(final.searchParams.get('oauthError')).toBe('EMAIL_TAKEN');
  });

  test('oauth: a callback with an unknown state, or a denial at the provider, ends at the login page with a reason', async () => {
    const forged = await redirectTo(
      await fetch(`${env.node.url}/auth/oauth/google/callback?code=abc&state=forged`, { redirect: 'manual' }),
    );
    expect(forged.searchParams.get('oauthError')).toBe('OAUTH_STATE_INVALID');
    const denied = await redirectTo(
      await fetch(`${env.node.url}/auth/oauth/google/callback?error=access_denied&state=x`, { redirect: 'manual' }),
    );
    expect(denied.searchParams.get('oauthError')).toBe('OAUTH_DENIED');
  });

  test('oauth: an unknown provider is a 404, and the configured ones are listed', async () => {
    expect((await fetch(`${env.node.url}/auth/oauth/myspace/start`, { redirect: 'manual' })).status).toBe(404);
    const listed = await env.client().get<{ providers: string[] }>('/auth/oauth/providers');
    expect(listed.body.providers).toEqual(['google', 'facebook', 'apple']);
  });
});
