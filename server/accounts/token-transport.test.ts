// The browser's token transport: with X-Token-Transport: cookie the refresh token lives only in an
// HttpOnly, SameSite=Strict cookie scoped to /auth, never in a JSON body; refresh and logout take
// it from the cookie, and only with the header (so no cross-site page can trigger them). Native
// clients keep the body fields.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, newIdentity, PASSWORD, startAccountsEnv } from '../../test/harness/accounts.ts';
import type { ApiClient } from '../../test/harness/api.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('token_transport');
});
afterAll(async () => {
  await env.close();
});

const COOKIE_MODE = { 'x-token-transport': 'cookie' };
const setCookie = (headers: Headers) => headers.getSetCookie().find((line) => line.startsWith('refresh=')) as string;
/** The cookie as a browser would send it back: name=value. */
const cookieHeader = (line: string) => line.split(';')[0] as string;

async function cookieLogin(client: ApiClient, user: { username: string; password: string }) {
  const response = await client.request<Record<string, unknown>>('POST', '/auth/login', {
    body: { login: user.username, password: user.password },
    headers: COOKIE_MODE,
  });
  expect(response.status).toBe(200);
  return { body: response.body, cookie: setCookie(response.headers) };
}

describe('refresh token in a cookie', () => {
  test('token transport: cookie-mode login keeps the refresh token out of the JSON and sets it HttpOnly, SameSite=Strict, Path=/auth', async () => {
    const user = await env.register();
    const { body, cookie } = await cookieLogin(env.client(), user);
    expect(body.refreshToken).toBeUndefined();
    expect(typeof body.accessToken).toBe('string');
    expect(cookie).toMatch(/^refresh=[A-Za-z0-9_-]{20,};/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    expect(cookie).toMatch(/;\s*Path=\/auth(;|$)/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*Max-Age=\d{6}/i);
  });

  test('token transport: cookie-mode register answers without the refresh token and sets the cookie', async () => {
    const response = await env.client().request<Record<string, unknown>>('POST', '/auth/register', {
      body: { ...newIdentity(), password: PASSWORD, language: 'en' },
      headers: COOKIE_MODE,
    });
    expect(response.status).toBe(201);
    expect(response.body.refreshToken).toBeUndefined();
    expect(setCookie(response.headers)).toMatch(/^refresh=[A-Za-z0-9_-]{20,};.*HttpOnly/i);
  });

  test('token transport: a refresh works with the cookie alone, rotates it and answers without the token', async () => {
    const user = await env.register();
    const client = env.client();
    const { cookie } = await cookieLogin(client, user);
    const refreshed = await client.request<{ accessToken: string; refreshToken?: string }>('POST', '/auth/refresh', {
      body: {},
      headers: { ...COOKIE_MODE, cookie: cookieHeader(cookie) },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).toBeUndefined();
    const next = setCookie(refreshed.headers);
    expect(cookieHeader(next)).not.toBe(cookieHeader(cookie));
    expect((await client.get('/auth/me', refreshed.body.accessToken)).status).toBe(200);
    // The cookie it replaced was used up: presenting it again is reuse.
    const again = await client.request('POST', '/auth/refresh', { body: {}, headers: { ...COOKIE_MODE, cookie: cookieHeader(cookie) } });
    expect(again.status).toBe(401);
  });

  test('token transport: a refresh with the cookie but without the X-Token-Transport header is refused and uses nothing up', async () => {
    const user = await env.register();
    const client = env.client();
    const { cookie } = await cookieLogin(client, user);
    const refused = await client.request<{ error: { code: string } }>('POST', '/auth/refresh', {
      body: {},
      headers: { cookie: cookieHeader(cookie) },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('TOKEN_TRANSPORT_REQUIRED');
    expect(setCookie(refused.headers)).toBeUndefined();
    const logout = await client.request<{ error: { code: string } }>('POST', '/auth/logout', {
      body: {},
      headers: { cookie: cookieHeader(cookie) },
    });
    expect(logout.status).toBe(403);
    const accepted = await client.request('POST', '/auth/refresh', { body: {}, headers: { ...COOKIE_MODE, cookie: cookieHeader(cookie) } });
    expect(accepted.status).toBe(200);
  });

  test('token transport: a cookie-mode refresh without any cookie is unauthenticated', async () => {
    const response = await env.client().request<{ error: { code: string } }>('POST', '/auth/refresh', { body: {}, headers: COOKIE_MODE });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
  });

  test('token transport: a cookie-mode logout ends the session and clears the cookie', async () => {
    const user = await env.register();
    const client = env.client();
    const { body, cookie } = await cookieLogin(client, user);
    const logout = await client.request('POST', '/auth/logout', { body: {}, headers: { ...COOKIE_MODE, cookie: cookieHeader(cookie) } });
    expect(logout.status).toBe(204);
    const cleared = setCookie(logout.headers);
    expect(cleared).toMatch(/^refresh=;/);
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(cleared).toMatch(/;\s*Path=\/auth(;|$)/i);
    const refresh = await client.request<{ error: { code: string } }>('POST', '/auth/refresh', {
      body: {},
      headers: { ...COOKIE_MODE, cookie: cookieHeader(cookie) },
    });
    expect(refresh.status).toBe(401);
    expect(refresh.body.error.code).toBe('SESSION_REVOKED');
    expect((await client.get('/auth/me', body.accessToken as string)).status).toBe(401);
  });

  test('token transport: native clients keep the refresh token in the JSON body and get no refresh cookie', async () => {
    const user = await env.register();
    const client = env.client();
    const login = await client.post<{ refreshToken: string }>('/auth/login', { login: user.username, password: user.password });
    expect(typeof login.body.refreshToken).toBe('string');
    expect(setCookie(login.headers)).toBeUndefined();
    const refreshed = await client.post<{ refreshToken: string }>('/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(typeof refreshed.body.refreshToken).toBe('string');
  });
});
