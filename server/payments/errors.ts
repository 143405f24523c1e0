// Refusals of the payments module, and what a provider's refusal becomes.
import { ServerError } from '../errors.ts';

/** The provider refused or failed a request (its status and issue are logged and kept in `cause`). */
export class ProviderError extends ServerError {
  readonly code = 'PAYMENT_PROVIDER_ERROR';
  readonly status = 502;
  readonly provider: string;
  readonly issue: string;
  constructor(provider: string, what: string, status: number, issue: string, options?: { cause?: unknown }) {
    super(`${provider} refused ${what} (${status} ${issue})`, options);
    this.name = 'ProviderError';
    this.provider = provider;
    this.issue = issue;
  }
  override details() {
    return { provider: this.provider };
  }
}

/** The method is not configured on this deployment; nothing was made. */
export class MethodUnavailableError extends ServerError {
  readonly code = 'PAYMENT_METHOD_UNAVAILABLE';
  readonly status = 503;
  readonly method: string;
  constructor(method: string) {
    super(`${method} is not offered here`);
    this.name = 'MethodUnavailableError';
    this.method = method;
  }
  override details() {
    return { method: this.method };
  }
}

/** Capture asked before the buyer approved the payment at the provider; nothing changed. */
export class NotApprovedError extends ServerError {
  readonly code = 'PAYMENT_NOT_APPROVED';
  readonly status = 409;
  constructor() {
    super('the payment has not been approved by the buyer yet');
    this.name = 'NotApprovedError';
  }
}

/** Too many payments of the user wait for approval; nothing was made. */
export class TooManyPendingError extends ServerError {
  readonly code = 'TOO_MANY_PENDING';
  readonly status = 429;
  readonly limit: number;
  constructor(limit: number) {
    super(`at most ${limit} payments may wait for approval at once`);
    this.name = 'TooManyPendingError';
    this.limit = limit;
  }
  override details() {
    return { limit: this.limit };
  }
}
