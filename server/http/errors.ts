// One JSON shape for every HTTP error: {"error":{"code","message","details"?}}. Known failures
// keep their own code and status; anything else is a 500 whose id appears in the log line that
// holds the detail, so a user's report can be matched to it.
import { randomUUID } from 'node:crypto';
import { ServerError } from '../errors.ts';
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

/** Maps an error raised while handling a request to a status and a body. */
export function toHttpError(error: unknown, elysiaCode: string | number, log: Logger, path: string): { status: number; body: ErrorBody } {
  if (error instanceof ServerError) {
    return { status: error.status, body: errorBody(error.code, error.message) };
  }
  const known = ELYSIA_CODES[String(elysiaCode)];
  if (known !== undefined) return { status: known.status, body: errorBody(known.code, known.message) };
  const id = randomUUID();
  log.error({ err: error, errorId: id, path }, `http.request() | internal error [path:${path}] [error:${id}]`);
  return { status: 500, body: errorBody('INTERNAL', 'internal error', { errorId: id }) };
}
