// Attempt limits counted in the real Redis: 429 with Retry-After, per address and per account,
// and the lockout that mails the account's owner.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type AccountsEnv, newIdentity, PASSWORD, startAccountsEnv, verifyEmail } from '../../test/harness/accounts.ts';
import { LIMITS } from './rate-limits.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('rate_limits');
});
afterAll(async () => {
  await env.close();
});

type ErrorBody = { error: { code: string; details?: { retryAfterSeconds?: number } } };

describe('rate limits', () => {
  test('limits: repeated failed logins lock the account for new devices, tell its owner by mail (saying known browsers still sign in), and refuse even the right password for a while', async () => {
    const user = await env.register({ language: 'es' });
    // The lockout mail goes to verified addresses only (server/mail/templates.ts).
    await verifyEmail(env, user);
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.loginPerAccount.max; i++) {
      // A different address each time: the per-account limit is what trips, not the per-address one.
      statuses.push((await env.client().post('/auth/login', { login: user.email, password: `wrong guess ${i}` })).status);
    }
    expect(statuses).toEqual(Array(LIMITS.loginPerAccount.max).fill(401));
    const locked = await env.client().post<ErrorBody>('/auth/login', { login: user.email, password: user.password });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(locked.body.error.details?.retryAfterSeconds).toBe(retryAfter);
    const mail = await env.mailbox.waitFor(user.email, /Pausamos el inicio de sesión/);
    expect(mail.text).toContain('desde dispositivos nuevos durante 15 minutos');
    expect(mail.text).toContain('Los navegadores en los que ya iniciaste sesión pueden seguir entrando');
  });

  test('limits: an unknown account is limited exactly like a real one (no enumeration)', async () => {
    const ghost = newIdentity('ghost');
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.loginPerAccount.max; i++)
      statuses.push((await env.client().post('/auth/login', { login: ghost.email, password: `guess ${i}` })).status);
    expect(statuses.slice(0, -1)).toEqual(Array(LIMITS.loginPerAccount.max).fill(401));
    expect(statuses.at(-1)).toBe(429);
  });

  test('limits: one address trying many accounts is limited per address', async () => {
    const client = env.client();
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.loginPerIp.max; i++)
      statuses.push((await client.post('/auth/login', { login: `someone${i}@example.com`, password: 'whatever it is' })).status);
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    const last = await client.post<ErrorBody>('/auth/login', { login: 'another@example.com', password: 'whatever it is' });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await env.client().post('/auth/login', { login: 'another@example.com', password: 'whatever it is' })).status).toBe(401);
  });

  test('limits: registrations per address', async () => {
    const client = env.client();
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.registerPerIp.max; i++) {
      statuses.push((await client.post('/auth/register', { ...newIdentity('reg'), password: PASSWORD, language: 'en' })).status);
    }
    expect(statuses.slice(0, -1)).toEqual(Array(LIMITS.registerPerIp.max).fill(201));
    expect(statuses.at(-1)).toBe(429);
  });

  test('limits: password reset requests per account', async () => {
    const user = await env.register();
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.forgotPerAccount.max; i++)
      statuses.push((await env.client().post('/auth/password/forgot', { email: user.email })).status);
    expect(statuses.slice(0, -1)).toEqual(Array(LIMITS.forgotPerAccount.max).fill(202));
    expect(statuses.at(-1)).toBe(429);
  });

  test('limits: a successful login clears the failure count', async () => {
    const user = await env.register();
    for (let i = 0; i < LIMITS.loginPerAccount.max - 1; i++)
      await env.client().post('/auth/login', { login: user.username, password: `nope ${i}` });
    expect((await env.client().post('/auth/login', { login: user.username, password: user.password })).status).toBe(200);
    for (let i = 0; i < LIMITS.loginPerAccount.max - 1; i++) {
      expect((await env.client().post('/auth/login', { login: user.username, password: `nope again ${i}` })).status).toBe(401);
    }
  });
});

describe('login limits that cannot be raced or abused', () => {
  const deviceCookieOf = (response: { headers: Headers }) =>
    response.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('device='))
      ?.split(';')[0] as string;
  const loginWith = (login: string, password: string, cookie?: string) =>
    env.client().request<ErrorBody>('POST', '/auth/login', {
      body: { login, password },
      ...(cookie === undefined ? {} : { headers: { cookie } }),
    });
  const lockOut = async (login: string) => {
    for (let i = 0; i < LIMITS.loginPerAccount.max; i++) expect((await loginWith(login, `attacker guess ${i}`)).status).toBe(401);
  };

  test('limits: 25 parallel wrong guesses get at most 10 password checks: 10 INVALID_CREDENTIALS, then 429', async () => {
    const user = await env.register();
    const verify = vi.spyOn(Bun.password, 'verify');
    const before = verify.mock.calls.length;
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => loginWith(user.email, `parallel guess ${i}`)));
    const checks = verify.mock.calls.length - before;
    verify.mockRestore();
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(LIMITS.loginPerAccount.max);
    expect(statuses.filter((status) => status === 429)).toHaveLength(25 - LIMITS.loginPerAccount.max);
    expect(checks).toBe(LIMITS.loginPerAccount.max);
  });

  test('limits: the login that succeeds sets an HttpOnly, SameSite device cookie for /auth/login', async () => {
    const user = await env.register();
    const signedIn = await loginWith(user.email, user.password);
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.getSetCookie().find((line) => line.startsWith('device=')) as string;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/auth\/login/i);
  });

  test('limits: after an attacker locks the account from elsewhere, the owner’s device with its device cookie still signs in', async () => {
    const user = await env.register();
    const device = deviceCookieOf(await loginWith(user.email, user.password));
    await lockOut(user.email);
    expect((await loginWith(user.email, user.password)).status).toBe(429);
    const owner = await loginWith(user.email, user.password, device);
    expect(owner.status).toBe(200);
    // The lock still holds for everyone else.
    expect((await loginWith(user.username, user.password)).status).toBe(429);
  });

  test('limits: a forged device cookie, or another user’s, does not lift the lockout', async () => {
    const user = await env.register();
    const other = await env.register();
    const genuine = deviceCookieOf(await loginWith(user.email, user.password));
    const othersDevice = deviceCookieOf(await loginWith(other.email, other.password));
    await lockOut(user.email);
    const [name, value] = genuine.split('=') as [string, string];
    const parts = value.split('.');
    const forgedExpiry = `${name}=${[parts[0], parts[1], String(Number(parts[2]) + 1), parts[3]].join('.')}`;
    const forgedUser = `${name}=${[other.id, parts[1], parts[2], parts[3]].join('.')}`;
    for (const cookie of [forgedExpiry, forgedUser, othersDevice, `${name}=garbage`]) {
      expect((await loginWith(user.email, user.password, cookie)).status).toBe(429);
    }
  });

  test('limits: wrong guesses from a trusted device are limited per device', async () => {
    const user = await env.register();
    const device = deviceCookieOf(await loginWith(user.email, user.password));
    for (let i = 0; i < LIMITS.loginPerDevice.max; i++) expect((await loginWith(user.email, `typo ${i}`, device)).status).toBe(401);
    expect((await loginWith(user.email, user.password, device)).status).toBe(429);
    // Not a lock of the account: another client may still sign in.
    expect((await loginWith(user.email, user.password)).status).toBe(200);
  });
});
