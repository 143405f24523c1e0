// Email verification and password reset, read out of the mails a real SMTP server received.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, PASSWORD, startAccountsEnv, type TokenPairBody } from '../../test/harness/accounts.ts';
import { linkToken } from '../../test/harness/mailbox.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('email_flows');
});
afterAll(async () => {
  await env.close();
});

type ErrorBody = { error: { code: string; message: string } };

describe('email verification', () => {
  test('verify: the token from the mail verifies the address, once', async () => {
    const user = await env.register();
    const token = linkToken(await env.mailbox.waitFor(user.email, /Confirm your email/), '/verify-email');
    const verified = await env.client().post<{ user: { emailVerified: boolean } }>('/auth/email/verify', { token });
    expect(verified.status).toBe(200);
    expect(verified.body.user.emailVerified).toBe(true);
    const me = await user.client.get<{ user: { emailVerified: boolean } }>('/auth/me', user.tokens.accessToken);
    expect(me.body.user.emailVerified).toBe(true);
    const again = await env.client().post<ErrorBody>('/auth/email/verify', { token });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('INVALID_TOKEN');
  });

  test('verify: a made-up token is INVALID_TOKEN', async () => {
    const response = await env.client().post<ErrorBody>('/auth/email/verify', { token: 'x'.repeat(43) });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_TOKEN');
  });

  test('resend: a signed-in unverified user gets a new working link; a verified one gets 409', async () => {
    const user = await env.register();
    await env.mailbox.waitFor(user.email, /Confirm your email/);
    const resend = await user.client.post('/auth/email/resend', {}, user.tokens.accessToken);
    expect(resend.status).toBe(202);
    await expect.poll(() => env.mailbox.mails.filter((mail) => mail.to === user.email).length, { timeout: 10_000 }).toBe(2);
    const latest = env.mailbox.mails.filter((mail) => mail.to === user.email).at(-1);
    const token = linkToken(latest as NonNullable<typeof latest>, '/verify-email');
    expect((await env.client().post('/auth/email/verify', { token })).status).toBe(200);
    const verified = await user.client.post<ErrorBody>('/auth/email/resend', {}, user.tokens.accessToken);
    expect(verified.status).toBe(409);
    expect(verified.body.error.code).toBe('EMAIL_ALREADY_VERIFIED');
  });

  test('resend: by address, the answer is the same whether or not the account exists', async () => {
    const user = await env.register();
    const known = await env.client().post('/auth/email/resend', { email: user.email });
    const unknown = await env.client().post('/auth/email/resend', { email: 'no-such-person@example.com' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
  });
});

describe('password reset', () => {
  test('reset: forgot mails a link; the new password works, the old one does not, every session ends', async () => {
    const user = await env.register({ language: 'es' });
    const forgot = await env.client().post('/auth/password/forgot', { email: user.email });
    expect(forgot.status).toBe(202);
    const mail = await env.mailbox.waitFor(user.email, /Restablece tu contraseña/);
    const token = linkToken(mail, '/reset-password');
    const reset = await env.client().post('/auth/password/reset', { token, password: 'A brand new secret 99!' });
    expect(reset.status).toBe(200);
    expect((await env.client().post('/auth/login', { login: user.email, password: PASSWORD })).status).toBe(401);
    expect((await env.client().post<TokenPairBody>('/auth/login', { login: user.email, password: 'A brand new secret 99!' })).status).toBe(
      200,
    );
    expect((await user.client.get('/auth/me', user.tokens.accessToken)).status).toBe(401);
    expect((await user.client.post('/auth/refresh', { refreshToken: user.tokens.refreshToken })).status).toBe(401);
    await env.mailbox.waitFor(user.email, /Se cambió tu contraseña/);
    expect(
      (await env.client().post<ErrorBody>('/auth/password/reset', { token, password: 'Yet another secret 77?' })).body.error.code,
    ).toBe('INVALID_TOKEN');
  });

  test('reset: a weak new password is refused without using up the link', async () => {
    const user = await env.register();
    await env.client().post('/auth/password/forgot', { email: user.email });
    const token = linkToken(await env.mailbox.waitFor(user.email, /Reset your PetAmigos password/), '/reset-password');
    const weak = await env.client().post<ErrorBody>('/auth/password/reset', { token, password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');
    expect((await env.client().post('/auth/password/reset', { token, password: 'Strong enough now 42' })).status).toBe(200);
  });

  test('forgot: the answer is the same for an unknown address, and no mail is sent', async () => {
    const before = env.mailbox.mails.length;
    const user = await env.register();
    await env.mailbox.waitFor(user.email, /Confirm your email/);
    const known = await env.client().post('/auth/password/forgot', { email: user.email });
    const unknown = await env.client().post('/auth/password/forgot', { email: 'ghost-owner@example.com' });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    await env.mailbox.waitFor(user.email, /Reset your PetAmigos password/);
    await Bun.sleep(300);
    expect(env.mailbox.mails.slice(before).some((mail) => mail.to === 'ghost-owner@example.com')).toBe(false);
  });
});

describe('reset links die with a password change', () => {
  /** The reset links mailed to `email` so far, oldest first, after waiting for `count` of them. */
  async function resetLinks(email: string, count: number): Promise<string[]> {
    await expect
      .poll(() => env.mailbox.mails.filter((mail) => mail.to === email && /Reset your PetAmigos password/.test(mail.subject)).length, {
        timeout: 10_000,
      })
      .toBe(count);
    return env.mailbox.mails
      .filter((mail) => mail.to === email && /Reset your PetAmigos password/.test(mail.subject))
      .map((mail) => linkToken(mail, '/reset-password'));
  }

  test('reset: of two reset links, using one kills the other', async () => {
    const user = await env.register();
    await env.client().post('/auth/password/forgot', { email: user.email });
    await env.client().post('/auth/password/forgot', { email: user.email });
    const [first, second] = await resetLinks(user.email, 2);
    expect((await env.client().post('/auth/password/reset', { token: second, password: 'The second link won 2026' })).status).toBe(200);
    const stale = await env.client().post<ErrorBody>('/auth/password/reset', { token: first, password: 'The first link came back 1' });
    expect(stale.status).toBe(400);
    expect(stale.body.error.code).toBe('INVALID_TOKEN');
    expect((await env.client().post('/auth/login', { login: user.email, password: 'The second link won 2026' })).status).toBe(200);
  });

  test('password change: a signed-in change kills the outstanding reset links, keeps this session and ends the others', async () => {
    const user = await env.register();
    const other = await env.client().post<TokenPairBody>('/auth/login', { login: user.email, password: user.password });
    await env.client().post('/auth/password/forgot', { email: user.email });
    const [link] = await resetLinks(user.email, 1);
    const changed = await user.client.request('POST', '/auth/password/change', {
      body: { password: user.password, newPassword: 'Changed while signed in 5' },
      token: user.tokens.accessToken,
    });
    expect(changed.status).toBe(204);
    const stale = await env.client().post<ErrorBody>('/auth/password/reset', { token: link, password: 'Attacker picks this one 9' });
    expect(stale.status).toBe(400);
    expect(stale.body.error.code).toBe('INVALID_TOKEN');
    expect((await user.client.get('/auth/me', user.tokens.accessToken)).status).toBe(200);
    expect((await env.client().get('/auth/me', other.body.accessToken)).status).toBe(401);
    expect((await env.client().post('/auth/login', { login: user.email, password: 'Changed while signed in 5' })).status).toBe(200);
  });

  test('password change: a wrong current password changes nothing', async () => {
    const user = await env.register();
    const refused = await user.client.request<ErrorBody>('POST', '/auth/password/change', {
      body: { password: 'not my password at all', newPassword: 'Changed while signed in 5' },
      token: user.tokens.accessToken,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await env.client().post('/auth/login', { login: user.email, password: user.password })).status).toBe(200);
  });
});
