// Sign-up, sign-in, refresh-token rotation with theft detection, logout and sessions, over HTTP
// against a node on the real PostgreSQL, Redis and NATS.

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, newIdentity, PASSWORD, startAccountsEnv, type TokenPairBody } from '../../test/harness/accounts.ts';
import { violatedUniqueConstraint } from '../platform/db/unique.ts';
import { users } from './schema.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('password_auth');
});
afterAll(async () => {
  await env.close();
});

type ErrorBody = { error: { code: string; message: string; details?: { field?: string } } };

describe('register', () => {
  test('register: creates the account, signs it in, and mails a verification link in its language', async () => {
    const client = env.client();
    const identity = newIdentity();
    const response = await client.post<TokenPairBody>('/auth/register', {
      email: identity.email.toUpperCase(),
      username: identity.username.toUpperCase(),
      password: PASSWORD,
      language: 'es',
    });
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({
      email: identity.email,
      username: identity.username,
      emailVerified: false,
      role: 'user',
      language: 'es',
    });
    expect(response.body.accessToken.split('.')).toHaveLength(3);
    expect(response.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await client.get<{ user: { id: string } }>('/auth/me', response.body.accessToken);
    expect(me.body.user.id).toBe(response.body.user.id);
    const mail = await env.mailbox.waitFor(identity.email, /Confirma tu correo/);
    expect(mail.language).toBe('es');
    expect(mail.text).toContain('http://app.petamigos.test/verify-email?token=');
  });

  test('register: a taken email or username is a 409 naming the field, and nothing is created', async () => {
    const user = await env.register();
    const client = env.client();
    const sameEmail = await client.post<ErrorBody>('/auth/register', {
      email: user.email,
      username: newIdentity().username,
      password: PASSWORD,
      language: 'en',
    });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body.error).toMatchObject({ code: 'EMAIL_TAKEN', details: { field: 'email' } });
    const sameName = await client.post<ErrorBody>('/auth/register', {
      email: newIdentity().email,
      username: user.username,
      password: PASSWORD,
      language: 'en',
    });
    expect(sameName.status).toBe(409);
    expect(sameName.body.error).toMatchObject({ code: 'USERNAME_TAKEN', details: { field: 'username' } });
  });

  test.each([
    ['short', 'at least 10 characters'],
    ['aaaaaaaaaaaa', '5 different characters'],
    ['qwertyuiop', 'most common passwords'],
  ])('register: the weak password %j is refused with WEAK_PASSWORD', async (password, reason) => {
    const response = await env.client().post<ErrorBody>('/auth/register', { ...newIdentity(), password, language: 'en' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('WEAK_PASSWORD');
    expect(response.body.error.message).toContain(reason);
    expect(response.body.error.details?.field).toBe('password');
  });

  test('register: a password containing the username is refused', async () => {
    const identity = newIdentity('pluto');
    const response = await env
      .client()
      .post<ErrorBody>('/auth/register', { ...identity, password: `my ${identity.username} pass!`, language: 'en' });
    expect(response.body.error.code).toBe('WEAK_PASSWORD');
  });
});

describe('login', () => {
  test('login: by email or by username, case-insensitively', async () => {
    const user = await env.register();
    for (const login of [user.email, user.username.toUpperCase()]) {
      const response = await env.client().post<TokenPairBody>('/auth/login', { login, password: user.password });
      expect(response.status).toBe(200);
      expect(response.body.user.id).toBe(user.id);
    }
  });

  test('login: a wrong password and an unknown account get the same answer', async () => {
    const user = await env.register();
    const wrong = await env.client().post<ErrorBody>('/auth/login', { login: user.email, password: 'not the password at all' });
    const unknown = await env
      .client()
      .post<ErrorBody>('/auth/login', { login: 'nobody-here@example.com', password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('one account per mailbox', () => {
  // kb_…@example.com, with its k fullwidth (U+FF4B) and mathematical bold (U+1D424).
  const spellings = (email: string) => [email, `\uFF4B${email.slice(1)}`, `\u{1D424}${email.slice(1)}`];

  test('register: ｋb@ and 𝐤b@ are the mailbox of kb@: one account, EMAIL_TAKEN for the others', async () => {
    const { email } = newIdentity('kb');
    const answers = [];
    for (const spelling of spellings(email)) {
      answers.push(
        await env
          .client()
          .post<ErrorBody>('/auth/register', { email: spelling, username: newIdentity().username, password: PASSWORD, language: 'en' }),
      );
    }
    expect(answers.map((answer) => answer.status)).toEqual([201, 409, 409]);
    for (const answer of answers.slice(1)) expect(answer.body.error).toMatchObject({ code: 'EMAIL_TAKEN', details: { field: 'email' } });
    const rows = await env.node.platform.database.db.select({ id: users.id }).from(users).where(eq(users.emailKey, email));
    expect(rows).toHaveLength(1);
  });

  test('register: the order does not matter: 𝐤b@ first keeps kb@ out', async () => {
    const { email } = newIdentity('kb');
    const [, , bold] = spellings(email);
    expect(
      (await env.client().post('/auth/register', { email: bold, username: newIdentity().username, password: PASSWORD, language: 'en' }))
        .status,
    ).toBe(201);
    const plain = await env
      .client()
      .post<ErrorBody>('/auth/register', { email, username: newIdentity().username, password: PASSWORD, language: 'en' });
    expect(plain.status).toBe(409);
    expect(plain.body.error.code).toBe('EMAIL_TAKEN');
  });

  test('mailbox: the database refuses a second row for the same mailbox, whoever writes it', async () => {
    const { email, username } = newIdentity('kb');
    expect((await env.client().post('/auth/register', { email, username, password: PASSWORD, language: 'en' })).status).toBe(201);
    const [, fullwidth] = spellings(email);
    const failure = await env.node.platform.database.db
      .insert(users)
      .values({ id: Bun.randomUUIDv7(), email: fullwidth as string, username: newIdentity().username })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(violatedUniqueConstraint(failure)).toBe('users_email_key_unique');
  });

  test('login and reset: any spelling of the address reaches the one account; the reset mail goes to its own address', async () => {
    const { email, username } = newIdentity('kb');
    const created = await env.client().post<TokenPairBody>('/auth/register', { email, username, password: PASSWORD, language: 'en' });
    const [, fullwidth, bold] = spellings(email);
    const signedIn = await env.client().post<TokenPairBody>('/auth/login', { login: fullwidth, password: PASSWORD });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.id).toBe(created.body.user.id);
    expect((await env.client().post('/auth/password/forgot', { email: bold })).status).toBe(202);
    const mail = await env.mailbox.waitFor(email, /Reset your PetAmigos password/);
    expect(mail.to).toBe(email);
  });
});

describe('tokens and sessions', () => {
  test('refresh: a refresh token gives a new pair and works once', async () => {
    const user = await env.register();
    const first = await user.client.post<TokenPairBody>('/auth/refresh', { refreshToken: user.tokens.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.tokens.refreshToken);
    expect(first.body.sessionId).toBe(user.tokens.sessionId);
    const second = await user.client.post<TokenPairBody>('/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
  });

  test('refresh: presenting a used refresh token revokes the whole family (theft detection)', async () => {
    const user = await env.register();
    const legit = await user.client.post<TokenPairBody>('/auth/refresh', { refreshToken: user.tokens.refreshToken });
    const thief = await env.client().post<ErrorBody>('/auth/refresh', { refreshToken: user.tokens.refreshToken });
    expect(thief.status).toBe(401);
    expect(thief.body.error.code).toBe('TOKEN_REUSED');
    const victimNext = await user.client.post<ErrorBody>('/auth/refresh', { refreshToken: legit.body.refreshToken });
    expect(victimNext.status).toBe(401);
    expect(victimNext.body.error.code).toBe('SESSION_REVOKED');
    const me = await user.client.get<ErrorBody>('/auth/me', legit.body.accessToken);
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('SESSION_REVOKED');
  });

  test('refresh: an unknown or malformed token is TOKEN_INVALID', async () => {
    const response = await env.client().post<ErrorBody>('/auth/refresh', { refreshToken: 'A'.repeat(43) });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('TOKEN_INVALID');
  });

  test('logout: ends the session; its refresh token and access token stop working', async () => {
    const user = await env.register();
    const out = await user.client.post('/auth/logout', { refreshToken: user.tokens.refreshToken });
    expect(out.status).toBe(204);
    expect((await user.client.post<ErrorBody>('/auth/refresh', { refreshToken: user.tokens.refreshToken })).body.error.code).toBe(
      'SESSION_REVOKED',
    );
    expect((await user.client.get<ErrorBody>('/auth/me', user.tokens.accessToken)).body.error.code).toBe('SESSION_REVOKED');
  });

  test('logout: with only the access token, ends that session', async () => {
    const user = await env.register();
    expect((await user.client.post('/auth/logout', {}, user.tokens.accessToken)).status).toBe(204);
    expect((await user.client.get('/auth/me', user.tokens.accessToken)).status).toBe(401);
  });

  test('sessions: lists devices with address and user agent, and revoking one signs that device out only', async () => {
    const user = await env.register();
    const phone = env.client('203.0.113.7');
    const onPhone = await phone.request<TokenPairBody>('POST', '/auth/login', {
      body: { login: user.email, password: user.password },
      headers: { 'user-agent': 'PetAmigos-Android/1.0' },
    });
    const list = await user.client.get<{ sessions: { id: string; ip: string; userAgent: string; current: boolean }[] }>(
      '/auth/sessions',
      user.tokens.accessToken,
    );
    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(2);
    const phoneSession = list.body.sessions.find((session) => session.id === onPhone.body.sessionId);
    expect(phoneSession).toMatchObject({ ip: '203.0.113.7', userAgent: 'PetAmigos-Android/1.0', current: false });
    expect(list.body.sessions.find((session) => session.current)?.id).toBe(user.tokens.sessionId);

    const revoke = await user.client.request('DELETE', `/auth/sessions/${onPhone.body.sessionId}`, { token: user.tokens.accessToken });
    expect(revoke.status).toBe(204);
    expect((await phone.get('/auth/me', onPhone.body.accessToken)).status).toBe(401);
    expect((await user.client.get('/auth/me', user.tokens.accessToken)).status).toBe(200);
  });

  test("sessions: a user cannot revoke another user's session", async () => {
    const alice = await env.register();
    const bob = await env.register();
    const response = await alice.client.request<ErrorBody>('DELETE', `/auth/sessions/${bob.tokens.sessionId}`, {
      token: alice.tokens.accessToken,
    });
    expect(response.status).toBe(404);
    expect((await bob.client.get('/auth/me', bob.tokens.accessToken)).status).toBe(200);
  });

  test('tokens: a tampered access token is TOKEN_INVALID', async () => {
    const user = await env.register();
    const [header, payload, signature] = user.tokens.accessToken.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload as string, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url');
    const response = await user.client.get<ErrorBody>('/auth/me', `${header}.${forged}.${signature}`);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('TOKEN_INVALID');
  });
});
