// Refusals of the payments module, and what a provider's refusal becomes.
import { ServerError } from '../errors.ts';

/** The provider refused or failed a request (its status and issue are logged and kept in `cause`, not told). */
export class ProviderError extends ServerError {
  readonly code = 'PAYMENT_PROVIDER_ERROR';
  readonly status = 502;
  readonly provider: string;
  /** The provider's HTTP status and issue, for the log (never told to the caller). */
  readonly providerStatus: number;
  readonly issue: string;
  constructor(provider: string, what: string, status: number, issue: string, options?: { cause?: unknown }) {
    super(`the payment provider could not ${what}`, options);
    this.name = 'ProviderError';
    this.provider = provider;
    this.providerStatus = status;
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

/**
 * Money given back on a payment not settled yet: the event is not recorded, and its webhook is
 * answered 503 so the provider delivers it again (it retries for days), by when it can apply.
 */
export class NotSettledYetError extends ServerError {
  readonly code = 'NOT_SETTLED_YET';
  readonly status = 503;
  constructor(paymentId: string) {
    super(`payment ${paymentId} is not settled yet; deliver the refund again later`);
    this.name = 'NotSettledYetError';
  }
}

/** The feature needs a plan the caller does not have; nothing changed. */
export class PlanRequiredError extends ServerError {
  readonly code = 'PLAN_REQUIRED';
  readonly status = 403;
  readonly entitlement: string;
  readonly plan: string;
  constructor(entitlement: string, plan: string) {
    super(`${entitlement} needs the ${plan} plan or a higher one`);
    this.name = 'PlanRequiredError';
    this.entitlement = entitlement;
    this.plan = plan;
  }
  override details() {
    return { entitlement: this.entitlement, plan: this.plan };
  }
}

/** A live subscription to this plan or a higher one already stands; nothing was made. */
export class AlreadySubscribedError extends ServerError {
  readonly code = 'ALREADY_SUBSCRIBED';
  readonly status = 409;
  readonly plan: string;
  constructor(plan: string) {
    super(`already subscribed to ${plan}`);
    this.name = 'AlreadySubscribedError';
    this.plan = plan;
  }
  override details() {
    return { plan: this.plan };
  }
}

/** A receipt asked for a payment that never completed (waiting, failed, under review); nothing is made. */
export class NoReceiptError extends ServerError {
  readonly code = 'NO_RECEIPT';
  readonly status = 409;
  constructor(paymentId: string) {
    super(`payment ${paymentId} has no receipt: it has not been completed`);
    this.name = 'NoReceiptError';
  }
}
