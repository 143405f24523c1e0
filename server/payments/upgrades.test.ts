// Changing to a higher plan on a real node against the fake PayPal and the fake Mercado Pago: the
// unused part of the old plan's month (its price × time left ÷ the month's length, rounded down)
// is refunded at the provider that took it, once, with the new plan kept; SPEI's is recorded as
// owed for staff; a provider down is retried by the reconciliation rounds as the same refund; a
// last day gives back little, a partly refunded month no more than is left; two upgrades racing
// give back once. The old plan's period is moved in the database, as time passing would.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PLANS } from '../../protocol/lists.ts';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from '../../test/harness/accounts.ts';
import type { FakeMercadoPago } from '../../test/harness/fake-mercadopago.ts';
import type { FakePayPal } from '../../test/harness/fake-paypal.ts';
import { type Providers, speiSignature, startProviders } from '../../test/harness/providers.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';
import { rowsOf } from '../platform/db/rows.ts';

let providers: Providers;
let paypal: FakePayPal;
let mp: FakeMercadoPago;
let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
let admin: RegisteredUser;
beforeAll(async () => {
  providers = startProviders();
  ({ paypal, mp } = providers);
  env = await startAccountsEnv('payments-upgrades', providers.env);
  pool = memberPool(env);
  admin = await env.register();
  await env.setRole(admin.id, 'admin');
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
  providers.close();
});

const db = () => env.node.platform.database.db;
const DAY = 86_400_000;
const BASIC = PLANS.basic.prices.MXN;
const isActive = (id: string) => (body: Record<string, unknown>) =>
  (body.subscription as { id: string; status: string }).id === id && (body.subscription as { status: string }).status === 'active';

/** Moves a subscription's period so that `usedDays` of it are gone and `leftDays` remain, as time passing would. */
const periodAt = async (subscriptionId: string, usedDays: number, leftDays: number) => {
  await db().execute(
    sql`update subscriptions set current_period_start = now() - make_interval(secs => ${(usedDays * DAY) / 1000}),
        current_period_end = now() + make_interval(secs => ${(leftDays * DAY) / 1000}) where id = ${subscriptionId}`,
  );
};
const speiReceived = async (clabe: string, amount: string) => {
  const raw = JSON.stringify({
    id: `evt_${crypto.randomUUID()}`,
    type: 'spei.received',
    data: { clabe, amount, currency: 'MXN', tracking_key: `STP${Date.now()}${Math.floor(Math.random() * 1000)}` },
  });
  const answer = await fetch(`${env.node.url}/webhooks/spei`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': speiSignature(raw) },
    body: raw,
  });
  expect(answer.status).toBe(200);
};
/** A SPEI checkout of `plan` and its transfer's instructions (not paid yet). */
const speiCheckout = async (member: Member, plan: 'basic' | 'premium' | 'pro') => {
  const { subscription, payment } = await member.call('subscriptions.checkout', { plan, method: 'spei', currency: 'MXN' });
  return { subscription, pay: () => speiReceived(payment?.spei?.clabe ?? '', (PLANS[plan].prices.MXN / 100).toFixed(2)) };
};
/** A live subscription paid by SPEI (the upgrade of these tests; its payment answers once the change's refund was tried). */
const subscribeBySpei = async (member: Member, plan: 'basic' | 'premium' | 'pro') => {
  const { subscription, pay } = await speiCheckout(member, plan);
  await pay();
  await member.event('subscriptions.changed', isActive(subscription.id));
  return subscription;
};
/** Basic paid by PayPal (a subscription's first sale), in pesos: the subscription and its month's payment. */
const basicByPayPal = async (member: Member) => {
  const { subscription } = await member.call('subscriptions.checkout', { plan: 'basic', method: 'paypal', currency: 'MXN' });
  paypal.approveSubscription(new URL(subscription.approveUrl ?? 'http://none').searchParams.get('subscription_id') as string);
  await member.event('subscriptions.changed', isActive(subscription.id));
  await paypal.settled();
  return { subscription, month: await monthOf(subscription.id) };
};
const monthOf = async (subscriptionId: string) => {
  const [row] = rowsOf<{ id: string; external_id: string; capture_id: string }>(
    await db().execute(
      sql`select id, external_id, capture_id from payments where subscription_id = ${subscriptionId} and status <> 'created'`,
    ),
  );
  if (row === undefined) throw new Error('no month paid');
  return row;
};
const refundsOfSale = (saleId: string) =>
  paypal.saleRefunds.filter((each) => each.sale_id === saleId).map((each) => (each.amount as { total: string }).total);
const prorationOf = async (subscriptionId: string) =>
  rowsOf<{ status: string; amount_minor: string; attempts: number; payment_id: string; replaced_by: string }>(
    await db().execute(
      sql`select status, amount_minor, attempts, payment_id, replaced_by from prorations where subscription_id = ${subscriptionId}`,
    ),
  );
const trailOf = async (paymentId: string) =>
  rowsOf<{ type: string; source: string; amount_minor: string | null; detail: Record<string, unknown> }>(
    await db().execute(sql`select type, source, amount_minor, detail from transactions where payment_id = ${paymentId} order by id`),
  );
const paymentSeen = async (member: Member, paymentId: string) =>
  (await member.call('payments.list', {})).items.find((each) => each.id === paymentId);
const cents = (total: string | undefined) => Math.round(Number(total) * 100);
/** Half of Basic's month, less the seconds between moving the period and the upgrade. */
const aboutHalf = (amount: number) => {
  expect(amount).toBeGreaterThanOrEqual(BASIC / 2 - 10);
  expect(amount).toBeLessThanOrEqual(BASIC / 2);
};

describe('changing to a higher plan', () => {
  test('upgrades (paypal): half-way through a PayPal month of Basic, Pro paid: about half of the month refunded at PayPal (its sale, once), audited with the figures as the system’s; Pro stays; the history shows it; PayPal’s own refund webhook changes nothing more', async () => {
    const ana = await pool.member();
    const { subscription: basic, month } = await basicByPayPal(ana);
    await periodAt(basic.id, 15, 15);
    const pro = await subscribeBySpei(ana, 'pro');

    const refunded = refundsOfSale(month.external_id);
    expect(refunded).toHaveLength(1);
    aboutHalf(cents(refunded[0]));
    const [proration] = await prorationOf(basic.id);
    expect(proration).toMatchObject({ status: 'refunded', payment_id: month.id, replaced_by: pro.id });
    expect(Number(proration?.amount_minor)).toBe(cents(refunded[0]));
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'pro', subscription: { id: pro.id, status: 'active' } });

    const trail = await trailOf(month.id);
    const computed = trail.find((row) => row.type === 'proration');
    expect(computed).toMatchObject({ source: 'proration', amount_minor: proration?.amount_minor });
    expect(Number(computed?.detail.fraction)).toBeCloseTo(0.5, 3);
    expect(computed?.detail).toMatchObject({ by: pro.id, plan: 'basic', paidMinor: BASIC, refundedBeforeMinor: 0 });
    expect(Date.parse(String(computed?.detail.periodEnd)) - Date.parse(String(computed?.detail.periodStart))).toBeCloseTo(30 * DAY, -4);
    expect(trail.filter((row) => row.type === 'refunded' && row.source === 'proration')).toHaveLength(1);
    expect(trail.some((row) => row.source === 'admin')).toBe(false);

    await paypal.settled();
    expect(paypal.deliveries.filter((each) => each.kind === 'PAYMENT.SALE.REFUNDED').every((each) => each.status === 200)).toBe(true);
    const seen = await paymentSeen(ana, month.id);
    expect(seen).toMatchObject({
      status: 'completed',
      plan: 'basic',
      refundedMinor: Number(proration?.amount_minor),
      proration: { amountMinor: Number(proration?.amount_minor), status: 'refunded' },
    });
    expect((await ana.call('payments.get', { paymentId: month.id })).proration).toEqual(seen?.proration);
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'pro' });
  });

  test('upgrades (mercadopago): half-way through a Mercado Pago month of Basic, Pro paid: about half refunded at Mercado Pago, once, though its first answer was lost (asked again with the same key); Pro stays', async () => {
    const ana = await pool.member();
    const { subscription } = await ana.call('subscriptions.checkout', { plan: 'basic', method: 'mercadopago', currency: 'MXN' });
    const preapprovalId = new URL(subscription.approveUrl ?? 'http://none').searchParams.get('preapproval_id') as string;
    mp.authorizePreapproval(preapprovalId);
    mp.charge(preapprovalId);
    await ana.event('subscriptions.changed', isActive(subscription.id));
    await mp.settled();
    const month = await monthOf(subscription.id);
    await periodAt(subscription.id, 15, 15);
    // The refund is made but its answer lost: the SDK asks again with the same key, the same refund.
    mp.outage(/^\/v1\/payments\/\d+\/refunds\/?$/, 1, 'after');
    const pro = await subscribeBySpei(ana, 'pro');
    await mp.settled();

    const charged = mp.payments.find((each) => String(each.id) === month.capture_id) as {
      refunds: { amount: number }[];
      transaction_amount_refunded: number;
    };
    expect(charged.refunds).toHaveLength(1);
    const amount = Math.round((charged.refunds[0]?.amount ?? 0) * 100);
    aboutHalf(amount);
    expect(await prorationOf(subscription.id)).toEqual([expect.objectContaining({ status: 'refunded', amount_minor: String(amount) })]);
    expect(await paymentSeen(ana, month.id)).toMatchObject({
      status: 'completed',
      refundedMinor: amount,
      proration: { amountMinor: amount, status: 'refunded' },
    });
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'pro', subscription: { id: pro.id } });
  });

  test('upgrades (spei): a SPEI month cannot be refunded by us: the unused part is recorded as owed (nobody called), listed for staff by /admin/payments?proration=owed, and settled when an admin records the transfer back', async () => {
    const asAdmin = { token: admin.tokens.accessToken };
    const ana = await pool.member();
    const basic = await subscribeBySpei(ana, 'basic');
    const month = await monthOf(basic.id);
    await periodAt(basic.id, 15, 15);
    const [saleRefunds, failed] = [paypal.saleRefunds.length, mp.payments.flatMap((each) => each.refunds as unknown[]).length];
    await subscribeBySpei(ana, 'pro');
    expect([paypal.saleRefunds.length, mp.payments.flatMap((each) => each.refunds as unknown[]).length]).toEqual([saleRefunds, failed]);

    const [owed] = await prorationOf(basic.id);
    expect(owed?.status).toBe('owed');
    const amount = Number(owed?.amount_minor);
    aboutHalf(amount);
    expect((await trailOf(month.id)).find((row) => row.type === 'proration_owed')).toMatchObject({
      source: 'proration',
      amount_minor: String(amount),
    });
    expect(await paymentSeen(ana, month.id)).toMatchObject({ refundedMinor: 0, proration: { amountMinor: amount, status: 'owed' } });
    const listed = await env
      .client()
      .request<{ items: { id: string; userId: string; proration: unknown }[] }>('GET', '/admin/payments?proration=owed', asAdmin);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: month.id, userId: ana.id, proration: { amountMinor: amount, status: 'owed' } }),
    );
    const asAna = { token: ana.user.tokens.accessToken };
    expect((await env.client().request('GET', '/admin/payments?proration=owed', asAna)).status).toBe(403);

    const sent = await env
      .client()
      .request<{ payment: { refundedMinor: number; status: string } }>('POST', `/admin/payments/${month.id}/refund`, {
        ...asAdmin,
        body: { amountMinor: amount, reason: 'unused part of Basic sent back by transfer' },
      });
    expect([sent.status, sent.body.payment.status, sent.body.payment.refundedMinor]).toEqual([200, 'completed', amount]);
    expect((await prorationOf(basic.id))[0]?.status).toBe('refunded');
    const after = await env.client().request<{ items: { id: string }[] }>('GET', '/admin/payments?proration=owed', asAdmin);
    expect(after.body.items.map((each) => each.id)).not.toContain(month.id);
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'pro' });
  });

  test('upgrades (paypal down): the refund fails before PayPal does it, then its answer is lost after it did; the reconciliation rounds (two at once) retry it as the same request: exactly one refund at PayPal, applied once', async () => {
    const ana = await pool.member();
    const { subscription: basic, month } = await basicByPayPal(ana);
    await periodAt(basic.id, 10, 20);
    paypal.outage(/^\/v1\/payments\/sale\/[^/]+\/refund$/, 1, 'before');
    paypal.outage(/^\/v1\/payments\/sale\/[^/]+\/refund$/, 1, 'after');
    await subscribeBySpei(ana, 'premium');
    expect(refundsOfSale(month.external_id)).toEqual([]);
    expect(await prorationOf(basic.id)).toEqual([expect.objectContaining({ status: 'pending', attempts: 1 })]);
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'premium' });
    // Not due yet: a round leaves it.
    expect((await env.node.payments.reconciler.round()).prorated).toBe(0);

    const due = () =>
      db().execute(sql`update prorations set next_attempt_at = now() - interval '1 second' where subscription_id = ${basic.id}`);
    await due();
    expect((await env.node.payments.reconciler.round()).prorated).toBe(0);
    // PayPal made that refund, but its answer never came back.
    expect(refundsOfSale(month.external_id)).toHaveLength(1);
    expect(await prorationOf(basic.id)).toEqual([expect.objectContaining({ status: 'pending', attempts: 2 })]);

    await due();
    const rounds = await Promise.all([env.node.payments.reconciler.round(), env.node.payments.reconciler.round()]);
    expect(rounds.map((each) => each.prorated).sort()).toEqual([0, 1]);
    const refunded = refundsOfSale(month.external_id);
    expect(refunded).toHaveLength(1);
    const amount = cents(refunded[0]);
    expect(amount).toBeGreaterThanOrEqual(Math.floor((BASIC * 2) / 3) - 10);
    expect(amount).toBeLessThanOrEqual(Math.floor((BASIC * 2) / 3));
    await paypal.settled();
    expect(await prorationOf(basic.id)).toEqual([expect.objectContaining({ status: 'refunded', amount_minor: String(amount) })]);
    expect(await paymentSeen(ana, month.id)).toMatchObject({ refundedMinor: amount, proration: { status: 'refunded' } });
    expect((await trailOf(month.id)).filter((row) => row.type === 'refunded' && row.source === 'proration')).toHaveLength(1);
  });

  test('upgrades (paypal down): staff refunding all of the old month before the retry leaves nothing to give: the retry closes it without asking PayPal', async () => {
    const asAdmin = { token: admin.tokens.accessToken };
    const ana = await pool.member();
    const { subscription: basic, month } = await basicByPayPal(ana);
    await periodAt(basic.id, 15, 15);
    paypal.outage(/^\/v1\/payments\/sale\/[^/]+\/refund$/, 1, 'before');
    await subscribeBySpei(ana, 'pro');
    expect(await prorationOf(basic.id)).toEqual([expect.objectContaining({ status: 'pending' })]);
    const all = await env.client().request('POST', `/admin/payments/${month.id}/refund`, { ...asAdmin, body: { reason: 'all back' } });
    expect(all.status).toBe(200);
    await db().execute(sql`update prorations set next_attempt_at = now() - interval '1 second' where subscription_id = ${basic.id}`);
    expect((await env.node.payments.reconciler.round()).prorated).toBe(1);
    expect(refundsOfSale(month.external_id).map(cents)).toEqual([BASIC]);
    expect(await prorationOf(basic.id)).toEqual([expect.objectContaining({ status: 'refunded' })]);
    expect(await paymentSeen(ana, month.id)).toMatchObject({ status: 'refunded', refundedMinor: BASIC });
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'pro' });
  });

  test('upgrades: on the last day of the month little is refunded; a month partly refunded by staff gives back no more than is left; one refunded in full (the plan ended) gives back nothing', async () => {
    const asAdmin = { token: admin.tokens.accessToken };
    const ana = await pool.member();
    const last = await basicByPayPal(ana);
    await periodAt(last.subscription.id, 29.5, 0.5);
    await subscribeBySpei(ana, 'premium');
    const little = refundsOfSale(last.month.external_id).map(cents);
    expect(little).toHaveLength(1);
    expect(little[0]).toBeGreaterThan(0);
    expect(little[0]).toBeLessThanOrEqual(Math.floor(BASIC / 60));
    expect(little[0]).toBeGreaterThanOrEqual(Math.floor(BASIC / 60) - 2);

    const bruno = await pool.member();
    const part = await basicByPayPal(bruno);
    const refund = (body: Record<string, unknown>) =>
      env.client().request('POST', `/admin/payments/${part.month.id}/refund`, { ...asAdmin, body });
    expect((await refund({ amountMinor: BASIC - 300, reason: 'outage most of the month' })).status).toBe(200);
    await periodAt(part.subscription.id, 15, 15);
    await subscribeBySpei(bruno, 'pro');
    expect(refundsOfSale(part.month.external_id).map(cents)).toEqual([BASIC - 300, 300]);
    expect(await paymentSeen(bruno, part.month.id)).toMatchObject({ status: 'refunded', refundedMinor: BASIC });
    expect(await bruno.call('subscriptions.mine', {})).toMatchObject({ plan: 'pro' });

    const carla = await pool.member();
    const full = await basicByPayPal(carla);
    await periodAt(full.subscription.id, 15, 15);
    const all = await env.client().request('POST', `/admin/payments/${full.month.id}/refund`, { ...asAdmin, body: { reason: 'all back' } });
    expect(all.status).toBe(200);
    await subscribeBySpei(carla, 'pro');
    expect(refundsOfSale(full.month.external_id).map(cents)).toEqual([BASIC]);
    expect(await prorationOf(full.subscription.id)).toEqual([]);
    expect(await carla.call('subscriptions.mine', {})).toMatchObject({ plan: 'pro' });
  });

  test('upgrades (abuse): two upgrades paid at once give back the old month’s unused part once; the plan paid last holds, and the one it replaced (unused) is owed back too', async () => {
    const ana = await pool.member();
    const { subscription: basic, month } = await basicByPayPal(ana);
    await periodAt(basic.id, 15, 15);
    const premium = await speiCheckout(ana, 'premium');
    const pro = await speiCheckout(ana, 'pro');
    await Promise.all([premium.pay(), pro.pay()]);

    expect(refundsOfSale(month.external_id)).toHaveLength(1);
    expect(await prorationOf(basic.id)).toEqual([expect.objectContaining({ status: 'refunded' })]);
    const mine = await ana.call('subscriptions.mine', {});
    const loser = mine.subscription?.id === pro.subscription.id ? premium.subscription.id : pro.subscription.id;
    expect([premium.subscription.id, pro.subscription.id]).toContain(mine.subscription?.id);
    // The other new one was live a moment: nearly all of its month is owed back (SPEI).
    const [owed] = await prorationOf(loser);
    expect(owed?.status).toBe('owed');
    const counts = rowsOf<{ count: number }>(
      await db().execute(sql`select count(*)::int as count from prorations where user_id = ${ana.id}`),
    );
    expect(counts[0]?.count).toBe(2);
  });
});
