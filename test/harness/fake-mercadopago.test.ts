// The fake Mercado Pago is driven through the official SDK (mercadopago 3.6.1), pointed at it the way production
// code selects the endpoint: AppConfig.BASE_URL. Only authorized payments, which the SDK has no client for, are read
// with fetch. Webhooks are checked with the reference HMAC below and with the SDK's own WebhookSignatureValidator.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MercadoPagoConfig, Payment, PaymentRefund, PreApproval, Preference, WebhookSignatureValidator } from 'mercadopago';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FakeMercadoPago, pointMercadoPagoSdkAt, startFakeMercadoPago } from './fake-mercadopago.ts';

interface Received {
  url: URL;
  headers: Record<string, string>;
  body: { action: string; type: string; data: { id: string } };
}

const SECRET = 'fake-mp-webhook-secret';
const TOKEN = 'TEST-1234567890-fake';
let fake: FakeMercadoPago;
let receiver: ReturnType<typeof Bun.serve>;
let config: MercadoPagoConfig;
const received: Received[] = [];
let restoreBaseUrl: () => void;

beforeAll(() => {
  receiver = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      received.push({ url: new URL(request.url), headers: Object.fromEntries(request.headers), body: await request.json() });
      return new Response(null, { status: 200 });
    },
  });
  fake = startFakeMercadoPago({
    accessToken: TOKEN,
    webhookSecret: SECRET,
    notificationUrl: `http://127.0.0.1:${receiver.port}/webhooks/mp`,
  });
  restoreBaseUrl = pointMercadoPagoSdkAt(fake.url);
  config = new MercadoPagoConfig({ accessToken: TOKEN, options: { maxRetries: 0 } });
});

afterAll(() => {
  restoreBaseUrl();
  fake.close();
  receiver.stop(true);
});

/** The reference for a receiver's check: HMAC-SHA256 over `id:<data.id>;request-id:<x-request-id>;ts:<ts>;`. */
function verifySignature(webhook: Received, secret = SECRET): boolean {
  const parts = Object.fromEntries(
    (webhook.headers['x-signature'] ?? '').split(',').map((part) => part.trim().split('=') as [string, string]),
  );
  const manifest = `id:${(webhook.url.searchParams.get('data.id') ?? '').toLowerCase()};request-id:${webhook.headers['x-request-id']};ts:${parts.ts};`;
  const expected = createHmac('sha256', secret).update(manifest).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sdkAccepts(webhook: Received): boolean {
  try {
    WebhookSignatureValidator.validate({
      xSignature: webhook.headers['x-signature'],
      xRequestId: webhook.headers['x-request-id'],
      dataId: webhook.url.searchParams.get('data.id'),
      secret: SECRET,
      toleranceSeconds: 300,
    });
    return true;
  } catch {
    return false;
  }
}

async function waitForWebhooks(match: (webhook: Received) => boolean, count = 1): Promise<Received[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = received.filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} matching webhooks, got ${found.length}`);
    await Bun.sleep(10);
  }
}

async function createPreference(reference: string, unitPrice = 150): Promise<{ id: string; init_point: string }> {
  const preference = await new Preference(config).create({
    body: {
      items: [{ id: 'sku-1', title: 'Collar', quantity: 2, unit_price: unitPrice, currency_id: 'MXN' }],
      back_urls: {
        success: 'https://shop.example/mp/ok',
        failure: 'https://shop.example/mp/fail',
        pending: 'https://shop.example/mp/pending',
      },
      auto_return: 'approved',
      external_reference: reference,
      metadata: { orderId: reference },
    },
  });
  return { id: String(preference.id), init_point: String(preference.init_point) };
}

describe('fake Mercado Pago through the mercadopago SDK', () => {
  test('fake mercadopago: a call without the access token is refused with 401 in Mercado Pago’s error shape', async () => {
    const wrong = new MercadoPagoConfig({ accessToken: 'TEST-wrong', options: { maxRetries: 0 } });
    await expect(new Payment(wrong).get({ id: '1' })).rejects.toMatchObject({ status: 401, error: 'unauthorized' });
  });

  test('fake mercadopago: a preference paid by card is an approved payment the SDK fetches, with the back_url query', async () => {
    const preference = await createPreference('order-card');
    expect(preference.init_point).toBe(`${fake.url}/checkout/v1/redirect?pref_id=${preference.id}`);
    const page = await fetch(preference.init_point);
    expect(await page.text()).toContain('Pay with card');
    const paid = await fetch(`${fake.url}/checkout/v1/pay/card`, {
      method: 'POST',
      body: new URLSearchParams({ pref_id: preference.id }),
      redirect: 'manual',
    });
    const back = new URL(paid.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe('https://shop.example/mp/ok');
    expect(Object.fromEntries(back.searchParams)).toMatchObject({
      status: 'approved',
      collection_status: 'approved',
      external_reference: 'order-card',
      payment_type: 'credit_card',
      preference_id: preference.id,
      site_id: 'MLM',
    });
    const payment = await new Payment(config).get({ id: String(back.searchParams.get('payment_id')) });
    expect(payment).toMatchObject({
      status: 'approved',
      status_detail: 'accredited',
      transaction_amount: 300,
      currency_id: 'MXN',
      external_reference: 'order-card',
      payment_type_id: 'credit_card',
      metadata: { order_id: 'order-card' },
    });
    const search = await new Payment(config).search({ options: { external_reference: 'order-card' } });
    expect(search.results?.map((result) => result.id)).toEqual([payment.id]);
  });

  test('fake mercadopago: a cash payment is pending until paid at the store, then approved and notified', async () => {
    const preference = await createPreference('order-cash');
    const { redirect, paymentId } = fake.pay(preference.id, 'cash');
    expect(redirect).toContain('https://shop.example/mp/pending?');
    expect(await new Payment(config).get({ id: String(paymentId) })).toMatchObject({
      status: 'pending',
      status_detail: 'pending_waiting_payment',
      payment_type_id: 'ticket',
    });
    fake.completeCash(paymentId);
    expect((await new Payment(config).get({ id: String(paymentId) })).status).toBe('approved');
    const [updated] = await waitForWebhooks((w) => w.body.data.id === String(paymentId) && w.body.action === 'payment.updated');
    expect(updated?.url.searchParams.get('type')).toBe('payment');
  });

  test('fake mercadopago: a declined card is a rejected payment and returns to the failure back_url', async () => {
    const { redirect, paymentId } = fake.pay((await createPreference('order-declined')).id, 'declined');
    expect(redirect).toContain('https://shop.example/mp/fail?');
    expect(await new Payment(config).get({ id: String(paymentId) })).toMatchObject({
      status: 'rejected',
      status_detail: 'cc_rejected_insufficient_amount',
    });
  });

  test('fake mercadopago: a payment is refunded in part, then in full, and a further refund is refused', async () => {
    const { paymentId } = fake.pay((await createPreference('order-refund', 50)).id, 'card');
    const refunds = new PaymentRefund(config);
    await refunds.create({ payment_id: paymentId, body: { amount: 30 } });
    expect(await new Payment(config).get({ id: String(paymentId) })).toMatchObject({ status: 'approved', transaction_amount_refunded: 30 });
    await refunds.total({ payment_id: paymentId });
    expect(await new Payment(config).get({ id: String(paymentId) })).toMatchObject({
      status: 'refunded',
      transaction_amount_refunded: 100,
    });
    await expect(refunds.create({ payment_id: paymentId, body: { amount: 1 } })).rejects.toMatchObject({ status: 400 });
  });

  test('fake mercadopago: a preapproval is authorized by the buyer, charged monthly, and cancelled', async () => {
    const preapprovals = new PreApproval(config);
    const created = await preapprovals.create({
      body: {
        reason: 'PetAmigos Plus',
        external_reference: 'user-9',
        payer_email: 'test_user_9@testuser.com',
        back_url: 'https://shop.example/mp/sub',
        auto_recurring: { frequency: 1, frequency_type: 'months', transaction_amount: 99, currency_id: 'MXN' },
        status: 'pending',
      },
    });
    expect(created.status).toBe('pending');
    const authorized = await fetch(`${fake.url}/subscriptions/checkout/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ preapproval_id: String(created.id) }),
      redirect: 'manual',
    });
    expect(authorized.headers.get('location')).toBe(`https://shop.example/mp/sub?preapproval_id=${created.id}`);
    expect((await preapprovals.get({ id: String(created.id) })).status).toBe('authorized');

    const charge = fake.charge(String(created.id));
    const read = await (
      await fetch(`${fake.url}/authorized_payments/${charge.id}`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    ).json();
    expect(read).toMatchObject({
      preapproval_id: created.id,
      transaction_amount: 99,
      currency_id: 'MXN',
      status: 'processed',
      payment: { status: 'approved' },
    });
    expect((await new Payment(config).get({ id: String(read.payment.id) })).status).toBe('approved');
    await waitForWebhooks((w) => w.body.type === 'subscription_authorized_payment' && w.body.data.id === String(charge.id));
    expect(fake.failCharge(String(created.id))).toMatchObject({ status: 'recycling', payment: { status: 'rejected' } });

    await preapprovals.update({ id: String(created.id), body: { status: 'cancelled' } });
    expect((await preapprovals.search({ options: { external_reference: 'user-9' } })).results?.[0]?.status).toBe('cancelled');
  });

  test('fake mercadopago: the same X-Idempotency-Key creates one preference, not two', async () => {
    const body = { items: [{ id: 'x', title: 'Toy', quantity: 1, unit_price: 10, currency_id: 'MXN' }] };
    const first = await new Preference(config).create({ body, requestOptions: { idempotencyKey: 'pref-once' } });
    const second = await new Preference(config).create({ body, requestOptions: { idempotencyKey: 'pref-once' } });
    expect(second.id).toBe(first.id);
  });
});

describe('fake Mercado Pago webhooks', () => {
  test('fake mercadopago: a payment webhook carries data.id and type in the query and an x-signature that verifies', async () => {
    const { paymentId } = fake.pay((await createPreference('order-signed')).id, 'card');
    const [created] = await waitForWebhooks((w) => w.body.data.id === String(paymentId));
    if (!created) throw new Error('no webhook');
    expect(created.url.searchParams.get('data.id')).toBe(String(paymentId));
    expect(created.body).toMatchObject({ action: 'payment.created', api_version: 'v1', type: 'payment', live_mode: false });
    expect(created.headers['x-signature']).toMatch(/^ts=\d{10},v1=[0-9a-f]{64}$/);
    expect(verifySignature(created)).toBe(true);
    expect(sdkAccepts(created)).toBe(true);
    expect(verifySignature(created, 'another-secret')).toBe(false);
  });

  test('fake mercadopago: forged signatures and altered ids fail verification; duplicates, delays and held order arrive as asked', async () => {
    fake.auto = false;
    const { paymentId } = fake.pay((await createPreference('order-forged')).id, 'card');
    fake.chargeback(paymentId);
    fake.auto = true;
    const created = fake.lastNotification('payment', String(paymentId));
    const notifications = fake.notifications.filter((n) => n.data.id === String(paymentId));
    if (!created || notifications.length !== 2) throw new Error('expected created and updated notifications');
    for (const forged of ['signature', 'body'] as const) {
      const before = received.length;
      fake.send(created, { forged });
      await fake.settled();
      const webhook = received.slice(before)[0];
      if (!webhook) throw new Error('forged webhook did not arrive');
      expect(verifySignature(webhook)).toBe(false);
      expect(sdkAccepts(webhook)).toBe(false);
    }
    fake.send(created, { times: 2, delayMs: 100 });
    const copies = await waitForWebhooks((w) => w.body.data.id === String(paymentId) && verifySignature(w), 2);
    expect(new Set(copies.map((copy) => copy.headers['x-request-id'])).size).toBe(2);

    fake.hold();
    for (const notification of notifications) fake.send(notification);
    const before = received.length;
    await fake.flush('reversed');
    expect(received.slice(before).map((w) => w.body.action)).toEqual(['payment.updated', 'payment.created']);
    expect((await new Payment(config).get({ id: String(paymentId) })).status).toBe('charged_back');
  });

  test('fake mercadopago: a tampered payment reports a different amount than its preference', async () => {
    const { paymentId } = fake.pay((await createPreference('order-tampered', 100)).id, 'card');
    fake.tamper(paymentId, { amount: 1, currency: 'USD' });
    expect(await new Payment(config).get({ id: String(paymentId) })).toMatchObject({ transaction_amount: 1, currency_id: 'USD' });
  });
});
