// The conventions of PayPal's REST API that every part of the fake PayPal shares: id formats, money as decimal
// strings, and the error body (`name`, `message`, `details[].issue`, `debug_id`) with the status PayPal answers it with.
import { randomBytes } from 'node:crypto';

export interface Money {
  currency_code: string;
  value: string;
}

export type Link = { href: string; rel: string; method: string };

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

/** PayPal ids are upper-case alphanumerics of fixed length (orders and captures 17, payer ids 13). */
export function paypalId(length = 17): string {
  return [...randomBytes(length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

const MONEY = /^\d{1,10}(\.\d{1,2})?$/;

export const isMoneyValue = (value: unknown): value is string => typeof value === 'string' && MONEY.test(value);
export const toCents = (value: string) => Math.round(Number(value) * 100);
export const fromCents = (cents: number) => (cents / 100).toFixed(2);

/** PayPal's fee on a capture (3.49% + 0.49), only so seller_receivable_breakdown adds up as it does in a real one. */
export function receivableBreakdown(amount: Money) {
  const gross = toCents(amount.value);
  const fee = Math.round(gross * 0.0349) + 49;
  const of = (cents: number) => ({ currency_code: amount.currency_code, value: fromCents(cents) });
  return { gross_amount: of(gross), paypal_fee: of(fee), net_amount: of(gross - fee) };
}

export type PayPalErrorName =
  | 'INVALID_REQUEST'
  | 'AUTHENTICATION_FAILURE'
  | 'RESOURCE_NOT_FOUND'
  | 'UNPROCESSABLE_ENTITY'
  | 'NOT_AUTHORIZED';

const ERRORS: Record<PayPalErrorName, { status: number; message: string }> = {
  INVALID_REQUEST: { status: 400, message: 'Request is not well-formed, syntactically incorrect, or violates schema.' },
  AUTHENTICATION_FAILURE: {
    status: 401,
    message: 'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
  },
  NOT_AUTHORIZED: { status: 403, message: 'Authorization failed due to insufficient permissions.' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'The specified resource does not exist.' },
  UNPROCESSABLE_ENTITY: {
    status: 422,
    message: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
  },
};

export interface ErrorDetail {
  issue: string;
  description: string;
  field?: string;
  location?: 'body' | 'path' | 'query';
}

/** An error answer in PayPal's shape; an issue links to its documentation as PayPal's do. */
export function paypalError(name: PayPalErrorName, details: ErrorDetail[] = []): Response {
  const { status, message } = ERRORS[name];
  const issue = details[0]?.issue;
  const links = issue
    ? [{ href: `https://developer.paypal.com/docs/api/orders/v2/#error-${issue}`, rel: 'information_link', method: 'GET' }]
    : [];
  const debugId = randomBytes(7).toString('hex').slice(0, 13);
  return Response.json({ name, message, details, debug_id: debugId, links }, { status, headers: { 'Paypal-Debug-Id': debugId } });
}

export const notFound = (what: string) =>
  paypalError('RESOURCE_NOT_FOUND', [
    {
      issue: 'INVALID_RESOURCE_ID',
      description: `Specified resource ID does not exist. Please check the resource ID and try again. (${what})`,
    },
  ]);

/** The JSON body of a request; an absent body is `{}` (PayPal's capture and cancel accept none). */
export async function jsonBody(request: Request): Promise<Record<string, unknown> | Response> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Falls through to PayPal's answer for a body that is not a JSON object.
  }
  return paypalError('INVALID_REQUEST', [
    { issue: 'MALFORMED_REQUEST_JSON', description: 'The request JSON is not well formed.', location: 'body' },
  ]);
}

export const missing = (field: string): ErrorDetail => ({
  field,
  location: 'body',
  issue: 'MISSING_REQUIRED_PARAMETER',
  description: 'A required field / parameter is missing.',
});

export const invalid = (field: string, description: string): ErrorDetail => ({
  field,
  location: 'body',
  issue: 'INVALID_PARAMETER_VALUE',
  description,
});

/** PayPal's timestamps have whole seconds. */
export const paypalTime = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
