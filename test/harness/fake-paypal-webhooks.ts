// The webhook side of the fake PayPal: event bodies in PayPal's shape, and the signature PayPal puts on them. PayPal
// signs `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the raw body, unsigned decimal>` with
// SHA256withRSA and names the certificate of the signing key in `paypal-cert-url`; a receiver either checks that
// itself against the certificate or asks PayPal (`POST /v1/notifications/verify-webhook-signature`). This module owns
// the signing key and certificate and answers both ways, so a receiver's verification is tested for real, forgeries
// included.
import { randomBytes, randomUUID, sign, verify, X509Certificate } from 'node:crypto';
import type { PreparedDelivery } from './fake-webhook-outbox.ts';
import { selfSignedCertificate } from './self-signed-certificate.ts';

export type PayPalEventType =
  | 'CHECKOUT.ORDER.APPROVED'
  | 'PAYMENT.CAPTURE.COMPLETED'
  | 'PAYMENT.CAPTURE.REFUNDED'
  | 'PAYMENT.CAPTURE.REVERSED'
  | 'BILLING.SUBSCRIPTION.ACTIVATED'
  | 'BILLING.SUBSCRIPTION.CANCELLED'
  | 'BILLING.SUBSCRIPTION.PAYMENT.FAILED'
  | 'PAYMENT.SALE.COMPLETED'
  | 'PAYMENT.SALE.REFUNDED';

export interface PayPalWebhookEvent {
  id: string;
  event_version: '1.0';
  create_time: string;
  resource_type: string;
  resource_version?: '2.0';
  event_type: PayPalEventType;
  summary: string;
  resource: Record<string, unknown>;
  links: { href: string; rel: string; method: string }[];
}

/**
 * What a forged delivery gets wrong: `signature` is not PayPal's, `cert-url` names a certificate PayPal never issued
 * (served by the fake, so a receiver that trusts any certificate URL is fooled), `body` was changed after signing.
 */
export type PayPalForgery = 'signature' | 'cert-url' | 'body';

/** How a delivery's body is written: compact as JSON.stringify does, or with escapes and spaces (the same value). */
export type PayPalLayout = 'compact' | 'escaped';

/** The fields of `POST /v1/notifications/verify-webhook-signature`. */
export interface VerifyWebhookSignatureRequest {
  auth_algo?: string;
  cert_url?: string;
  transmission_id?: string;
  transmission_sig?: string;
  transmission_time?: string;
  webhook_id?: string;
  webhook_event?: unknown;
}

const AUTH_ALGO = 'SHA256withRSA';
/** Which resource type and summary PayPal gives each event; v2 resources carry `resource_version: '2.0'`. */
const EVENT_SHAPES: Record<PayPalEventType, { resourceType: string; v2: boolean; summary: (resource: Record<string, unknown>) => string }> =
  {
    'CHECKOUT.ORDER.APPROVED': { resourceType: 'checkout-order', v2: true, summary: () => 'An order has been approved by buyer' },
    'PAYMENT.CAPTURE.COMPLETED': { resourceType: 'capture', v2: true, summary: (r) => `Payment completed for ${money(r.amount)}` },
    'PAYMENT.CAPTURE.REFUNDED': { resourceType: 'refund', v2: true, summary: (r) => `A ${money(r.amount)} capture payment was refunded` },
    'PAYMENT.CAPTURE.REVERSED': { resourceType: 'refund', v2: true, summary: (r) => `A ${money(r.amount)} capture payment was reversed` },
    'BILLING.SUBSCRIPTION.ACTIVATED': { resourceType: 'subscription', v2: true, summary: () => 'Subscription activated' },
    'BILLING.SUBSCRIPTION.CANCELLED': { resourceType: 'subscription', v2: true, summary: () => 'Subscription cancelled' },
    'BILLING.SUBSCRIPTION.PAYMENT.FAILED': { resourceType: 'subscription', v2: true, summary: () => 'Subscription payment failed' },
    'PAYMENT.SALE.COMPLETED': { resourceType: 'sale', v2: false, summary: (r) => `Payment completed for ${money(r.amount)}` },
    'PAYMENT.SALE.REFUNDED': { resourceType: 'refund', v2: false, summary: (r) => `A ${money(r.amount)} sale payment was refunded` },
  };

function money(amount: unknown): string {
  const { value, total, currency_code, currency } = (amount ?? {}) as Record<string, string | undefined>;
  return `$ ${Number(value ?? total ?? 0)} ${currency_code ?? currency ?? ''}`.trim();
}

/** PayPal's event ids look like `WH-<17 chars>-<17 chars>`. */
const eventId = () =>
  `WH-${randomBytes(9).toString('hex').toUpperCase().slice(0, 17)}-${randomBytes(9).toString('hex').toUpperCase().slice(0, 17)}`;

export function paypalEvent(baseUrl: string, type: PayPalEventType, resource: Record<string, unknown>): PayPalWebhookEvent {
  const shape = EVENT_SHAPES[type];
  const id = eventId();
  return {
    id,
    event_version: '1.0',
    create_time: new Date().toISOString(),
    resource_type: shape.resourceType,
    ...(shape.v2 ? { resource_version: '2.0' as const } : {}),
    event_type: type,
    summary: shape.summary(resource),
    resource: structuredClone(resource),
    links: [
      { href: `${baseUrl}/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' },
      { href: `${baseUrl}/v1/notifications/webhooks-events/${id}/resend`, rel: 'resend', method: 'POST' },
    ],
  };
}

/** The string PayPal signs; `crc32` is of the raw body bytes, as an unsigned decimal. */
function signedMessage(transmissionId: string, transmissionTime: string, webhookId: string, rawBody: string): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${Bun.hash.crc32(rawBody) >>> 0}`;
}

/** `value` as JSON with `\/` for every slash, `\uXXXX` for every non-ASCII character and a space after `:` and `,`. */
function escapedJson(value: unknown): string {
  return JSON.stringify(value, null, 1)
    .replace(/\n */g, (_match, offset: number, text: string) => (text[offset - 1] === ',' ? ' ' : ''))
    .replaceAll('/', '\\/')
    .replace(/[^ -~]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The text of a top-level member's value in a JSON object's text, as written there (undefined when absent): what
 * PayPal reads `webhook_event` as. Walks the text once, minding strings and nesting.
 */
export function rawMember(json: string, name: string): string | undefined {
  let depth = 0;
  let expectKey = false;
  let key: unknown;
  let start = -1;
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (char === '"') {
      const from = i;
      for (i++; json[i] !== '"'; i++) if (json[i] === '\\') i++;
      if (depth === 1 && expectKey) {
        key = JSON.parse(json.slice(from, i + 1));
        expectKey = false;
      }
      continue;
    }
    if (char === '{' || char === '[') {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (char === '}' || char === ']') depth--;
    else if (depth === 1 && char === ':' && key === name) start = i + 1;
    else if (depth === 1 && char === ',') {
      if (start >= 0) return json.slice(start, i).trim();
      expectKey = true;
    }
    if (depth === 0 && start >= 0) return json.slice(start, i).trim();
  }
  return undefined;
}

/** Changes what a receiver would act on (the amount, else the summary) without re-signing. */
function tamperedBody(event: PayPalWebhookEvent): string {
  const copy = structuredClone(event);
  const amount = copy.resource.amount as Record<string, string> | undefined;
  if (amount?.value !== undefined) amount.value = '0.01';
  else if (amount?.total !== undefined) amount.total = '0.01';
  else copy.summary = `${copy.summary} (altered)`;
  return JSON.stringify(copy);
}

export class PayPalWebhookSigner {
  readonly #genuine = selfSignedCertificate('fake PayPal webhook signing');
  /** A certificate PayPal never issued, for the `cert-url` forgery. */
  readonly #impostor = selfSignedCertificate('not PayPal');
  readonly #certId = `CERT-360caa42-fca2a594-${randomBytes(4).toString('hex')}`;

  constructor(
    readonly baseUrl: string,
    readonly webhookId: string,
  ) {}

  get certUrl(): string {
    return `${this.baseUrl}/v1/notifications/certs/${this.#certId}`;
  }

  get impostorCertUrl(): string {
    return `${this.baseUrl}/impostor/certs/${this.#certId}`;
  }

  /** The PEM served at a path, if it is one of the two certificate URLs. */
  certificateAt(pathname: string): string | undefined {
    if (pathname === new URL(this.certUrl).pathname) return this.#genuine.pem;
    if (pathname === new URL(this.impostorCertUrl).pathname) return this.#impostor.pem;
    return undefined;
  }

  /**
   * One signed delivery of `event` to `url`, with fresh transmission id and time as each PayPal attempt has.
   * `layout: 'escaped'` writes the body as some serialisers do (`\/` in URLs, non-ASCII as `\uXXXX`, spaces after
   * separators): the same JSON value, other bytes.
   */
  prepare(url: string, event: PayPalWebhookEvent, forged?: PayPalForgery, layout: PayPalLayout = 'compact'): PreparedDelivery {
    const transmissionId = randomUUID();
    const transmissionTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const body = layout === 'escaped' ? escapedJson(event) : JSON.stringify(event);
    const message = signedMessage(transmissionId, transmissionTime, this.webhookId, body);
    const key = forged === 'cert-url' ? this.#impostor.privateKey : this.#genuine.privateKey;
    const signature = sign('sha256', Buffer.from(forged === 'signature' ? `${message}x` : message), key).toString('base64');
    return {
      url,
      body: forged === 'body' ? tamperedBody(event) : body,
      headers: {
        'Content-Type': 'application/json',
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': transmissionTime,
        'paypal-transmission-sig': signature,
        'paypal-cert-url': forged === 'cert-url' ? this.impostorCertUrl : this.certUrl,
        'paypal-auth-algo': AUTH_ALGO,
      },
    };
  }

  /**
   * PayPal's own check: only its certificate, only this app's webhook id, and the CRC over the event exactly as the
   * request carries it (`rawEvent`, the text of `webhook_event`), so a receiver that re-serialises the event it got
   * fails whenever its serialisation differs from the delivery's bytes.
   */
  verify(request: VerifyWebhookSignatureRequest, rawEvent: string): 'SUCCESS' | 'FAILURE' {
    const { auth_algo, cert_url, transmission_id, transmission_sig, transmission_time, webhook_id } = request;
    if (auth_algo !== AUTH_ALGO || cert_url !== this.certUrl || webhook_id !== this.webhookId) return 'FAILURE';
    if (!transmission_id || !transmission_time || !transmission_sig) return 'FAILURE';
    const message = signedMessage(transmission_id, transmission_time, webhook_id, rawEvent);
    const publicKey = new X509Certificate(this.#genuine.pem).publicKey;
    return verify('sha256', Buffer.from(message), publicKey, Buffer.from(transmission_sig, 'base64')) ? 'SUCCESS' : 'FAILURE';
  }
}
