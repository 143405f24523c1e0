// The HTTP API's request schemas are closed at every depth, as the socket's are
// (protocol/closed.test.ts): every body, query and path object of every route refuses
// keys it does not declare, and a request with one is a 400 INVALID_INPUT that changes nothing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AccountsEnv, newIdentity, PASSWORD, startAccountsEnv } from '../../test/harness/accounts.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('http_closed');
});
afterAll(async () => {
  await env.close();
});

type Schema = { type?: string; properties?: Record<string, Schema>; additionalProperties?: unknown; items?: Schema } & Record<
  string,
  unknown
>;

function openPlaces(schema: Schema, path: string, found: string[]) {
  if (schema.type === 'object' && schema.properties !== undefined && schema.additionalProperties !== false)
    found.push(`${path}: object without additionalProperties: false`);
  for (const [key, value] of Object.entries(schema.properties ?? {})) openPlaces(value, `${path}.${key}`, found);
  if (schema.items !== undefined) openPlaces(schema.items, `${path}[]`, found);
  for (const group of ['anyOf', 'allOf', 'oneOf'] as const)
    for (const [index, member] of ((schema[group] ?? []) as Schema[]).entries()) openPlaces(member, `${path}|${index}`, found);
}

test('http: every request body, query and path schema of every route refuses unknown keys at every depth', () => {
  const found: string[] = [];
  let schemas = 0;
  for (const route of env.node.httpRoutes)
    for (const part of ['body', 'query', 'params'] as const) {
      const schema = route.hooks[part] as Schema | undefined;
      if (schema === undefined) continue;
      schemas++;
      openPlaces(schema, `${route.method} ${route.path} ${part}`, found);
    }
  expect(schemas).toBeGreaterThan(15);
  expect(found).toEqual([]);
});

test('http: /openapi/json documents every request body with its schema, closed at every depth', async () => {
  const document = (await (await fetch(`${env.node.url}/openapi/json`)).json()) as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  };
  const found: string[] = [];
  let bodies = 0;
  for (const [path, operations] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.requestBody === undefined) continue;
      // Uploads and form posts have their own types (openapi.test.ts checks that each has a schema).
      for (const [type, { schema }] of Object.entries(operation.requestBody.content)) {
        if (schema === undefined) {
          found.push(`${method.toUpperCase()} ${path}: no ${type} schema`);
          continue;
        }
        bodies++;
        openPlaces(schema, `${method.toUpperCase()} ${path} ${type}`, found);
      }
    }
  expect(bodies).toBeGreaterThan(15);
  expect(found).toEqual([]);
  const login = document.paths['/auth/login']?.post?.requestBody?.content['application/json']?.schema;
  expect(login?.properties).toHaveProperty('login');
});

test('http: a body with a key its schema does not list is INVALID_INPUT naming it, and nothing is stored', async () => {
  const identity = newIdentity();
  const client = env.client();
  const body = { email: identity.email, username: identity.username, password: PASSWORD, language: 'es' };
  const refused = await client.post<{ error: { code: string; details?: { field?: string } } }>('/auth/register', {
    ...body,
    role: 'admin',
  });
  expect(refused.status).toBe(400);
  expect(refused.body.error.code).toBe('INVALID_INPUT');
  const login = await client.post<{ error: { code: string } }>('/auth/login', { login: identity.email, password: PASSWORD });
  expect(login.status).toBe(401);
  expect((await client.post('/auth/register', body)).status).toBe(201);
  const extra = await client.post<{ error: { code: string } }>('/auth/login', {
    login: identity.email,
    password: PASSWORD,
    verified: true,
  });
  expect([extra.status, extra.body.error.code]).toEqual([400, 'INVALID_INPUT']);
});
