// Buying treats with Mercado Pago on a real node against the local fake Mercado Pago (its real
// REST API and signed notifications, test/harness/fake-mercadopago.ts), through the production
// client code: card paid at once, cash paid at a store later, a declined card, a tampered amount,
// refunds and a chargeback, forged notifications, and the buyer's own call racing the webhook.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TREAT_PACKS } from '../../protocol/lists.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { type FakeMercadoPago, startFakeMercadoPago } from '../../test/harness/fake-mercadopago.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';
import { createLogger } from '../platform/log.ts';
import { MercadoPagoGateway } from './mercadopago.ts';

const credentials = { accessToken: 'TEST-petamigos-access-token', webhookSecret: 'petamigos-webhook-secret' };
let mp: FakeMercadoPago;
let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
beforeAll(async () => {
  mp = startFakeMercadoPago(credentials);
  // Mercado Pago notifies <APP_URL>/webhooks/mercadopago: the node's own address here, so a port chosen first.
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = String(probe.port);
  probe.stop(true);
  env = await startAccountsEnv('payments-mercadopago', {
    PORT: port,
    APP_URL: `http://127.0.0.1:${port}`,
    MERCADOPAGO_ACCESS_TOKEN: credentials.accessToken,
    MERCADOPAGO_WEBHOOK_SECRET: credentials.webhookSecret,
    MERCADOPAGO_API_URL: mp.url,
  });
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
  mp.close();
});

const preferenceOf = (approveUrl: string | null) => new URL(approveUrl ?? 'http://none').searchParams.get('pref_id') as string;
const buy = (member: Member, packId: keyof typeof TREAT_PACKS = 'treats_550') =>
  member.call('payments.checkout', { packId, method: 'mercadopago', currency: 'MXN' });
const status = async (member: Member, paymentId: string) => (await member.call('payments.get', { paymentId })).status;

describe('Mercado Pago signatures', () => {
  test('payments (mercadopago): x-signature holds for a day from its ts, in seconds or milliseconds; older, ahead of the clock by more than 5 minutes, or not a time, it is refused', () => {
    const gateway = new MercadoPagoGateway(
      { apiUrl: mp.url, ...credentials },
      createLogger({ level: 'silent', format: 'json', nodeId: 'test' }),
    );
    const now = Date.UTC(2026, 11, 7, 12);
    const headersAt = (ts: string, secret = credentials.webhookSecret) => {
      const v1 = new Bun.CryptoHasher('sha256', secret).update(`id:123;request-id:req-1;ts:${ts};`).digest('hex');
      return new Headers({ 'x-request-id': 'req-1', 'x-signature': `ts=${ts},v1=${v1}` });
    };
    const seconds = (offsetMs: number) => String(Math.floor((now + offsetMs) / 1000));
    expect(gateway.signed(headersAt(seconds(0)), '123', now)).toBe(true);
    expect(gateway.signed(headersAt(String(now - 60_000)), '123', now)).toBe(true);
    expect(gateway.signed(headersAt(seconds(-23 * 3600_000)), '123', now)).toBe(true);
    expect(gateway.signed(headersAt(seconds(4 * 60_000)), '123', now)).toBe(true);
    expect(gateway.signed(headersAt(seconds(-25 * 3600_000)), '123', now)).toBe(false);
    expect(gateway.signed(headersAt(seconds(10 * 60_000)), '123', now)).toBe(false);
    expect(gateway.signed(headersAt(`${seconds(0)}.5`), '123', now)).toBe(false);
    expect(gateway.signed(headersAt(seconds(0), 'another-secret'), '123', now)).toBe(false);
  });
});

describe('payments with Mercado Pago', () => {
  test('payments (mercadopago): a card payment is settled by the signed notification (the payment fetched from the API), once; the buyer coming back finds it completed', async () => {
    const ana = await pool.member();
    expect((await ana.call('payments.options', {})).methods).toEqual(['mercadopago']);
    const payment = await buy(ana);
    expect(payment).toMatchObject({ method: 'mercadopago', status: 'created', amountMinor: 9900, currency: 'MXN' });
    const paid = mp.pay(preferenceOf(payment.approveUrl), 'card');
    expect(paid.redirect).toContain(`/payments/${payment.id}/return`);
    await mp.settled();
    expect(await status(ana, payment.id)).toBe('completed');
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 550, earned: 0 });
    expect((await ana.call('payments.capture', { paymentId: payment.id })).status).toBe('completed');
    // Delivered twice more: nothing more.
    const notification = mp.lastNotification('payment', String(paid.paymentId));
    if (notification === undefined) throw new Error('no notification');
    mp.send(notification, { times: 2 });
    await mp.settled();
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 550, earned: 0 });
    expect(mp.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
  });

  test('payments (mercadopago): without any notification, the buyer coming back settles it from the API; cash waits until paid at the store; a declined card fails', async () => {
    const bruno = await pool.member();
    mp.auto = false;
    try {
      const card = await buy(bruno, 'treats_100');
      mp.pay(preferenceOf(card.approveUrl), 'card');
      expect((await bruno.call('payments.capture', { paymentId: card.id })).status).toBe('completed');
      expect((await bruno.call('treats.balance', {})).wallet).toBe(100);

      const cash = await buy(bruno, 'treats_550');
      const ticket = mp.pay(preferenceOf(cash.approveUrl), 'cash');
      expect((await bruno.call('payments.capture', { paymentId: cash.id })).status).toBe('created');
      expect((await bruno.call('treats.balance', {})).wallet).toBe(100);
      mp.auto = true;
      // Paid at the store days later: the notification completes it.
      mp.completeCash(ticket.paymentId);
      await mp.settled();
      expect(await status(bruno, cash.id)).toBe('completed');
      expect((await bruno.call('treats.balance', {})).wallet).toBe(650);

      const declined = await buy(bruno, 'treats_100');
      mp.pay(preferenceOf(declined.approveUrl), 'declined');
      await mp.settled();
      expect(await status(bruno, declined.id)).toBe('failed');
      expect((await bruno.call('treats.balance', {})).wallet).toBe(650);
    } finally {
      mp.auto = true;
    }
  });

  test('payments (mercadopago): a declined card fails the payment, and a second card approved on the same checkout still completes it', async () => {
    const ivan = await pool.member();
    const payment = await buy(ivan, 'treats_100');
    const preference = preferenceOf(payment.approveUrl);
    mp.pay(preference, 'declined');
    await mp.settled();
    expect(await status(ivan, payment.id)).toBe('failed');
    mp.pay(preference, 'card');
    await mp.settled();
    expect(await status(ivan, payment.id)).toBe('completed');
    expect((await ivan.call('treats.balance', {})).wallet).toBe(100);
  });

  test('payments (mercadopago): a payment reporting another amount is FRAUD_SUSPECTED and credits nothing', async () => {
    const carla = await pool.member();
    mp.auto = false;
    try {
      const payment = await buy(carla, 'treats_1200');
      const paid = mp.pay(preferenceOf(payment.approveUrl), 'card');
      mp.tamper(paid.paymentId, { amount: 19 });
      expect((await carla.call('payments.capture', { paymentId: payment.id })).status).toBe('fraud_suspected');
      expect(await carla.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
    } finally {
      mp.auto = true;
    }
  });

  test('payments (mercadopago): forged notifications (wrong key, changed data.id, a genuine signature 25 hours old, no signature) are refused with WEBHOOK_NOT_VERIFIED and change nothing', async () => {
    const dora = await pool.member();
    mp.auto = false;
    let paymentId: number;
    let ours: string;
    try {
      const payment = await buy(dora, 'treats_100');
      ours = payment.id;
      paymentId = mp.pay(preferenceOf(payment.approveUrl), 'card').paymentId;
    } finally {
      mp.auto = true;
    }
    const notification = mp.lastNotification('payment', String(paymentId));
    if (notification === undefined) throw new Error('no notification');
    for (const forged of ['signature', 'body', 'stale'] as const) {
      const before = mp.deliveries.length;
      mp.send(notification, { forged });
      await mp.settled();
      expect(mp.deliveries.slice(before).map((each) => each.status)).toEqual([400]);
    }
    const bare = await fetch(`${env.node.url}/webhooks/mercadopago?data.id=${paymentId}&type=payment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'payment', data: { id: String(paymentId) } }),
    });
    expect([bare.status, ((await bare.json()) as { error: { code: string } }).error.code]).toEqual([400, 'WEBHOOK_NOT_VERIFIED']);
    expect(await status(dora, ours)).toBe('created');
    expect((await dora.call('treats.balance', {})).wallet).toBe(0);
  });

  test('payments (mercadopago): a partial refund takes back treats in proportion, the rest makes it refunded; a chargeback reverses another', async () => {
    const eve = await pool.member();
    const payment = await buy(eve, 'treats_550');
    const paid = mp.pay(preferenceOf(payment.approveUrl), 'card');
    await mp.settled();
    const refund = async (amount?: number) => {
      const answer = await fetch(`${mp.url}/v1/payments/${paid.paymentId}/refunds`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${credentials.accessToken}`,
          'content-type': 'application/json',
          'x-idempotency-key': crypto.randomUUID(),
        },
        body: JSON.stringify(amount === undefined ? {} : { amount }),
      });
      expect(answer.status).toBe(201);
      await mp.settled();
    };
    await refund(49.5);
    expect(await eve.call('payments.get', { paymentId: payment.id })).toMatchObject({ status: 'completed', refundedMinor: 4950 });
    expect((await eve.call('treats.balance', {})).wallet).toBe(275);
    await refund();
    expect(await eve.call('payments.get', { paymentId: payment.id })).toMatchObject({ status: 'refunded', refundedMinor: 9900 });
    expect((await eve.call('treats.balance', {})).wallet).toBe(0);

    const other = await buy(eve, 'treats_100');
    const second = mp.pay(preferenceOf(other.approveUrl), 'card');
    await mp.settled();
    mp.chargeback(second.paymentId);
    await mp.settled();
    expect(await eve.call('payments.get', { paymentId: other.id })).toMatchObject({ status: 'reversed', refundedMinor: 1900 });
    expect((await eve.call('treats.balance', {})).wallet).toBe(0);
  });
});
