// The parts of the OpenAPI document @elysiajs/openapi cannot write from the routes alone.
// - Request bodies: every JSON body goes through the app's own strict parser (body.ts), a function
//   hook, and the plugin writes a body's schema only for parsers it knows by name, so every
//   requestBody came out with empty `content`; each route's body schema is put back here as
//   `application/json`. Uploads (multipart, octet-stream) declare theirs in `detail.requestBody`.
// - Error responses: what an operation can refuse with depends on what runs before its handler
//   (the strict parser, schema validation, the role guard) and on the handler itself. The first
//   part is derived here from the route's hooks; the handler's own codes are declared next to the
//   route with `refusals({...})`. Each error status becomes one response with the one error
//   shape (`#/components/schemas/Error`), the codes it can carry (`x-error-codes`) and an example
//   per code; the operation lists all its codes in `x-error-codes` too.
// server/http/openapi.test.ts walks the served document and fails on whatever is missing.

/** The statuses an HTTP error leaves with (server/errors.ts). */
type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 502 | 503;
export type Refusals = Partial<Record<ErrorStatus, readonly string[]>>;

/** Part of a route's `detail`: the codes its handler can refuse with, by status. */
export const refusals = (codes: Refusals) => ({ 'x-refusals': codes });

/** Part of a route's `detail`: a documented response that Elysia does not validate (streams, redirects, no content). */
export function answers(responses: Record<number, { description: string; schema?: unknown; type?: string }>) {
  const entries = Object.entries(responses).map(([status, answer]) => [
    status,
    answer.schema === undefined
      ? { description: answer.description }
      : { description: answer.description, content: { [answer.type ?? 'application/json']: { schema: answer.schema } } },
  ]);
  return { responses: Object.fromEntries(entries) };
}

/** The credential failures of a bearer access token (accounts/guard.ts, accounts/tokens.ts). */
const BEARER: Refusals = { 401: ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'TOKEN_INVALID', 'SESSION_REVOKED'] };

const ERROR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable, for programs: the response lists the codes it can carry (x-error-codes)' },
        message: { type: 'string', description: 'For people, in English; may change' },
        details: {
          type: 'object',
          description:
            'When useful: `field` (the input at fault), `retryAfterSeconds` and `retryAfterMs` (429, also in Retry-After), `limitBytes` (413), `errorId` (500, also in the log), `method` and `providers` (REAUTH_REQUIRED), the limits of a media refusal',
        },
      },
    },
  },
  example: { error: { code: 'INVALID_INPUT', message: 'email: expected string', details: { field: 'email' } } },
} as const;

const STATUS_TEXT: Record<ErrorStatus, string> = {
  400: 'The request is invalid; nothing was changed',
  401: 'Not signed in, or the credentials are wrong or expired',
  403: 'Signed in, but not allowed',
  404: 'No such resource (or not visible to the caller)',
  409: 'Conflicts with the current state',
  413: 'The body is over its limit',
  429: 'Too many attempts: wait Retry-After seconds',
  500: 'Internal error: details.errorId is in the server log',
  502: 'An upstream provider (a payment provider) refused or failed; nothing was changed by this call',
  503: 'A backing service is down; try again later',
};

interface Operation {
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, unknown>;
  'x-refusals'?: Refusals;
  'x-error-codes'?: string[];
}
interface Route {
  method: string;
  path: string;
  hooks: { body?: unknown; params?: unknown; query?: unknown; parse?: unknown; detail?: unknown };
}
type Document = {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
};

/** Elysia's `/users/:id` is OpenAPI's `/users/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The codes that come from what runs before the handler, by the route's hooks. */
function derivedRefusals(route: Route): Refusals[] {
  const found: Refusals[] = [{ 500: ['INTERNAL'] }];
  const method = route.method.toUpperCase();
  // A route with a parser of its own by name (uploads, form posts) never meets the strict JSON one.
  const ownParser = Array.isArray(route.hooks.parse) && route.hooks.parse.some((parser: { fn?: unknown }) => typeof parser.fn === 'string');
  if (method !== 'GET' && method !== 'HEAD' && !ownParser) found.push({ 400: ['INVALID_BODY'], 413: ['BODY_TOO_LARGE'] });
  if (route.hooks.body !== undefined || route.hooks.params !== undefined || route.hooks.query !== undefined)
    found.push({ 400: ['INVALID_INPUT'] });
  // The role guard (accounts/guard.ts) marks the operations it protects.
  const detail = (route.hooks.detail ?? {}) as { security?: unknown[]; 'x-role'?: string };
  if (detail.security !== undefined && detail.security.length > 0) found.push(BEARER);
  if (detail['x-role'] !== undefined && detail['x-role'] !== 'user') found.push({ 403: ['FORBIDDEN'] });
  return found;
}

function merge(all: Refusals[]): Map<ErrorStatus, string[]> {
  const byStatus = new Map<ErrorStatus, Set<string>>();
  for (const part of all)
    for (const [status, codes] of Object.entries(part) as [string, readonly string[]][]) {
      const set = byStatus.get(Number(status) as ErrorStatus) ?? new Set<string>();
      for (const code of codes) set.add(code);
      byStatus.set(Number(status) as ErrorStatus, set);
    }
  return new Map([...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => [status, [...codes].sort()]));
}

function errorResponse(status: ErrorStatus, codes: string[]) {
  const examples = Object.fromEntries(
    codes.map((code) => [code, { value: { error: { code, message: STATUS_TEXT[status].split(':')[0]?.toLowerCase() ?? code } } }]),
  );
  return {
    description: `${STATUS_TEXT[status]}. Codes: ${codes.join(', ')}.`,
    'x-error-codes': codes,
    ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } } } : {}),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, examples } },
  };
}

/**
 * Elysia's t.Integer and t.Numeric are written as "a numeric string, or the number" so that query
 * strings and path segments convert; in JSON, the contract is the number. Returns a copy (the
 * schemas are the routes' own validators and must stay as they are).
 */
function plainNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainNumbers);
  if (typeof value !== 'object' || value === null) return value;
  const { anyOf, ...rest } = value as { anyOf?: unknown[] } & Record<string, unknown>;
  const numericString = (member: unknown) =>
    typeof member === 'object' &&
    member !== null &&
    (member as { type?: unknown }).type === 'string' &&
    ['integer', 'numeric'].includes((member as { format?: string }).format ?? '');
  if (Array.isArray(anyOf) && anyOf.length === 2 && anyOf.some(numericString)) {
    const number = anyOf.find((member) => !numericString(member)) as Record<string, unknown>;
    return plainNumbers({ ...rest, ...number });
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = plainNumbers(item);
  return copy;
}

/** Completes `document` from the routes (request bodies, error responses); returns the document. */
export function completeDocument<D extends Document>(document: D, routes: readonly Route[]): D {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA } };
  for (const route of routes) {
    const operation = document.paths?.[openApiPath(route.path)]?.[route.method.toLowerCase()];
    if (operation === undefined) continue;
    const body = operation.requestBody;
    if (route.hooks.body !== undefined && body !== undefined && Object.keys(body.content ?? {}).length === 0)
      body.content = { 'application/json': { schema: route.hooks.body } };
    const declared = (route.hooks.detail as Operation | undefined)?.['x-refusals'] ?? {};
    const codes = merge([...derivedRefusals(route), declared]);
    const kept = Object.entries(operation.responses ?? {}).filter(([status]) => !codes.has(Number(status) as ErrorStatus));
    operation.responses = Object.fromEntries([
      ...kept,
      ...[...codes].map(([status, list]) => [String(status), errorResponse(status, list)]),
    ]);
    operation['x-error-codes'] = [...new Set([...codes.values()].flat())].sort();
    delete operation['x-refusals'];
  }
  document.paths = plainNumbers(document.paths) as D['paths'];
  return document;
}
