// Failures of the actor runtime, each with a stable code. They cross nodes by code: a remote
// failure is rebuilt on the caller's side as the same class.

export abstract class ActorError extends Error {
  abstract readonly code: string;
}

/** The actor's mailbox is full: the caller should back off (the runtime never queues unbounded). */
export class MailboxFullError extends ActorError {
  readonly code = 'MAILBOX_FULL';
  constructor(address: string, capacity: number) {
    super(`mailbox of ${address} is full (${capacity} messages)`);
    this.name = 'MailboxFullError';
  }
}

/** No reply within the ask's timeout; the message may still be processed. */
export class AskTimeoutError extends ActorError {
  readonly code = 'ACTOR_TIMEOUT';
  constructor(address: string, timeoutMs: number) {
    super(`${address} did not answer within ${timeoutMs} ms`);
    this.name = 'AskTimeoutError';
  }
}

export class UnknownKindError extends ActorError {
  readonly code = 'UNKNOWN_ACTOR_KIND';
  constructor(kind: string) {
    super(`no actor kind ${JSON.stringify(kind)} is registered`);
    this.name = 'UnknownKindError';
  }
}

/** The actor's handler failed; the detail stays in the owning node's log. */
export class ActorFailedError extends ActorError {
  readonly code: string;
  constructor(address: string, code: string, message: string) {
    super(`${address}: ${message}`);
    this.name = 'ActorFailedError';
    this.code = code;
  }
}

/** The node holding the actor cannot be reached (it died; its lease has not expired yet). Retryable. */
export class ActorUnavailableError extends ActorError {
  readonly code = 'ACTOR_UNAVAILABLE';
  constructor(address: string) {
    super(`${address} is held by a node that does not answer; retry once its lease expires`);
    this.name = 'ActorUnavailableError';
  }
}

/** The runtime is shutting down and takes no new messages. */
export class ActorSystemStoppedError extends ActorError {
  readonly code = 'ACTOR_SYSTEM_STOPPED';
  constructor() {
    super('the actor system is stopping');
    this.name = 'ActorSystemStoppedError';
  }
}

/** No live node can host the actor where its kind must be placed (for `sfu`: no node reports a running SFU). */
export class NoPlacementError extends ActorError {
  readonly code = 'NO_PLACEMENT';
  constructor(address: string, reason: string) {
    super(`${address}: ${reason}`);
    this.name = 'NoPlacementError';
  }
}
