// A local PayPal for tests: the REST API the official server SDK (@paypal/checkout-server-sdk) speaks (OAuth2 client
// credentials, Orders v2, Payments v2 captures and refunds), Billing subscriptions v1 (fake-paypal-billing.ts), the
// buyer's approval pages, and signed webhooks out with PayPal's verification endpoint (fake-paypal-webhooks.ts), so
// that the production PayPal client is the code under test. Point the SDK at it with
// `new PayPalEnvironment(clientId, clientSecret, fake.url, fake.url)`; the SDK takes any base URL.
// Owns all orders, captures and refunds; the control methods play the buyer's and PayPal's part (approve, renew,
// reverse, tamper) and shape webhook delivery (auto, hold/flush, duplicates, delays, forgeries).
import { randomBytes } from 'node:crypto';
import { checkoutPage, formFields, notFoundPage, redirect, withQuery } from './fake-checkout-page.ts';
import { IdempotentReplies } from './fake-idempotency.ts';
import { Outages, type OutageWhen } from './fake-outages.ts';
import {
  fromCents,
  invalid,
  isMoneyValue,
  jsonBody,
  type Link,
  type Money,
  missing,
  notFound,
  paypalError,
  paypalId,
  paypalTime,
  receivableBreakdown,
  toCents,
} from './fake-paypal-api.ts';
import { PayPalBilling } from './fake-paypal-billing.ts';
import {
  type PayPalEventType,
  type PayPalForgery,
  type PayPalLayout,
  type PayPalWebhookEvent,
  PayPalWebhookSigner,
  paypalEvent,
  rawMember,
  type VerifyWebhookSignatureRequest,
} from './fake-paypal-webhooks.ts';
import { type SendOptions, type WebhookDelivery, WebhookOutbox } from './fake-webhook-outbox.ts';

/** A delivery's options: duplicates and delay, a forgery, how its body is written. */
type PayPalSendOptions = SendOptions & { forged?: PayPalForgery; layout?: PayPalLayout };

export interface FakePayPalOptions {
  clientId: string;
  clientSecret: string;
  /** The id PayPal gives the app's webhook; it is part of what each delivery signs. */
  webhookId: string;
  webhookUrl?: string;
}

export interface FakePayPal {
  readonly url: string;
  readonly webhookId: string;
  /** Where `paypal-cert-url` points on genuine deliveries. */
  readonly certUrl: string;
  /** Orders as `GET /v2/checkout/orders/:id` answers them. */
  readonly orders: Record<string, unknown>[];
  /** Captures as `GET /v2/payments/captures/:id` answers them. */
  readonly captures: Record<string, unknown>[];
  /** Refunds of subscriptions' sales (Payments v1), as POST /v1/payments/sale/:id/refund answered them, in order. */
  readonly saleRefunds: Record<string, unknown>[];
  /** Every event the fake raised, sent or not (with `auto` off they are only recorded). */
  readonly events: PayPalWebhookEvent[];
  readonly deliveries: WebhookDelivery[];
  /** Whether events are delivered as they happen (default true). */
  auto: boolean;
  setWebhookUrl(url: string): void;
  /** The buyer approves; returns the return_url PayPal would send the browser to. */
  approve(orderId: string): string | undefined;
  approveSubscription(subscriptionId: string): void;
  renew(subscriptionId: string): Record<string, unknown>;
  failRenewal(subscriptionId: string): void;
  /** PayPal down: the next `times` POSTs to a path matching `path` answer 503 (`after`: done, the answer lost). */
  outage(path: RegExp, times?: number, when?: OutageWhen): void;
  /** A chargeback: PayPal takes the money back (PAYMENT.CAPTURE.REVERSED). */
  reverse(captureId: string): void;
  /** The capture of this order will report this amount or currency instead of the ordered one. */
  tamper(orderId: string, change: { amount?: string; currency?: string }): void;
  send(event: PayPalWebhookEvent, options?: PayPalSendOptions): void;
  lastEvent(type: PayPalEventType): PayPalWebhookEvent | undefined;
  hold(): void;
  flush(order?: 'queued' | 'reversed'): Promise<void>;
  /** Resolves when every delivery started so far has been answered. */
  settled(): Promise<void>;
  close(): void;
}

type OrderStatus = 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';

interface Order {
  id: string;
  status: OrderStatus;
  unit: { reference_id: string; custom_id?: string; invoice_id?: string; description?: string; amount: Money };
  returnUrl: string | undefined;
  cancelUrl: string | undefined;
  brandName: string | undefined;
  /** Orders created with payment_source.paypal answer PAYER_ACTION_REQUIRED and a `payer-action` link. */
  viaPaymentSource: boolean;
  payerId: string | undefined;
  captureId: string | undefined;
  tamper: { amount?: string; currency?: string } | undefined;
  createTime: string;
  updateTime: string;
}

interface Capture {
  id: string;
  orderId: string;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  amount: Money;
  customId: string | undefined;
  invoiceId: string | undefined;
  refundedCents: number;
  createTime: string;
  updateTime: string;
}

const TOKEN_TTL_S = 32_400;

export function startFakePayPal(options: FakePayPalOptions): FakePayPal {
  const tokens = new Set<string>();
  const orders = new Map<string, Order>();
  const captures = new Map<string, Capture>();
  const refunds = new Map<string, Record<string, unknown>>();
  const events: PayPalWebhookEvent[] = [];
  const outbox = new WebhookOutbox();
  const idempotent = new IdempotentReplies();
  const outages = new Outages();
  let webhookUrl = options.webhookUrl;
  let auto = true;

  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (request) => handle(request) });
  const url = `http://127.0.0.1:${server.port}`;
  const signer = new PayPalWebhookSigner(url, options.webhookId);
  const billing = new PayPalBilling(url, emit);

  function send(event: PayPalWebhookEvent, sendOptions: PayPalSendOptions = {}): void {
    const target = webhookUrl;
    if (!target) throw new Error('fake PayPal: no webhook URL (options.webhookUrl or setWebhookUrl)');
    const prepare = () => signer.prepare(target, event, sendOptions.forged, sendOptions.layout);
    outbox.enqueue({ id: event.id, kind: event.event_type, forged: sendOptions.forged, prepare }, sendOptions);
  }

  function emit(type: PayPalEventType, resource: Record<string, unknown>): void {
    const event = paypalEvent(url, type, resource);
    events.push(event);
    if (auto && webhookUrl) send(event);
  }

  function orderLinks(order: Order): Link[] {
    const self = `${url}/v2/checkout/orders/${order.id}`;
    if (order.status === 'COMPLETED') return [{ href: self, rel: 'self', method: 'GET' }];
    const approveRel = order.viaPaymentSource ? 'payer-action' : 'approve';
    return [
      { href: self, rel: 'self', method: 'GET' },
      { href: `${url}/checkoutnow?token=${order.id}`, rel: approveRel, method: 'GET' },
      { href: self, rel: 'update', method: 'PATCH' },
      { href: `${self}/capture`, rel: 'capture', method: 'POST' },
    ];
  }

  function captureJson(capture: Capture): Record<string, unknown> {
    const self = `${url}/v2/payments/captures/${capture.id}`;
    return {
      id: capture.id,
      status: capture.status,
      amount: capture.amount,
      final_capture: true,
      seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
      seller_receivable_breakdown: receivableBreakdown(capture.amount),
      ...(capture.customId === undefined ? {} : { custom_id: capture.customId }),
      ...(capture.invoiceId === undefined ? {} : { invoice_id: capture.invoiceId }),
      links: [
        { href: self, rel: 'self', method: 'GET' },
        { href: `${self}/refund`, rel: 'refund', method: 'POST' },
        { href: `${url}/v2/checkout/orders/${capture.orderId}`, rel: 'up', method: 'GET' },
      ],
      create_time: capture.createTime,
      update_time: capture.updateTime,
    };
  }

  function payer(order: Order) {
    return {
      name: { given_name: 'John', surname: 'Doe' },
      email_address: 'sb-buyer@personal.example.com',
      payer_id: order.payerId,
      address: { country_code: 'US' },
    };
  }

  function orderJson(order: Order): Record<string, unknown> {
    const capture = order.captureId ? captures.get(order.captureId) : undefined;
    const approved = order.payerId !== undefined;
    return {
      id: order.id,
      intent: 'CAPTURE',
      status: order.status,
      ...(approved
        ? {
            payment_source: {
              paypal: { email_address: payer(order).email_address, account_id: order.payerId, account_status: 'VERIFIED' },
            },
          }
        : {}),
      purchase_units: [
        {
          ...order.unit,
          payee: { email_address: 'merchant@example.com', merchant_id: 'FAKEMERCHANT1' },
          ...(capture ? { payments: { captures: [captureJson(capture)] } } : {}),
        },
      ],
      ...(approved ? { payer: payer(order) } : {}),
      create_time: order.createTime,
      update_time: order.updateTime,
      links: orderLinks(order),
    };
  }

  const wantsRepresentation = (request: Request) => (request.headers.get('prefer') ?? '').includes('return=representation');

  async function createOrder(request: Request): Promise<Response> {
    const body = await jsonBody(request);
    if (body instanceof Response) return body;
    if (body.intent !== 'CAPTURE') return paypalError('INVALID_REQUEST', [invalid('/intent', 'The fake supports intent CAPTURE only.')]);
    const units = Array.isArray(body.purchase_units) ? (body.purchase_units as Record<string, unknown>[]) : [];
    const unit = units[0];
    if (!unit) return paypalError('INVALID_REQUEST', [missing('/purchase_units')]);
    const amount = (unit.amount ?? {}) as Partial<Money>;
    if (typeof amount.currency_code !== 'string')
      return paypalError('INVALID_REQUEST', [missing("/purchase_units/@reference_id=='default'/amount/currency_code")]);
    if (!isMoneyValue(amount.value))
      return paypalError('INVALID_REQUEST', [
        invalid("/purchase_units/@reference_id=='default'/amount/value", 'Must be a decimal string with at most two decimals.'),
      ]);
    const source = body.payment_source as { paypal?: { experience_context?: Record<string, unknown> } } | undefined;
    const experience = source?.paypal?.experience_context;
    const context = (experience ?? body.application_context ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const time = paypalTime();
    const order: Order = {
      id: paypalId(),
      status: experience ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      unit: {
        reference_id: text(unit.reference_id) ?? 'default',
        ...(text(unit.custom_id) === undefined ? {} : { custom_id: text(unit.custom_id) }),
        ...(text(unit.invoice_id) === undefined ? {} : { invoice_id: text(unit.invoice_id) }),
        ...(text(unit.description) === undefined ? {} : { description: text(unit.description) }),
        amount: { currency_code: amount.currency_code, value: amount.value },
      },
      returnUrl: text(context.return_url),
      cancelUrl: text(context.cancel_url),
      brandName: text(context.brand_name),
      viaPaymentSource: experience !== undefined,
      payerId: undefined,
      captureId: undefined,
      tamper: undefined,
      createTime: time,
      updateTime: time,
    };
    orders.set(order.id, order);
    const json = orderJson(order);
    return Response.json(wantsRepresentation(request) ? json : { id: order.id, status: order.status, links: json.links }, { status: 201 });
  }

  function approve(orderId: string): string | undefined {
    const order = orders.get(orderId);
    if (!order) throw new Error(`fake PayPal: no order ${orderId}`);
    if (order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED') {
      order.status = 'APPROVED';
      order.payerId = paypalId(13);
      order.updateTime = paypalTime();
      emit('CHECKOUT.ORDER.APPROVED', orderJson(order));
    }
    return order.returnUrl && order.payerId ? String(withQuery(order.returnUrl, { token: order.id, PayerID: order.payerId })) : undefined;
  }

  function captureOrder(order: Order): Response {
    if (order.status === 'COMPLETED') {
      return paypalError('UNPROCESSABLE_ENTITY', [
        {
          issue: 'ORDER_ALREADY_CAPTURED',
          description: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
        },
      ]);
    }
    if (order.status !== 'APPROVED') {
      return paypalError('UNPROCESSABLE_ENTITY', [
        {
          issue: 'ORDER_NOT_APPROVED',
          description:
            "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
        },
      ]);
    }
    const time = paypalTime();
    const capture: Capture = {
      id: paypalId(),
      orderId: order.id,
      status: 'COMPLETED',
      amount: {
        currency_code: order.tamper?.currency ?? order.unit.amount.currency_code,
        value: order.tamper?.amount ?? order.unit.amount.value,
      },
      customId: order.unit.custom_id,
      invoiceId: order.unit.invoice_id,
      refundedCents: 0,
      createTime: time,
      updateTime: time,
    };
    captures.set(capture.id, capture);
    order.captureId = capture.id;
    order.status = 'COMPLETED';
    order.updateTime = time;
    emit('PAYMENT.CAPTURE.COMPLETED', { ...captureJson(capture), supplementary_data: { related_ids: { order_id: order.id } } });
    return Response.json(orderJson(order), { status: 201 });
  }

  function refundJson(id: string, capture: Capture, cents: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const time = paypalTime();
    const amount = { currency_code: capture.amount.currency_code, value: fromCents(cents) };
    return {
      id,
      amount,
      seller_payable_breakdown: {
        gross_amount: amount,
        net_amount: amount,
        total_refunded_amount: { currency_code: capture.amount.currency_code, value: fromCents(capture.refundedCents) },
      },
      ...(capture.invoiceId === undefined ? {} : { invoice_id: capture.invoiceId }),
      ...(capture.customId === undefined ? {} : { custom_id: capture.customId }),
      ...extra,
      status: 'COMPLETED',
      create_time: time,
      update_time: time,
      links: [
        { href: `${url}/v2/payments/refunds/${id}`, rel: 'self', method: 'GET' },
        { href: `${url}/v2/payments/captures/${capture.id}`, rel: 'up', method: 'GET' },
      ],
    };
  }

  async function refundCapture(capture: Capture, request: Request): Promise<Response> {
    const body = await jsonBody(request);
    if (body instanceof Response) return body;
    if (capture.status === 'REFUNDED') {
      return paypalError('UNPROCESSABLE_ENTITY', [
        { issue: 'CAPTURE_FULLY_REFUNDED', description: 'The capture has already been fully refunded' },
      ]);
    }
    const left = toCents(capture.amount.value) - capture.refundedCents;
    const asked = body.amount as Partial<Money> | undefined;
    if (asked !== undefined && !isMoneyValue(asked.value))
      return paypalError('INVALID_REQUEST', [invalid('/amount/value', 'Must be a decimal string.')]);
    if (asked !== undefined && asked.currency_code !== capture.amount.currency_code) {
      return paypalError('UNPROCESSABLE_ENTITY', [
        { issue: 'CURRENCY_MISMATCH', description: 'Refund must be in the same currency as the capture.' },
      ]);
    }
    const cents = asked?.value === undefined ? left : toCents(asked.value);
    if (cents > left) {
      return paypalError('UNPROCESSABLE_ENTITY', [
        {
          issue: 'REFUND_AMOUNT_EXCEEDED',
          description: 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
        },
      ]);
    }
    capture.refundedCents += cents;
    capture.status = capture.refundedCents === toCents(capture.amount.value) ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = paypalTime();
    const note = typeof body.note_to_payer === 'string' ? { note_to_payer: body.note_to_payer } : {};
    const refund = refundJson(paypalId(), capture, cents, note);
    refunds.set(String(refund.id), refund);
    emit('PAYMENT.CAPTURE.REFUNDED', refund);
    const { id, status, links } = refund;
    return Response.json(wantsRepresentation(request) ? refund : { id, status, links }, { status: 201 });
  }

  async function buyerPage(request: Request, pathname: string): Promise<Response | undefined> {
    if (request.method === 'GET' && pathname === '/checkoutnow') {
      const order = orders.get(new URL(request.url).searchParams.get('token') ?? '');
      if (!order) return notFoundPage('order');
      return checkoutPage({
        title: 'PayPal: review your payment',
        lines: [
          `Pay ${order.brandName ?? 'the merchant'}`,
          `${order.unit.description ?? order.unit.reference_id}: ${order.unit.amount.value} ${order.unit.amount.currency_code}`,
        ],
        fields: { token: order.id },
        buttons: [
          { label: 'Pay now', action: '/checkoutnow/approve' },
          { label: 'Cancel', action: '/checkoutnow/cancel' },
        ],
      });
    }
    if (request.method !== 'POST' || !pathname.startsWith('/checkoutnow/')) return billing.page(request, pathname);
    const order = orders.get((await formFields(request)).token ?? '');
    if (!order) return notFoundPage('order');
    if (pathname === '/checkoutnow/approve') {
      const back = approve(order.id);
      return back ? redirect(back) : new Response('approved');
    }
    return order.cancelUrl ? redirect(withQuery(order.cancelUrl, { token: order.id })) : new Response('cancelled');
  }

  function issueToken(request: Request, form: URLSearchParams): Response {
    const expected = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;
    if (request.headers.get('authorization') !== expected) {
      return Response.json({ error: 'invalid_client', error_description: 'Client Authentication failed' }, { status: 401 });
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return Response.json({ error: 'unsupported_grant_type', error_description: 'unsupported grant_type' }, { status: 400 });
    }
    const token = `A21AA${randomBytes(32).toString('base64url')}`;
    tokens.add(token);
    return Response.json({
      scope: 'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/subscriptions',
      access_token: token,
      token_type: 'Bearer',
      app_id: 'APP-80W284485P519543T',
      expires_in: TOKEN_TTL_S,
      nonce: `${paypalTime()}${randomBytes(16).toString('base64url')}`,
    });
  }

  async function api(request: Request, pathname: string): Promise<Response> {
    const method = request.method;
    const requestId = request.headers.get('paypal-request-id');
    if (method === 'POST' && pathname === '/v2/checkout/orders') return idempotent.reply(request, requestId, () => createOrder(request));
    const order = /^\/v2\/checkout\/orders\/([^/]+)(\/capture)?$/.exec(pathname);
    if (order) {
      const found = orders.get(order[1] ?? '');
      if (method === 'GET' && !order[2]) return found ? Response.json(orderJson(found)) : notFound('order');
      if (method === 'POST' && order[2])
        return idempotent.reply(request, requestId, () => (found ? captureOrder(found) : notFound('order')));
    }
    const capture = /^\/v2\/payments\/captures\/([^/]+)(\/refund)?$/.exec(pathname);
    if (capture) {
      const found = captures.get(capture[1] ?? '');
      if (method === 'GET' && !capture[2]) return found ? Response.json(captureJson(found)) : notFound('capture');
      if (method === 'POST' && capture[2]) {
        return idempotent.reply(request, requestId, () => (found ? refundCapture(found, request) : notFound('capture')));
      }
    }
    const refund = /^\/v2\/payments\/refunds\/([^/]+)$/.exec(pathname);
    if (method === 'GET' && refund) {
      const found = refunds.get(refund[1] ?? '');
      return found ? Response.json(found) : notFound('refund');
    }
    if (method === 'POST' && pathname === '/v1/notifications/verify-webhook-signature') {
      const text = await request.clone().text();
      const body = await jsonBody(request);
      if (body instanceof Response) return body;
      for (const field of [
        'auth_algo',
        'cert_url',
        'transmission_id',
        'transmission_sig',
        'transmission_time',
        'webhook_id',
        'webhook_event',
      ]) {
        if (body[field] === undefined) return paypalError('INVALID_REQUEST', [missing(`/${field}`)]);
      }
      return Response.json({
        verification_status: signer.verify(body as VerifyWebhookSignatureRequest, rawMember(text, 'webhook_event') ?? ''),
      });
    }
    // A sale's refund takes PayPal-Request-Id too: a retry is the same refund.
    if (method === 'POST' && /^\/v1\/payments\/sale\/[^/]+\/refund$/.test(pathname))
      return idempotent.reply(request, requestId, async () => (await billing.route(request, pathname)) ?? notFound('sale'));
    const billed = await billing.route(request, pathname);
    return billed ?? notFound(`${method} ${pathname}`);
  }

  /** What PayPal answers while it is down. */
  function unavailable(): Response {
    return Response.json(
      { name: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable.', debug_id: randomBytes(7).toString('hex').slice(0, 13) },
      { status: 503 },
    );
  }

  async function handle(request: Request): Promise<Response> {
    // The SDK's generated request paths end in '?', so the path is read from the parsed URL, never the raw string.
    const pathname = new URL(request.url).pathname;
    if (request.method === 'POST' && pathname === '/v1/oauth2/token') return issueToken(request, new URLSearchParams(await request.text()));
    const certificate = request.method === 'GET' ? signer.certificateAt(pathname) : undefined;
    if (certificate) return new Response(certificate, { headers: { 'Content-Type': 'application/x-pem-file' } });
    const page = await buyerPage(request, pathname);
    if (page) return page;
    const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) return paypalError('AUTHENTICATION_FAILURE');
    return outages.answer(request, pathname, unavailable, () => api(request, pathname));
  }

  return {
    url,
    webhookId: options.webhookId,
    certUrl: signer.certUrl,
    get orders() {
      return [...orders.values()].map(orderJson);
    },
    get captures() {
      return [...captures.values()].map(captureJson);
    },
    saleRefunds: billing.saleRefunds,
    events,
    deliveries: outbox.deliveries,
    get auto() {
      return auto;
    },
    set auto(value: boolean) {
      auto = value;
    },
    setWebhookUrl(next) {
      webhookUrl = next;
    },
    approve,
    approveSubscription: (id) => billing.approve(id),
    renew: (id) => billing.renew(id),
    failRenewal: (id) => billing.failRenewal(id),
    outage: (path, times = 1, when = 'before') => outages.plan(path, times, when),
    reverse(captureId) {
      const capture = captures.get(captureId);
      if (!capture) throw new Error(`fake PayPal: no capture ${captureId}`);
      const cents = toCents(capture.amount.value) - capture.refundedCents;
      capture.refundedCents += cents;
      // Captures v2 have no REVERSED status: a reversed capture reads as refunded, the event says why.
      capture.status = 'REFUNDED';
      capture.updateTime = paypalTime();
      emit('PAYMENT.CAPTURE.REVERSED', refundJson(paypalId(), capture, cents, { note_to_payer: 'Payment reversed' }));
    },
    tamper(orderId, change) {
      const order = orders.get(orderId);
      if (!order) throw new Error(`fake PayPal: no order ${orderId}`);
      order.tamper = change;
    },
    send,
    lastEvent: (type) => events.findLast((event) => event.event_type === type),
    hold: () => outbox.hold(),
    flush: (order) => outbox.flush(order),
    settled: () => outbox.settled(),
    close: () => server.stop(true),
  };
}
