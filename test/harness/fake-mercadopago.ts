// A local Mercado Pago for tests: the REST API the official SDK (mercadopago 3.6.1) speaks for Checkout Pro
// (preferences, the buyer's checkout page, payments, refunds) and recurring payments (fake-mercadopago-preapproval.ts),
// and webhooks out signed with `x-signature` as Mercado Pago documents it, so the production client is the code under
// test. The SDK has no base URL option: its REST client prefixes every path with the static `AppConfig.BASE_URL`
// (mercadopago/dist/utils/config) and calls the global fetch, so setting that one field points every client
// (Preference, Payment, PaymentRefund, PreApproval, …) here; production code selects the endpoint the same way, from
// configuration. Owns all preferences and payments; control methods play the buyer (pay, completeCash) and Mercado
// Pago (chargeback, charge, tamper) and shape webhook delivery (auto, hold/flush, duplicates, delays, forgeries).
import { createHmac, randomUUID } from 'node:crypto';
import { AppConfig } from 'mercadopago/dist/utils/config';
import { checkoutPage, formFields, notFoundPage, redirect, withQuery } from './fake-checkout-page.ts';
import { IdempotentReplies } from './fake-idempotency.ts';
import { MercadoPagoPreapprovals, type PaymentPort } from './fake-mercadopago-preapproval.ts';
import { Outages, type OutageWhen } from './fake-outages.ts';
import { type SendOptions, type WebhookDelivery, WebhookOutbox } from './fake-webhook-outbox.ts';

export interface FakeMercadoPagoOptions {
  accessToken: string;
  /** The application's secret signature ("clave secreta") the x-signature HMAC is keyed with. */
  webhookSecret: string;
  /** Where notifications go when the preference names no notification_url (the app's configured Webhooks URL). */
  notificationUrl?: string;
}

type NotificationType = 'payment' | 'subscription_preapproval' | 'subscription_authorized_payment';

/** A webhook notification as Mercado Pago POSTs it to `<url>?data.id=<id>&type=<type>`. */
interface MercadoPagoNotification {
  action: string;
  api_version: 'v1';
  data: { id: string };
  date_created: string;
  id: number;
  live_mode: false;
  type: NotificationType;
  user_id: number;
  /** Not part of the body: where the fake sends it. */
  url: string;
}

/** `signature`: the HMAC is not keyed with the secret; `body`: data.id was changed after signing. */
/**
 * What a forged delivery gets wrong: `signature` is keyed with another secret, `body` names another payment than the
 * one signed, `stale` is correctly signed but 25 hours ago (a captured notification replayed).
 */
type MercadoPagoForgery = 'signature' | 'body' | 'stale';

type CheckoutChoice = 'card' | 'cash' | 'declined';

export interface FakeMercadoPago {
  readonly url: string;
  readonly payments: Record<string, unknown>[];
  /** Every notification raised, sent or not (with `auto` off they are only recorded). */
  readonly notifications: MercadoPagoNotification[];
  readonly deliveries: WebhookDelivery[];
  auto: boolean;
  /** The buyer pays on the checkout page; returns the back_url the browser is sent to and the payment. */
  pay(preferenceId: string, choice: CheckoutChoice): { redirect: string; paymentId: number };
  /** A cash (ticket) payment is paid at the store days later. */
  completeCash(paymentId: number): void;
  chargeback(paymentId: number): void;
  /** Mercado Pago down: the next `times` POSTs to a path matching `path` answer 503 (`after`: done, the answer lost). */
  outage(path: RegExp, times?: number, when?: OutageWhen): void;
  authorizePreapproval(preapprovalId: string): void;
  charge(preapprovalId: string): Record<string, unknown>;
  failCharge(preapprovalId: string): Record<string, unknown>;
  /** The payment reports this amount or currency instead of what was ordered. */
  tamper(paymentId: number, change: { amount?: number; currency?: string }): void;
  send(notification: MercadoPagoNotification, options?: SendOptions & { forged?: MercadoPagoForgery }): void;
  lastNotification(type: NotificationType, dataId?: string): MercadoPagoNotification | undefined;
  hold(): void;
  flush(order?: 'queued' | 'reversed'): Promise<void>;
  settled(): Promise<void>;
  close(): void;
}

type Payment = Record<string, unknown> & { id: number; status: string; transaction_amount: number; transaction_amount_refunded: number };

const COLLECTOR_ID = 1_987_654_321;
const SITE_ID = 'MLM';
const round2 = (value: number) => Math.round(value * 100) / 100;
/** Mercado Pago stores metadata keys in snake_case, whatever the integrator sent. */
const snakeKeys = (metadata: unknown) =>
  Object.fromEntries(
    Object.entries((metadata ?? {}) as Record<string, unknown>).map(([key, value]) => [
      key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(),
      value,
    ]),
  );

/** The manifest Mercado Pago signs; an alphanumeric data.id is lower-cased first, as its documentation requires. */
function signatureManifest(dataId: string, requestId: string, ts: string): string {
  return `id:${dataId.toLowerCase()};request-id:${requestId};ts:${ts};`;
}

/**
 * Points every mercadopago SDK client in this process at `baseUrl` and returns the undo. AppConfig.BASE_URL is declared
 * readonly but is a plain static field the REST client reads on every call.
 */
export function pointMercadoPagoSdkAt(baseUrl: string): () => void {
  const config = AppConfig as { BASE_URL: string };
  const previous = config.BASE_URL;
  config.BASE_URL = baseUrl;
  return () => {
    config.BASE_URL = previous;
  };
}

export function startFakeMercadoPago(options: FakeMercadoPagoOptions): FakeMercadoPago {
  const preferences = new Map<string, Record<string, unknown>>();
  const payments = new Map<number, Payment>();
  const refunds = new Map<number, Record<string, unknown>[]>();
  const notifications: MercadoPagoNotification[] = [];
  const outbox = new WebhookOutbox();
  const idempotent = new IdempotentReplies();
  const outages = new Outages();
  let nextPaymentId = 1_300_000_000 + Math.floor(Math.random() * 1_000_000);
  let nextId = 20_000_000_000;
  let auto = true;

  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (request) => handle(request) });
  const url = `http://127.0.0.1:${server.port}`;

  const mpError = (status: number, error: string, message: string) => Response.json({ message, error, status, cause: [] }, { status });

  function send(notification: MercadoPagoNotification, sendOptions: SendOptions & { forged?: MercadoPagoForgery } = {}): void {
    const { url: target, ...body } = notification;
    const prepare = () => {
      const requestId = randomUUID();
      const ts = String(Math.floor(Date.now() / 1000) - (sendOptions.forged === 'stale' ? 25 * 3600 : 0));
      const key = sendOptions.forged === 'signature' ? 'not-the-secret' : options.webhookSecret;
      const hash = createHmac('sha256', key)
        .update(signatureManifest(body.data.id, requestId, ts))
        .digest('hex');
      const dataId = sendOptions.forged === 'body' ? `${body.data.id}1` : body.data.id;
      return {
        url: String(withQuery(target, { 'data.id': dataId, type: body.type })),
        headers: { 'Content-Type': 'application/json', 'x-request-id': requestId, 'x-signature': `ts=${ts},v1=${hash}` },
        body: JSON.stringify({ ...body, data: { id: dataId } }),
      };
    };
    outbox.enqueue({ id: String(body.id), kind: `${body.type} ${body.action}`, forged: sendOptions.forged, prepare }, sendOptions);
  }

  function notify(type: NotificationType, action: string, dataId: string, notificationUrl: string | undefined): void {
    const target = notificationUrl ?? options.notificationUrl;
    if (!target) return;
    const notification: MercadoPagoNotification = {
      action: type === 'payment' ? `payment.${action}` : action,
      api_version: 'v1',
      data: { id: dataId },
      date_created: new Date().toISOString(),
      id: nextId++,
      live_mode: false,
      type,
      user_id: COLLECTOR_ID,
      url: target,
    };
    notifications.push(notification);
    if (auto) send(notification);
  }

  const paymentPort: PaymentPort = {
    create(input) {
      const payment = newPayment({
        amount: input.amount,
        currency: input.currency,
        externalReference: input.externalReference,
        description: input.description,
        metadata: input.metadata,
        choice: input.outcome === 'approved' ? 'card' : 'declined',
        notificationUrl: input.notificationUrl,
        preferenceId: undefined,
      });
      return { id: payment.id, status: payment.status, status_detail: String(payment.status_detail) };
    },
    notify,
    error: mpError,
  };
  const preapprovals = new MercadoPagoPreapprovals(url, paymentPort, COLLECTOR_ID);

  function newPayment(input: {
    amount: number;
    currency: string;
    externalReference: string | undefined;
    description: string;
    metadata: Record<string, unknown>;
    choice: CheckoutChoice;
    notificationUrl: string | undefined;
    preferenceId: string | undefined;
  }): Payment {
    const now = new Date().toISOString();
    const outcome = {
      card: { status: 'approved', status_detail: 'accredited', payment_type_id: 'credit_card', payment_method_id: 'visa' },
      cash: { status: 'pending', status_detail: 'pending_waiting_payment', payment_type_id: 'ticket', payment_method_id: 'oxxo' },
      declined: {
        status: 'rejected',
        status_detail: 'cc_rejected_insufficient_amount',
        payment_type_id: 'credit_card',
        payment_method_id: 'visa',
      },
    }[input.choice];
    const id = nextPaymentId++;
    const payment: Payment = {
      id,
      date_created: now,
      date_approved: outcome.status === 'approved' ? now : null,
      date_last_updated: now,
      date_of_expiration: input.choice === 'cash' ? new Date(Date.now() + 3 * 86_400_000).toISOString() : null,
      money_release_date: outcome.status === 'approved' ? now : null,
      operation_type: 'regular_payment',
      ...outcome,
      currency_id: input.currency,
      description: input.description,
      live_mode: false,
      collector_id: COLLECTOR_ID,
      payer: { id: '123456789', email: 'test_user_123@testuser.com', type: null },
      metadata: input.metadata,
      order: input.preferenceId ? { id: String(nextId++), type: 'mercadopago' } : {},
      external_reference: input.externalReference ?? null,
      transaction_amount: input.amount,
      transaction_amount_refunded: 0,
      installments: 1,
      transaction_details: {
        net_received_amount: outcome.status === 'approved' ? round2(input.amount * 0.9651) : 0,
        total_paid_amount: input.amount,
        installment_amount: input.amount,
        overpaid_amount: 0,
        external_resource_url: input.choice === 'cash' ? `${url}/payments/${id}/ticket` : null,
      },
      captured: true,
      binary_mode: false,
      notification_url: input.notificationUrl ?? null,
      processing_mode: 'aggregator',
      refunds: [],
    };
    payments.set(id, payment);
    refunds.set(id, []);
    notify('payment', 'created', String(id), input.notificationUrl);
    return payment;
  }

  function update(payment: Payment, changes: Record<string, unknown>): void {
    Object.assign(payment, changes, { date_last_updated: new Date().toISOString() });
    notify('payment', 'updated', String(payment.id), (payment.notification_url as string | null) ?? undefined);
  }

  async function createPreference(request: Request): Promise<Response> {
    const body = (await request.json()) as Record<string, unknown>;
    const items = Array.isArray(body.items) ? (body.items as Record<string, unknown>[]) : [];
    if (items.length === 0) return mpError(400, 'invalid_items', 'items needed');
    for (const item of items) {
      if (typeof item.unit_price !== 'number' || item.unit_price <= 0) return mpError(400, 'invalid_items', 'unit_price invalid');
      if (!Number.isInteger(item.quantity) || Number(item.quantity) <= 0) return mpError(400, 'invalid_items', 'quantity invalid');
    }
    const backUrls = (body.back_urls ?? {}) as Record<string, string>;
    if (body.auto_return && !backUrls.success)
      return mpError(400, 'invalid_auto_return', 'auto_return invalid. back_url.success must be defined');
    const id = `${COLLECTOR_ID}-${randomUUID()}`;
    const preference = {
      id,
      init_point: `${url}/checkout/v1/redirect?pref_id=${id}`,
      sandbox_init_point: `${url}/checkout/v1/redirect?pref_id=${id}`,
      items: items.map((item) => ({ currency_id: 'MXN', ...item })),
      payer: body.payer ?? null,
      back_urls: { success: '', failure: '', pending: '', ...backUrls },
      auto_return: body.auto_return ?? '',
      external_reference: body.external_reference ?? '',
      notification_url: body.notification_url ?? null,
      metadata: snakeKeys(body.metadata),
      expires: body.expires ?? false,
      expiration_date_from: body.expiration_date_from ?? null,
      expiration_date_to: body.expiration_date_to ?? null,
      collector_id: COLLECTOR_ID,
      client_id: '1234567890',
      date_created: new Date().toISOString(),
      operation_type: 'regular_payment',
      site_id: SITE_ID,
      marketplace: 'NONE',
    };
    preferences.set(id, preference);
    return Response.json(preference, { status: 201 });
  }

  function pay(preferenceId: string, choice: CheckoutChoice): { redirect: string; paymentId: number } {
    const preference = preferences.get(preferenceId);
    if (!preference) throw new Error(`fake Mercado Pago: no preference ${preferenceId}`);
    const items = preference.items as { unit_price: number; quantity: number; currency_id: string; title?: string }[];
    const payment = newPayment({
      amount: round2(items.reduce((sum, item) => sum + item.unit_price * item.quantity, 0)),
      currency: items[0]?.currency_id ?? 'MXN',
      externalReference: (preference.external_reference as string) || undefined,
      description: items[0]?.title ?? '',
      metadata: preference.metadata as Record<string, unknown>,
      choice,
      notificationUrl: (preference.notification_url as string | null) ?? undefined,
      preferenceId,
    });
    const backUrls = preference.back_urls as Record<'success' | 'failure' | 'pending', string>;
    const target =
      { approved: backUrls.success, pending: backUrls.pending, rejected: backUrls.failure }[payment.status] ?? backUrls.failure;
    const query = {
      collection_id: String(payment.id),
      collection_status: payment.status,
      payment_id: String(payment.id),
      status: payment.status,
      external_reference: String(payment.external_reference ?? 'null'),
      payment_type: String(payment.payment_type_id),
      merchant_order_id: String((payment.order as { id?: string }).id ?? 'null'),
      preference_id: preferenceId,
      site_id: SITE_ID,
      processing_mode: 'aggregator',
      merchant_account_id: 'null',
    };
    return { redirect: target ? String(withQuery(target, query)) : '', paymentId: payment.id };
  }

  async function refund(payment: Payment, request: Request): Promise<Response> {
    const text = await request.text();
    const body = (text.trim() ? JSON.parse(text) : {}) as { amount?: number };
    if (payment.status !== 'approved')
      return mpError(400, 'bad_request', `Payment ${payment.id} is ${payment.status}, it cannot be refunded`);
    const left = round2(payment.transaction_amount - payment.transaction_amount_refunded);
    const amount = body.amount ?? left;
    if (typeof amount !== 'number' || amount <= 0 || amount > left + 1e-9) {
      return mpError(400, 'bad_request', `Invalid refund amount: ${amount}, available ${left}`);
    }
    const refunded = round2(payment.transaction_amount_refunded + amount);
    const record = {
      id: nextId++,
      payment_id: payment.id,
      amount,
      metadata: {},
      source: { id: String(COLLECTOR_ID), name: 'Fake Collector', type: 'collector' },
      date_created: new Date().toISOString(),
      unique_sequence_number: null,
      refund_mode: 'standard',
      adjustment_amount: 0,
      status: 'approved',
      reason: null,
      labels: [],
      amount_refunded_to_payer: amount,
      partition_details: [],
    };
    refunds.get(payment.id)?.push(record);
    const full = refunded >= payment.transaction_amount;
    update(payment, {
      transaction_amount_refunded: refunded,
      refunds: refunds.get(payment.id),
      ...(full ? { status: 'refunded', status_detail: 'refunded' } : { status_detail: 'partially_refunded' }),
    });
    return Response.json(record, { status: 201 });
  }

  function searchPayments(query: URLSearchParams): Response {
    const filters = ['external_reference', 'status', 'payment_type_id'].filter((key) => query.has(key));
    const results = [...payments.values()].filter((payment) => filters.every((key) => String(payment[key]) === query.get(key)));
    if (query.get('criteria') === 'desc') results.reverse();
    const offset = Number(query.get('offset') ?? 0);
    const limit = Number(query.get('limit') ?? 30);
    return Response.json({ results: results.slice(offset, offset + limit), paging: { total: results.length, limit, offset } });
  }

  async function api(request: Request, pathname: string): Promise<Response> {
    const method = request.method;
    if (method === 'POST' && (pathname === '/checkout/preferences' || pathname === '/checkout/preferences/'))
      return createPreference(request);
    const preference = /^\/checkout\/preferences\/([^/]+)$/.exec(pathname);
    if (method === 'GET' && preference) {
      const found = preferences.get(preference[1] ?? '');
      return found ? Response.json(found) : mpError(404, 'not_found', 'Preference not found');
    }
    if (method === 'GET' && pathname === '/v1/payments/search') return searchPayments(new URL(request.url).searchParams);
    const payment = /^\/v1\/payments\/(\d+)(\/refunds\/?)?$/.exec(pathname);
    if (payment) {
      const found = payments.get(Number(payment[1]));
      if (!found) return mpError(404, 'not_found', 'Payment not found');
      if (method === 'GET' && !payment[2]) return Response.json(found);
      if (method === 'GET' && payment[2]) return Response.json(refunds.get(found.id) ?? []);
      if (method === 'POST' && payment[2]) return refund(found, request);
    }
    return (await preapprovals.route(request, pathname)) ?? mpError(404, 'not_found', `No route for ${method} ${pathname}`);
  }

  async function buyerPage(request: Request, pathname: string): Promise<Response | undefined> {
    if (request.method === 'GET' && pathname === '/checkout/v1/redirect') {
      const preference = preferences.get(new URL(request.url).searchParams.get('pref_id') ?? '');
      if (!preference) return notFoundPage('preference');
      const items = preference.items as { title?: string; unit_price: number; quantity: number; currency_id: string }[];
      return checkoutPage({
        title: 'Mercado Pago: checkout',
        lines: items.map((item) => `${item.title ?? 'Item'} × ${item.quantity}: ${item.unit_price} ${item.currency_id}`),
        fields: { pref_id: String(preference.id) },
        buttons: [
          { label: 'Pay with card', action: '/checkout/v1/pay/card' },
          { label: 'Pay in cash', action: '/checkout/v1/pay/cash' },
          { label: 'Card declined', action: '/checkout/v1/pay/declined' },
        ],
      });
    }
    const choice = /^\/checkout\/v1\/pay\/(card|cash|declined)$/.exec(pathname)?.[1] as CheckoutChoice | undefined;
    if (request.method === 'POST' && choice) {
      const preferenceId = (await formFields(request)).pref_id ?? '';
      if (!preferences.has(preferenceId)) return notFoundPage('preference');
      const paid = pay(preferenceId, choice);
      return paid.redirect ? redirect(paid.redirect) : new Response(`payment ${paid.paymentId}`);
    }
    return preapprovals.page(request, pathname);
  }

  async function handle(request: Request): Promise<Response> {
    const pathname = new URL(request.url).pathname;
    const page = await buyerPage(request, pathname);
    if (page) return page;
    if (request.headers.get('authorization') !== `Bearer ${options.accessToken}`) {
      return Response.json({ message: 'invalid access token', error: 'unauthorized', status: 401, cause: [] }, { status: 401 });
    }
    const key = request.method === 'GET' ? null : request.headers.get('x-idempotency-key');
    return outages.answer(
      request,
      pathname,
      () => mpError(503, 'service_unavailable', 'Service temporarily unavailable'),
      () => idempotent.reply(request, key, () => api(request, pathname)),
    );
  }

  function paymentOf(paymentId: number): Payment {
    const payment = payments.get(paymentId);
    if (!payment) throw new Error(`fake Mercado Pago: no payment ${paymentId}`);
    return payment;
  }

  return {
    url,
    get payments() {
      return [...payments.values()];
    },
    notifications,
    deliveries: outbox.deliveries,
    get auto() {
      return auto;
    },
    set auto(value: boolean) {
      auto = value;
    },
    pay,
    completeCash(paymentId) {
      const payment = paymentOf(paymentId);
      if (payment.status !== 'pending') throw new Error(`fake Mercado Pago: payment ${paymentId} is ${payment.status}, not pending`);
      const now = new Date().toISOString();
      update(payment, { status: 'approved', status_detail: 'accredited', date_approved: now, money_release_date: now });
    },
    chargeback(paymentId) {
      update(paymentOf(paymentId), { status: 'charged_back', status_detail: 'settled' });
    },
    outage: (path, times = 1, when = 'before') => outages.plan(path, times, when),
    authorizePreapproval: (id) => preapprovals.authorize(id),
    charge: (id) => preapprovals.charge(id, 'approved'),
    failCharge: (id) => preapprovals.charge(id, 'rejected'),
    tamper(paymentId, change) {
      const payment = paymentOf(paymentId);
      if (change.amount !== undefined) payment.transaction_amount = change.amount;
      if (change.currency !== undefined) payment.currency_id = change.currency;
    },
    send,
    lastNotification: (type, dataId) => notifications.findLast((n) => n.type === type && (dataId === undefined || n.data.id === dataId)),
    hold: () => outbox.hold(),
    flush: (order) => outbox.flush(order),
    settled: () => outbox.settled(),
    close: () => server.stop(true),
  };
}
