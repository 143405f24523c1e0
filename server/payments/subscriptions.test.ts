// Subscriptions on a real node against the local fake PayPal and fake Mercado Pago (their real
// REST APIs and signed webhooks) and SPEI's signed notices: subscribing to a plan with each
// method, the first month and the renewals arriving as webhooks (each month's money recorded
// once), the entitlements that follow live, cancelling at the end of the period, the daily job's
// past due, grace, expiry and SPEI reminders, a change of plan, a refund that ends the plan; and
// what a normal account tries against someone else's subscription.
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
  env = await startAccountsEnv('payments-subscriptions', providers.env);
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
const renewals = () => env.node.payments.renewals;
const DAY = 86_400_000;
const monthAfter = (iso: string | null) => {
  const date = new Date(iso ?? 0);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date.toISOString();
};
const subscriptionAudit = async (subscriptionId: string) =>
  rowsOf<{ type: string; to_status: string; source: string }>(
    await db().execute(sql`select type, to_status, source from transactions where subscription_id = ${subscriptionId} order by id`),
  )
    .map((row) => `${row.type}:${row.to_status}:${row.source}`)
    // The lines of the month's payments themselves (made, then settled) are the payments' own.
    .filter((line) => !line.startsWith('created:created:'));
/** Moves a subscription's period to end `days` from now (negative: in the past), as time passing would. */
const endPeriodIn = async (subscriptionId: string, days: number) => {
  await db().execute(
    sql`update subscriptions set current_period_end = now() + make_interval(secs => ${(days * DAY) / 1000}) where id = ${subscriptionId}`,
  );
};
const speiReceived = async (clabe: string, amount: string) => {
  const raw = JSON.stringify({
    id: `evt_${crypto.randomUUID()}`,
    type: 'spei.received',
    data: { clabe, amount, currency: 'MXN', tracking_key: `STP${Date.now()}` },
  });
  const answer = await fetch(`${env.node.url}/webhooks/spei`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': speiSignature(raw) },
    body: raw,
  });
  expect(answer.status).toBe(200);
};
/** A live subscription paid by SPEI: checkout, then the first transfer received. */
const subscribeBySpei = async (member: Member, plan: 'basic' | 'premium' | 'pro') => {
  const { subscription, payment } = await member.call('subscriptions.checkout', { plan, method: 'spei', currency: 'MXN' });
  await speiReceived(payment?.spei?.clabe ?? '', (PLANS[plan].prices.MXN / 100).toFixed(2));
  await member.event('subscriptions.changed', (body) => (body.subscription as { id: string }).id === subscription.id);
  return { subscription, payment };
};

describe('subscriptions', () => {
  test('subscriptions: the four plans with their prices in minor units and their entitlements; a new account is on free and may claim the free allowance once a month', async () => {
    const ana = await pool.member();
    const { plans, methods, mine } = await ana.call('subscriptions.plans', {});
    expect(plans.map((plan) => [plan.id, plan.prices.USD, plan.prices.MXN])).toEqual([
      ['free', 0, 0],
      ['basic', 499, 9900],
      ['premium', 999, 19900],
      ['pro', 1999, 39900],
    ]);
    expect(plans.find((plan) => plan.id === 'pro')?.entitlements).toContain('apiTokens');
    expect(methods).toEqual(['paypal', 'mercadopago', 'spei']);
    expect(mine).toEqual({ plan: 'free', entitlements: [], monthlyTreats: 50, subscription: null });
    const month = new Date().toISOString().slice(0, 7);
    expect(await ana.call('treats.allowance', {})).toEqual({ month, plan: 'free', monthly: 50, claimed: 0, available: 50 });
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
    const [first, again] = await Promise.all([ana.call('treats.claimAllowance', {}), ana.call('treats.claimAllowance', {})]);
    expect([first.wallet, again.wallet]).toEqual([50, 50]);
    expect(first.allowance).toEqual({ month, plan: 'free', monthly: 50, claimed: 50, available: 0 });
    expect(await ana.event('treats.changed')).toMatchObject({ wallet: 50, kind: 'allowance' });
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 50, earned: 0 });
  });

  test('subscriptions (paypal): a PayPal subscription to the plan’s billing plan (made once); approving it pays the first month by webhook: active for a month, Premium live, the allowance doubled; a renewal moves it a month on; webhooks seen twice change nothing; cancelling stops PayPal and keeps the plan to the period’s end', async () => {
    const ana = await pool.member();
    await ana.call('treats.claimAllowance', {});
    const { subscription, payment } = await ana.call('subscriptions.checkout', { plan: 'premium', method: 'paypal', currency: 'USD' });
    expect(payment).toBeNull();
    expect(subscription).toMatchObject({ plan: 'premium', status: 'pending', amountMinor: 999, currency: 'USD', currentPeriodEnd: null });
    const externalId = new URL(subscription.approveUrl ?? 'http://none').searchParams.get('subscription_id') as string;
    // Not approved yet: sync finds nothing paid.
    expect((await ana.call('subscriptions.sync', { subscriptionId: subscription.id })).status).toBe('pending');

    paypal.approveSubscription(externalId);
    const changed = await ana.event('subscriptions.changed', (body) => (body.subscription as { status: string }).status === 'active');
    expect(changed).toMatchObject({ plan: 'premium', monthlyTreats: 100, entitlements: [...PLANS.premium.entitlements] });
    await paypal.settled();
    const active = await ana.call('subscriptions.sync', { subscriptionId: subscription.id });
    expect(active).toMatchObject({ status: 'active', cancelAtPeriodEnd: false, approveUrl: null });
    expect(active.currentPeriodEnd).toBe(monthAfter(active.currentPeriodStart));
    // The month's money is one payment, whichever of the webhooks and the sync saw it first.
    const billed = (await ana.call('payments.list', {})).items;
    expect(billed.map((each) => [each.plan, each.status, each.amountMinor, each.treats])).toEqual([['premium', 'completed', 999, 0]]);
    // Premium's allowance: the free part already claimed this month, the rest claimable now.
    expect(await ana.call('treats.allowance', {})).toMatchObject({ plan: 'premium', monthly: 100, claimed: 50, available: 50 });
    expect((await ana.call('treats.claimAllowance', {})).wallet).toBe(100);

    paypal.renew(externalId);
    await paypal.settled();
    const renewed = (await ana.call('subscriptions.mine', {})).subscription;
    expect(renewed?.currentPeriodEnd).toBe(monthAfter(active.currentPeriodEnd));
    expect((await ana.call('payments.list', {})).items).toHaveLength(2);

    // Every delivery again: nothing more is recorded.
    for (const event of paypal.events.filter((each) => each.event_type === 'PAYMENT.SALE.COMPLETED')) paypal.send(event);
    await paypal.settled();
    expect((await ana.call('payments.list', {})).items).toHaveLength(2);

    const cancelled = await ana.call('subscriptions.cancel', { subscriptionId: subscription.id });
    expect(cancelled).toMatchObject({ status: 'active', cancelAtPeriodEnd: true, holdsUntil: renewed?.currentPeriodEnd });
    await paypal.settled();
    expect(paypal.lastEvent('BILLING.SUBSCRIPTION.CANCELLED')?.resource).toMatchObject({ id: externalId, status: 'CANCELLED' });
    expect((await ana.call('subscriptions.mine', {})).plan).toBe('premium');
    expect(await subscriptionAudit(subscription.id)).toEqual([
      'subscribed:pending:api',
      expect.stringMatching(/^period_paid:active:(webhook|api)$/),
      expect.stringMatching(/^period_paid:active:(webhook|api)$/),
      'cancelled:active:api',
    ]);
    // The plan is made at PayPal once per plan, currency and price.
    const bruno = await pool.member();
    await bruno.call('subscriptions.checkout', { plan: 'premium', method: 'paypal', currency: 'USD' });
    const plansMade = rowsOf<{ count: number }>(
      await db().execute(sql`select count(*)::int as count from provider_plans where plan = 'premium' and currency = 'USD'`),
    );
    expect(plansMade[0]?.count).toBe(1);
  });

  test('subscriptions (mercadopago): a preapproval the buyer authorizes; each monthly charge, notified and fetched from the API, pays a month of Basic', async () => {
    const ana = await pool.member();
    const { subscription } = await ana.call('subscriptions.checkout', { plan: 'basic', method: 'mercadopago', currency: 'MXN' });
    expect(subscription).toMatchObject({ status: 'pending', amountMinor: 9900 });
    const preapprovalId = new URL(subscription.approveUrl ?? 'http://none').searchParams.get('preapproval_id') as string;
    mp.authorizePreapproval(preapprovalId);
    mp.charge(preapprovalId);
    const changed = await ana.event('subscriptions.changed', (body) => (body.subscription as { status: string }).status === 'active');
    expect(changed).toMatchObject({ plan: 'basic', entitlements: ['adFree'] });
    await mp.settled();
    mp.charge(preapprovalId);
    await mp.settled();
    const mine = await ana.call('subscriptions.sync', { subscriptionId: subscription.id });
    expect(mine.currentPeriodEnd).toBe(monthAfter(mine.currentPeriodStart));
    const billed = (await ana.call('payments.list', {})).items;
    expect(billed.map((each) => [each.method, each.plan, each.status, each.amountMinor])).toEqual([
      ['mercadopago', 'basic', 'completed', 9900],
      ['mercadopago', 'basic', 'completed', 9900],
    ]);
    // Cancelled: Mercado Pago stops charging; Basic holds to the period's end.
    await ana.call('subscriptions.cancel', { subscriptionId: subscription.id });
    expect((await ana.call('subscriptions.mine', {})).plan).toBe('basic');
  });

  test('subscriptions (spei): the first transfer makes it active; the daily job sends the next month’s instructions once before the period ends, moves an unpaid one past due (the plan holds through the grace), then expires it back to free', async () => {
    const ana = await pool.member();
    expect((await ana.refused('subscriptions.checkout', { plan: 'pro', method: 'spei', currency: 'USD' })).code).toBe('INVALID_INPUT');
    const { subscription, payment } = await subscribeBySpei(ana, 'pro');
    expect(payment).toMatchObject({ method: 'spei', status: 'created', plan: 'pro', packId: null, amountMinor: 39900 });
    expect((await ana.call('subscriptions.mine', {})).plan).toBe('pro');

    await endPeriodIn(subscription.id, 4);
    expect((await renewals().round()).reminded).toBeGreaterThanOrEqual(1);
    const reminder = await ana.event('payments.changed', (body) => (body.payment as { status: string }).status === 'created');
    expect(reminder.payment).toMatchObject({ plan: 'pro', subscriptionId: subscription.id, amountMinor: 39900 });
    // Its instructions stand as long as the plan holds: the period's 4 days and the grace.
    const stands = (Date.parse((reminder.payment as { spei: { expiresAt: string } }).spei.expiresAt) - Date.now()) / DAY;
    expect(stands).toBeGreaterThan(6.9);
    expect(stands).toBeLessThanOrEqual(7);
    await renewals().round();
    const open = (await ana.call('payments.list', {})).items.filter((each) => each.status === 'created');
    expect(open).toHaveLength(1);

    await endPeriodIn(subscription.id, -1);
    await renewals().round();
    const pastDue = await ana.call('subscriptions.mine', {});
    expect(pastDue).toMatchObject({ plan: 'pro', subscription: { status: 'past_due' } });
    await endPeriodIn(subscription.id, -4);
    await renewals().round();
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'free', subscription: null });
    expect(await subscriptionAudit(subscription.id)).toEqual([
      'subscribed:pending:api',
      'period_paid:active:webhook',
      'renewal_unpaid:past_due:job',
      'expired_unpaid:expired:job',
    ]);
    // The reminder's transfer comes late after all: the plan is back, from now.
    await speiReceived(open[0]?.spei?.clabe ?? '', '399.00');
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'pro', subscription: { status: 'active' } });
  });

  test('subscriptions: cancelled, it ends at the period’s end without grace; a higher plan replaces the live one once paid; a lower or the same plan is ALREADY_SUBSCRIBED', async () => {
    const ana = await pool.member();
    const basic = await subscribeBySpei(ana, 'basic');
    expect((await ana.refused('subscriptions.checkout', { plan: 'basic', method: 'spei', currency: 'MXN' })).code).toBe(
      'ALREADY_SUBSCRIBED',
    );
    const premium = await subscribeBySpei(ana, 'premium');
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'premium', subscription: { id: premium.subscription.id } });
    expect(await subscriptionAudit(basic.subscription.id)).toContain('replaced:replaced:webhook');
    expect((await ana.refused('subscriptions.checkout', { plan: 'basic', method: 'spei', currency: 'MXN' })).details).toEqual({
      plan: 'premium',
    });

    await ana.call('subscriptions.cancel', { subscriptionId: premium.subscription.id });
    expect((await ana.call('subscriptions.cancel', { subscriptionId: premium.subscription.id })).cancelAtPeriodEnd).toBe(true);
    await endPeriodIn(premium.subscription.id, 2);
    await renewals().round();
    expect((await ana.call('payments.list', {})).items.filter((each) => each.status === 'created')).toEqual([]);
    await endPeriodIn(premium.subscription.id, -0.01);
    // Ended by the clock at once (no grace), before the job records it.
    expect((await ana.call('subscriptions.mine', {})).plan).toBe('free');
    await renewals().round();
    expect((await subscriptionAudit(premium.subscription.id)).at(-1)).toBe('ended_cancelled:canceled:job');
  });

  test('subscriptions: all of a month’s money given back ends the plan at once and stops the provider', async () => {
    const ana = await pool.member();
    const { subscription, payment } = await subscribeBySpei(ana, 'premium');
    await env.node.payments.settlement.giveBack(payment?.id ?? '', {
      refundId: 'refund-1',
      refundMinor: 19900,
      totalMinor: 19900,
      currency: 'MXN',
      reversed: false,
      source: 'admin',
      webhook: undefined,
    });
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'free', subscription: null });
    expect((await subscriptionAudit(subscription.id)).at(-1)).toBe('ended_by_refund:canceled:admin');
  });

  test('subscriptions (admin): refunding all of a PayPal month through PayPal ends the plan at once (PayPal’s own refund webhook changes nothing more), audited with the admin and reason; part of a SPEI month keeps the plan; a plan’s subscribers are listed; a normal account gets FORBIDDEN', async () => {
    const asAdmin = { token: admin.tokens.accessToken };
    const ana = await pool.member();
    const { subscription } = await ana.call('subscriptions.checkout', { plan: 'pro', method: 'paypal', currency: 'MXN' });
    paypal.approveSubscription(new URL(subscription.approveUrl ?? 'http://none').searchParams.get('subscription_id') as string);
    await ana.event('subscriptions.changed', (body) => (body.subscription as { status: string }).status === 'active');
    await paypal.settled();
    const [month] = (await ana.call('payments.list', {})).items;
    const listed = await env
      .client()
      .request<{ items: { id: string; userId: string; username: string; status: string }[] }>(
        'GET',
        '/admin/subscriptions?plan=pro&status=active',
        asAdmin,
      );
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: subscription.id, userId: ana.id, username: ana.user.username, status: 'active' }),
    );

    const asAna = { token: ana.user.tokens.accessToken };
    for (const [method, path, body] of [
      ['GET', '/admin/subscriptions', undefined],
      ['POST', `/admin/payments/${month?.id}/refund`, { reason: 'asked nicely' }],
    ] as const) {
      const refused = await env
        .client()
        .request<{ error: { code: string } }>(method, path, { ...asAna, ...(body === undefined ? {} : { body }) });
      expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    const tooMuch = await env.client().request('POST', `/admin/payments/${month?.id}/refund`, {
      ...asAdmin,
      body: { amountMinor: 39901, reason: 'more than paid' },
    });
    expect(tooMuch.status).toBe(400);
    const refunded = await env
      .client()
      .request<{ payment: { status: string; refundedMinor: number } }>('POST', `/admin/payments/${month?.id}/refund`, {
        ...asAdmin,
        body: { reason: 'charged twice by mistake' },
      });
    expect([refunded.status, refunded.body.payment.status, refunded.body.payment.refundedMinor]).toEqual([200, 'refunded', 39900]);
    await paypal.settled();
    expect(paypal.deliveries.filter((each) => each.kind === 'PAYMENT.SALE.REFUNDED').map((each) => each.status)).toEqual([200]);
    expect(await ana.call('subscriptions.mine', {})).toMatchObject({ plan: 'free', subscription: null });
    expect(paypal.lastEvent('BILLING.SUBSCRIPTION.CANCELLED')?.resource).toMatchObject({ custom_id: subscription.id });
    const trail = rowsOf<{ type: string; source: string; detail: Record<string, string> }>(
      await db().execute(sql`select type, source, detail from transactions where payment_id = ${month?.id ?? ''} order by id`),
    );
    expect(trail.find((row) => row.type === 'refunded' && row.source === 'admin')?.detail).toMatchObject({
      by: admin.id,
      reason: 'charged twice by mistake',
    });
    expect(trail.map((row) => row.type)).toContain('ended_by_refund');

    const bruno = await pool.member();
    const spei = await subscribeBySpei(bruno, 'basic');
    const part = await env
      .client()
      .request<{ payment: { status: string; refundedMinor: number } }>('POST', `/admin/payments/${spei.payment?.id}/refund`, {
        ...asAdmin,
        body: { amountMinor: 3300, reason: 'ten days of outage' },
      });
    expect([part.body.payment.status, part.body.payment.refundedMinor]).toEqual(['completed', 3300]);
    expect((await bruno.call('subscriptions.mine', {})).plan).toBe('basic');
  });

  test('subscriptions: a normal account cannot sync or cancel someone else’s subscription, nor send extra fields or a price', async () => {
    const [ana, eve] = [await pool.member(), await pool.member()];
    const { subscription } = await ana.call('subscriptions.checkout', { plan: 'pro', method: 'spei', currency: 'MXN' });
    expect((await eve.refused('subscriptions.sync', { subscriptionId: subscription.id })).code).toBe('NOT_FOUND');
    expect((await eve.refused('subscriptions.cancel', { subscriptionId: subscription.id })).code).toBe('NOT_FOUND');
    expect((await eve.refused('subscriptions.checkout', { plan: 'pro', method: 'spei', currency: 'MXN', amountMinor: 1 })).code).toBe(
      'INVALID_BODY',
    );
    expect((await eve.refused('subscriptions.checkout', { plan: 'free', method: 'spei', currency: 'MXN' })).code).toBe('INVALID_BODY');
    expect((await eve.refused('subscriptions.sync', { subscriptionId: subscription.id, status: 'active' })).code).toBe('INVALID_BODY');
    expect((await ana.call('subscriptions.mine', {})).subscription).toMatchObject({ id: subscription.id, status: 'pending' });
  });
});
