// Refusals of verification that carry more than a code.
import { ServerError } from '../errors.ts';

/** The person already has a request waiting for an admin; nothing was made. */
export class VerificationPendingError extends ServerError {
  readonly code = 'VERIFICATION_PENDING';
  readonly status = 409;
  readonly requestId: string;
  constructor(requestId: string) {
    super('a verification request is waiting for an admin already');
    this.name = 'VerificationPendingError';
    this.requestId = requestId;
  }
  override details() {
    return { requestId: this.requestId };
  }
}

/** The person's verified mark shows already; nothing was made. */
export class AlreadyVerifiedError extends ServerError {
  readonly code = 'ALREADY_VERIFIED';
  readonly status = 409;
  constructor() {
    super('verified already');
    this.name = 'AlreadyVerifiedError';
  }
}

/** An admin decided on a request that was decided already; nothing changed. */
export class VerificationDecidedError extends ServerError {
  readonly code = 'VERIFICATION_DECIDED';
  readonly status = 409;
  readonly decided: string;
  constructor(decided: string) {
    super(`the request was ${decided} already`);
    this.name = 'VerificationDecidedError';
    this.decided = decided;
  }
  override details() {
    return { status: this.decided };
  }
}
