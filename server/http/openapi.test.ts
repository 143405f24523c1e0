// The served OpenAPI document is complete enough to write a client from: every operation that
// takes a body says what it is (JSON, multipart or bytes), every operation has a success schema
// and its error responses with their codes, every $ref resolves, every schema compiles under a
// JSON Schema 2020-12 validator (OpenAPI 3.1's dialect), and the codes the server really answers
// with are the documented ones.
import { randomUUID } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';

type Json = Record<string, unknown>;
interface Response {
  description?: string;
  content?: Record<string, { schema?: Json; examples?: Record<string, { value: unknown }> }>;
  'x-error-codes'?: string[];
}
interface Operation {
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, Response>;
  parameters?: { name: string; in: string; schema?: Json }[];
  'x-error-codes'?: string[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
}

/** Operations that change state without a body: the path says everything. */
const NO_BODY = new Set([
  'POST /auth/2fa/setup',
  'POST /auth/oauth/{provider}/reauth',
  'POST /media/uploads/{id}/complete',
  'POST /admin/verification/{id}/approve',
]);
/** Operations whose success is a redirect, not a body. */
const REDIRECTS = new Set([
  'GET /auth/oauth/{provider}/start',
  'GET /auth/oauth/{provider}/callback',
  'POST /auth/oauth/{provider}/callback',
]);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

let env: AccountsEnv;
let document: Document;
beforeAll(async () => {
  env = await startAccountsEnv('http_openapi');
  document = (await (await fetch(`${env.node.url}/openapi/json`)).json()) as Document;
});
afterAll(async () => {
  await env.close();
});

function* operations(doc: Document): Generator<[string, Operation]> {
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, operation] of Object.entries(item))
      if (METHODS.includes(method)) yield [`${method.toUpperCase()} ${path}`, operation];
}

/** Every problem of a document, one line each (the test compares the list to []). */
function problemsOf(doc: Document): string[] {
  const found: string[] = [];
  if (!/^3\.1\.\d+$/.test(doc.openapi)) found.push(`openapi: ${doc.openapi} is not 3.1.x`);
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string') found.push('info: title and version are required');
  for (const [name, operation] of operations(doc)) {
    const [method, path] = name.split(' ') as [string, string];
    if (operation.requestBody !== undefined) {
      const content = Object.entries(operation.requestBody.content ?? {});
      if (content.length === 0 || content.some(([, media]) => media.schema === undefined))
        found.push(`${name}: a request body without a schema`);
    } else if (['POST', 'PUT', 'PATCH'].includes(method) && !NO_BODY.has(name)) found.push(`${name}: no request body`);
    for (const template of path.matchAll(/\{([^}]+)\}/g))
      if (!operation.parameters?.some((parameter) => parameter.in === 'path' && parameter.name === template[1]))
        found.push(`${name}: path parameter ${template[1]} is not declared`);
    for (const parameter of operation.parameters ?? [])
      if (parameter.schema === undefined) found.push(`${name}: parameter ${parameter.name} has no schema`);
    const responses = Object.entries(operation.responses ?? {});
    for (const [status, response] of responses) {
      if (!/^[1-5]\d\d$/.test(status)) found.push(`${name}: response status ${status}`);
      if (typeof response.description !== 'string' || response.description === '') found.push(`${name} ${status}: no description`);
    }
    const success = responses.filter(([status]) => status.startsWith('2'));
    const documented = success.some(([status, response]) =>
      status === '204' ? true : Object.values(response.content ?? {}).some((media) => media.schema !== undefined),
    );
    if (REDIRECTS.has(name)) {
      if (!responses.some(([status]) => status.startsWith('3'))) found.push(`${name}: a redirect without its 3xx response`);
    } else if (!documented) found.push(`${name}: no 2xx response schema`);
    for (const [status, response] of success)
      if (status !== '204' && Object.keys(response.content ?? {}).length === 0) found.push(`${name} ${status}: no content`);
    const errors = responses.filter(([, response]) => response['x-error-codes'] !== undefined);
    if (errors.length === 0) found.push(`${name}: no documented error response`);
    for (const [status, response] of errors) {
      const media = response.content?.['application/json'];
      if (Number(status) < 400) found.push(`${name} ${status}: error codes on a success`);
      if (media?.schema?.$ref !== '#/components/schemas/Error') found.push(`${name} ${status}: not the error shape`);
      if ((response['x-error-codes'] ?? []).length === 0) found.push(`${name} ${status}: no error codes`);
      for (const code of response['x-error-codes'] ?? [])
        if ((media?.examples?.[code]?.value as { error?: { code?: string } })?.error?.code !== code)
          found.push(`${name} ${status}: no example of ${code}`);
    }
    const all = [...new Set(errors.flatMap(([, response]) => response['x-error-codes'] ?? []))].sort();
    if (JSON.stringify(operation['x-error-codes']) !== JSON.stringify(all))
      found.push(`${name}: x-error-codes is not its responses' codes`);
  }
  for (const [at, ref] of refs(doc, '#')) if (resolve(doc, ref) === undefined) found.push(`${at}: $ref ${ref} does not resolve`);
  return found;
}

function* refs(value: unknown, at: string): Generator<[string, string]> {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') yield [at, item];
    else yield* refs(item, `${at}/${key}`);
  }
}

function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Json)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}

/** The schema with its document references replaced by what they point at (none of ours is recursive). */
function inlined(doc: Document, schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map((item) => inlined(doc, item));
  if (typeof schema !== 'object' || schema === null) return schema;
  const ref = (schema as Json).$ref;
  if (typeof ref === 'string') return inlined(doc, resolve(doc, ref));
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inlined(doc, value)]));
}

/** Every schema of the document, with where it is. */
function* schemas(doc: Document): Generator<[string, unknown]> {
  for (const [name, schema] of Object.entries(doc.components.schemas ?? {})) yield [`components/${name}`, schema];
  for (const [name, operation] of operations(doc)) {
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) yield [`${name} body ${type}`, media.schema];
    for (const parameter of operation.parameters ?? []) yield [`${name} ${parameter.in} ${parameter.name}`, parameter.schema];
    for (const [status, response] of Object.entries(operation.responses ?? {}))
      for (const [type, media] of Object.entries(response.content ?? {})) yield [`${name} ${status} ${type}`, media.schema];
  }
}

function validator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // OpenAPI's own additions to JSON Schema: a file's bytes, and the singular example.
  ajv.addFormat('binary', true);
  ajv.addKeyword('example');
  return ajv;
}

test('openapi: the served document has a body schema, a success schema and error codes for every operation, and every $ref resolves', () => {
  expect([...operations(document)].length).toBeGreaterThan(30);
  expect(problemsOf(document)).toEqual([]);
});

test('openapi: the checks fail on a missing body schema, success schema, error response or a dangling $ref', () => {
  const broken = structuredClone(document);
  const upload = broken.paths['/media/']?.post as Operation;
  delete upload.requestBody;
  const status = broken.paths['/media/uploads/{id}']?.get as Operation;
  delete status.responses?.['200'];
  const me = broken.paths['/auth/me']?.get as Operation;
  me.responses = Object.fromEntries(Object.entries(me.responses ?? {}).filter(([code]) => Number(code) < 400));
  delete broken.components.schemas.Error;
  const problems = problemsOf(broken);
  expect(problems).toContain('POST /media/: no request body');
  expect(problems).toContain('GET /media/uploads/{id}: no 2xx response schema');
  expect(problems).toContain('GET /auth/me: no documented error response');
  expect(problems.some((line) => line.endsWith('$ref #/components/schemas/Error does not resolve'))).toBe(true);
});

test('openapi: every schema of the document compiles as JSON Schema 2020-12, and every error example is the error shape', () => {
  const ajv = validator();
  const failures: string[] = [];
  let compiled = 0;
  for (const [where, schema] of schemas(document)) {
    if (schema === undefined) continue;
    try {
      ajv.compile(inlined(document, schema) as Json);
      compiled++;
    } catch (error) {
      failures.push(`${where}: ${(error as Error).message}`);
    }
  }
  const errorShape = ajv.compile(document.components.schemas.Error as Json);
  for (const [name, operation] of operations(document))
    for (const [status, response] of Object.entries(operation.responses ?? {}))
      for (const [code, example] of Object.entries(response.content?.['application/json']?.examples ?? {}))
        if (!errorShape(example.value)) failures.push(`${name} ${status} example ${code}: ${ajv.errorsText(errorShape.errors)}`);
  expect(failures).toEqual([]);
  expect(compiled).toBeGreaterThan(60);
});

test('openapi: the multipart upload documents its parts and their limits', () => {
  const media = document.paths['/media/']?.post?.requestBody?.content?.['multipart/form-data']?.schema as {
    required: string[];
    properties: Record<string, { format?: string; enum?: string[]; description?: string }>;
  };
  expect(media.required).toEqual(['kind', 'file']);
  expect(media.properties.kind?.enum).toContain('image');
  expect(media.properties.file?.format).toBe('binary');
  expect(media.properties.file?.description).toContain(String(20 * 1024 * 1024));
  const chunk = document.paths['/media/uploads/{id}']?.put?.requestBody?.content?.['application/octet-stream']?.schema;
  expect(chunk).toMatchObject({ format: 'binary', maxLength: 8 * 1024 * 1024 });
});

/** A request to every operation with made-up parameters and a body with a stray key. */
async function probe(name: string, accessToken?: string) {
  const [method, template] = name.split(' ') as [string, string];
  const path = template
    .replace('{id}', randomUUID())
    .replace('{provider}', 'nosuch')
    .replace('{username}', 'nobody_here')
    .replace('*', '1/nothing');
  const headers: Record<string, string> = {};
  if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(method) || name === 'DELETE /auth/sessions';
  if (hasBody) headers['content-type'] = 'application/json';
  const response = await fetch(`${env.node.url}${path}`, {
    method,
    headers,
    body: hasBody ? JSON.stringify({ stray: true }) : undefined,
    redirect: 'manual',
  });
  const body = response.headers.get('content-type')?.includes('json') ? ((await response.json()) as { error?: { code?: string } }) : {};
  return { status: response.status, code: body.error?.code };
}

test('openapi: what every operation answers to a made-up request, signed out and signed in, is a documented status and code', async () => {
  const user = await env.register();
  const undocumented: string[] = [];
  let errors = 0;
  for (const [name, operation] of operations(document))
    for (const token of [undefined, user.tokens.accessToken]) {
      const answer = await probe(name, token);
      if (answer.status < 400) {
        if (operation.responses?.[String(answer.status)] === undefined) undocumented.push(`${name}: ${answer.status} is not documented`);
        continue;
      }
      errors++;
      const codes = operation.responses?.[String(answer.status)]?.['x-error-codes'] ?? [];
      if (answer.code === undefined || !codes.includes(answer.code))
        undocumented.push(`${name} (${token === undefined ? 'signed out' : 'signed in'}): ${answer.status} ${answer.code} not documented`);
    }
  expect(undocumented).toEqual([]);
  expect(errors).toBeGreaterThan(40);
});
