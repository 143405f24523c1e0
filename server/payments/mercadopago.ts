// Mercado Pago through its SDK (mercadopago 3.6.1): a Checkout Pro preference per payment, which
// the buyer pays at Mercado Pago (card at once; cash at a store days later); a preapproval per
// subscription, charged monthly by Mercado Pago (each charge a payment whose external reference is
// our subscription); and webhooks signed
// with `x-signature` (HMAC-SHA256 of `id:<data.id>;request-id:<x-request-id>;ts:<ts>;` keyed with
// the application's secret, as Mercado Pago documents). A notification only says which payment
// changed: the payment itself is always fetched from the API before anything counts. The SDK has
// no base URL option; its REST client prefixes every path with the static `AppConfig.BASE_URL`,
// so MERCADOPAGO_API_URL is set there (process-wide: one Mercado Pago account per process).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Invoice, MercadoPagoConfig, Payment, PaymentRefund, PreApproval, Preference } from 'mercadopago';
import { AppConfig } from 'mercadopago/dist/utils/config';
import type { PaymentsConfig } from '../platform/config.ts';
import type { Logger } from '../platform/log.ts';
import { ProviderError } from './errors.ts';
import type { Currency } from './schema.ts';

type Settings = NonNullable<PaymentsConfig['mercadoPago']>;

/** A payment as Mercado Pago reports it, amounts in minor units. */
export interface MercadoPagoPayment {
  id: string;
  /** approved, pending, in_process, rejected, cancelled, refunded, charged_back… */
  status: string;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  /** Our payment id, as the preference carried it. */
  externalReference: string | undefined;
}

const minor = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 100) : Number.NaN);

export class MercadoPagoGateway {
  readonly #config: MercadoPagoConfig;
  readonly #secret: string;
  readonly #log: Logger;

  constructor(settings: Settings, log: Logger) {
    (AppConfig as { BASE_URL: string }).BASE_URL = settings.apiUrl;
    this.#config = new MercadoPagoConfig({ accessToken: settings.accessToken, options: { timeout: 10_000 } });
    this.#secret = settings.webhookSecret;
    this.#log = log;
  }

  async #call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const status = Number((error as { status?: number }).status ?? 0);
      const issue = String((error as { error?: string; message?: string }).error ?? (error as Error).message ?? 'UNKNOWN').slice(0, 80);
      this.#log.warn({ err: error, status, issue }, `payments.mercadopago() | ${what} refused [status:${status}] [issue:${issue}]`);
      throw new ProviderError('mercadopago', what, status, issue, { cause: error });
    }
  }

  /** A Checkout Pro preference for one payment; the payment id is its idempotency key and external reference. */
  async createPreference(payment: {
    id: string;
    amountMinor: number;
    currency: Currency;
    title: string;
    returnUrl: string;
    notificationUrl: string;
  }): Promise<{ preferenceId: string; approveUrl: string }> {
    const created = await this.#call('create preference', () =>
      new Preference(this.#config).create({
        body: {
          items: [
            { id: payment.id, title: payment.title, quantity: 1, unit_price: payment.amountMinor / 100, currency_id: payment.currency },
          ],
          external_reference: payment.id,
          back_urls: { success: payment.returnUrl, failure: payment.returnUrl, pending: payment.returnUrl },
          auto_return: 'approved',
          notification_url: payment.notificationUrl,
          metadata: { payment_id: payment.id },
        },
        requestOptions: { idempotencyKey: payment.id },
      }),
    );
    if (typeof created.id !== 'string' || typeof created.init_point !== 'string')
      throw new ProviderError('mercadopago', 'create preference', 200, 'NO_INIT_POINT');
    return { preferenceId: created.id, approveUrl: created.init_point };
  }

  /** One payment, fetched from the API. */
  async payment(id: string): Promise<MercadoPagoPayment> {
    return paymentOf((await this.#call('get payment', () => new Payment(this.#config).get({ id }))) as unknown as Record<string, unknown>);
  }

  /** The payments made for one of our payments (its external reference), newest first. */
  async paymentsOf(externalReference: string): Promise<MercadoPagoPayment[]> {
    const found = await this.#call('search payments', () =>
      new Payment(this.#config).search({ options: { external_reference: externalReference, sort: 'date_created', criteria: 'desc' } }),
    );
    return (found.results ?? []).map((each) => paymentOf(each as Record<string, unknown>));
  }

  /** A preapproval (a monthly charge the buyer authorizes at Mercado Pago) for one of our subscriptions (its external reference). */
  async createPreapproval(subscription: {
    id: string;
    reason: string;
    payerEmail: string;
    amountMinor: number;
    currency: Currency;
    returnUrl: string;
  }): Promise<{ preapprovalId: string; approveUrl: string }> {
    const created = await this.#call('create preapproval', () =>
      new PreApproval(this.#config).create({
        body: {
          reason: subscription.reason,
          external_reference: subscription.id,
          payer_email: subscription.payerEmail,
          back_url: subscription.returnUrl,
          status: 'pending',
          auto_recurring: {
            frequency: 1,
            frequency_type: 'months',
            transaction_amount: subscription.amountMinor / 100,
            currency_id: subscription.currency,
          },
        },
        requestOptions: { idempotencyKey: subscription.id },
      }),
    );
    if (typeof created.id !== 'string' || typeof created.init_point !== 'string')
      throw new ProviderError('mercadopago', 'create preapproval', 200, 'NO_INIT_POINT');
    return { preapprovalId: created.id, approveUrl: created.init_point };
  }

  /** A preapproval's status: pending, authorized, paused or cancelled. */
  async preapproval(id: string): Promise<{ id: string; status: string; externalReference: string | undefined }> {
    const found = await this.#call('get preapproval', () => new PreApproval(this.#config).get({ id }));
    return {
      id: String(found.id),
      status: String(found.status),
      externalReference: typeof found.external_reference === 'string' ? found.external_reference : undefined,
    };
  }

  /** Cancels a preapproval (no more charges); one cancelled already stays as it is. */
  async cancelPreapproval(id: string): Promise<void> {
    const found = await this.preapproval(id);
    if (found.status === 'cancelled') return;
    await this.#call('cancel preapproval', () => new PreApproval(this.#config).update({ id, body: { status: 'cancelled' } }));
  }

  /** The payment behind a preapproval's monthly charge (an "authorized payment"), once it has one. */
  async authorizedPayment(id: string): Promise<{ preapprovalId: string; paymentId: string | undefined }> {
    const found = (await this.#call('get authorized payment', () => new Invoice(this.#config).get({ id }))) as unknown as Record<
      string,
      unknown
    >;
    const payment = found.payment as { id?: unknown } | undefined;
    return { preapprovalId: String(found.preapproval_id), paymentId: payment?.id === undefined ? undefined : String(payment.id) };
  }

  /** Gives back `amountMinor` of a payment (a partial refund) — the idempotency key makes a retry the same refund. */
  async refund(paymentId: string, amountMinor: number, requestId: string): Promise<{ refundId: string; totalMinor: number }> {
    const made = await this.#call('refund', () =>
      new PaymentRefund(this.#config).create({
        payment_id: paymentId,
        body: { amount: amountMinor / 100 },
        requestOptions: { idempotencyKey: requestId },
      }),
    );
    // A refund answers its own amount only: the payment says the total refunded, which its own
    // notification reports too (applied first, it must not be counted twice).
    return { refundId: String(made.id), totalMinor: (await this.payment(paymentId)).refundedMinor };
  }

  /**
   * Whether a notification was signed with our secret: `x-signature` is `ts=…,v1=…`, the HMAC of
   * the manifest made of the notification's data.id (lower case), `x-request-id` and `ts`; and
   * signed recently: `ts` (seconds, or milliseconds when 13 digits) no older than
   * MERCADOPAGO_SIGNATURE_MAX_AGE_S and not ahead of `now` by more than a clock's drift. A replayed
   * notification could change nothing (the payment is fetched before it counts), but each would
   * cost a call to Mercado Pago; the age bounds how long a captured one can be replayed.
   */
  signed(headers: Headers, dataId: string, now = Date.now()): boolean {
    const signature = headers.get('x-signature') ?? '';
    const requestId = headers.get('x-request-id') ?? '';
    const parts = Object.fromEntries(
      signature.split(',').map((part) => {
        const [key, ...value] = part.split('=');
        return [key?.trim() ?? '', value.join('=').trim()];
      }),
    );
    const ts = parts.ts;
    const v1 = parts.v1;
    if (ts === undefined || v1 === undefined || !/^[0-9a-f]{64}$/.test(v1) || requestId === '' || dataId === '') return false;
    if (!/^(\d{10}|\d{13})$/.test(ts)) return false;
    const signedAt = ts.length === 13 ? Number(ts) : Number(ts) * 1000;
    if (now - signedAt > MERCADOPAGO_SIGNATURE_MAX_AGE_S * 1000 || signedAt - now > CLOCK_DRIFT_MS) return false;
    const expected = createHmac('sha256', this.#secret).update(`id:${dataId.toLowerCase()};request-id:${requestId};ts:${ts};`).digest();
    return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
  }
}

/** How old a notification's signature may be: a day, covering Mercado Pago's retries of one delivery. */
const MERCADOPAGO_SIGNATURE_MAX_AGE_S = 86_400;
/** How far ahead of our clock a signature's time may be. */
const CLOCK_DRIFT_MS = 5 * 60_000;

function paymentOf(body: Record<string, unknown>): MercadoPagoPayment {
  return {
    id: String(body.id),
    status: String(body.status),
    amountMinor: minor(body.transaction_amount),
    refundedMinor: minor(body.transaction_amount_refunded ?? 0),
    currency: String(body.currency_id),
    externalReference: typeof body.external_reference === 'string' ? body.external_reference : undefined,
  };
}
