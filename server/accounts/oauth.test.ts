// Sign-in with Google (OIDC, id_token), Facebook (OAuth 2 + userinfo) and Apple (form_post, ES256
// client secret) against local fake providers that speak the real HTTP exchange. The test plays
// the browser: it follows each redirect, mapping the app's public host to the node under test.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, newIdentity, startAccountsEnv, type TokenPairBody } from '../../test/harness/accounts.ts';
import { linkToken } from '../../test/harness/mailbox.ts';
import {
  type FakeOidcProvider,
  type FakeOidcUser,
  providerEndpoints,
  startFakeOidcProvider,
  startGoogleAndApple,
} from '../../test/harness/oidc-provider.ts';
import { uniqueName } from '../../test/harness/services.ts';
import { base32Decode, totp } from './totp.ts';

const APP_URL = 'http://app.petamigos.test';
const callback = (provider: string) => `${APP_URL}/auth/oauth/${provider}/callback`;

let env: AccountsEnv;
let google: FakeOidcProvider;
let facebook: FakeOidcProvider;
let apple: FakeOidcProvider;
let providers: Record<string, string>;

beforeAll(async () => {
  ({ google, apple, variables: providers } = await startGoogleAndApple(callback));
  facebook = await startFakeOidcProvider({
    clientId: 'fb-client',
    clientSecret: 'fb-secret',
    redirectUris: [callback('facebook')],
    flavor: 'oauth2',
  });
  env = await startAccountsEnv('oauth', {
    APP_URL,
    ...providers,
    OAUTH_FACEBOOK_CLIENT_ID: 'fb-client',
    OAUTH_FACEBOOK_CLIENT_SECRET: 'fb-secret',
    ...providerEndpoints('FACEBOOK', facebook),
    OAUTH_FACEBOOK_USERINFO_URL: `${facebook.userinfoEndpoint}?fields=id,name,email`,
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

/**
 * One browser: keeps the cookies the node sets and sends them back to the node. `crossSite`
 * leaves them out, as a browser does for a SameSite=Lax cookie on a cross-site form post.
 */
class Browser {
  readonly cookies = new Map<string, string>();

  async fetch(url: string | URL, init: RequestInit & { crossSite?: boolean } = {}): Promise<Response> {
    const target = onNode(url.toString());
    const headers = new Headers(init.headers);
    const toNode = target.startsWith(env.node.url);
    if (toNode && !init.crossSite && this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    if (toNode) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, value] = (pair as string).split('=') as [string, string];
        if (/max-age=0/i.test(line)) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    return response;
  }

  exchange(finalUrl: URL, totp?: string) {
    expect(finalUrl.origin + finalUrl.pathname).toBe(`${APP_URL}/oauth/complete`);
    return this.post<TokenPairBody & { error?: { code: string } }>('/auth/oauth/exchange', {
      code: finalUrl.searchParams.get('code'),
      ...(totp === undefined ? {} : { totp }),
    });
  }

  async post<T>(path: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
    const response = await this.fetch(`${env.node.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }
}

/** Runs the browser part of a sign-in and returns where the app finally sent the browser. */
async function signInWith(
  provider: 'google' | 'facebook' | 'apple',
  fake: FakeOidcProvider,
  user: FakeOidcUser,
  browser = new Browser(),
): Promise<URL> {
  const authorize = await redirectTo(await browser.fetch(`${env.node.url}/auth/oauth/${provider}/start?language=es`));
  return followProvider(provider, fake, user, browser, authorize);
}

async function followProvider(
  provider: 'google' | 'facebook' | 'apple',
  fake: FakeOidcProvider,
  user: FakeOidcUser,
  browser: Browser,
  authorize: URL,
): Promise<URL> {
  fake.setUser(user);
  const response = await browser.fetch(authorize);
  if (provider === 'apple') {
    const html = await response.text();
    const fields = Object.fromEntries(
      [...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], (m[2] as string).replaceAll('&quot;', '"')]),
    );
    const action = html.match(/action="([^"]+)"/)?.[1] as string;
    // The provider's page posts across sites: no SameSite=Lax cookie goes with it.
    const posted = await redirectTo(
      await browser.fetch(action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields as Record<string, string>),
        crossSite: true,
      }),
    );
    return redirectTo(await browser.fetch(posted));
  }
  const back = await redirectTo(response);
  return redirectTo(await browser.fetch(back));
}

const person = (verified = true): FakeOidcUser => {
  const identity = newIdentity('oa');
  return { sub: uniqueName('sub'), email: identity.email, emailVerified: verified, name: 'Luna Peña' };
};

/** A signed-in browser's sign-in flow ends at the app with a code; this one signs in in the same browser. */
async function signedInWith(provider: 'google' | 'facebook' | 'apple', fake: FakeOidcProvider, user: FakeOidcUser) {
  const browser = new Browser();
  return browser.exchange(await signInWith(provider, fake, user, browser));
}

/** Registers a user with a verified address (a provider account with the same email then exists alongside). */
async function verifiedUser() {
  const owner = await env.register();
  const token = linkToken(await env.mailbox.waitFor(owner.email, /Confirm your email/), '/verify-email');
  await env.client().post('/auth/email/verify', { token });
  return owner;
}

/** The owner links `user` at Google from `browser`, proving itself with `proof`; returns where the flow ended. */
async function link(browser: Browser, accessToken: string, proof: Record<string, string>, user: FakeOidcUser) {
  const started = await browser.post<{ url: string; error?: { code: string } }>('/auth/oauth/google/link', proof, accessToken);
  if (started.status !== 200) return { status: started.status, code: started.body.error?.code };
  return { status: 200, final: await followProvider('google', google, user, browser, new URL(started.body.url)) };
}

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
    const signedIn = await signedInWith('google', google, user);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ email: user.email, emailVerified: true, language: 'es', username: 'luna.pena' });
    const me = await env.client().get<{ user: { hasPassword: boolean } }>('/auth/me', signedIn.body.accessToken);
    expect(me.body.user.hasPassword).toBe(false);
    const again = await signedInWith('google', google, user);
    expect(again.body.user.id).toBe(signedIn.body.user.id);
    const tokenCalls = google.requests.filter((request) => request.path === '/token');
    expect(tokenCalls.at(-1)?.params.code_verifier).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });

  test('oauth: a browser exchanging with X-Token-Transport: cookie gets the refresh token as the HttpOnly cookie, not in the JSON', async () => {
    const browser = new Browser();
    const final = await signInWith('google', google, person(), browser);
    const response = await browser.fetch(`${env.node.url}/auth/oauth/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-token-transport': 'cookie' },
      body: JSON.stringify({ code: final.searchParams.get('code') }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accessToken: string; refreshToken?: string };
    expect(body.refreshToken).toBeUndefined();
    expect(response.headers.getSetCookie().find((line) => line.startsWith('refresh='))).toMatch(
      /HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/i,
    );
    const refreshed = await browser.fetch(`${env.node.url}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-token-transport': 'cookie' },
      body: '{}',
    });
    expect(refreshed.status).toBe(200);
  });

  test('oauth: a login code cannot be exchanged twice', async () => {
    const browser = new Browser();
    const final = await signInWith('google', google, person(), browser);
    expect((await browser.exchange(final)).status).toBe(200);
    const second = await browser.exchange(final);
    expect(second.status).toBe(400);
    expect(second.body.error?.code).toBe('INVALID_TOKEN');
  });

  test('oauth: Facebook sign-in reads the profile from userinfo', async () => {
    const user = person();
    const signedIn = await signedInWith('facebook', facebook, user);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.email).toBe(user.email);
    expect(facebook.requests.some((request) => request.path === '/userinfo')).toBe(true);
  });

  test('oauth: Apple sign-in posts back the form (sent on to the GET callback, which carries the cookie), and the client secret is an ES256 JWT the provider accepts', async () => {
    const user = { ...person(), name: undefined };
    const signedIn = await signedInWith('apple', apple, user);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.email).toBe(user.email);
    const token = apple.requests.filter((request) => request.path === '/token').at(-1);
    expect(token?.params.client_secret?.split('.')).toHaveLength(3);
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

describe('oauth: bound to the browser that started it', () => {
  test('oauth: the start sets an HttpOnly, SameSite=Lax binding cookie for /auth/oauth', async () => {
    const response = await fetch(`${env.node.url}/auth/oauth/google/start`, { redirect: 'manual' });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('oauth_binding=')) as string;
    expect(cookie).toMatch(/^oauth_binding=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/auth\/oauth/i);
    expect(cookie).not.toMatch(/Secure/i); // APP_URL is http here; https sets Secure
  });

  test('oauth: a callback with a valid state but without the starting browser’s cookie is refused', async () => {
    const attacker = new Browser();
    const authorize = await redirectTo(await attacker.fetch(`${env.node.url}/auth/oauth/google/start`));
    google.setUser(person());
    const callbackUrl = await redirectTo(await attacker.fetch(authorize));
    // The attacker makes the victim's browser (no cookie) open the callback of the attacker's sign-in.
    const victim = new Browser();
    const final = await redirectTo(await victim.fetch(callbackUrl));
    expect(final.pathname).toBe('/login');
    expect(final.searchParams.get('oauthError')).toBe('OAUTH_STATE_INVALID');
  });

  test('oauth: a callback with a valid state and another browser’s binding cookie is refused', async () => {
    const attacker = new Browser();
    const authorize = await redirectTo(await attacker.fetch(`${env.node.url}/auth/oauth/google/start`));
    google.setUser(person());
    const callbackUrl = await redirectTo(await attacker.fetch(authorize));
    const victim = new Browser();
    await victim.fetch(`${env.node.url}/auth/oauth/google/start`); // the victim has a binding cookie of its own
    expect(victim.cookies.get('oauth_binding')).toBeDefined();
    const final = await redirectTo(await victim.fetch(callbackUrl));
    expect(final.searchParams.get('oauthError')).toBe('OAUTH_STATE_INVALID');
  });

  test('oauth: the one-time code works only from the browser whose cookie started the flow', async () => {
    const attacker = new Browser();
    const final = await signInWith('google', google, person(), attacker);
    const victim = new Browser();
    await victim.fetch(`${env.node.url}/auth/oauth/google/start`);
    const fromVictim = await victim.exchange(final);
    expect(fromVictim.status).toBe(400);
    expect(fromVictim.body.error?.code).toBe('INVALID_TOKEN');
    const withoutCookie = await new Browser().exchange(final);
    expect(withoutCookie.status).toBe(400);
    // Refusals do not use the code up: its own browser still signs in.
    expect((await attacker.exchange(final)).status).toBe(200);
  });
});

describe('oauth: no sign-in around the account’s own credentials', () => {
  test('oauth: a verified provider email of an existing account is not linked: OAUTH_LINK_REQUIRED, nothing changes', async () => {
    const owner = await verifiedUser();
    const user = { sub: uniqueName('sub'), email: owner.email, emailVerified: true };
    const final = await signInWith('google', google, user);
    expect(final.pathname).toBe('/login');
    expect(final.searchParams.get('oauthError')).toBe('OAUTH_LINK_REQUIRED');
    // Nothing was linked: the same provider account is still refused.
    expect((await signInWith('google', google, user)).searchParams.get('oauthError')).toBe('OAUTH_LINK_REQUIRED');
    expect((await env.client().post('/auth/login', { login: owner.email, password: owner.password })).status).toBe(200);
  });

  test('oauth: an account whose email was never verified is not taken over either (its owner resets the password instead)', async () => {
    const squatter = await env.register();
    const final = await signInWith('google', google, { sub: uniqueName('sub'), email: squatter.email, emailVerified: true });
    expect(final.searchParams.get('oauthError')).toBe('OAUTH_LINK_REQUIRED');
    expect((await squatter.client.get('/auth/me', squatter.tokens.accessToken)).status).toBe(200);
  });

  test('oauth: a fullwidth, upper-case spelling of the address is the same mailbox: OAUTH_LINK_REQUIRED too', async () => {
    const owner = await verifiedUser();
    const final = await signInWith('google', google, {
      sub: uniqueName('sub'),
      email: `\uFF55${owner.email.slice(1)}`.toUpperCase(),
      emailVerified: true,
    });
    expect(final.searchParams.get('oauthError')).toBe('OAUTH_LINK_REQUIRED');
  });

  test('oauth: the signed-in owner links a provider after re-authenticating; then provider sign-in reaches the account', async () => {
    const owner = await verifiedUser();
    const user = { sub: uniqueName('sub'), email: owner.email, emailVerified: true };
    const browser = new Browser();
    const refused = await link(browser, owner.tokens.accessToken, { password: 'not my password at all' }, user);
    expect(refused).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    const linked = await link(browser, owner.tokens.accessToken, { password: owner.password }, user);
    expect(linked.final?.pathname).toBe('/settings/sign-in');
    expect(linked.final?.searchParams.get('linked')).toBe('google');
    const signedIn = await signedInWith('google', google, user);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.id).toBe(owner.id);
  });

  test('oauth: a provider account linked to someone else cannot be linked again', async () => {
    const first = await verifiedUser();
    const second = await verifiedUser();
    const user = { sub: uniqueName('sub'), email: first.email, emailVerified: true };
    await link(new Browser(), first.tokens.accessToken, { password: first.password }, user);
    const again = await link(new Browser(), second.tokens.accessToken, { password: second.password }, user);
    expect(again.final?.searchParams.get('oauthError')).toBe('OAUTH_ALREADY_LINKED');
  });

  test('oauth: provider sign-in to an account with two-factor on asks for the code, as password sign-in does', async () => {
    const owner = await verifiedUser();
    const setup = await owner.client.post<{ secret: string }>('/auth/2fa/setup', {}, owner.tokens.accessToken);
    const secret = base32Decode(setup.body.secret);
    const stepMs = 30_000;
    // The three codes below are of three consecutive steps (a code is accepted once, and only ±1 step away). Near the end of
    // a step the first would fall out of the window before the server checks it, so the test starts a step afresh then.
    const leftInStep = stepMs - (Date.now() % stepMs);
    if (leftInStep < 5_000) await Bun.sleep(leftInStep + 50);
    const now = Date.now();
    const enabled = await owner.client.post(
      '/auth/2fa/enable',
      { code: totp(secret, now - stepMs), password: owner.password },
      owner.tokens.accessToken,
    );
    expect(enabled.status).toBe(200);
    const user = { sub: uniqueName('sub'), email: owner.email, emailVerified: true };
    const browser = new Browser();
    const withoutCode = await link(browser, owner.tokens.accessToken, { password: owner.password }, user);
    expect(withoutCode).toMatchObject({ status: 401, code: 'TOTP_REQUIRED' });
    const linked = await link(browser, owner.tokens.accessToken, { password: owner.password, code: totp(secret, now) }, user);
    expect(linked.final?.searchParams.get('linked')).toBe('google');

    const signingIn = new Browser();
    const final = await signInWith('google', google, user, signingIn);
    const noCode = await signingIn.exchange(final);
    expect(noCode.status).toBe(401);
    expect(noCode.body.error?.code).toBe('TOTP_REQUIRED');
    const wrong = await signingIn.exchange(final, '000000');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('TOTP_INVALID');
    const right = await signingIn.exchange(final, totp(secret, now + stepMs));
    expect(right.status).toBe(200);
    expect(right.body.user.id).toBe(owner.id);
  });
});

describe('oauth: an account without a password re-authenticates at its provider', () => {
  /** A Google-only account signed in from `browser`, whose provider sign-in is older than the re-authentication window. */
  async function providerOnlyAccount() {
    const user = person();
    const browser = new Browser();
    const signedIn = await browser.exchange(await signInWith('google', google, user, browser));
    expect(signedIn.status).toBe(200);
    // Stands for the five minutes passing: the note that this session just signed in at Google goes.
    await env.node.platform.cache.del(`reauth-provider:${signedIn.body.sessionId}`);
    return { user, browser, tokens: signedIn.body };
  }

  test('oauth: right after a provider sign-in the session counts as re-authenticated (a first password can be set)', async () => {
    const user = person();
    const browser = new Browser();
    const signedIn = await browser.exchange(await signInWith('google', google, user, browser));
    const set = await env.client().post('/auth/password/change', { newPassword: 'A first password 2026' }, signedIn.body.accessToken);
    expect(set.status).toBe(204);
  });

  test('oauth: with an older provider sign-in, linking another provider and setting a password need a fresh one; nothing changes meanwhile', async () => {
    const { user, browser, tokens } = await providerOnlyAccount();
    const link = await browser.post<{ error: { code: string; details: unknown } }>('/auth/oauth/facebook/link', {}, tokens.accessToken);
    expect(link.status).toBe(403);
    expect(link.body.error).toMatchObject({ code: 'REAUTH_REQUIRED', details: { method: 'provider', providers: ['google'] } });
    const password = await env
      .client()
      .post<{ error: { code: string } }>('/auth/password/change', { newPassword: 'A first password 2026' }, tokens.accessToken);
    expect(password.status).toBe(403);
    const me = await env.client().get<{ user: { hasPassword: boolean } }>('/auth/me', tokens.accessToken);
    expect(me.body.user.hasPassword).toBe(false);

    const started = await browser.post<{ url: string }>('/auth/oauth/google/reauth', {}, tokens.accessToken);
    expect(started.status).toBe(200);
    const final = await followProvider('google', google, user, browser, new URL(started.body.url));
    expect(final.pathname).toBe('/settings/sign-in');
    expect(final.searchParams.get('reauthenticated')).toBe('google');
    const linked = await browser.post<{ url: string }>('/auth/oauth/facebook/link', {}, tokens.accessToken);
    expect(linked.status).toBe(200);
    const set = await env.client().post('/auth/password/change', { newPassword: 'A first password 2026' }, tokens.accessToken);
    expect(set.status).toBe(204);
  });

  test('oauth: a re-authentication with another provider account than the linked one is refused and counts for nothing', async () => {
    const { browser, tokens } = await providerOnlyAccount();
    const started = await browser.post<{ url: string }>('/auth/oauth/google/reauth', {}, tokens.accessToken);
    const final = await followProvider('google', google, person(), browser, new URL(started.body.url));
    expect(final.pathname).toBe('/settings/sign-in');
    expect(final.searchParams.get('oauthError')).toBe('OAUTH_REAUTH_MISMATCH');
    const link = await browser.post<{ error: { code: string } }>('/auth/oauth/facebook/link', {}, tokens.accessToken);
    expect(link.body.error.code).toBe('REAUTH_REQUIRED');
  });

  test('oauth: re-authenticating at a provider the account does not sign in with is refused', async () => {
    const { browser, tokens } = await providerOnlyAccount();
    const started = await browser.post<{ error: { code: string } }>('/auth/oauth/apple/reauth', {}, tokens.accessToken);
    expect(started.status).toBe(400);
    expect(started.body.error.code).toBe('OAUTH_NOT_LINKED');
  });

  test('oauth: a provider re-authentication is bound to its session: another session of the account is not re-authenticated by it', async () => {
    const { user, browser, tokens } = await providerOnlyAccount();
    const other = new Browser();
    const second = await other.exchange(await signInWith('google', google, user, other));
    await env.node.platform.cache.del(`reauth-provider:${second.body.sessionId}`);
    const started = await browser.post<{ url: string }>('/auth/oauth/google/reauth', {}, tokens.accessToken);
    await followProvider('google', google, user, browser, new URL(started.body.url));
    const fromOther = await other.post<{ error: { code: string } }>('/auth/oauth/facebook/link', {}, second.body.accessToken);
    expect(fromOther.body.error.code).toBe('REAUTH_REQUIRED');
  });
});
