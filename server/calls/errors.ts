// The refusals of calls (the shared ones, NOT_FOUND, MESSAGE_NOT_ALLOWED, RATE_LIMITED, are in
// server/errors.ts and actors/room.ts). Each leaves the call as it was.
import { ConflictError, ServerError } from '../errors.ts';

export class AlreadyInCallError extends ConflictError {
  constructor() {
    super('ALREADY_IN_CALL', 'you are in another call: leave it first');
    this.name = 'AlreadyInCallError';
  }
}

export class NotRingingError extends ConflictError {
  constructor() {
    super('NOT_RINGING', 'this call no longer rings you');
    this.name = 'NotRingingError';
  }
}

export class CallEndedError extends ConflictError {
  constructor() {
    super('CALL_ENDED', 'the call is over');
    this.name = 'CallEndedError';
  }
}

export class AnsweredElsewhereError extends ConflictError {
  constructor() {
    super('ANSWERED_ELSEWHERE', 'another device of yours is in this call');
    this.name = 'AnsweredElsewhereError';
  }
}

export class CallFullError extends ServerError {
  readonly code = 'CALL_FULL';
  readonly status = 409;
  readonly limit: number;
  constructor(limit: number) {
    super(`a call of this kind has at most ${limit} people`);
    this.name = 'CallFullError';
    this.limit = limit;
  }
  override details() {
    return { limit: this.limit };
  }
}

/** A conversation has one call in progress at most: `details.callId` names it. */
export class CallInProgressError extends ServerError {
  readonly code = 'CALL_IN_PROGRESS';
  readonly status = 409;
  readonly callId: string;
  constructor(callId: string) {
    super('this conversation has a call in progress: answer or join it');
    this.name = 'CallInProgressError';
    this.callId = callId;
  }
  override details() {
    return { callId: this.callId };
  }
}

/** No node of the cluster runs an SFU now (no worker, or every worker dead): calls cannot be placed. */
export class CallsUnavailableError extends ServerError {
  readonly code = 'CALLS_UNAVAILABLE';
  readonly status = 503;
  constructor() {
    super('calls are unavailable: no node of the platform runs an SFU (media server) now');
    this.name = 'CallsUnavailableError';
  }
}

/** Media is for the device in the call: the caller is not in it, or is in it from another socket. */
export class NotInCallError extends ConflictError {
  constructor() {
    super('NOT_IN_CALL', 'you are not in this call from this device: answer or join it first');
    this.name = 'NotInCallError';
  }
}
