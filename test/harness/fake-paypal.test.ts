// The fake PayPal is only worth testing against if the official SDK takes it for PayPal. Every call here goes through
// @paypal/checkout-server-sdk's PayPalHttpClient (plain request objects where the SDK has no class), and webhooks
// are checked the two ways a receiver can: locally against the certificate (the reference verifier below) and by
// PayPal's verify-webhook-signature.
import { randomUUID, verify, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import * as paypal from '@paypal/checkout-server-sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakePayPal, startFakePayPal } from './fake-paypal.ts';

interface Received {
  headers: Record<string, string>;
  body: string;
  event: { id: string; event_type: string; resource: paypal.Json };
}

const WEBHOOK_ID = '8PT597110X687430LKGECATA';
let fake: FakePayPal;
let client: paypal.core.PayPalHttpClient;
let receiver: ReturnType<typeof Bun.serve>;
const received: Received[] = [];

beforeAll(() => {
  receiver = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const body = await request.text();
      received.push({ headers: Object.fromEntries(request.headers), body, event: JSON.parse(body) });
      return new Response(null, { status: 200 });
    },
  });
  fake = startFakePayPal({ clientId: 'fake-paypal-client', clientSecret: 'fake-paypal-secret', webhookId: WEBHOOK_ID });
  fake.setWebhookUrl(`http://127.0.0.1:${receiver.port}/webhooks/paypal`);
  client = new paypal.core.PayPalHttpClient(
    new paypal.core.PayPalEnvironment('fake-paypal-client', 'fake-paypal-secret', fake.url, fake.url),
  );
});

afterAll(() => {
  fake.close();
  receiver.stop(true);
});

/** The reference for a receiver's own check of PayPal's signature: trust only PayPal's certificate URL. */
async function verifyLocally(headers: Record<string, string>, rawBody: string): Promise<boolean> {
  const certUrl = headers['paypal-cert-url'] ?? '';
  if (!certUrl.startsWith(`${fake.url}/v1/notifications/certs/`) || headers['paypal-auth-algo'] !== 'SHA256withRSA') return false;
  return verifyWithAnyCertificate(headers, rawBody);
}

/** The same check without the certificate URL rule, which a forged `paypal-cert-url` fools. */
async function verifyWithAnyCertificate(headers: Record<string, string>, rawBody: string): Promise<boolean> {
  const certificate = new X509Certificate(await (await fetch(headers['paypal-cert-url'] ?? '')).text());
  const message = `${headers['paypal-transmission-id']}|${headers['paypal-transmission-time']}|${WEBHOOK_ID}|${crc32(rawBody) >>> 0}`;
  return verify('sha256', Buffer.from(message), certificate.publicKey, Buffer.from(headers['paypal-transmission-sig'] ?? '', 'base64'));
}

/** PayPal's verify-webhook-signature, through the SDK client as a plain request object. */
async function verifyWithPayPal(headers: Record<string, string>, rawBody: string): Promise<string> {
  const response = await client.execute<{ verification_status: string }>({
    path: '/v1/notifications/verify-webhook-signature',
    verb: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: {
      auth_algo: headers['paypal-auth-algo'],
      cert_url: headers['paypal-cert-url'],
      transmission_id: headers['paypal-transmission-id'],
      transmission_sig: headers['paypal-transmission-sig'],
      transmission_time: headers['paypal-transmission-time'],
      webhook_id: WEBHOOK_ID,
      webhook_event: JSON.parse(rawBody),
    },
  });
  return response.result.verification_status;
}

async function paypalError(promise: Promise<unknown>): Promise<{ status: number; name: string; issue: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    const { statusCode, message } = error as paypal.HttpError;
    const body = JSON.parse(message) as { name: string; details?: { issue: string }[] };
    return { status: statusCode, name: body.name, issue: body.details?.[0]?.issue };
  }
  throw new Error('expected the call to fail');
}

async function waitForWebhooks(match: (received: Received) => boolean, count = 1, timeoutMs = 5000): Promise<Received[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = received.filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} matching webhooks, got ${found.length}`);
    await Bun.sleep(10);
  }
}

async function createOrder(value = '25.00', extra: Record<string, unknown> = {}): Promise<string> {
  const request = new paypal.orders.OrdersCreateRequest();
  request.requestBody({
    intent: 'CAPTURE',
    purchase_units: [
      { reference_id: 'order-1', custom_id: `cart-${randomUUID()}`, description: 'Dog food', amount: { currency_code: 'USD', value } },
    ],
    application_context: {
      return_url: 'https://shop.example/paypal/return',
      cancel_url: 'https://shop.example/paypal/cancel',
      brand_name: 'PetAmigos',
      user_action: 'PAY_NOW',
    },
    ...extra,
  });
  const response = await client.execute<{ id: string; status: string; links: { rel: string; href: string }[] }>(request);
  expect(response.statusCode).toBe(201);
  return response.result.id;
}

async function capture(orderId: string): Promise<paypal.Json> {
  fake.approve(orderId);
  const response = await client.execute(new paypal.orders.OrdersCaptureRequest(orderId));
  return response.result.purchase_units[0].payments.captures[0];
}

describe('fake PayPal through @paypal/checkout-server-sdk', () => {
  test('fake paypal: the SDK gets a token with the app credentials, and a wrong secret is refused with invalid_client', async () => {
    const wrong = new paypal.core.PayPalHttpClient(
      new paypal.core.PayPalEnvironment('fake-paypal-other', 'not-the-secret', fake.url, fake.url),
    );
    const failure = (await wrong
      .execute(new paypal.orders.OrdersGetRequest('X'))
      .catch((error: paypal.HttpError) => error)) as paypal.HttpError;
    expect(failure.statusCode).toBe(401);
    expect(JSON.parse(failure.message).error).toBe('invalid_client');
    const unauthenticated = await fetch(`${fake.url}/v2/checkout/orders/X`, { headers: { Authorization: 'Bearer made-up' } });
    expect(unauthenticated.status).toBe(401);
    expect((await unauthenticated.json()).name).toBe('AUTHENTICATION_FAILURE');
  });

  test('fake paypal: an order is created with an approve link to the buyer page, approved, and captured in full', async () => {
    const request = new paypal.orders.OrdersCreateRequest();
    request.requestBody({
      intent: 'CAPTURE',
      purchase_units: [
        { reference_id: 'r1', custom_id: 'cart-42', invoice_id: 'inv-42', amount: { currency_code: 'USD', value: '25.00' } },
      ],
      application_context: { return_url: 'https://shop.example/return', cancel_url: 'https://shop.example/cancel' },
    });
    const created = await client.execute<{ id: string; status: string; links: { rel: string; href: string }[] }>(request);
    expect(created.result.status).toBe('CREATED');
    expect(created.result.links.find((link) => link.rel === 'approve')?.href).toBe(`${fake.url}/checkoutnow?token=${created.result.id}`);

    expect(fake.approve(created.result.id)).toMatch(/^https:\/\/shop\.example\/return\?token=\w+&PayerID=\w+$/);
    const order = await client.execute(new paypal.orders.OrdersGetRequest(created.result.id));
    expect(order.result.status).toBe('APPROVED');

    const captured = await client.execute(new paypal.orders.OrdersCaptureRequest(created.result.id));
    expect(captured.statusCode).toBe(201);
    expect(captured.result.status).toBe('COMPLETED');
    expect(captured.result.purchase_units[0].payments.captures[0]).toMatchObject({
      status: 'COMPLETED',
      amount: { currency_code: 'USD', value: '25.00' },
      custom_id: 'cart-42',
      invoice_id: 'inv-42',
      final_capture: true,
    });
  });

  test('fake paypal: a capture before approval is refused with ORDER_NOT_APPROVED', async () => {
    const orderId = await createOrder();
    expect(await paypalError(client.execute(new paypal.orders.OrdersCaptureRequest(orderId)))).toEqual({
      status: 422,
      name: 'UNPROCESSABLE_ENTITY',
      issue: 'ORDER_NOT_APPROVED',
    });
  });

  test('fake paypal: a second capture is refused with ORDER_ALREADY_CAPTURED, a retry with the same PayPal-Request-Id gets the first', async () => {
    const orderId = await createOrder();
    fake.approve(orderId);
    const first = await client.execute(new paypal.orders.OrdersCaptureRequest(orderId).payPalRequestId('capture-retry-1'));
    const retry = await client.execute(new paypal.orders.OrdersCaptureRequest(orderId).payPalRequestId('capture-retry-1'));
    expect(retry.result.purchase_units[0].payments.captures[0].id).toBe(first.result.purchase_units[0].payments.captures[0].id);
    expect((await paypalError(client.execute(new paypal.orders.OrdersCaptureRequest(orderId)))).issue).toBe('ORDER_ALREADY_CAPTURED');
  });

  test('fake paypal: the same PayPal-Request-Id on order creation gives the same order, not a second one', async () => {
    const before = fake.orders.length;
    const create = () => {
      const request = new paypal.orders.OrdersCreateRequest();
      // OrdersCreateRequest 1.0.3 has no payPalRequestId(); the header is set directly.
      request.headers['PayPal-Request-Id'] = 'create-once-7';
      request.requestBody({ intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: '3.00' } }] });
      return client.execute<{ id: string }>(request);
    };
    const [first, second] = [await create(), await create()];
    expect(second.result.id).toBe(first.result.id);
    expect(fake.orders.length).toBe(before + 1);
  });

  test('fake paypal: a capture is refunded in part, then the rest, and one more refund is refused', async () => {
    const captured = await capture(await createOrder('30.00'));
    const refund = (amount?: string) =>
      client.execute(
        new paypal.payments.CapturesRefundRequest(captured.id)
          .prefer('return=representation')
          .requestBody(amount ? { amount: { currency_code: 'USD', value: amount } } : {}),
      );
    expect(await paypalError(refund('30.01'))).toMatchObject({ status: 422, issue: 'REFUND_AMOUNT_EXCEEDED' });
    const partial = await refund('10.00');
    expect(partial.statusCode).toBe(201);
    expect(partial.result).toMatchObject({ status: 'COMPLETED', amount: { currency_code: 'USD', value: '10.00' } });
    expect((await client.execute(new paypal.payments.CapturesGetRequest(captured.id))).result.status).toBe('PARTIALLY_REFUNDED');
    expect(await paypalError(refund('20.01'))).toMatchObject({ status: 422, issue: 'REFUND_AMOUNT_EXCEEDED' });
    expect((await refund()).result.amount).toEqual({ currency_code: 'USD', value: '20.00' });
    expect((await client.execute(new paypal.payments.CapturesGetRequest(captured.id))).result.status).toBe('REFUNDED');
    expect((await paypalError(refund('0.01'))).issue).toBe('CAPTURE_FULLY_REFUNDED');
  });

  test('fake paypal: the approval page is a plain form; Pay now returns to return_url with token and PayerID, Cancel to cancel_url', async () => {
    const orderId = await createOrder();
    const page = await fetch(`${fake.url}/checkoutnow?token=${orderId}`);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('Pay now');
    expect(html).toContain('Cancel');
    expect(html).not.toMatch(/<script|<link|<img|src=/);
    const post = (action: string) =>
      fetch(`${fake.url}${action}`, { method: 'POST', body: new URLSearchParams({ token: orderId }), redirect: 'manual' });
    const cancelled = await post('/checkoutnow/cancel');
    expect(cancelled.status).toBe(302);
    expect(cancelled.headers.get('location')).toBe(`https://shop.example/paypal/cancel?token=${orderId}`);
    const paid = await post('/checkoutnow/approve');
    const back = new URL(paid.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe('https://shop.example/paypal/return');
    expect(back.searchParams.get('token')).toBe(orderId);
    const order = await client.execute(new paypal.orders.OrdersGetRequest(orderId));
    expect(back.searchParams.get('PayerID')).toBe(order.result.payer.payer_id);
  });

  test('fake paypal: an order created with payment_source.paypal asks for payer action through a payer-action link', async () => {
    const request = new paypal.orders.OrdersCreateRequest();
    request.requestBody({
      intent: 'CAPTURE',
      purchase_units: [{ amount: { currency_code: 'USD', value: '5.00' } }],
      payment_source: { paypal: { experience_context: { return_url: 'https://shop.example/r', cancel_url: 'https://shop.example/c' } } },
    });
    const created = await client.execute<{ id: string; status: string; links: { rel: string }[] }>(request);
    expect(created.result.status).toBe('PAYER_ACTION_REQUIRED');
    expect(created.result.links.map((link) => link.rel)).toContain('payer-action');
    expect(fake.approve(created.result.id)).toMatch(/^https:\/\/shop\.example\/r\?token=/);
  });

  test('fake paypal: a tampered order is captured for a different amount than ordered', async () => {
    const orderId = await createOrder('50.00');
    fake.tamper(orderId, { amount: '0.50', currency: 'MXN' });
    const captured = await capture(orderId);
    expect(captured.amount).toEqual({ currency_code: 'MXN', value: '0.50' });
    expect((await client.execute(new paypal.orders.OrdersGetRequest(orderId))).result.purchase_units[0].amount.value).toBe('50.00');
  });
});

describe('fake PayPal subscriptions through PayPalHttpClient', () => {
  test('fake paypal: a subscription is created, approved on the buyer page, renewed (its sale refunded once per PayPal-Request-Id, nothing while PayPal is down), fails a renewal and is cancelled', async () => {
    const json = { 'Content-Type': 'application/json' };
    const product = await client.execute({
      path: '/v1/catalogs/products',
      verb: 'POST',
      headers: json,
      body: { name: 'PetAmigos Plus', type: 'SERVICE' },
    });
    const plan = await client.execute({
      path: '/v1/billing/plans',
      verb: 'POST',
      headers: json,
      body: {
        product_id: product.result.id,
        name: 'Monthly',
        billing_cycles: [
          {
            frequency: { interval_unit: 'MONTH', interval_count: 1 },
            tenure_type: 'REGULAR',
            sequence: 1,
            total_cycles: 0,
            pricing_scheme: { fixed_price: { value: '4.99', currency_code: 'USD' } },
          },
        ],
        payment_preferences: { auto_bill_outstanding: true, payment_failure_threshold: 3 },
      },
    });
    expect((await client.execute({ path: `/v1/billing/plans/${plan.result.id}`, verb: 'GET', headers: {} })).result.status).toBe('ACTIVE');
    const created = await client.execute({
      path: '/v1/billing/subscriptions',
      verb: 'POST',
      headers: json,
      body: {
        plan_id: plan.result.id,
        custom_id: 'user-7',
        application_context: { return_url: 'https://shop.example/sub/return', cancel_url: 'https://shop.example/sub/cancel' },
      },
    });
    expect(created.result.status).toBe('APPROVAL_PENDING');
    const approveUrl = new URL(created.result.links.find((link: { rel: string }) => link.rel === 'approve').href);
    expect(approveUrl.searchParams.get('subscription_id')).toBe(created.result.id);
    expect(approveUrl.searchParams.get('ba_token')).toMatch(/^BA-/);

    expect(await (await fetch(approveUrl)).text()).toContain('Agree &amp; Subscribe');
    const approved = await fetch(`${fake.url}/webapps/billing/subscriptions/approve`, {
      method: 'POST',
      body: new URLSearchParams({ subscription_id: created.result.id }),
      redirect: 'manual',
    });
    const back = new URL(approved.headers.get('location') ?? '');
    expect(back.searchParams.get('subscription_id')).toBe(created.result.id);
    expect(back.searchParams.get('ba_token')).toBe(approveUrl.searchParams.get('ba_token'));

    const get = () => client.execute({ path: `/v1/billing/subscriptions/${created.result.id}`, verb: 'GET', headers: {} });
    const active = (await get()).result;
    expect(active).toMatchObject({ status: 'ACTIVE', plan_id: plan.result.id, custom_id: 'user-7' });
    expect(active.billing_info.last_payment.amount).toEqual({ currency_code: 'USD', value: '4.99' });

    const sale = fake.renew(created.result.id);
    expect(sale).toMatchObject({ billing_agreement_id: created.result.id, custom: 'user-7', amount: { total: '4.99', currency: 'USD' } });
    const renewed = (await get()).result;
    expect(renewed.billing_info.cycle_executions[0].cycles_completed).toBe(2);

    // Refunding the sale: PayPal down does nothing; the same PayPal-Request-Id twice is one refund.
    const refundSale = () =>
      client.execute({
        path: `/v1/payments/sale/${String(sale.id)}/refund`,
        verb: 'POST',
        headers: { ...json, 'PayPal-Request-Id': 'sale-refund-7' },
        body: { amount: { total: '1.00', currency: 'USD' } },
      });
    fake.outage(/^\/v1\/payments\/sale\/[^/]+\/refund$/);
    expect(await paypalError(refundSale())).toMatchObject({ status: 503, name: 'SERVICE_UNAVAILABLE' });
    const [once, again] = [await refundSale(), await refundSale()];
    expect(again.result.id).toBe(once.result.id);
    expect(fake.saleRefunds.filter((each) => each.sale_id === sale.id).map((each) => each.amount)).toEqual([
      { total: '1.00', currency: 'USD' },
    ]);
    expect(Date.parse(renewed.billing_info.next_billing_time)).toBeGreaterThan(Date.parse(active.billing_info.next_billing_time));

    fake.failRenewal(created.result.id);
    expect((await get()).result.billing_info.failed_payments_count).toBe(1);

    const cancel = {
      path: `/v1/billing/subscriptions/${created.result.id}/cancel`,
      verb: 'POST' as const,
      headers: json,
      body: { reason: 'No longer needed' },
    };
    expect((await client.execute(cancel)).statusCode).toBe(204);
    expect((await get()).result.status).toBe('CANCELLED');
    expect((await paypalError(client.execute(cancel))).issue).toBe('SUBSCRIPTION_STATUS_INVALID');

    const types = (
      await waitForWebhooks(
        (webhook) => webhook.event.resource.id === created.result.id || webhook.event.resource.billing_agreement_id === created.result.id,
        5,
      )
    ).map((webhook) => webhook.event.event_type);
    expect(types).toEqual(
      expect.arrayContaining([
        'BILLING.SUBSCRIPTION.ACTIVATED',
        'PAYMENT.SALE.COMPLETED',
        'BILLING.SUBSCRIPTION.PAYMENT.FAILED',
        'BILLING.SUBSCRIPTION.CANCELLED',
      ]),
    );
  });
});

describe('fake PayPal webhooks', () => {
  test('fake paypal: a capture sends PAYMENT.CAPTURE.COMPLETED that verifies against the certificate and with verify-webhook-signature', async () => {
    const orderId = await createOrder('12.34');
    const captured = await capture(orderId);
    const [webhook] = await waitForWebhooks(
      (w) => w.event.event_type === 'PAYMENT.CAPTURE.COMPLETED' && w.event.resource.id === captured.id,
    );
    if (!webhook) throw new Error('no webhook');
    expect(webhook.event.resource).toMatchObject({
      custom_id: captured.custom_id,
      amount: { value: '12.34' },
      supplementary_data: { related_ids: { order_id: orderId } },
    });
    expect(webhook.event).toMatchObject({ event_version: '1.0', resource_type: 'capture' });
    expect(webhook.event.id).toMatch(/^WH-/);
    expect(webhook.headers['paypal-cert-url']).toBe(fake.certUrl);
    expect(await verifyLocally(webhook.headers, webhook.body)).toBe(true);
    expect(await verifyWithPayPal(webhook.headers, webhook.body)).toBe('SUCCESS');
    const approved = await waitForWebhooks((w) => w.event.event_type === 'CHECKOUT.ORDER.APPROVED' && w.event.resource.id === orderId);
    expect(approved).toHaveLength(1);
  });

  test('fake paypal: refunds and a reversal send PAYMENT.CAPTURE.REFUNDED and PAYMENT.CAPTURE.REVERSED linked to the capture', async () => {
    const captured = await capture(await createOrder('8.00'));
    await client.execute(
      new paypal.payments.CapturesRefundRequest(captured.id).requestBody({ amount: { currency_code: 'USD', value: '3.00' } }),
    );
    fake.reverse(captured.id);
    const upLink = (w: Received) =>
      w.event.resource.links?.some((link: { rel: string; href: string }) => link.rel === 'up' && link.href.endsWith(captured.id));
    const [refunded] = await waitForWebhooks((w) => w.event.event_type === 'PAYMENT.CAPTURE.REFUNDED' && upLink(w));
    const [reversed] = await waitForWebhooks((w) => w.event.event_type === 'PAYMENT.CAPTURE.REVERSED' && upLink(w));
    expect(refunded?.event.resource.amount).toEqual({ currency_code: 'USD', value: '3.00' });
    expect(reversed?.event.resource.amount).toEqual({ currency_code: 'USD', value: '5.00' });
    expect((await client.execute(new paypal.payments.CapturesGetRequest(captured.id))).result.status).toBe('REFUNDED');
  });

  test('fake paypal: a forged signature, certificate URL or body fails both verifications', async () => {
    await capture(await createOrder('9.99'));
    // The genuine delivery of the capture first, so it cannot be taken for a forged one below.
    await fake.settled();
    const event = fake.lastEvent('PAYMENT.CAPTURE.COMPLETED');
    if (!event) throw new Error('no event');
    for (const forged of ['signature', 'cert-url', 'body'] as const) {
      const before = received.length;
      fake.send(event, { forged });
      await fake.settled();
      const webhook = received.slice(before).find((w) => w.event.id === event.id);
      if (!webhook) throw new Error(`forged ${forged} did not arrive`);
      expect(await verifyLocally(webhook.headers, webhook.body)).toBe(false);
      expect(await verifyWithPayPal(webhook.headers, webhook.body)).toBe('FAILURE');
    }
    // Why the certificate URL must be checked: the forger's own certificate does verify its signature.
    const before = received.length;
    fake.send(event, { forged: 'cert-url' });
    await fake.settled();
    const impostor = received.slice(before)[0];
    expect(impostor && (await verifyWithAnyCertificate(impostor.headers, impostor.body))).toBe(true);
  });

  test('fake paypal: a duplicated event arrives as many times as asked with one event id, each signed afresh', async () => {
    fake.auto = false;
    try {
      await capture(await createOrder('1.00'));
    } finally {
      fake.auto = true;
    }
    const event = fake.lastEvent('PAYMENT.CAPTURE.COMPLETED');
    if (!event) throw new Error('no event');
    fake.send(event, { times: 3 });
    const copies = await waitForWebhooks((w) => w.event.id === event.id, 3);
    expect(new Set(copies.map((copy) => copy.headers['paypal-transmission-id'])).size).toBe(3);
    for (const copy of copies) expect(await verifyLocally(copy.headers, copy.body)).toBe(true);
  });

  test('fake paypal: a delayed event arrives after the delay, and held events arrive on flush in reversed order', async () => {
    fake.auto = false;
    const orderId = await createOrder('2.00');
    fake.approve(orderId);
    await client.execute(new paypal.orders.OrdersCaptureRequest(orderId));
    fake.auto = true;
    const approved = fake.lastEvent('CHECKOUT.ORDER.APPROVED');
    const completed = fake.lastEvent('PAYMENT.CAPTURE.COMPLETED');
    if (!approved || !completed) throw new Error('no events');

    const sentAt = Date.now();
    fake.send(approved, { delayMs: 150 });
    await waitForWebhooks((w) => w.event.id === approved.id);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(140);

    fake.hold();
    fake.send(approved);
    fake.send(completed);
    await Bun.sleep(50);
    expect(received.filter((w) => w.event.id === completed.id)).toHaveLength(0);
    const before = received.length;
    await fake.flush('reversed');
    expect(received.slice(before).map((w) => w.event.event_type)).toEqual(['PAYMENT.CAPTURE.COMPLETED', 'CHECKOUT.ORDER.APPROVED']);
    expect(fake.deliveries.at(-1)).toMatchObject({ id: approved.id, status: 200 });
  });
});
