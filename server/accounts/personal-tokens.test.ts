// Personal API tokens, a Pro entitlement: made, listed and revoked over the socket by a signed-in
// session; used on the HTTP API and the WebSocket within their scopes. The attacker's cases: a
// free user making one, someone else's token id, extra fields, a read-only token writing, a token
// reaching security calls, and tokens revoked, expired or of a lapsed plan, on HTTP and on a
// socket already open with them.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { API_TOKEN_LIMITS } from '../../protocol/lists.ts';
import { PROTOCOL_VERSION } from '../../protocol/version.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { linkToken } from '../../test/harness/mailbox.ts';
import { givePlan } from '../../test/harness/plans.ts';
import { join, type Member } from '../../test/harness/social.ts';
import { connectAs, openSocket, type RawSocket, wsUrl } from '../../test/harness/ws.ts';
import { subscriptions } from '../payments/schema.ts';
import { apiTokens } from './schema.ts';

/** Sockets opened with tokens are checked this often here (30 s in production). */
const CHECK_MS = 200;

let env: AccountsEnv;
const opened: { close(): void }[] = [];

beforeAll(async () => {
  env = await startAccountsEnv('tokens', {}, { gateway: { limits: { personalTokenCheckMs: CHECK_MS } } });
}, 60_000);
afterAll(async () => {
  for (const socket of opened) socket.close();
  await env.close();
});

const db = () => env.node.platform.database.db;

/** A signed-in member on the Pro plan (or `plan`), with a socket. */
async function member(plan: 'pro' | 'premium' | 'free' = 'pro'): Promise<Member> {
  const user = await env.register();
  if (plan !== 'free') await givePlan(db(), user.id, plan);
  const joined = await join(env, env.node, user);
  opened.push(joined);
  return joined;
}

type Scope = 'read' | 'write' | 'chats';

async function makeToken(owner: Member, scopes: Scope[], extra: { name?: string; expiresInDays?: number } = {}) {
  return owner.call('tokens.create', { name: extra.name ?? 'script', scopes, ...(extra.expiresInDays === undefined ? {} : extra) });
}

/** A socket said hello with a personal token. */
async function tokenSocket(secret: string): Promise<RawSocket> {
  const { socket } = await connectAs(env.node.url, secret);
  opened.push(socket);
  return socket;
}

/** How a hello with this token ends: the close code and reason. */
async function helloRefused(secret: string) {
  const socket = await openSocket(wsUrl(env.node.url));
  socket.send({ type: 'hello', version: PROTOCOL_VERSION, token: secret, client: 'test' });
  return socket.closed;
}

const call = (socket: RawSocket, op: string, body: unknown = {}) => socket.request({ type: 'call', op, body });
const me = (secret: string) => env.client().get<{ user: { id: string }; error: { code: string } }>('/auth/me', secret);

async function lapse(userId: string) {
  await db().update(subscriptions).set({ status: 'expired' }).where(eq(subscriptions.userId, userId));
}

describe('making tokens', () => {
  test('tokens: a free user (and a Premium one) cannot make one: PLAN_REQUIRED names the entitlement and the Pro plan', async () => {
    for (const plan of ['free', 'premium'] as const) {
      const owner = await member(plan);
      const refused = await owner.refused('tokens.create', { name: 'script', scopes: ['read'] });
      expect(refused).toEqual({ code: 'PLAN_REQUIRED', details: { entitlement: 'apiTokens', plan: 'pro' } });
      expect(await owner.call('tokens.list', {})).toEqual({ items: [], limit: API_TOKEN_LIMITS.live, entitled: false });
    }
  });

  test('tokens: the secret is shown once, starts with pat_, is stored only as a hash, and never comes back in the list', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read', 'write'], { name: '  Feeding log  ', expiresInDays: 30 });
    expect(made.secret).toMatch(/^pat_[A-Za-z0-9_-]{43}$/);
    expect(made.token).toMatchObject({ name: 'Feeding log', scopes: ['read', 'write'], lastUsedAt: null, expired: false });
    const days = (Date.parse(made.token.expiresAt as string) - Date.parse(made.token.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(30, 5);
    const listed = await owner.call('tokens.list', {});
    expect(listed.entitled).toBe(true);
    expect(listed.items).toEqual([made.token]);
    expect(JSON.stringify(listed)).not.toContain(made.secret.slice(4));
    const [row] = await db().select().from(apiTokens).where(eq(apiTokens.id, made.token.id));
    expect(JSON.stringify(row)).not.toContain(made.secret.slice(4));
    expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('tokens: extra fields, unknown scopes, no scopes, long names and long lives are refused; a blank name is INVALID_INPUT', async () => {
    const owner = await member();
    const bodies = [
      { name: 'script', scopes: ['read'], userId: owner.id },
      { name: 'script', scopes: ['read', 'admin'] },
      { name: 'script', scopes: [] },
      { name: 'script', scopes: ['read', 'read'] },
      { name: 'x'.repeat(API_TOKEN_LIMITS.nameChars + 1), scopes: ['read'] },
      { name: 'script', scopes: ['read'], expiresInDays: API_TOKEN_LIMITS.maxExpiresInDays + 1 },
      { name: 'script', scopes: ['read'], expiresInDays: 0 },
    ];
    for (const body of bodies) expect((await owner.refused('tokens.create', body)).code, JSON.stringify(body)).toBe('INVALID_BODY');
    expect(await owner.refused('tokens.create', { name: '   ', scopes: ['read'] })).toEqual({
      code: 'INVALID_INPUT',
      details: { field: 'name' },
    });
    expect((await owner.refused('tokens.revoke', { tokenId: crypto.randomUUID(), userId: owner.id })).code).toBe('INVALID_BODY');
    expect((await owner.call('tokens.list', {})).items).toEqual([]);
  });

  test(`tokens: at most ${API_TOKEN_LIMITS.live} live tokens (TOO_MANY_TOKENS); revoking one makes room`, async () => {
    const owner = await member();
    const made = [];
    for (let i = 0; i < API_TOKEN_LIMITS.live; i++) made.push(await makeToken(owner, ['read'], { name: `t${i}` }));
    expect(await owner.refused('tokens.create', { name: 'one more', scopes: ['read'] })).toEqual({
      code: 'TOO_MANY_TOKENS',
      details: { limit: API_TOKEN_LIMITS.live },
    });
    await owner.call('tokens.revoke', { tokenId: (made[0] as (typeof made)[number]).token.id });
    await makeToken(owner, ['read'], { name: 'one more' });
    expect((await owner.call('tokens.list', {})).items).toHaveLength(API_TOKEN_LIMITS.live);
  });

  test(`tokens: at most ${API_TOKEN_LIMITS.createsPerHour} creations an hour, revoked or not (RATE_LIMITED)`, async () => {
    const owner = await member();
    for (let i = 0; i < API_TOKEN_LIMITS.createsPerHour; i++) {
      await makeToken(owner, ['read'], { name: `t${i}` });
      if (i % API_TOKEN_LIMITS.live === API_TOKEN_LIMITS.live - 1)
        await db().update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.userId, owner.id));
    }
    const refused = await owner.refused('tokens.create', { name: 'again', scopes: ['read'] });
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details?.retryAfterMs).toBeGreaterThan(0);
  });

  test('tokens: someone else’s token id is NOT_FOUND to revoke, and their token keeps working', async () => {
    const owner = await member();
    const stranger = await member();
    const made = await makeToken(owner, ['read']);
    expect((await stranger.refused('tokens.revoke', { tokenId: made.token.id })).code).toBe('NOT_FOUND');
    expect((await stranger.call('tokens.list', {})).items).toEqual([]);
    expect((await me(made.secret)).status).toBe(200);
    await owner.call('tokens.revoke', { tokenId: made.token.id });
    expect((await owner.refused('tokens.revoke', { tokenId: made.token.id })).code).toBe('NOT_FOUND');
  });
});

describe('using tokens over HTTP', () => {
  test('tokens: a token authenticates the endpoints its scope covers, moves lastUsedAt, and is refused everywhere else', async () => {
    const owner = await member();
    const read = await makeToken(owner, ['read']);
    const response = await me(read.secret);
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(owner.id);
    expect((await owner.call('tokens.list', {})).items[0]?.lastUsedAt).not.toBeNull();
    const all = await makeToken(owner, ['read', 'write', 'chats']);
    for (const [method, path, body] of [
      ['GET', '/auth/sessions', undefined],
      ['DELETE', '/auth/sessions', {}],
      ['POST', '/auth/password/change', { password: owner.user.password, newPassword: 'Another long secret 2026' }],
      ['POST', '/auth/2fa/setup', { password: owner.user.password }],
      ['GET', `/admin/users/${owner.id}`, undefined],
    ] as const) {
      const refused = await env.client().request<{ error: { code: string; details: unknown } }>(method, path, {
        token: all.secret,
        ...(body === undefined ? {} : { body }),
      });
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'SCOPE_DENIED', details: { needed: 'never' } });
    }
    // A read-only token cannot upload.
    const upload = await env.client().request<{ error: { code: string; details: unknown } }>('POST', '/media/uploads', {
      token: read.secret,
      body: { kind: 'image', size: 10 },
    });
    expect(upload.status).toBe(403);
    expect(upload.body.error).toMatchObject({ code: 'SCOPE_DENIED', details: { needed: 'write' } });
    // Signing out takes a session's token only.
    expect((await env.client().request('POST', '/auth/logout', { token: all.secret, body: {} })).status).toBe(401);
    expect((await me(all.secret)).status).toBe(200);
  });

  test('tokens: a revoked token is refused at once (401 TOKEN_REVOKED); a made-up one is TOKEN_INVALID', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read']);
    expect((await me(made.secret)).status).toBe(200);
    await owner.call('tokens.revoke', { tokenId: made.token.id });
    const refused = await me(made.secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('TOKEN_REVOKED');
    const forged = `pat_${made.secret.slice(5)}A`;
    expect((await me(forged)).body.error.code).toBe('TOKEN_INVALID');
    expect((await owner.call('tokens.list', {})).items).toEqual([]);
  });

  test('tokens: a password reset revokes every token of the account (its sockets closed); a password change and ending other sessions keep them', async () => {
    const owner = await member();
    const [kept, other] = [await makeToken(owner, ['read']), await makeToken(owner, ['read', 'write'], { name: 'bot' })];
    const session = owner.user.tokens.accessToken;
    const changed = await owner.user.client.request('POST', '/auth/password/change', {
      body: { password: owner.user.password, newPassword: 'Another long secret 42!' },
      token: session,
    });
    expect(changed.status).toBe(204);
    const ended = await owner.user.client.request('DELETE', '/auth/sessions', {
      body: { password: 'Another long secret 42!' },
      token: session,
    });
    expect(ended.status).toBe(200);
    expect((await me(kept.secret)).status).toBe(200);
    const socket = await tokenSocket(other.secret);

    expect((await env.client().post('/auth/password/forgot', { email: owner.user.email })).status).toBe(202);
    const token = linkToken(await env.mailbox.waitFor(owner.user.email, /reset/i), '/reset-password');
    expect((await env.client().post('/auth/password/reset', { token, password: 'A brand new secret 99!' })).status).toBe(200);
    for (const { secret } of [kept, other]) expect((await me(secret)).body.error.code).toBe('TOKEN_REVOKED');
    expect((await socket.closed).reason).toBe('SESSION_REVOKED');
    const revoked = await db().select({ revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.userId, owner.id));
    expect(revoked.map((row) => row.revokedAt === null)).toEqual([false, false]);
  });

  test('tokens: an expired token is refused (401 TOKEN_EXPIRED) and listed as expired', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read'], { expiresInDays: 1 });
    await db()
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, made.token.id));
    const refused = await me(made.secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('TOKEN_EXPIRED');
    expect((await owner.call('tokens.list', {})).items[0]?.expired).toBe(true);
  });

  test('tokens: once the plan lapses the token stops working (403 PLAN_REQUIRED) and the list says so; revoking still works', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read']);
    await lapse(owner.id);
    const refused = await me(made.secret);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('PLAN_REQUIRED');
    const listed = await owner.call('tokens.list', {});
    expect(listed.entitled).toBe(false);
    expect(listed.items).toHaveLength(1);
    await owner.call('tokens.revoke', { tokenId: made.token.id });
  });
});

describe('using tokens on the WebSocket', () => {
  test('tokens: a read-only token reads, and is refused writes (SCOPE_DENIED write), messages (chats) and security calls (never)', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read']);
    const socket = await tokenSocket(made.secret);
    const session = await call(socket, 'session.get');
    expect(session).toMatchObject({ type: 'reply', body: { userId: owner.id, sessionId: made.token.id } });
    expect((await call(socket, 'profile.get', { userId: owner.id })).type).toBe('reply');
    expect(await call(socket, 'profile.update', { bio: 'hi' })).toMatchObject({
      type: 'error',
      code: 'SCOPE_DENIED',
      details: { needed: 'write' },
    });
    expect(await call(socket, 'chats.list', {})).toMatchObject({ type: 'error', code: 'SCOPE_DENIED', details: { needed: 'chats' } });
    expect((await socket.request({ type: 'sub', topic: `user:${owner.id}` })).type).toBe('reply');
    expect(await socket.request({ type: 'sub', topic: `room:${crypto.randomUUID()}` })).toMatchObject({ code: 'SCOPE_DENIED' });
  });

  test('tokens: a token with every scope still cannot reach security or money calls, nor staff ones', async () => {
    const owner = await member();
    await env.setRole(owner.id, 'admin');
    const made = await makeToken(owner, ['read', 'write', 'chats']);
    const socket = await tokenSocket(made.secret);
    expect((await call(socket, 'profile.update', { bio: 'written by a script' })).type).toBe('reply');
    expect((await call(socket, 'chats.list', {})).type).toBe('reply');
    const never: [string, unknown][] = [
      ['tokens.list', {}],
      ['tokens.create', { name: 'child', scopes: ['read'] }],
      ['tokens.revoke', { tokenId: made.token.id }],
      ['payments.checkout', { pack: 'treats_100', currency: 'USD', method: 'paypal' }],
      ['payments.list', {}],
      ['treats.tip', { postId: crypto.randomUUID(), treats: 1, clientId: crypto.randomUUID() }],
      ['keys.publish', {}],
      ['chats.encryption', {}],
      ['push.subscribe', {}],
      ['system.announce', { text: 'hello', level: 'info' }],
    ];
    for (const [op, body] of never)
      expect(await call(socket, op, body), op).toMatchObject({ type: 'error', code: 'SCOPE_DENIED', details: { needed: 'never' } });
    expect((await owner.call('tokens.list', {})).items).toHaveLength(1);
  });

  test('tokens: a socket opened with a token is closed at once when it is revoked (SESSION_REVOKED); a new hello is AUTH_FAILED', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read']);
    const socket = await tokenSocket(made.secret);
    await owner.call('tokens.revoke', { tokenId: made.token.id });
    // Closed by the revocation notice, not the periodic check (whose reason says TOKEN_REVOKED).
    expect(await socket.closed).toEqual({ code: 4005, reason: 'SESSION_REVOKED' });
    expect(await helloRefused(made.secret)).toEqual({ code: 4003, reason: 'TOKEN_REVOKED' });
    // The owner's own session is untouched.
    expect((await owner.call('session.get', {})).userId).toBe(owner.id);
  });

  test('tokens: a revocation the notice never brought still closes the socket within the check interval', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read']);
    const socket = await tokenSocket(made.secret);
    await db().update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, made.token.id));
    expect(await socket.closed).toEqual({ code: 4005, reason: 'TOKEN_REVOKED' });
  });

  test('tokens: an expired token is refused at hello, and closes a socket opened before it expired (TOKEN_EXPIRED)', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read'], { expiresInDays: 1 });
    const socket = await tokenSocket(made.secret);
    await db()
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, made.token.id));
    expect((await socket.closed).code).toBe(4004);
    expect((await helloRefused(made.secret)).code).toBe(4004);
  });

  test('tokens: a lapsed plan closes sockets opened with its tokens (AUTH_FAILED, PLAN_REQUIRED) and refuses new ones', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read']);
    const socket = await tokenSocket(made.secret);
    const started = Date.now();
    await lapse(owner.id);
    expect(await socket.closed).toEqual({ code: 4003, reason: 'PLAN_REQUIRED' });
    expect(Date.now() - started).toBeLessThan(CHECK_MS * 10);
    expect(await helloRefused(made.secret)).toEqual({ code: 4003, reason: 'PLAN_REQUIRED' });
  });

  test('tokens: a socket keeps its credential: no switching between a session and a personal token by an auth frame', async () => {
    const owner = await member();
    const made = await makeToken(owner, ['read']);
    expect(await owner.socket.request({ type: 'auth', token: made.secret })).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    const socket = await tokenSocket(made.secret);
    expect(await socket.request({ type: 'auth', token: owner.user.tokens.accessToken })).toMatchObject({
      type: 'error',
      code: 'FORBIDDEN',
    });
    expect((await socket.request({ type: 'auth', token: made.secret })).type).toBe('reply');
  });
});
