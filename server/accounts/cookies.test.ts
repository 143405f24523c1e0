// The cookies the accounts API sets carry Secure when the app is served over https (APP_URL), so
// they never travel in clear; over http (local use) they could not be set with it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('cookies_https', {
    APP_URL: 'https://app.petamigos.test',
    OAUTH_GOOGLE_CLIENT_ID: 'google-client',
    OAUTH_GOOGLE_CLIENT_SECRET: 'google-secret',
    OAUTH_GOOGLE_AUTHORIZATION_URL: 'https://accounts.google.test/authorize',
  });
});
afterAll(async () => {
  await env.close();
});

const cookieNamed = (headers: Headers, name: string) => headers.getSetCookie().find((line) => line.startsWith(`${name}=`)) as string;

describe('cookies over https', () => {
  test('cookies: with an https APP_URL the OAuth binding cookie and the device cookie are Secure', async () => {
    const start = await env.client().get('/auth/oauth/google/start');
    expect(start.status).toBe(302);
    expect(cookieNamed(start.headers, 'oauth_binding')).toMatch(/;\s*Secure/i);
    const user = await env.register();
    const login = await env.client().post('/auth/login', { login: user.email, password: user.password });
    expect(login.status).toBe(200);
    expect(cookieNamed(login.headers, 'device')).toMatch(/;\s*Secure/i);
  });

  test('cookies: with an https APP_URL the refresh cookie of the browser transport is Secure', async () => {
    const user = await env.register();
    const login = await env
      .client()
      .request('POST', '/auth/login', { body: { login: user.email, password: user.password }, headers: { 'x-token-transport': 'cookie' } });
    expect(login.status).toBe(200);
    expect(cookieNamed(login.headers, 'refresh')).toMatch(/;\s*Secure/i);
  });
});
