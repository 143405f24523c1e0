// Buying treats with PayPal on a real node against the local fake PayPal (its real REST API and
// signed webhooks, test/harness/fake-paypal.ts), through the production client code: checkout,
// approval, capture and the webhook, each settling the payment once whichever comes first; a
// tampered amount; forged, replayed and duplicated webhooks; and what an attacker with a normal
// account tries (someone else's payment, a price of their own, extra fields).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PAYMENT_LIMITS, type TREAT_PACKS } from '../../protocol/lists.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { type FakePayPal, startFakePayPal } from '../../test/harness/fake-paypal.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';
import { rowsOf } from '../platform/db/rows.ts';

const credentials = { clientId: 'petamigos-test-app', clientSecret: 'petamigos-test-secret', webhookId: '8PT597110X687430LKGECATA' };
let paypal: FakePayPal;
let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
beforeAll(async () => {
  paypal = startFakePayPal(credentials);
  env = await startAccountsEnv('payments-paypal', {
    PAYPAL_CLIENT_ID: credentials.clientId,
    PAYPAL_CLIENT_SECRET: credentials.clientSecret,
    PAYPAL_WEBHOOK_ID: credentials.webhookId,
    PAYPAL_API_URL: paypal.url,
  });
  paypal.setWebhookUrl(`${env.node.url}/webhooks/paypal`);
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
  paypal.close();
});

const db = () => env.node.platform.database.db;
const orderIdOf = (approveUrl: string | null) => new URL(approveUrl ?? 'http://none').searchParams.get('token') as string;
const audit = async (paymentId: string) =>
  rowsOf<{ type: string; from_status: string | null; to_status: string; source: string }>(
    await db().execute(sql`select type, from_status, to_status, source from transactions where payment_id = ${paymentId} order by id`),
  ).map((row) => [row.type, row.from_status, row.to_status, row.source]);
const buy = async (member: Member, packId: keyof typeof TREAT_PACKS = 'treats_550', currency: 'USD' | 'MXN' = 'USD') =>
  member.call('payments.checkout', { packId, method: 'paypal', currency });

describe('payments with PayPal', () => {
  test('payments (paypal): checkout makes an order of the pack’s price; after approval the capture completes it once, credits its treats and tells the buyer live; the webhook that follows changes nothing', async () => {
    const ana = await pool.member();
    expect((await ana.call('payments.options', {})).methods).toEqual(['paypal']);
    const payment = await buy(ana, 'treats_550', 'MXN');
    expect(payment).toMatchObject({ status: 'created', amountMinor: 9900, currency: 'MXN', treats: 550, method: 'paypal' });
    const orderId = orderIdOf(payment.approveUrl);
    const order = paypal.orders.find((each) => each.id === orderId) as { purchase_units: { amount: unknown; custom_id: string }[] };
    expect(order.purchase_units[0]).toMatchObject({ amount: { currency_code: 'MXN', value: '99.00' }, custom_id: payment.id });

    expect((await ana.refused('payments.capture', { paymentId: payment.id })).code).toBe('PAYMENT_NOT_APPROVED');
    expect(paypal.approve(orderId)).toContain(`/payments/${payment.id}/return`);
    const [first, second] = await Promise.all([
      ana.call('payments.capture', { paymentId: payment.id }),
      ana.call('payments.capture', { paymentId: payment.id }),
    ]);
    expect([first.status, second.status]).toEqual(['completed', 'completed']);
    expect(first.approveUrl).toBeNull();
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 550, earned: 0 });
    expect((await ana.event('payments.changed')).payment).toMatchObject({ id: payment.id, status: 'completed' });
    expect(await ana.event('treats.changed')).toMatchObject({ wallet: 550, kind: 'purchase' });
    await paypal.settled();
    const delivered = paypal.deliveries.filter((each) => each.kind === 'PAYMENT.CAPTURE.COMPLETED');
    expect(delivered.map((each) => each.status)).toEqual([200]);
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 550, earned: 0 });
    // Settled once, by whichever came first: the buyer's capture or PayPal's webhook.
    const trail = await audit(payment.id);
    expect(trail.map((row) => row.slice(0, 3))).toEqual([
      ['created', null, 'created'],
      ['captured', 'created', 'completed'],
    ]);
    expect(['api', 'webhook']).toContain(trail[1]?.[3]);
    expect((await ana.call('payments.list', {})).items.map((each) => [each.id, each.status])).toEqual([[payment.id, 'completed']]);
  });

  test('payments (paypal): a buyer who never comes back is settled by the verified webhook, once, also when PayPal delivers it three times', async () => {
    const bruno = await pool.member();
    const payment = await buy(bruno, 'treats_100');
    const orderId = orderIdOf(payment.approveUrl);
    paypal.approve(orderId);
    // PayPal captures on its side (as an order with intent CAPTURE does when another client captures it).
    paypal.hold();
    const captured = await asPayPalApp(`/v2/checkout/orders/${orderId}/capture`, '{}');
    expect(captured.status).toBe(201);
    const event = paypal.lastEvent('PAYMENT.CAPTURE.COMPLETED');
    if (event === undefined) throw new Error('no capture event');
    paypal.send(event, { times: 3 });
    await paypal.flush();
    await paypal.settled();
    await expect.poll(async () => (await bruno.call('payments.get', { paymentId: payment.id })).status).toBe('completed');
    expect(await bruno.call('treats.balance', {})).toEqual({ wallet: 100, earned: 0 });
    expect(await audit(payment.id)).toEqual([
      ['created', null, 'created', 'api'],
      ['captured', 'created', 'completed', 'webhook'],
    ]);
    // The buyer comes back afterwards: answered as it stands.
    expect((await bruno.call('payments.capture', { paymentId: payment.id })).status).toBe('completed');
    expect(await bruno.call('treats.balance', {})).toEqual({ wallet: 100, earned: 0 });
  });

  test('payments (paypal): an event whose body is written with escapes and spaces (the same JSON, other bytes) is verified with PayPal as received and settles the payment', async () => {
    const carla = await pool.member();
    const payment = await buy(carla, 'treats_100');
    const orderId = orderIdOf(payment.approveUrl);
    paypal.approve(orderId);
    paypal.hold();
    expect((await asPayPalApp(`/v2/checkout/orders/${orderId}/capture`, '{}')).status).toBe(201);
    const event = paypal.lastEvent('PAYMENT.CAPTURE.COMPLETED');
    if (event === undefined) throw new Error('no capture event');
    paypal.send({ ...event, summary: `${event.summary} — pagó Ñandú 🐾` }, { layout: 'escaped' });
    await paypal.flush();
    await paypal.settled();
    const delivered = paypal.deliveries.at(-1);
    expect(delivered?.status).toBe(200);
    // Re-serialising what was delivered gives other bytes: only the text as received verifies.
    expect(JSON.stringify(JSON.parse(delivered?.body ?? '{}'))).not.toBe(delivered?.body);
    await expect.poll(async () => (await carla.call('payments.get', { paymentId: payment.id })).status).toBe('completed');
    expect(await carla.call('treats.balance', {})).toEqual({ wallet: 100, earned: 0 });
  });

  test('payments (paypal): a capture reporting another amount or currency is FRAUD_SUSPECTED and credits nothing', async () => {
    const carla = await pool.member();
    const cheap = await buy(carla, 'treats_1200');
    paypal.approve(orderIdOf(cheap.approveUrl));
    paypal.tamper(orderIdOf(cheap.approveUrl), { amount: '0.99' });
    expect((await carla.call('payments.capture', { paymentId: cheap.id })).status).toBe('fraud_suspected');
    const other = await buy(carla, 'treats_100', 'USD');
    paypal.approve(orderIdOf(other.approveUrl));
    paypal.tamper(orderIdOf(other.approveUrl), { currency: 'MXN' });
    expect((await carla.call('payments.capture', { paymentId: other.id })).status).toBe('fraud_suspected');
    await paypal.settled();
    expect(await carla.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
    expect((await audit(cheap.id)).map((row) => row.slice(0, 3))).toEqual([
      ['created', null, 'created'],
      ['fraud_suspected', 'created', 'fraud_suspected'],
    ]);
  });

  test('payments (paypal): forged webhooks (signature, certificate, body) are refused with WEBHOOK_NOT_VERIFIED and change nothing; a replayed event id changes nothing', async () => {
    const dora = await pool.member();
    const payment = await buy(dora, 'treats_100');
    const orderId = orderIdOf(payment.approveUrl);
    paypal.approve(orderId);
    paypal.hold();
    await asPayPalApp(`/v2/checkout/orders/${orderId}/capture`, '{}');
    const event = paypal.lastEvent('PAYMENT.CAPTURE.COMPLETED');
    if (event === undefined) throw new Error('no capture event');
    await paypal.flush();
    await paypal.settled();
    for (const forged of ['signature', 'cert-url', 'body'] as const) {
      const before = paypal.deliveries.length;
      paypal.send(event, { forged });
      await paypal.settled();
      expect(paypal.deliveries.slice(before).map((each) => each.status)).toEqual([400]);
    }
    // Not even a forged one that arrives first does anything: the payment was settled by the genuine one only.
    expect((await dora.call('payments.get', { paymentId: payment.id })).status).toBe('completed');
    // No headers at all.
    const bare = await fetch(`${env.node.url}/webhooks/paypal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect([bare.status, ((await bare.json()) as { error: { code: string } }).error.code]).toEqual([400, 'WEBHOOK_NOT_VERIFIED']);
    const replay = paypal.deliveries.find((each) => each.kind === 'PAYMENT.CAPTURE.COMPLETED' && each.status === 200);
    if (replay === undefined) throw new Error('no genuine delivery');
    const again = await fetch(replay.url, { method: 'POST', headers: replay.headers, body: replay.body });
    expect(await again.json()).toEqual({ outcome: 'duplicate' });
    expect(await dora.call('treats.balance', {})).toEqual({ wallet: 100, earned: 0 });
  });

  test('payments (paypal): someone else’s payment is NOT_FOUND; a price, an unknown pack or extra fields are INVALID_BODY; an unoffered method is PAYMENT_METHOD_UNAVAILABLE; waiting payments are capped', async () => {
    const [eve, frank] = [await pool.member(), await pool.member()];
    const payment = await buy(frank);
    expect((await eve.refused('payments.get', { paymentId: payment.id })).code).toBe('NOT_FOUND');
    expect((await eve.refused('payments.capture', { paymentId: payment.id })).code).toBe('NOT_FOUND');
    expect((await eve.call('payments.list', {})).items).toEqual([]);
    for (const body of [
      { packId: 'treats_550', method: 'paypal', currency: 'USD', amountMinor: 1 },
      { packId: 'treats_999999', method: 'paypal', currency: 'USD' },
      { packId: 'treats_550', method: 'paypal', currency: 'EUR' },
      { packId: 'treats_550', method: 'bitcoin', currency: 'USD' },
      { packId: 'treats_550', method: 'paypal' },
    ])
      expect((await eve.refused('payments.checkout', body)).code).toBe('INVALID_BODY');
    expect(await eve.refused('payments.checkout', { packId: 'treats_550', method: 'mercadopago', currency: 'MXN' })).toMatchObject({
      code: 'PAYMENT_METHOD_UNAVAILABLE',
      details: { method: 'mercadopago' },
    });
    for (let i = 0; i < PAYMENT_LIMITS.pending; i++) await buy(eve, 'treats_100');
    expect(await eve.refused('payments.checkout', { packId: 'treats_100', method: 'paypal', currency: 'USD' })).toMatchObject({
      code: 'TOO_MANY_PENDING',
      details: { limit: PAYMENT_LIMITS.pending },
    });
    expect((await eve.call('payments.list', {})).items).toHaveLength(PAYMENT_LIMITS.pending);
  });
});

describe('reconciling with PayPal', () => {
  test('payments (paypal): a round of reconciliation captures an order the buyer approved but never came back from (its webhook lost too), once; an order never approved is left, and failed once it lapses', async () => {
    const gus = await pool.member();
    const approved = await buy(gus, 'treats_100');
    const abandoned = await buy(gus, 'treats_550');
    paypal.approve(orderIdOf(approved.approveUrl));
    paypal.auto = false;
    const reconciler = env.node.payments.reconciler;
    try {
      // Fifteen minutes later: the buyer may no longer be at PayPal's page.
      const later = Date.now() + 16 * 60_000;
      // Two rounds at once (as on two nodes whose claims overlapped): settled once all the same.
      await Promise.all([reconciler.round(undefined, later), reconciler.round(undefined, later)]);
      expect(await gus.call('payments.get', { paymentId: approved.id })).toMatchObject({ status: 'completed' });
      expect(await gus.call('treats.balance', {})).toEqual({ wallet: 100, earned: 0 });
      expect(await audit(approved.id)).toEqual([
        ['created', null, 'created', 'api'],
        ['captured', 'created', 'completed', 'job'],
      ]);
      expect((await gus.call('payments.get', { paymentId: abandoned.id })).status).toBe('created');
      // Three days on, the approval link has lapsed: failed, and said so.
      await reconciler.round(undefined, Date.now() + 3 * 86_400_000 + 60_000);
      expect((await gus.call('payments.get', { paymentId: abandoned.id })).status).toBe('failed');
      expect((await audit(abandoned.id)).at(-1)).toEqual(['lapsed', 'created', 'failed', 'job']);
      expect(await gus.call('treats.balance', {})).toEqual({ wallet: 100, earned: 0 });
    } finally {
      paypal.auto = true;
    }
  });
});

describe('refunds and chargebacks from PayPal', () => {
  /** A completed purchase of 550 treats (USD 4.99) and its capture id at PayPal. */
  const bought = async (member: Member) => {
    const payment = await buy(member, 'treats_550');
    paypal.approve(orderIdOf(payment.approveUrl));
    expect((await member.call('payments.capture', { paymentId: payment.id })).status).toBe('completed');
    const capture = paypal.captures.find((each) => (each as { custom_id?: string }).custom_id === payment.id) as { id: string };
    return { payment, captureId: capture.id };
  };
  const refund = async (captureId: string, value?: string) => {
    const answer = await asPayPalApp(
      `/v2/payments/captures/${captureId}/refund`,
      JSON.stringify(value === undefined ? {} : { amount: { value, currency_code: 'USD' } }),
    );
    expect(answer.status).toBe(201);
    await paypal.settled();
  };

  test('payments (paypal): a partial refund takes back treats in proportion; the rest of it makes the payment refunded and takes back all of them; the same event again takes nothing', async () => {
    const ana = await pool.member();
    const { payment, captureId } = await bought(ana);
    await refund(captureId, '2.50');
    expect(await ana.call('payments.get', { paymentId: payment.id })).toMatchObject({ status: 'completed', refundedMinor: 250 });
    // 550 × 250 / 499 = 275.5…: 275 back.
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 275, earned: 0 });
    const event = paypal.lastEvent('PAYMENT.CAPTURE.REFUNDED');
    if (event === undefined) throw new Error('no refund event');
    await refund(captureId);
    expect(await ana.call('payments.get', { paymentId: payment.id })).toMatchObject({ status: 'refunded', refundedMinor: 499 });
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
    paypal.send(event, { times: 2 });
    await paypal.settled();
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
    expect((await ana.call('treats.history', {})).items.map((item) => [item.kind, item.amount])).toEqual([
      ['reversal', -275],
      ['reversal', -275],
      ['purchase', 550],
    ]);
    expect((await audit(payment.id)).map((row) => row[0])).toEqual(['created', 'captured', 'refunded', 'refunded']);
  });

  test('payments (paypal): a refund delivered before the capture it undoes is answered 503 and not recorded; delivered again after the capture settled, it takes the treats back', async () => {
    const hal = await pool.member();
    const payment = await buy(hal, 'treats_550');
    const orderId = orderIdOf(payment.approveUrl);
    paypal.approve(orderId);
    paypal.hold();
    await asPayPalApp(`/v2/checkout/orders/${orderId}/capture`, '{}');
    const capture = paypal.captures.find((each) => (each as { custom_id?: string }).custom_id === payment.id) as { id: string };
    await asPayPalApp(`/v2/payments/captures/${capture.id}/refund`, '{}');
    const before = paypal.deliveries.length;
    // Newest first: the refund arrives before the capture.
    await paypal.flush('reversed');
    await paypal.settled();
    expect(
      paypal.deliveries
        .slice(before)
        .filter((each) => each.kind.startsWith('PAYMENT.CAPTURE.'))
        .map((each) => [each.kind, each.status]),
    ).toEqual([
      ['PAYMENT.CAPTURE.REFUNDED', 503],
      ['PAYMENT.CAPTURE.COMPLETED', 200],
    ]);
    expect(await hal.call('treats.balance', {})).toEqual({ wallet: 550, earned: 0 });
    const refund = paypal.lastEvent('PAYMENT.CAPTURE.REFUNDED');
    if (refund === undefined) throw new Error('no refund event');
    paypal.send(refund);
    await paypal.settled();
    expect(await hal.call('payments.get', { paymentId: payment.id })).toMatchObject({ status: 'refunded' });
    expect(await hal.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
  });

  test('payments (paypal): a chargeback after most treats were spent takes back what the wallet holds, never below zero, and records the rest as unrecovered', async () => {
    const [bruno, carla] = [await pool.member(), await pool.member()];
    const { payment, captureId } = await bought(bruno);
    const postId = (await carla.call('posts.create', { text: 'Kira', visibility: 'public' })).id;
    await bruno.call('treats.tip', { postId, treats: 500, clientId: crypto.randomUUID() });
    paypal.reverse(captureId);
    await paypal.settled();
    expect(await bruno.call('payments.get', { paymentId: payment.id })).toMatchObject({ status: 'reversed', refundedMinor: 499 });
    expect(await bruno.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
    // What Carla earned stays hers.
    expect(await carla.call('treats.balance', {})).toEqual({ wallet: 0, earned: 350 });
    const [row] = rowsOf<{ detail: { treatsTakenBack: number; treatsUnrecovered: number } }>(
      await db().execute(sql`select detail from transactions where payment_id = ${payment.id} and type = 'reversed'`),
    );
    expect(row?.detail).toMatchObject({ treatsTakenBack: 50, treatsUnrecovered: 500 });
  });
});

/** A POST to the fake PayPal's API as the app itself (what PayPal does on its side: a capture elsewhere, a refund). */
async function asPayPalApp(path: string, body: string): Promise<Response> {
  return fetch(`${paypal.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
    body,
  });
}

/** A token of the app's own, for acting as another PayPal client in the fake. */
async function token(): Promise<string> {
  const answer = await fetch(`${paypal.url}/v1/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}
