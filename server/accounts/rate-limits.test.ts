// Attempt limits counted in the real Redis: 429 with Retry-After, per address and per account,
// and the lockout that mails the account's owner.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
  test('limits: repeated failed logins lock the account, tell its owner by mail, and refuse even the right password for a while', async () => {
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
    const mail = await env.mailbox.waitFor(user.email, /Bloqueamos tu cuenta/);
    expect(mail.text).toContain('15 minutos');
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
