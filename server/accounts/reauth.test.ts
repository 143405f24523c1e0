// Sensitive changes re-authenticate in the same request: changing the password, turning
// two-factor on or off, signing out every other device and linking a provider each need the
// current password (and the code when two-factor is on). Without it they answer 403
// REAUTH_REQUIRED and change nothing. (Accounts without a password: oauth.test.ts.)
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from '../../test/harness/accounts.ts';
import { base32Decode, totp } from './totp.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('reauth', {
    OAUTH_GOOGLE_CLIENT_ID: 'google-client',
    OAUTH_GOOGLE_CLIENT_SECRET: 'google-secret',
    OAUTH_GOOGLE_AUTHORIZATION_URL: 'https://accounts.google.test/authorize',
  });
});
afterAll(async () => {
  await env.close();
});

type ErrorBody = { error: { code: string; details?: { method?: string } } };
const STEP_MS = 30_000;

const me = async (user: RegisteredUser) =>
  (await user.client.get<{ user: { twoFactorEnabled: boolean } }>('/auth/me', user.tokens.accessToken)).body.user;

async function withTwoFactor(user: RegisteredUser): Promise<Uint8Array> {
  const setup = await user.client.post<{ secret: string }>('/auth/2fa/setup', {}, user.tokens.accessToken);
  const secret = base32Decode(setup.body.secret);
  const enabled = await user.client.post(
    '/auth/2fa/enable',
    { code: totp(secret, Date.now() - STEP_MS), password: user.password },
    user.tokens.accessToken,
  );
  expect(enabled.status).toBe(200);
  return secret;
}

function expectReauthRequired(response: { status: number; body: unknown }) {
  expect(response.status).toBe(403);
  expect((response.body as ErrorBody).error).toMatchObject({ code: 'REAUTH_REQUIRED', details: { method: 'password' } });
}

describe('re-authentication for sensitive changes', () => {
  test('reauth: changing the password without the current one is refused and the old password still signs in', async () => {
    const user = await env.register();
    const refused = await user.client.post('/auth/password/change', { newPassword: 'A brand new secret 2026' }, user.tokens.accessToken);
    expectReauthRequired(refused);
    expect((await env.client().post('/auth/login', { login: user.email, password: user.password })).status).toBe(200);
    const changed = await user.client.post(
      '/auth/password/change',
      { password: user.password, newPassword: 'A brand new secret 2026' },
      user.tokens.accessToken,
    );
    expect(changed.status).toBe(204);
  });

  test('reauth: turning two-factor on without the password is refused and leaves it off; with it, it is on', async () => {
    const user = await env.register();
    const setup = await user.client.post<{ secret: string }>('/auth/2fa/setup', {}, user.tokens.accessToken);
    const secret = base32Decode(setup.body.secret);
    const refused = await user.client.post('/auth/2fa/enable', { code: totp(secret, Date.now()) }, user.tokens.accessToken);
    expectReauthRequired(refused);
    expect((await me(user)).twoFactorEnabled).toBe(false);
    const wrong = await user.client.post<ErrorBody>(
      '/auth/2fa/enable',
      { code: totp(secret, Date.now()), password: 'not the password at all' },
      user.tokens.accessToken,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await me(user)).twoFactorEnabled).toBe(false);
    const enabled = await user.client.post(
      '/auth/2fa/enable',
      { code: totp(secret, Date.now()), password: user.password },
      user.tokens.accessToken,
    );
    expect(enabled.status).toBe(200);
    expect((await me(user)).twoFactorEnabled).toBe(true);
  });

  test('reauth: turning two-factor off with a code but without the password is refused and leaves it on', async () => {
    const user = await env.register();
    const secret = await withTwoFactor(user);
    const refused = await user.client.post('/auth/2fa/disable', { code: totp(secret, Date.now()) }, user.tokens.accessToken);
    expectReauthRequired(refused);
    expect((await me(user)).twoFactorEnabled).toBe(true);
    const disabled = await user.client.post(
      '/auth/2fa/disable',
      { password: user.password, code: totp(secret, Date.now() + STEP_MS) },
      user.tokens.accessToken,
    );
    expect(disabled.status).toBe(204);
    expect((await me(user)).twoFactorEnabled).toBe(false);
  });

  test('reauth: signing out every other device needs the password; refused, the other device stays signed in; accepted, only this one does', async () => {
    const user = await env.register();
    const other = await env.client().post<{ refreshToken: string }>('/auth/login', { login: user.email, password: user.password });
    const refused = await user.client.request('DELETE', '/auth/sessions', { body: {}, token: user.tokens.accessToken });
    expectReauthRequired(refused);
    const stillIn = await env.client().post<{ refreshToken: string }>('/auth/refresh', { refreshToken: other.body.refreshToken });
    expect(stillIn.status).toBe(200);
    const wrong = await user.client.request<ErrorBody>('DELETE', '/auth/sessions', {
      body: { password: 'not the password at all' },
      token: user.tokens.accessToken,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const ended = await user.client.request<{ ended: number }>('DELETE', '/auth/sessions', {
      body: { password: user.password },
      token: user.tokens.accessToken,
    });
    expect(ended.status).toBe(200);
    expect(ended.body.ended).toBe(1);
    const afterwards = await env.client().post<ErrorBody>('/auth/refresh', { refreshToken: stillIn.body.refreshToken });
    expect(afterwards.body.error.code).toBe('SESSION_REVOKED');
    expect((await user.client.get('/auth/me', user.tokens.accessToken)).status).toBe(200);
  });

  test('reauth: with two-factor on, signing out every other device needs the code as well', async () => {
    const user = await env.register();
    const secret = await withTwoFactor(user);
    const noCode = await user.client.request<ErrorBody>('DELETE', '/auth/sessions', {
      body: { password: user.password },
      token: user.tokens.accessToken,
    });
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.code).toBe('TOTP_REQUIRED');
    const ended = await user.client.request('DELETE', '/auth/sessions', {
      body: { password: user.password, code: totp(secret, Date.now()) },
      token: user.tokens.accessToken,
    });
    expect(ended.status).toBe(200);
  });

  test('reauth: linking a provider without the password is refused before any flow starts (no binding cookie)', async () => {
    const user = await env.register();
    const refused = await user.client.post('/auth/oauth/google/link', {}, user.tokens.accessToken);
    expectReauthRequired(refused);
    expect(refused.headers.getSetCookie().filter((line) => line.startsWith('oauth_binding='))).toEqual([]);
    const started = await user.client.post<{ url: string }>(
      '/auth/oauth/google/link',
      { password: user.password },
      user.tokens.accessToken,
    );
    expect(started.status).toBe(200);
    expect(started.body.url).toMatch(/^https:\/\/accounts\.google\.test\/authorize\?/);
  });
});
