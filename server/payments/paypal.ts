// PayPal through its server SDK (@paypal/checkout-server-sdk): an order per payment, approved by
// the buyer at PayPal, then captured; a billing plan per plan and currency and a subscription to it
// per subscriber, whose cycles PayPal charges itself; and webhooks, verified with PayPal
// (/v1/notifications/verify-webhook-signature) before anything is believed. The SDK has classes
// for orders only (it predates PayPal's subscriptions API, and no successor SDK covers both);
// subscriptions and the verification go through the same client as a plain request object, so
// it shares its OAuth token and base URL (PAYPAL_API_URL: the sandbox by default, a local fake in
// the tests). Amounts travel as PayPal's decimal strings and are turned into minor units here.
import * as paypal from '@paypal/checkout-server-sdk';
import type { PaymentsConfig } from '../platform/config.ts';
import type { Logger } from '../platform/log.ts';
import { ProviderError } from './errors.ts';
import type { Currency } from './schema.ts';

type PayPalSettings = NonNullable<PaymentsConfig['paypal']>;

/** PayPal's decimal string of an amount in minor units (both currencies have two decimals). */
const decimal = (minor: number) => (minor / 100).toFixed(2);
/** Minor units of PayPal's decimal string, or NaN when it is not one. */
export const minorOf = (value: unknown) =>
  typeof value === 'string' && /^\d+(\.\d{1,2})?$/.test(value) ? Math.round(Number(value) * 100) : Number.NaN;

export interface Captured {
  captureId: string;
  status: string;
  amountMinor: number;
  currency: string;
  /** Our payment id, as the order carried it. */
  customId: string | undefined;
}

/** A subscription at PayPal: its status (APPROVAL_PENDING, ACTIVE, SUSPENDED, CANCELLED, EXPIRED) and the payments of its cycles. */
export interface PayPalSubscription {
  id: string;
  status: string;
  customId: string | undefined;
  /** Each cycle's payment (a v1 sale: its id), COMPLETED once the money is in. */
  payments: { captureId: string; status: string; amountMinor: number; currency: string }[];
}

/** What a webhook event says, once PayPal has confirmed it sent it. */
export interface PayPalEvent {
  id: string;
  type: string;
  resource: Record<string, unknown>;
}

/** A request body already serialised as JSON, sent byte for byte. */
class Verbatim {
  constructor(readonly text: string) {}
}

export class PayPalGateway {
  readonly #client: paypal.core.PayPalHttpClient;
  readonly #settings: PayPalSettings;
  readonly #log: Logger;

  constructor(settings: PayPalSettings, log: Logger) {
    this.#settings = settings;
    this.#log = log;
    this.#client = new paypal.core.PayPalHttpClient(
      new paypal.core.PayPalEnvironment(settings.clientId, settings.clientSecret, settings.apiUrl, settings.apiUrl),
    );
    // A Verbatim body goes out as its text: the SDK's JSON encoder would re-serialise it.
    const encoder = this.#client.encoder;
    const serialize = encoder.serializeRequest.bind(encoder);
    encoder.serializeRequest = (request) => (request.body instanceof Verbatim ? request.body.text : serialize(request));
  }

  async #execute(what: string, request: paypal.HttpRequest): Promise<paypal.Json> {
    try {
      return (await this.#client.execute(request)).result ?? {};
    } catch (error) {
      const status = (error as paypal.HttpError).statusCode;
      const issue = issueOf((error as Error).message);
      this.#log.warn({ err: error, status, issue }, `payments.paypal() | ${what} refused [status:${status}] [issue:${issue}]`);
      throw new ProviderError('paypal', what, status, issue, { cause: error });
    }
  }

  /** An order for one payment; PayPal-Request-Id makes a retry the same order. */
  async createOrder(payment: {
    id: string;
    amountMinor: number;
    currency: Currency;
    description: string;
    returnUrl: string;
    cancelUrl: string;
  }): Promise<{ orderId: string; approveUrl: string }> {
    const request = new paypal.orders.OrdersCreateRequest();
    request.headers['PayPal-Request-Id'] = payment.id;
    request.prefer('return=representation');
    request.requestBody({
      intent: 'CAPTURE',
      purchase_units: [
        {
          reference_id: payment.id,
          custom_id: payment.id,
          description: payment.description,
          amount: { currency_code: payment.currency, value: decimal(payment.amountMinor) },
        },
      ],
      application_context: {
        brand_name: 'PetAmigos',
        user_action: 'PAY_NOW',
        shipping_preference: 'NO_SHIPPING',
        return_url: payment.returnUrl,
        cancel_url: payment.cancelUrl,
      },
    });
    const order = await this.#execute('create order', request);
    const approve = (order.links as { rel: string; href: string }[] | undefined)?.find((link) => link.rel === 'approve');
    if (typeof order.id !== 'string' || approve === undefined) throw new ProviderError('paypal', 'create order', 200, 'NO_APPROVE_LINK');
    return { orderId: order.id, approveUrl: approve.href };
  }

  /** Captures an approved order (the same request id on a retry: PayPal answers the first capture). */
  async capture(orderId: string, paymentId: string): Promise<Captured> {
    const request = new paypal.orders.OrdersCaptureRequest(orderId);
    request.payPalRequestId(`capture-${paymentId}`);
    request.prefer('return=representation');
    request.requestBody({});
    const order = await this.#execute('capture', request);
    const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
    if (capture === undefined) throw new ProviderError('paypal', 'capture', 200, 'NO_CAPTURE');
    return capturedOf(capture);
  }

  /** The order as PayPal has it now: its status and, once captured, the capture. */
  async order(orderId: string): Promise<{ status: string; capture: Captured | undefined }> {
    const order = await this.#execute('get order', new paypal.orders.OrdersGetRequest(orderId));
    const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
    return { status: String(order.status), capture: capture === undefined ? undefined : capturedOf(capture) };
  }

  /** A catalog product for the plans (made once; the plans name it). */
  async createProduct(): Promise<string> {
    const product = await this.#execute('create product', {
      path: '/v1/catalogs/products',
      verb: 'POST',
      headers: { 'Content-Type': 'application/json', 'PayPal-Request-Id': 'petamigos-plans-product' },
      body: { name: 'PetAmigos plans', description: 'Monthly PetAmigos plans', type: 'SERVICE', category: 'SOFTWARE' },
    });
    if (typeof product.id !== 'string') throw new ProviderError('paypal', 'create product', 200, 'NO_ID');
    return product.id;
  }

  /** A billing plan of a fixed monthly price, billed until cancelled; three failed payments suspend it. */
  async createPlan(plan: { productId: string; name: string; amountMinor: number; currency: Currency }): Promise<string> {
    const made = await this.#execute('create plan', {
      path: '/v1/billing/plans',
      verb: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'return=minimal' },
      body: {
        product_id: plan.productId,
        name: plan.name,
        status: 'ACTIVE',
        billing_cycles: [
          {
            frequency: { interval_unit: 'MONTH', interval_count: 1 },
            tenure_type: 'REGULAR',
            sequence: 1,
            total_cycles: 0,
            pricing_scheme: { fixed_price: { value: decimal(plan.amountMinor), currency_code: plan.currency } },
          },
        ],
        payment_preferences: { auto_bill_outstanding: true, payment_failure_threshold: 3 },
      },
    });
    if (typeof made.id !== 'string') throw new ProviderError('paypal', 'create plan', 200, 'NO_ID');
    return made.id;
  }

  /** A subscription to a billing plan, for our subscription (its custom_id); approved by the buyer at PayPal. */
  async createSubscription(subscription: {
    id: string;
    planId: string;
    returnUrl: string;
    cancelUrl: string;
  }): Promise<{ subscriptionId: string; approveUrl: string }> {
    const made = await this.#execute('create subscription', {
      path: '/v1/billing/subscriptions',
      verb: 'POST',
      headers: { 'Content-Type': 'application/json', 'PayPal-Request-Id': subscription.id },
      body: {
        plan_id: subscription.planId,
        custom_id: subscription.id,
        application_context: {
          brand_name: 'PetAmigos',
          user_action: 'SUBSCRIBE_NOW',
          shipping_preference: 'NO_SHIPPING',
          return_url: subscription.returnUrl,
          cancel_url: subscription.cancelUrl,
        },
      },
    });
    const approve = (made.links as { rel: string; href: string }[] | undefined)?.find((link) => link.rel === 'approve');
    if (typeof made.id !== 'string' || approve === undefined)
      throw new ProviderError('paypal', 'create subscription', 200, 'NO_APPROVE_LINK');
    return { subscriptionId: made.id, approveUrl: approve.href };
  }

  /** A subscription as PayPal has it now, and the payments of its cycles since `since`. */
  async subscription(subscriptionId: string, since: Date): Promise<PayPalSubscription> {
    const found = await this.#execute('get subscription', {
      path: `/v1/billing/subscriptions/${encodeURIComponent(subscriptionId)}`,
      verb: 'GET',
      headers: { 'Content-Type': 'application/json' },
    });
    const query = new URLSearchParams({ start_time: since.toISOString(), end_time: new Date(Date.now() + 60_000).toISOString() });
    const listed = await this.#execute('list subscription transactions', {
      path: `/v1/billing/subscriptions/${encodeURIComponent(subscriptionId)}/transactions?${query}`,
      verb: 'GET',
      headers: { 'Content-Type': 'application/json' },
    });
    const transactions = (Array.isArray(listed.transactions) ? listed.transactions : []) as paypal.Json[];
    return {
      id: String(found.id),
      status: String(found.status),
      customId: typeof found.custom_id === 'string' ? found.custom_id : undefined,
      payments: transactions.map((each) => ({
        captureId: String(each.id),
        status: String(each.status),
        amountMinor: minorOf(each.amount_with_breakdown?.gross_amount?.value),
        currency: String(each.amount_with_breakdown?.gross_amount?.currency_code),
      })),
    };
  }

  /** Cancels a subscription at PayPal (no more cycles are billed); one already ended stays as it is. */
  async cancelSubscription(subscriptionId: string, reason: string): Promise<void> {
    try {
      await this.#execute('cancel subscription', {
        path: `/v1/billing/subscriptions/${encodeURIComponent(subscriptionId)}/cancel`,
        verb: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: { reason },
      });
    } catch (error) {
      if (error instanceof ProviderError && error.issue === 'SUBSCRIPTION_STATUS_INVALID') return;
      throw error;
    }
  }

  /**
   * Gives back money of a capture (a pack) or, for a subscription's month, of its v1 sale: all
   * that is left, or `amountMinor`. The request id makes a retry the same refund.
   */
  async refund(money: {
    kind: 'capture' | 'sale';
    id: string;
    amountMinor: number;
    currency: Currency;
    requestId: string;
  }): Promise<{ refundId: string; totalMinor: number | undefined }> {
    const answer = await this.#execute('refund', {
      path:
        money.kind === 'capture'
          ? `/v2/payments/captures/${encodeURIComponent(money.id)}/refund`
          : `/v1/payments/sale/${encodeURIComponent(money.id)}/refund`,
      verb: 'POST',
      headers: { 'Content-Type': 'application/json', 'PayPal-Request-Id': money.requestId, Prefer: 'return=representation' },
      body:
        money.kind === 'capture'
          ? { amount: { value: decimal(money.amountMinor), currency_code: money.currency } }
          : { amount: { total: decimal(money.amountMinor), currency: money.currency } },
    });
    if (typeof answer.id !== 'string') throw new ProviderError('paypal', 'refund', 200, 'NO_ID');
    const total = answer.seller_payable_breakdown?.total_refunded_amount?.value ?? answer.total_refunded_amount?.value;
    return { refundId: answer.id, totalMinor: total === undefined ? undefined : minorOf(total) };
  }

  /** A certificate URL on the API's host (api-m.paypal.com's certificates are at api.paypal.com: any paypal.com host is accepted too). */
  #certHostAllowed(url: string): boolean {
    try {
      const cert = new URL(url);
      const api = new URL(this.#settings.apiUrl);
      return (
        cert.protocol === api.protocol &&
        (cert.host === api.host || (cert.protocol === 'https:' && /(^|\.)paypal\.com$/.test(cert.hostname)))
      );
    } catch {
      return false;
    }
  }

  /**
   * The event, if PayPal confirms it sent it to our webhook (its transmission headers and body);
   * undefined when it does not, or when the headers are missing. PayPal's signature covers the CRC32
   * of the body's bytes, so the event goes back to PayPal as the exact text received (`raw`), never
   * re-serialised from `body` (escapes, spacing or key order would differ and a genuine event fail).
   */
  async verified(headers: Headers, body: Record<string, unknown>, raw: string): Promise<PayPalEvent | undefined> {
    const header = (name: string) => headers.get(name) ?? undefined;
    const fields = {
      auth_algo: header('paypal-auth-algo'),
      cert_url: header('paypal-cert-url'),
      transmission_id: header('paypal-transmission-id'),
      transmission_sig: header('paypal-transmission-sig'),
      transmission_time: header('paypal-transmission-time'),
    };
    if (Object.values(fields).some((value) => value === undefined)) return undefined;
    // Checked here before PayPal is asked (an anonymous POST must not cost a call to PayPal):
    // PayPal's algorithm, and a certificate on PayPal's own API host.
    if (fields.auth_algo !== 'SHA256withRSA' || !this.#certHostAllowed(fields.cert_url as string)) return undefined;
    const envelope = JSON.stringify({ ...fields, webhook_id: this.#settings.webhookId });
    const answer = await this.#execute('verify webhook', {
      path: '/v1/notifications/verify-webhook-signature',
      verb: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: new Verbatim(`${envelope.slice(0, -1)},"webhook_event":${raw}}`),
    });
    if (answer.verification_status !== 'SUCCESS') return undefined;
    if (typeof body.id !== 'string' || typeof body.event_type !== 'string' || typeof body.resource !== 'object' || body.resource === null)
      return undefined;
    return { id: body.id, type: body.event_type, resource: body.resource as Record<string, unknown> };
  }
}

function capturedOf(capture: paypal.Json): Captured {
  return {
    captureId: String(capture.id),
    status: String(capture.status),
    amountMinor: minorOf(capture.amount?.value),
    currency: String(capture.amount?.currency_code),
    customId: typeof capture.custom_id === 'string' ? capture.custom_id : undefined,
  };
}

/** PayPal's `details[0].issue` (ORDER_NOT_APPROVED…) from an error body, or its `name`. */
function issueOf(message: string): string {
  try {
    const body = JSON.parse(message) as { name?: string; details?: { issue?: string }[]; error?: string };
    return body.details?.[0]?.issue ?? body.name ?? body.error ?? 'UNKNOWN';
  } catch {
    return 'UNKNOWN';
  }
}
