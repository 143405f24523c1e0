// Two-factor sign-in with TOTP and recovery codes, end to end over HTTP.

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv, type TokenPairBody } from '../../test/harness/accounts.ts';
import { users } from './schema.ts';
import { base32Decode, totp } from './totp.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('two_factor');
});
afterAll(async () => {
  await env.close();
});

type ErrorBody = { error: { code: string } };
const STEP_MS = 30_000;

/** Registers a user and turns two-factor on with the current step's code. */
async function userWithTwoFactor(): Promise<RegisteredUser & { secret: Uint8Array; recoveryCodes: string[] }> {
  const user = await env.register();
  const setup = await user.client.post<{ secret: string; otpauthUrl: string; qrCode: string }>(
    '/auth/2fa/setup',
    {},
    user.tokens.accessToken,
  );
  const secret = base32Decode(setup.body.secret);
  const enable = await user.client.post<{ recoveryCodes: string[] }>(
    '/auth/2fa/enable',
    { code: totp(secret, Date.now()), password: user.password },
    user.tokens.accessToken,
  );
  expect(enable.status).toBe(200);
  return { ...user, secret, recoveryCodes: enable.body.recoveryCodes };
}

describe('two-factor', () => {
  test('2fa: setup returns a secret, its otpauth URL and a PNG QR code; enable needs a valid code and returns ten recovery codes', async () => {
    const user = await env.register();
    const setup = await user.client.post<{ secret: string; otpauthUrl: string; qrCode: string }>(
      '/auth/2fa/setup',
      {},
      user.tokens.accessToken,
    );
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.otpauthUrl).toBe(
      `otpauth://totp/PetAmigos:${encodeURIComponent(user.email)}?secret=${setup.body.secret}&issuer=PetAmigos&algorithm=SHA1&digits=6&period=30`,
    );
    expect(setup.body.qrCode).toMatch(/^data:image\/png;base64,/);
    const wrong = await user.client.post<ErrorBody>(
      '/auth/2fa/enable',
      { code: '000000', password: user.password },
      user.tokens.accessToken,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('TOTP_INVALID');
    const secret = base32Decode(setup.body.secret);
    const enable = await user.client.post<{ recoveryCodes: string[] }>(
      '/auth/2fa/enable',
      { code: totp(secret, Date.now()), password: user.password },
      user.tokens.accessToken,
    );
    expect(enable.status).toBe(200);
    expect(new Set(enable.body.recoveryCodes).size).toBe(10);
    const me = await user.client.get<{ user: { twoFactorEnabled: boolean } }>('/auth/me', user.tokens.accessToken);
    expect(me.body.user.twoFactorEnabled).toBe(true);
  });

  test('2fa: the seed is stored sealed (no base32 seed in the row), works for sign-in, and opens only for its own user', async () => {
    const user = await userWithTwoFactor();
    const { db } = env.node.platform.database;
    const stored = async (id: string) => (await db.select({ s: users.totpSecret }).from(users).where(eq(users.id, id)))[0]?.s ?? null;
    const sealed = (await stored(user.id)) as string;
    expect(sealed).toMatch(/^v1\.[^.]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    const setupSecret = Buffer.from(user.secret);
    expect(sealed).not.toContain(setupSecret.toString('base64url'));
    const signIn = (who: RegisteredUser, secret: Uint8Array, at: number) =>
      env.client().post<ErrorBody>('/auth/login', { login: who.email, password: who.password, totp: totp(secret, at) });
    expect((await signIn(user, user.secret, Date.now() + STEP_MS)).status).toBe(200);
    // Copied onto another account's row, the sealed seed does not open there: its codes fail.
    const other = await userWithTwoFactor();
    await db.update(users).set({ totpSecret: sealed }).where(eq(users.id, other.id));
    const refused = await signIn(other, user.secret, Date.now() + STEP_MS);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'TOTP_INVALID']);
  });

  test('2fa: login asks for the code, refuses a wrong one, accepts a right one', async () => {
    const user = await userWithTwoFactor();
    const client = env.client();
    const noCode = await client.post<ErrorBody>('/auth/login', { login: user.email, password: user.password });
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.code).toBe('TOTP_REQUIRED');
    const wrong = await client.post<ErrorBody>('/auth/login', { login: user.email, password: user.password, totp: '123456' });
    expect(wrong.body.error.code).toBe('TOTP_INVALID');
    const right = await client.post<TokenPairBody>('/auth/login', {
      login: user.email,
      password: user.password,
      totp: totp(user.secret, Date.now() + STEP_MS),
    });
    expect(right.status).toBe(200);
  });

  test('2fa: a code cannot be used twice, nor one older than the last used', async () => {
    const user = await userWithTwoFactor();
    const code = totp(user.secret, Date.now() + STEP_MS);
    expect((await env.client().post('/auth/login', { login: user.email, password: user.password, totp: code })).status).toBe(200);
    const replay = await env.client().post<ErrorBody>('/auth/login', { login: user.email, password: user.password, totp: code });
    expect(replay.body.error.code).toBe('TOTP_INVALID');
    const older = await env
      .client()
      .post<ErrorBody>('/auth/login', { login: user.email, password: user.password, totp: totp(user.secret, Date.now()) });
    expect(older.body.error.code).toBe('TOTP_INVALID');
  });

  test('2fa: a recovery code signs in once, in any case and with or without its dash', async () => {
    const user = await userWithTwoFactor();
    const [code] = user.recoveryCodes as [string];
    const typed = code.toUpperCase().replace('-', ' ');
    expect((await env.client().post('/auth/login', { login: user.email, password: user.password, totp: typed })).status).toBe(200);
    const again = await env.client().post<ErrorBody>('/auth/login', { login: user.email, password: user.password, totp: code });
    expect(again.body.error.code).toBe('TOTP_INVALID');
  });

  test('2fa: disable needs the password and a code; afterwards login needs no code', async () => {
    const user = await userWithTwoFactor();
    const noPassword = await user.client.post<ErrorBody>('/auth/2fa/disable', { code: user.recoveryCodes[0] }, user.tokens.accessToken);
    expect(noPassword.status).toBe(403);
    expect(noPassword.body.error.code).toBe('REAUTH_REQUIRED');
    const disabled = await user.client.post(
      '/auth/2fa/disable',
      { password: user.password, code: user.recoveryCodes[1] },
      user.tokens.accessToken,
    );
    expect(disabled.status).toBe(204);
    expect((await env.client().post('/auth/login', { login: user.email, password: user.password })).status).toBe(200);
  });

  test('2fa: setting up twice while enabled is a conflict', async () => {
    const user = await userWithTwoFactor();
    const response = await user.client.post<ErrorBody>('/auth/2fa/setup', {}, user.tokens.accessToken);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('TWO_FACTOR_ALREADY_ENABLED');
  });

  test('2fa: after five wrong codes in a row the account must wait (429 with Retry-After)', async () => {
    const user = await userWithTwoFactor();
    const attempts = [];
    for (let i = 0; i < 6; i++)
      attempts.push(await env.client().post<ErrorBody>('/auth/login', { login: user.email, password: user.password, totp: '000000' }));
    expect(attempts.slice(0, 5).map((attempt) => attempt.body.error.code)).toEqual(Array(5).fill('TOTP_INVALID'));
    expect(attempts[5]?.status).toBe(429);
    expect(Number(attempts[5]?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
