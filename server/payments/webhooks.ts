// The providers' webhooks. Nothing in one is believed before it is checked: PayPal confirms it
// sent the event (paypal.ts); a Mercado Pago notification must carry our secret's signature and
// only names a payment, which is then fetched from Mercado Pago's API. What they report ends in
// settlement.ts, as the buyer's own calls do, so a webhook and a call (or two deliveries) settle
// a payment once.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { FORMATS } from '../../protocol/formats.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import type { Source } from './audit.ts';
import { NotSettledYetError } from './errors.ts';
import type { MercadoPagoGateway, MercadoPagoPayment } from './mercadopago.ts';
import { minorOf, type PayPalEvent, type PayPalGateway } from './paypal.ts';
import { payments, webhookEvents } from './schema.ts';
import type { HandledEvent, Row, Settlement } from './settlement.ts';
import type { Subscriptions } from './subscriptions.ts';

export type WebhookOutcome = 'unverified' | 'duplicate' | 'handled' | 'ignored';

interface PaymentWebhooksDeps {
  db: Database;
  log: Logger;
  settlement: Settlement;
  paypal: PayPalGateway | undefined;
  mercadoPago: MercadoPagoGateway | undefined;
  subscriptions: Subscriptions;
  /** The SPEI provider's webhook secret; undefined: no SPEI webhook (an admin confirms transfers). */
  speiSecret: string | undefined;
}

const isUuid = (value: unknown): value is string => typeof value === 'string' && FORMATS.uuid?.(value) === true;

/**
 * What a Mercado Pago payment says, applied to ours: approved settles it (the amount checked);
 * refunded or charged back gives back what it credited; rejected or cancelled fails it; pending
 * (cash not yet paid at the store) changes nothing. Every step is idempotent by the payment's
 * state, so a notification seen twice (or racing the buyer's call) changes nothing the second time.
 */
export async function applyMercadoPago(settlement: Settlement, row: Row, found: MercadoPagoPayment, source: Source): Promise<Row> {
  let now = row;
  const givenBack = found.status === 'refunded' || found.status === 'charged_back';
  if (found.status === 'approved')
    now =
      (await settlement.settle(
        row.id,
        { captureId: found.id, status: 'COMPLETED', amountMinor: found.amountMinor, currency: found.currency },
        source,
      )) ?? now;
  // Refunded or charged back before ours was settled by it: never credited, so nothing to take back.
  if (givenBack && (now.status === 'created' || now.status === 'failed'))
    return (
      (await settlement.change(row.id, found.status === 'charged_back' ? 'reversed' : 'refunded', 'given_back_unsettled', source, {
        providerPaymentId: found.id,
      })) ?? now
    );
  // Money given back on the very Mercado Pago payment that settled ours (not on a second payment of the same checkout).
  if ((givenBack || found.refundedMinor > 0) && found.id === now.captureId)
    now =
      (await settlement.giveBack(row.id, {
        refundId: `${found.id}:${found.status === 'charged_back' ? 'chargeback' : found.refundedMinor}`,
        refundMinor: found.status === 'charged_back' ? found.amountMinor : found.refundedMinor,
        totalMinor: found.status === 'charged_back' ? found.amountMinor : found.refundedMinor,
        currency: found.currency,
        reversed: found.status === 'charged_back',
        source,
        webhook: undefined,
      })) ?? now;
  // A declined card fails it; a later approved payment of the same checkout still completes it.
  if (found.status === 'rejected' || found.status === 'cancelled')
    now = (await settlement.change(row.id, 'failed', 'rejected', source, { providerPaymentId: found.id, status: found.status })) ?? now;
  return now;
}

export class PaymentWebhooks {
  readonly #deps: PaymentWebhooksDeps;

  constructor(deps: PaymentWebhooksDeps) {
    this.#deps = deps;
  }

  /** A PayPal event (`raw`: its body as received): believed once PayPal confirms it sent it; handled once per event id. */
  async paypal(headers: Headers, body: Record<string, unknown>, raw: Uint8Array): Promise<WebhookOutcome> {
    const gateway = this.#deps.paypal;
    if (gateway === undefined) return 'unverified';
    const event = await gateway.verified(headers, body, new TextDecoder().decode(raw));
    if (event === undefined) {
      this.#deps.log.warn({ id: body.id }, `payments.webhook() | refused: not verified by PayPal [id:${String(body.id)}]`);
      return 'unverified';
    }
    const handled: HandledEvent = { provider: 'paypal', id: event.id, type: event.type };
    if (event.type === 'PAYMENT.CAPTURE.REFUNDED' || event.type === 'PAYMENT.CAPTURE.REVERSED') return this.#paypalRefund(event, handled);
    if (event.type === 'PAYMENT.SALE.REFUNDED' || event.type === 'PAYMENT.SALE.REVERSED') return this.#paypalSaleRefund(event, handled);
    if (event.type === 'PAYMENT.SALE.COMPLETED' || event.type.startsWith('BILLING.SUBSCRIPTION.'))
      return this.#paypalSubscription(event, handled);
    if (event.type !== 'PAYMENT.CAPTURE.COMPLETED') return (await this.#record(handled)) ? 'ignored' : 'duplicate';
    const resource = event.resource;
    const paymentId = resource.custom_id;
    const orderId = (resource.supplementary_data as { related_ids?: { order_id?: string } } | undefined)?.related_ids?.order_id;
    const [row] = isUuid(paymentId)
      ? await this.#deps.db
          .select()
          .from(payments)
          .where(and(eq(payments.id, paymentId), eq(payments.method, 'paypal')))
      : [];
    if (row === undefined || (orderId !== undefined && row.externalId !== orderId)) {
      this.#deps.log.warn(
        { eventId: event.id, paymentId, orderId },
        `payments.webhook() | a capture of no payment of ours [event:${event.id}]`,
      );
      return 'ignored';
    }
    const amount = resource.amount as { value?: unknown; currency_code?: unknown } | undefined;
    const settled = await this.#deps.settlement.settle(
      row.id,
      {
        captureId: String(resource.id),
        status: String(resource.status),
        amountMinor: minorOf(amount?.value),
        currency: String(amount?.currency_code),
      },
      'webhook',
      handled,
    );
    return settled === undefined ? 'duplicate' : 'handled';
  }

  /**
   * A subscription's event (activated, cancelled, suspended, a payment failed) or a cycle's payment
   * (PAYMENT.SALE.COMPLETED, naming the subscription as `billing_agreement_id`): nothing in it is
   * taken as it is; the subscription is asked of PayPal and what PayPal says is applied.
   */
  async #paypalSubscription(event: PayPalEvent, handled: HandledEvent): Promise<WebhookOutcome> {
    const externalId = event.type === 'PAYMENT.SALE.COMPLETED' ? event.resource.billing_agreement_id : event.resource.id;
    const row = typeof externalId === 'string' ? await this.#deps.subscriptions.byExternalId('paypal', externalId) : undefined;
    if (row === undefined) {
      this.#deps.log.warn(
        { eventId: event.id, externalId },
        `payments.webhook() | an event of no subscription of ours [event:${event.id}]`,
      );
      return (await this.#record(handled)) ? 'ignored' : 'duplicate';
    }
    await this.#deps.subscriptions.reconcile(row, 'webhook');
    return (await this.#record(handled)) ? 'handled' : 'duplicate';
  }

  /** Money of a subscription's month given back (a v1 sale refunded or reversed): the month's payment gives back, once. */
  async #paypalSaleRefund(event: PayPalEvent, handled: HandledEvent): Promise<WebhookOutcome> {
    const refund = event.resource;
    const [row] =
      typeof refund.sale_id === 'string'
        ? await this.#deps.db
            .select()
            .from(payments)
            .where(and(eq(payments.method, 'paypal'), eq(payments.externalId, refund.sale_id)))
        : [];
    if (row === undefined || row.subscriptionId === null) {
      this.#deps.log.warn(
        { eventId: event.id, saleId: refund.sale_id },
        `payments.webhook() | a refund of no month of ours [event:${event.id}]`,
      );
      return (await this.#record(handled)) ? 'ignored' : 'duplicate';
    }
    const amount = refund.amount as { total?: unknown; currency?: unknown } | undefined;
    const total = (refund.total_refunded_amount as { value?: unknown } | undefined)?.value;
    const given = await this.#deps.settlement.giveBack(row.id, {
      refundId: String(refund.id),
      refundMinor: minorOf(amount?.total),
      totalMinor: total === undefined ? undefined : minorOf(total),
      currency: String(amount?.currency),
      reversed: event.type === 'PAYMENT.SALE.REVERSED',
      source: 'webhook',
      webhook: handled,
    });
    return given === undefined ? 'duplicate' : 'handled';
  }

  /** A refund or a chargeback PayPal reports: the payment it names gives back what it credited, once. */
  async #paypalRefund(event: PayPalEvent, handled: HandledEvent): Promise<WebhookOutcome> {
    const refund = event.resource;
    const captureId = (refund.links as { rel?: string; href?: string }[] | undefined)
      ?.find((link) => link.rel === 'up')
      ?.href?.split('/')
      .pop();
    const paymentId = isUuid(refund.custom_id) ? refund.custom_id : undefined;
    const [row] = await this.#deps.db
      .select()
      .from(payments)
      .where(
        and(eq(payments.method, 'paypal'), paymentId === undefined ? eq(payments.captureId, captureId ?? '') : eq(payments.id, paymentId)),
      );
    // Ours, but its capture not settled yet: delivered again later (503), by when it can apply.
    if (row !== undefined && row.captureId === null) throw new NotSettledYetError(row.id);
    if (row === undefined || (captureId !== undefined && row.captureId !== captureId)) {
      this.#deps.log.warn(
        { eventId: event.id, paymentId, captureId },
        `payments.webhook() | a refund of no payment of ours [event:${event.id}]`,
      );
      return 'ignored';
    }
    const amount = refund.amount as { value?: unknown; currency_code?: unknown } | undefined;
    const total = (refund.seller_payable_breakdown as { total_refunded_amount?: { value?: unknown } } | undefined)?.total_refunded_amount;
    const given = await this.#deps.settlement.giveBack(row.id, {
      refundId: String(refund.id),
      refundMinor: minorOf(amount?.value),
      totalMinor: total === undefined ? undefined : minorOf(total.value),
      currency: String(amount?.currency_code),
      reversed: event.type === 'PAYMENT.CAPTURE.REVERSED',
      source: 'webhook',
      webhook: handled,
    });
    return given === undefined ? 'duplicate' : 'handled';
  }

  /**
   * A Mercado Pago notification (`?data.id=…&type=…`, signed in `x-signature`): a payment is
   * fetched from the API and applied; other types are recorded and ignored. The notification is
   * recorded once handled, for the record: handling is idempotent by the payment's state.
   */
  async mercadoPago(headers: Headers, dataId: string, type: string, body: Record<string, unknown>): Promise<WebhookOutcome> {
    const gateway = this.#deps.mercadoPago;
    if (gateway === undefined || !gateway.signed(headers, dataId)) {
      this.#deps.log.warn({ dataId, type }, `payments.webhook() | refused: not signed for Mercado Pago [data:${dataId}]`);
      return 'unverified';
    }
    const handled: HandledEvent = { provider: 'mercadopago', id: String(body.id ?? `${type}:${dataId}`), type };
    if (type === 'subscription_preapproval' || type === 'subscription_authorized_payment')
      return this.#mercadoPagoSubscription(gateway, dataId, type, handled);
    if (type !== 'payment') return (await this.#record(handled)) ? 'ignored' : 'duplicate';
    const found = await gateway.payment(dataId);
    // A preapproval's monthly charge: its external reference is our subscription.
    const subscription = isUuid(found.externalReference) ? await this.#deps.subscriptions.byId(found.externalReference) : undefined;
    if (subscription !== undefined && subscription.method === 'mercadopago') {
      await this.#deps.subscriptions.applyMercadoPagoCharge(subscription, found, 'webhook');
      return (await this.#record(handled)) ? 'handled' : 'duplicate';
    }
    const [row] = isUuid(found.externalReference)
      ? await this.#deps.db
          .select()
          .from(payments)
          .where(and(eq(payments.id, found.externalReference), eq(payments.method, 'mercadopago')))
      : [];
    if (row === undefined) {
      this.#deps.log.warn(
        { dataId, reference: found.externalReference },
        `payments.webhook() | a payment of no payment of ours [data:${dataId}]`,
      );
      return 'ignored';
    }
    await applyMercadoPago(this.#deps.settlement, row, found, 'webhook');
    return (await this.#record(handled)) ? 'handled' : 'duplicate';
  }

  /** A preapproval changed, or one of its monthly charges was made: the subscription is asked of Mercado Pago and applied. */
  async #mercadoPagoSubscription(
    gateway: MercadoPagoGateway,
    dataId: string,
    type: string,
    handled: HandledEvent,
  ): Promise<WebhookOutcome> {
    const preapprovalId = type === 'subscription_preapproval' ? dataId : (await gateway.authorizedPayment(dataId)).preapprovalId;
    const row = await this.#deps.subscriptions.byExternalId('mercadopago', preapprovalId);
    if (row === undefined) {
      this.#deps.log.warn({ dataId, type }, `payments.webhook() | a preapproval of no subscription of ours [data:${dataId}]`);
      return (await this.#record(handled)) ? 'ignored' : 'duplicate';
    }
    await this.#deps.subscriptions.reconcile(row, 'webhook');
    return (await this.#record(handled)) ? 'handled' : 'duplicate';
  }

  /**
   * A SPEI provider's notice of a transfer received (Openpay / Conekta style): `X-Signature:
   * sha256=<hex HMAC-SHA256 of the raw body>` keyed with SPEI_WEBHOOK_SECRET, compared in constant
   * time. `spei.received` names the CLABE it was paid to (each payment has its own), the amount
   * and the tracking key (clave de rastreo); the payment is settled once (the event id recorded in
   * the same transaction), its amount checked. Received after its instructions lapsed, it still
   * completes: the money is in.
   */
  async spei(headers: Headers, raw: Uint8Array): Promise<WebhookOutcome> {
    const secret = this.#deps.speiSecret;
    const signature = /^sha256=([0-9a-f]{64})$/.exec(headers.get('x-signature') ?? '')?.[1];
    if (secret === undefined || signature === undefined) return 'unverified';
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
      this.#deps.log.warn({}, 'payments.webhook() | refused: a SPEI notice not signed with our secret');
      return 'unverified';
    }
    let body: { id?: unknown; type?: unknown; data?: { clabe?: unknown; amount?: unknown; currency?: unknown; tracking_key?: unknown } };
    try {
      body = JSON.parse(new TextDecoder().decode(raw));
    } catch (error) {
      this.#deps.log.warn({ err: error }, 'payments.webhook() | a signed SPEI notice that is not JSON');
      return 'ignored';
    }
    const handled: HandledEvent = { provider: 'spei', id: String(body.id), type: String(body.type) };
    if (body.type !== 'spei.received' || typeof body.id !== 'string') return (await this.#record(handled)) ? 'ignored' : 'duplicate';
    const clabe = body.data?.clabe;
    const [row] =
      typeof clabe === 'string' && /^\d{18}$/.test(clabe)
        ? await this.#deps.db
            .select()
            .from(payments)
            .where(and(eq(payments.speiClabe, clabe), eq(payments.method, 'spei')))
            .orderBy(desc(payments.id))
            .limit(1)
        : [];
    if (row === undefined) {
      this.#deps.log.warn({ eventId: body.id, clabe }, `payments.webhook() | a transfer to no CLABE of ours [event:${body.id}]`);
      return (await this.#record(handled)) ? 'ignored' : 'duplicate';
    }
    const settled = await this.#deps.settlement.settle(
      row.id,
      {
        captureId: String(body.data?.tracking_key ?? body.id).slice(0, 64),
        status: 'COMPLETED',
        amountMinor: minorOf(body.data?.amount),
        currency: String(body.data?.currency),
      },
      'webhook',
      handled,
    );
    return settled === undefined ? 'duplicate' : 'handled';
  }

  /** Records an event as seen: false when it already was. */
  async #record(event: HandledEvent): Promise<boolean> {
    const [fresh] = await this.#deps.db
      .insert(webhookEvents)
      .values({ provider: event.provider, eventId: event.id, eventType: event.type })
      .onConflictDoNothing()
      .returning();
    return fresh !== undefined;
  }
}
