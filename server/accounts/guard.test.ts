// Every protected endpoint refuses anonymous callers and callers below its role. The list of
// endpoints comes from the OpenAPI document, so a new endpoint that forgets to declare its
// role, or to say that it is public, fails here.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HTTP_SCOPES } from '../../protocol/scopes.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { givePlan } from '../../test/harness/plans.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('guard');
});
afterAll(async () => {
  await env.close();
});

type ErrorBody = { error: { code: string } };
type Role = 'user' | 'moderator' | 'admin';

const PUBLIC = new Set([
  'GET /health',
  'GET /metrics',
  'GET /protocol/schema.json',
  'POST /auth/register',
  'POST /auth/login',
  'POST /auth/refresh',
  'POST /auth/logout',
  'POST /auth/email/verify',
  'POST /auth/email/resend',
  'POST /auth/password/forgot',
  'POST /auth/password/reset',
  'GET /auth/oauth/providers',
  'GET /auth/oauth/{provider}/start',
  'GET /auth/oauth/{provider}/callback',
  'POST /auth/oauth/{provider}/callback',
  'POST /auth/oauth/exchange',
  // Signed, expiring paths: the signature is the credential.
  'GET /media/files/*',
  // The payment providers' webhooks: each event's signature (or PayPal's confirmation) is the credential.
  'POST /webhooks/paypal',
  'POST /webhooks/mercadopago',
  'POST /webhooks/spei',
  // Chatwoot's webhook: each delivery's signature is the credential.
  'POST /webhooks/chatwoot',
]);

const PROTECTED: Record<string, Role> = {
  'GET /auth/me': 'user',
  'GET /auth/sessions': 'user',
  'DELETE /auth/sessions': 'user',
  'DELETE /auth/sessions/{id}': 'user',
  'POST /auth/password/change': 'user',
  'POST /auth/oauth/{provider}/link': 'user',
  'POST /auth/oauth/{provider}/reauth': 'user',
  'POST /auth/2fa/setup': 'user',
  'POST /auth/2fa/enable': 'user',
  'POST /auth/2fa/disable': 'user',
  'GET /admin/users/{id}': 'moderator',
  'PUT /admin/users/{id}/role': 'admin',
  'GET /admin/payments/': 'admin',
  'POST /admin/payments/{id}/spei': 'admin',
  'POST /admin/payments/{id}/refund': 'admin',
  'GET /admin/subscriptions/': 'admin',
  'GET /payments/{id}/receipt.pdf': 'user',
  'GET /admin/verification/': 'admin',
  'POST /admin/verification/{id}/approve': 'admin',
  'POST /admin/verification/{id}/reject': 'admin',
  'GET /users/by-username/{username}': 'user',
  'POST /media/': 'user',
  'POST /media/uploads': 'user',
  'GET /media/uploads/{id}': 'user',
  'PUT /media/uploads/{id}': 'user',
  'DELETE /media/uploads/{id}': 'user',
  'POST /media/uploads/{id}/complete': 'user',
};

const sample = (path: string, userId: string) =>
  path.replace('{id}', userId).replace('{provider}', 'google').replace('{username}', 'someone');

async function call(endpoint: string, token: string | undefined, userId: string) {
  const [method, path] = endpoint.split(' ') as [string, string];
  // A body and query of the right shape, so the role check is what answers.
  const body =
    method === 'GET' || (method === 'DELETE' && endpoint !== 'DELETE /auth/sessions')
      ? undefined
      : endpoint.endsWith('/role')
        ? { role: 'user' }
        : endpoint === 'POST /media/uploads'
          ? { kind: 'image', size: 10 }
          : endpoint === 'POST /admin/payments/{id}/spei'
            ? { amountMinor: 100, trackingKey: 'X1' }
            : endpoint === 'POST /admin/payments/{id}/refund'
              ? { reason: 'a test of the guard' }
              : endpoint === 'POST /admin/verification/{id}/reject'
                ? { reason: 'not shown' }
                : endpoint === 'POST /auth/password/change'
                  ? { password: 'whatever it is', newPassword: 'Some new secret 2026' }
                  : { code: '000000' };
  const query = endpoint === 'PUT /media/uploads/{id}' ? '?offset=0' : '';
  return env.client().request<ErrorBody>(method, `${sample(path, userId)}${query}`, {
    ...(token === undefined ? {} : { token }),
    ...(body === undefined ? {} : { body }),
  });
}

describe('roles', () => {
  test('guard: every endpoint in the OpenAPI document is either public or declares its role here', async () => {
    const document = (await (await fetch(`${env.node.url}/openapi/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const endpoints = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const undeclared = endpoints.filter((endpoint) => !PUBLIC.has(endpoint) && PROTECTED[endpoint] === undefined);
    expect(undeclared).toEqual([]);
    expect(endpoints.length).toBe(PUBLIC.size + Object.keys(PROTECTED).length);
  });

  test.each(Object.keys(PROTECTED))('guard: %s refuses an anonymous caller with 401', async (endpoint) => {
    const response = await call(endpoint, undefined, '00000000-0000-7000-8000-000000000000');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
  });

  test.each(Object.keys(PROTECTED))('guard: %s refuses a garbage token with 401', async (endpoint) => {
    const response = await call(endpoint, 'not.a.token', '00000000-0000-7000-8000-000000000000');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('TOKEN_INVALID');
  });

  const belowRole = Object.entries(PROTECTED).flatMap(([endpoint, required]) =>
    (['user', 'moderator'] as const)
      .filter((role) => (required === 'admin' ? true : required === 'moderator' && role === 'user'))
      .map((role) => [endpoint, role, required] as const),
  );

  test.each(belowRole)('guard: %s refuses a %s with 403 (needs %s)', async (endpoint, role) => {
    const caller = await env.register();
    await env.setRole(caller.id, role);
    const response = await call(endpoint, caller.tokens.accessToken, caller.id);
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
  });

  test('guard: a moderator may look an account up; an admin may change its role, and the change applies at once', async () => {
    const target = await env.register();
    const moderator = await env.register();
    await env.setRole(moderator.id, 'moderator');
    const lookedUp = await moderator.client.get<{ user: { id: string } }>(`/admin/users/${target.id}`, moderator.tokens.accessToken);
    expect(lookedUp.status).toBe(200);
    expect(lookedUp.body.user.id).toBe(target.id);

    const admin = await env.register();
    await env.setRole(admin.id, 'admin');
    const promoted = await admin.client.request<{ user: { role: string } }>('PUT', `/admin/users/${target.id}/role`, {
      token: admin.tokens.accessToken,
      body: { role: 'moderator' },
    });
    expect(promoted.body.user.role).toBe('moderator');
    // The target's existing access token says "user"; the guard reads the current role.
    expect((await target.client.get(`/admin/users/${moderator.id}`, target.tokens.accessToken)).status).toBe(200);
    await env.setRole(target.id, 'user');
    expect((await target.client.get(`/admin/users/${moderator.id}`, target.tokens.accessToken)).status).toBe(403);
  });

  test('guard: an invalid role value is refused with the field named', async () => {
    const admin = await env.register();
    await env.setRole(admin.id, 'admin');
    const response = await admin.client.request<{ error: { code: string; details: { field: string } } }>(
      'PUT',
      `/admin/users/${admin.id}/role`,
      {
        token: admin.tokens.accessToken,
        body: { role: 'superuser' },
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'role' } });
  });
});

describe('personal tokens', () => {
  /** OpenAPI's `{id}` as Elysia's `:id`, as HTTP_SCOPES names endpoints. */
  const elysiaForm = (endpoint: string) => endpoint.replace(/\{(\w+)\}/g, ':$1');

  test('guard: HTTP_SCOPES names only protected endpoints that exist', () => {
    const known = new Set(Object.keys(PROTECTED).map(elysiaForm));
    expect(Object.keys(HTTP_SCOPES).filter((endpoint) => !known.has(endpoint))).toEqual([]);
  });

  test('guard: a personal token with every scope is refused (403 SCOPE_DENIED) by each endpoint HTTP_SCOPES leaves out, and passes the others', async () => {
    const admin = await env.register();
    await env.setRole(admin.id, 'admin');
    await givePlan(env.node.platform.database.db, admin.id, 'pro');
    const made = await env.node.accounts.tokens.create(admin.id, { name: 'everything', scopes: ['read', 'write', 'chats'] });
    const denied: string[] = [];
    const passed: string[] = [];
    for (const endpoint of Object.keys(PROTECTED)) {
      const response = await call(endpoint, made.secret, admin.id);
      const scopeDenied = response.status === 403 && response.body.error?.code === 'SCOPE_DENIED';
      (scopeDenied ? denied : passed).push(elysiaForm(endpoint));
    }
    expect(passed.sort()).toEqual(Object.keys(HTTP_SCOPES).sort());
    expect(denied.length).toBe(Object.keys(PROTECTED).length - Object.keys(HTTP_SCOPES).length);
  });
});

test('guard: scripts/set-role.ts grants a role from the shell', async () => {
  const user = await env.register();
  const run = Bun.spawnSync([process.execPath, 'scripts/set-role.ts', user.username, 'admin'], {
    cwd: new URL('../../', import.meta.url).pathname,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: env.database.url },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  expect(run.stderr.toString()).toBe('');
  expect(run.stdout.toString()).toContain('is now admin');
  const other = await env.register();
  const changed = await user.client.request<{ user: { role: string } }>('PUT', `/admin/users/${other.id}/role`, {
    token: user.tokens.accessToken,
    body: { role: 'moderator' },
  });
  expect(changed.body.user.role).toBe('moderator');
  const missing = Bun.spawnSync([process.execPath, 'scripts/set-role.ts', 'nobody-at-all', 'admin'], {
    cwd: new URL('../../', import.meta.url).pathname,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: env.database.url },
    stderr: 'pipe',
  });
  expect(missing.exitCode).toBe(1);
});
