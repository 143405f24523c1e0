// The server's failures, one class each, with a stable `code` that clients and logs can rely on
// and the HTTP `status` it maps to where it meets HTTP. The detail stays in `cause` and the log.

export abstract class ServerError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Safe to show to the caller: which field, how long to wait. Never internals. */
  details(): Record<string, unknown> | undefined {
    return undefined;
  }
}

/** The request is malformed or a field is invalid; nothing was changed. */
export class InvalidInputError extends ServerError {
  readonly code: string = 'INVALID_INPUT';
  readonly status: number = 400;
  readonly field: string | undefined;
  constructor(message: string, options: { field?: string; code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'InvalidInputError';
    this.field = options.field;
    if (options.code !== undefined) this.code = options.code;
  }
  override details() {
    return this.field === undefined ? undefined : { field: this.field };
  }
}

/** A request body over the limit of its endpoint. */
export class BodyTooLargeError extends ServerError {
  readonly code = 'BODY_TOO_LARGE';
  readonly status = 413;
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`the request body is larger than ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
    this.limitBytes = limitBytes;
  }
  override details() {
    return { limitBytes: this.limitBytes };
  }
}

/** Who is calling is unknown or not proven: no token, a bad one, wrong credentials. */
export type UnauthenticatedCode =
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'TOKEN_REUSED'
  | 'TOKEN_REVOKED'
  | 'SESSION_REVOKED'
  | 'TOTP_REQUIRED'
  | 'TOTP_INVALID';

export class UnauthenticatedError extends ServerError {
  readonly code: UnauthenticatedCode;
  readonly status = 401;
  constructor(code: UnauthenticatedCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnauthenticatedError';
    this.code = code;
  }
}

/** The caller is known but may not do this (role, ownership, state). */
export class ForbiddenError extends ServerError {
  readonly code: string;
  readonly status = 403;
  constructor(message: string, code = 'FORBIDDEN') {
    super(message);
    this.name = 'ForbiddenError';
    this.code = code;
  }
}

/** A personal API token whose scopes do not cover the call, topic or endpoint (`needed`: the scope, or `never`). */
export class ScopeDeniedError extends ServerError {
  readonly code = 'SCOPE_DENIED';
  readonly status = 403;
  readonly needed: string;
  constructor(what: string, needed: string) {
    super(
      needed === 'never'
        ? `${what} needs a signed-in session, not a personal token`
        : `${what} needs a personal token with the ${needed} scope`,
    );
    this.name = 'ScopeDeniedError';
    this.needed = needed;
  }
  override details() {
    return { needed: this.needed };
  }
}

/**
 * A sensitive change (password, two-factor, ending every session, linking a provider) needs the
 * caller to prove again who they are: `method` says how (the password in the request, or a
 * fresh sign-in at one of `providers` for an account without a password).
 */
export class ReauthenticationRequiredError extends ServerError {
  readonly code = 'REAUTH_REQUIRED';
  readonly status = 403;
  readonly method: 'password' | 'provider';
  readonly providers: string[];
  constructor(message: string, method: 'password' | 'provider', providers: string[] = []) {
    super(message);
    this.name = 'ReauthenticationRequiredError';
    this.method = method;
    this.providers = providers;
  }
  override details() {
    return { method: this.method, providers: this.providers };
  }
}

export class NotFoundError extends ServerError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
  constructor(what: string) {
    super(`no such ${what}`);
    this.name = 'NotFoundError';
  }
}

/** The request conflicts with what exists (a taken email or username, a state already set). */
export class ConflictError extends ServerError {
  readonly code: string;
  readonly status = 409;
  readonly field: string | undefined;
  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'ConflictError';
    this.code = code;
    this.field = field;
  }
  override details() {
    return this.field === undefined ? undefined : { field: this.field };
  }
}

/** Too many attempts; `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimitedError extends ServerError {
  readonly code = 'RATE_LIMITED';
  readonly status = 429;
  readonly retryAfterSeconds: number;
  constructor(what: string, retryAfterSeconds: number) {
    super(`too many ${what}; try again in ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
  override details() {
    // retryAfterMs as every RATE_LIMITED on the socket has it (protocol/errors.ts).
    return { retryAfterSeconds: this.retryAfterSeconds, retryAfterMs: this.retryAfterSeconds * 1000 };
  }
}

/** A ServerError thrown by an actor on another node, rebuilt on the caller's side with the same
 * code, status and details (so a domain refusal reads the same wherever the actor lives). */
export class RelayedError extends ServerError {
  readonly code: string;
  readonly status: number;
  readonly #details: Record<string, unknown> | undefined;
  constructor(code: string, status: number, message: string, details: Record<string, unknown> | undefined) {
    super(message);
    this.name = 'RelayedError';
    this.code = code;
    this.status = status;
    this.#details = details;
  }
  override details() {
    return this.#details;
  }
}

/** An environment variable is missing or malformed; the node refuses to start. */
export class ConfigError extends ServerError {
  readonly code = 'CONFIG_INVALID';
  readonly status = 500;
  readonly variable: string;
  constructor(message: string, options: { variable: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'ConfigError';
    this.variable = options.variable;
  }
}

/** A backing service (database, bus, cache, storage) cannot be reached or answered wrongly. */
export class DependencyError extends ServerError {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  readonly status = 503;
  readonly dependency: string;
  constructor(dependency: string, message: string, options?: { cause?: unknown }) {
    super(`${dependency}: ${message}`, options);
    this.name = 'DependencyError';
    this.dependency = dependency;
  }
}

/** A bus request got no reply in time. */
export class BusTimeoutError extends ServerError {
  readonly code = 'BUS_TIMEOUT';
  readonly status = 504;
  constructor(subject: string, timeoutMs: number) {
    super(`no reply on ${subject} within ${timeoutMs} ms`);
    this.name = 'BusTimeoutError';
  }
}

/** A bus request reached no subscriber at all. */
export class BusNoRespondersError extends ServerError {
  readonly code = 'BUS_NO_RESPONDERS';
  readonly status = 503;
  constructor(subject: string) {
    super(`no responders on ${subject}`);
    this.name = 'BusNoRespondersError';
  }
}

/** An object asked for by key does not exist in storage. */
export class ObjectNotFoundError extends ServerError {
  readonly code = 'OBJECT_NOT_FOUND';
  readonly status = 404;
  constructor(key: string, options?: { cause?: unknown }) {
    super(`no object ${key}`, options);
    this.name = 'ObjectNotFoundError';
  }
}

/** A storage key that could escape its namespace or is not a plain relative path. */
export class InvalidObjectKeyError extends ServerError {
  readonly code = 'INVALID_OBJECT_KEY';
  readonly status = 400;
  constructor(key: string) {
    super(`invalid object key ${JSON.stringify(key.slice(0, 200))}`);
    this.name = 'InvalidObjectKeyError';
  }
}

/** Another embedded node already holds DATA_DIR. */
export class DataDirLockedError extends ServerError {
  readonly code = 'DATA_DIR_LOCKED';
  readonly status = 500;
  constructor(dir: string, holder: string) {
    super(`DATA_DIR ${dir} is in use by ${holder}; an embedded database serves one process at a time`);
    this.name = 'DataDirLockedError';
  }
}
