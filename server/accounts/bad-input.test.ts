// Bad input at the accounts API's edge: missing fields, wrong types, huge strings, injection
// strings, invalid UTF-8, random JSON. Each gets a 4xx in the one error shape, and no row of
// any accounts table changes.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('bad_input');
  // One real account, so injection strings have something to find if they worked.
  await env.register();
});
afterAll(async () => {
  await env.close();
});

const TABLES = ['users', 'auth_sessions', 'refresh_tokens', 'email_tokens', 'recovery_codes', 'oauth_identities', 'mail_outbox'];

async function snapshot(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const rows = (await env.node.platform.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
      n: number;
    }[];
    counts[table] = rows[0]?.n ?? -1;
  }
  return counts;
}

const ENDPOINTS: Record<string, string[]> = {
  '/auth/register': ['email', 'username', 'password', 'language'],
  '/auth/login': ['login', 'password', 'totp'],
  '/auth/refresh': ['refreshToken'],
  '/auth/email/verify': ['token'],
  '/auth/email/resend': ['email'],
  '/auth/password/forgot': ['email'],
  '/auth/password/reset': ['token', 'password'],
  '/auth/oauth/exchange': ['code'],
};

const VALID: Record<string, string> = {
  email: 'valid-person@example.com',
  username: 'valid_person',
  password: 'A perfectly fine password 1',
  language: 'en',
  login: 'valid_person',
  totp: '123456',
  refreshToken: 'R'.repeat(43),
  token: 'T'.repeat(43),
  code: 'C'.repeat(43),
};

const INJECTIONS = [
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  "admin'--",
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell probe, literally
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '\u0000',
  'a'.repeat(5000),
];

type ErrorBody = { error: { code: string; message: string } };

function expectClientError(status: number, body: unknown, context: string) {
  expect(status, context).toBeGreaterThanOrEqual(400);
  expect(status, context).toBeLessThan(500);
  expect((body as ErrorBody).error?.code, context).toMatch(/^[A-Z_]+$/);
}

describe('bad input', () => {
  test('bad input: missing fields, wrong types and injection strings get a 4xx and change nothing', async () => {
    const before = await snapshot();
    for (const [path, fields] of Object.entries(ENDPOINTS)) {
      const valid = Object.fromEntries(fields.map((field) => [field, VALID[field]]));
      const cases: unknown[] = [{}, null, [], 'text', 42];
      for (const field of fields) {
        const { [field]: _dropped, ...missing } = valid;
        cases.push(missing);
        for (const wrong of [123, null, true, [], { nested: 'x' }, '']) cases.push({ ...valid, [field]: wrong });
        // Any text is a legal new password; injection strings as passwords are tested below.
        const newPassword = field === 'password' && path !== '/auth/login';
        if (!newPassword) for (const injection of INJECTIONS) cases.push({ ...valid, [field]: injection });
      }
      for (const body of cases) {
        const response = await env.client().post(path, body);
        expectClientError(response.status, response.body, `${path} ${JSON.stringify(body).slice(0, 120)}`);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  test('bad input: an injection string is just a password: stored hashed, and it signs in', async () => {
    const password = '"; DROP TABLE users; -- <script>x</script>';
    const client = env.client();
    const registered = await client.post<{ user: { id: string } }>('/auth/register', {
      email: 'bobby-tables@example.com',
      username: 'bobby_tables',
      password,
      language: 'en',
    });
    expect(registered.status).toBe(201);
    expect((await client.post('/auth/login', { login: 'bobby_tables', password })).status).toBe(200);
    expect((await snapshot()).users).toBeGreaterThan(1);
  });

  test.each(Object.keys(ENDPOINTS))('bad input: a 1 MB string in %s is refused as too large', async (path) => {
    const before = await snapshot();
    const [field] = ENDPOINTS[path] as [string];
    const response = await env.client().post<ErrorBody>(path, { ...VALID, [field]: 'x'.repeat(1024 * 1024) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('BODY_TOO_LARGE');
    expect(await snapshot()).toEqual(before);
  });

  test.each(Object.keys(ENDPOINTS))('bad input: invalid UTF-8 or broken JSON in %s is INVALID_BODY', async (path) => {
    const client = env.client();
    const invalidUtf8 = new Uint8Array([
      ...new TextEncoder().encode('{"email":"'),
      0xc3,
      0x28,
      0xff,
      ...new TextEncoder().encode('@example.com"}'),
    ]);
    for (const raw of [invalidUtf8, '{"email": ', '{email: 1}', '\u0000', '{"email":{"toString":[]}}', '{"valueOf":1}']) {
      const response = await client.request<ErrorBody>('POST', path, { raw, headers: { 'content-type': 'application/json' } });
      expect(response.status, String(raw)).toBe(400);
      expect(response.body.error.code).toBe('INVALID_BODY');
    }
  });

  test('bad input: random JSON bodies (fast-check) never cause a 5xx nor change anything', async () => {
    const before = await snapshot();
    const paths = Object.keys(ENDPOINTS);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...Object.keys(VALID)), fc.anything())),
        async (path, body) => {
          const response = await env.client().post(path, body);
          expectClientError(response.status, response.body, `${path} ${JSON.stringify(body)?.slice(0, 200)}`);
        },
      ),
      { numRuns: 300 },
    );
    expect(await snapshot()).toEqual(before);
  });
});
