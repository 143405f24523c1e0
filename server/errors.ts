// The server's failures, one class each, with a stable `code` that clients and logs can rely on
// and the HTTP `status` it maps to where it meets HTTP. The detail stays in `cause` and the log.

export abstract class ServerError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
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
