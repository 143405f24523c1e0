// One JSON shape for every HTTP error: {"error":{"code","message","details"?}}. Known failures
// keep their own code and status; anything else is a 500 whose id appears in the log line that
// holds the detail, so a user's report can be matched to it.
import { randomUUID } from 'node:crypto';
import { ValidationError } from 'elysia';
import { RateLimitedError, ServerError } from '../errors.ts';
import type { Logger } from '../platform/log.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const ELYSIA_CODES: Record<string, { status: number; code: string; message: string }> = {
  NOT_FOUND: { status: 404, code: 'NOT_FOUND', message: 'no such resource' },
  PARSE: { status: 400, code: 'INVALID_BODY', message: 'the request body could not be parsed' },
  VALIDATION: { status: 400, code: 'INVALID_INPUT', message: 'the request does not match its schema' },
  INVALID_COOKIE_SIGNATURE: { status: 400, code: 'INVALID_INPUT', message: 'invalid cookie signature' },
};

export interface HttpError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/** The field a schema validation failed on, as a dotted path ("email", "items.0.name"). */
function failedField(error: ValidationError): string | undefined {
  const path = error.valueError?.path;
  return path === undefined || path === '' ? undefined : path.replace(/^\//, '').replaceAll('/', '.');
}

/** Maps an error raised while handling a request to a status, a body and headers. */
export function toHttpError(raised: unknown, elysiaCode: string | number, log: Logger, path: string): HttpError {
  // Elysia wraps what a parse hook throws in its own ParseError; ours is the cause.
  const error = raised instanceof Error && raised.cause instanceof ServerError ? raised.cause : raised;
  if (error instanceof ServerError) {
    const headers: Record<string, string> = error instanceof RateLimitedError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
    return { status: error.status, body: errorBody(error.code, error.message, error.details()), headers };
  }
  if (error instanceof ValidationError) {
    const field = failedField(error);
    const reason = error.valueError?.message ?? 'does not match the schema';
    const message = field === undefined ? `the request ${reason.toLowerCase()}` : `${field}: ${reason.toLowerCase()}`;
    return { status: 400, body: errorBody('INVALID_INPUT', message, field === undefined ? undefined : { field }), headers: {} };
  }
  const known = ELYSIA_CODES[String(elysiaCode)];
  if (known !== undefined) return { status: known.status, body: errorBody(known.code, known.message), headers: {} };
  const id = randomUUID();
  log.error({ err: error, errorId: id, path }, `http.request() | internal error [path:${path}] [error:${id}]`);
  return { status: 500, body: errorBody('INTERNAL', 'internal error', { errorId: id }), headers: {} };
}
