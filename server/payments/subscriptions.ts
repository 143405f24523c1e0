// Subscriptions as the subscriber's calls see them. A checkout makes the subscription (pending)
// and, by method: a PayPal subscription to the billing plan of that plan and currency (made once
// at PayPal, remembered in provider_plans), a Mercado Pago preapproval, or the first SPEI
// transfer's payment. The providers charge each month themselves and say so by webhook; `sync`
// (the buyer back from the provider, a webhook, the daily job) asks the provider what was paid and
// records each month's money as a payment (settlement.ts), whose completion moves the period on
// (periods.ts). Cancelling stops the provider's charges at once and keeps the plan to the end of
// the period paid for. A subscription replaced by a higher plan is cancelled at its provider and the
// unused part of its month refunded (proration.ts), both after the commit.
import type { Static } from '@sinclair/typebox';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { subscriptionCalls } from '../../protocol/calls/subscriptions.ts';
import { PAYMENT_LIMITS, PLAN_IDS, PLANS, SUBSCRIPTION_LIMITS } from '../../protocol/lists.ts';
import type { RateLimiter } from '../accounts/rate-limits.ts';
import { users } from '../accounts/schema.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import type { TopicLog } from '../platform/topics/index.ts';
import { audit, type Source } from './audit.ts';
import type { Entitlements } from './entitlements.ts';
import { AlreadySubscribedError, MethodUnavailableError, ProviderError, TooManyPendingError } from './errors.ts';
import type { MercadoPagoGateway } from './mercadopago.ts';
import { offeredMethods, type SpeiSettings, speiInstructions } from './payments.ts';
import type { PayPalGateway } from './paypal.ts';
import { holdsUntil, LIVE, type PeriodPaid, type SubscriptionRow } from './periods.ts';
import type { Prorations } from './proration.ts';
import type { ReminderMail } from './reminder-mail.ts';
import { type PaidPlanId, type PaymentMethod, payments, providerPlans, subscriptions } from './schema.ts';
import type { Settlement } from './settlement.ts';
import { applyMercadoPago } from './webhooks.ts';

type Request<N extends keyof typeof subscriptionCalls> = Static<(typeof subscriptionCalls)[N]['request']>;
type Response<N extends keyof typeof subscriptionCalls> = Static<(typeof subscriptionCalls)[N]['response']>;
export type SubscriptionView = Static<(typeof subscriptionCalls)['subscriptions.sync']['response']>;

const rank = (plan: string) => PLAN_IDS.indexOf(plan as (typeof PLAN_IDS)[number]);
const planName = (plan: PaidPlanId) => `PetAmigos ${plan[0]?.toUpperCase()}${plan.slice(1)}`;
/** How far back a sync looks for a PayPal subscription's payments: its first month, or the last two. */
const LOOK_BACK_MS = 62 * 86_400_000;

export function subscriptionView(row: SubscriptionRow): SubscriptionView {
  const live = row.status === 'active' || row.status === 'past_due';
  return {
    id: row.id,
    plan: row.plan,
    method: row.method,
    currency: row.currency,
    amountMinor: row.amountMinor,
    status: row.status,
    currentPeriodStart: row.currentPeriodStart?.toISOString() ?? null,
    currentPeriodEnd: row.currentPeriodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    holdsUntil: live ? (holdsUntil(row)?.toISOString() ?? null) : null,
    approveUrl: row.status === 'pending' ? row.approveUrl : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface SubscriptionsDeps {
  db: Database;
  topics: TopicLog;
  log: Logger;
  limiter: RateLimiter;
  appUrl: string;
  settlement: Settlement;
  entitlements: Entitlements;
  paypal: PayPalGateway | undefined;
  mercadoPago: MercadoPagoGateway | undefined;
  spei: SpeiSettings | undefined;
  /** Mails SPEI's reminders (undefined where SPEI is not offered). */
  reminderMail: ReminderMail | undefined;
  /** Gives back the unused part of a replaced subscription's month. */
  prorations: Prorations;
}

export class Subscriptions {
  readonly #deps: SubscriptionsDeps;

  constructor(deps: SubscriptionsDeps) {
    this.#deps = deps;
    deps.settlement.afterPeriod = (change, why) => this.#afterPeriod(change, why);
  }

  get methods(): PaymentMethod[] {
    return offeredMethods(this.#deps);
  }

  async plans(userId: string): Promise<Response<'subscriptions.plans'>> {
    return {
      plans: PLAN_IDS.map((id) => ({
        id,
        prices: { ...PLANS[id].prices },
        monthlyTreats: PLANS[id].monthlyTreats,
        entitlements: [...PLANS[id].entitlements],
      })),
      methods: this.methods,
      mine: await this.mine(userId),
    };
  }

  async mine(userId: string): Promise<Response<'subscriptions.mine'>> {
    const standing = await this.#deps.entitlements.of(userId);
    const [row] = await this.#deps.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, [...LIVE, 'pending'])))
      // The live one first, else the newest pending.
      .orderBy(sql`${subscriptions.status} = 'pending'`, desc(subscriptions.id))
      .limit(1);
    return { ...standing, subscription: row === undefined ? null : subscriptionView(row) };
  }

  async checkout(userId: string, request: Request<'subscriptions.checkout'>): Promise<Response<'subscriptions.checkout'>> {
    const { db, paypal, mercadoPago, spei } = this.#deps;
    if (!this.methods.includes(request.method)) throw new MethodUnavailableError(request.method);
    if (request.method === 'spei' && request.currency !== 'MXN')
      throw new InvalidInputError('SPEI transfers are in Mexican pesos (MXN)', { field: 'currency' });
    const standing = await this.#deps.entitlements.of(userId);
    if (standing.plan !== 'free' && rank(standing.plan) >= rank(request.plan)) throw new AlreadySubscribedError(standing.plan);
    const [pending] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(subscriptions)
      .where(and(eq(subscriptions.userId, userId), eq(subscriptions.status, 'pending')));
    if ((pending?.count ?? 0) >= PAYMENT_LIMITS.pending) throw new TooManyPendingError(PAYMENT_LIMITS.pending);
    await this.#deps.limiter.hit(
      { name: 'subscriptions-checkout', max: SUBSCRIPTION_LIMITS.checkoutsPerHour, windowMs: 3_600_000 },
      userId,
    );
    const id = Bun.randomUUIDv7();
    const amountMinor = PLANS[request.plan].prices[request.currency];
    const [row] = await db.transaction(async (tx) => {
      const made = await tx
        .insert(subscriptions)
        .values({ id, userId, plan: request.plan, method: request.method, currency: request.currency, amountMinor, status: 'pending' })
        .returning();
      await audit(tx, {
        subscriptionId: id,
        userId,
        type: 'subscribed',
        from: null,
        to: 'pending',
        source: 'api',
        detail: { plan: request.plan, method: request.method },
      });
      return made;
    });
    if (row === undefined) throw new Error('subscription not stored');
    if (request.method === 'spei' && spei !== undefined) {
      const payment = await this.openSpei(row);
      return { subscription: subscriptionView(row), payment: this.#deps.settlement.view(payment) };
    }
    const returnUrl = `${this.#deps.appUrl}/subscriptions/${id}/return`;
    try {
      const made =
        request.method === 'paypal'
          ? await (paypal as PayPalGateway)
              .createSubscription({
                id,
                planId: await this.#paypalPlan(request.plan, request.currency, amountMinor),
                returnUrl,
                cancelUrl: `${this.#deps.appUrl}/pricing`,
              })
              .then((made) => ({ externalId: made.subscriptionId, approveUrl: made.approveUrl }))
          : await (mercadoPago as MercadoPagoGateway)
              .createPreapproval({
                id,
                reason: planName(request.plan),
                payerEmail: await this.#emailOf(userId),
                amountMinor,
                currency: request.currency,
                returnUrl,
              })
              .then((made) => ({ externalId: made.preapprovalId, approveUrl: made.approveUrl }));
      const [updated] = await db
        .update(subscriptions)
        .set({ ...made, updatedAt: new Date() })
        .where(eq(subscriptions.id, id))
        .returning();
      return { subscription: subscriptionView(updated ?? row), payment: null };
    } catch (error) {
      await this.#end(row, 'expired', 'refused_by_provider', 'api', { issue: error instanceof ProviderError ? error.issue : 'UNKNOWN' });
      throw error;
    }
  }

  /** The buyer is back from the provider: what it says is applied. */
  async sync(userId: string, subscriptionId: string): Promise<SubscriptionView> {
    const row = await this.#own(userId, subscriptionId);
    await this.#deps.limiter.hit({ name: 'subscriptions-sync', max: SUBSCRIPTION_LIMITS.syncsPerMinute, windowMs: 60_000 }, userId);
    return subscriptionView(await this.reconcile(row, 'api'));
  }

  /**
   * Asks the subscription's provider what was paid and whether it still charges, and applies it:
   * each month's money recorded and settled once (a webhook, a sync and the daily job may all see
   * the same money), a cancellation at the provider made ours at the end of the period.
   */
  async reconcile(row: SubscriptionRow, source: Source): Promise<SubscriptionRow> {
    const { paypal, mercadoPago } = this.#deps;
    if (row.externalId === null) return row;
    if (row.method === 'paypal' && paypal !== undefined) {
      const since = new Date(Math.max(row.createdAt.getTime() - 86_400_000, Date.now() - LOOK_BACK_MS));
      const found = await paypal.subscription(row.externalId, since);
      for (const paid of found.payments.filter((each) => each.status === 'COMPLETED'))
        await this.#deps.settlement.recordPeriod(row, { ...paid, status: 'COMPLETED' }, source);
      if (['CANCELLED', 'EXPIRED', 'SUSPENDED'].includes(found.status)) await this.#stoppedAtProvider(row.id, found.status, source);
    }
    if (row.method === 'mercadopago' && mercadoPago !== undefined) {
      for (const paid of await mercadoPago.paymentsOf(row.id)) await this.applyMercadoPagoCharge(row, paid, source);
      const found = await mercadoPago.preapproval(row.externalId);
      if (found.status === 'cancelled' || found.status === 'paused') await this.#stoppedAtProvider(row.id, found.status, source);
    }
    return (await this.byId(row.id)) ?? row;
  }

  /** One Mercado Pago charge of a preapproval: approved money recorded as a month; refunds and chargebacks of a recorded one given back. */
  async applyMercadoPagoCharge(
    row: SubscriptionRow,
    paid: Awaited<ReturnType<MercadoPagoGateway['payment']>>,
    source: Source,
  ): Promise<void> {
    if (paid.status === 'approved') {
      await this.#deps.settlement.recordPeriod(
        row,
        { captureId: paid.id, status: 'COMPLETED', amountMinor: paid.amountMinor, currency: paid.currency },
        source,
      );
      return;
    }
    const [recorded] = await this.#deps.db
      .select()
      .from(payments)
      .where(and(eq(payments.method, 'mercadopago'), eq(payments.externalId, paid.id), eq(payments.subscriptionId, row.id)));
    if (recorded !== undefined) await applyMercadoPago(this.#deps.settlement, recorded, paid, source);
  }

  /** Cancels at the end of the period (a pending one expires at once); the provider stops charging now. */
  async cancel(userId: string, subscriptionId: string): Promise<SubscriptionView> {
    const row = await this.#own(userId, subscriptionId);
    if (row.status === 'pending') {
      await this.stopAtProvider(row, 'Cancelled by the subscriber before paying');
      return subscriptionView((await this.#end(row, 'expired', 'cancelled_unpaid', 'api', {})) ?? row);
    }
    if ((row.status !== 'active' && row.status !== 'past_due') || row.cancelAtPeriodEnd) return subscriptionView(row);
    await this.stopAtProvider(row, 'Cancelled by the subscriber');
    const changed = await this.#deps.db.transaction(async (tx) => {
      const [locked] = await tx.select().from(subscriptions).where(eq(subscriptions.id, row.id)).for('update');
      if (locked === undefined || locked.cancelAtPeriodEnd || (locked.status !== 'active' && locked.status !== 'past_due'))
        return undefined;
      const [updated] = await tx
        .update(subscriptions)
        .set({ cancelAtPeriodEnd: true, updatedAt: new Date() })
        .where(eq(subscriptions.id, row.id))
        .returning();
      await audit(tx, {
        subscriptionId: row.id,
        userId,
        type: 'cancelled',
        from: locked.status,
        to: locked.status,
        source: 'api',
        detail: { endsAt: locked.currentPeriodEnd?.toISOString() ?? null },
      });
      return updated;
    });
    if (changed === undefined) return subscriptionView((await this.byId(row.id)) ?? row);
    await this.announce(changed);
    return subscriptionView(changed);
  }

  /** Tells the subscriber their subscription and plan now. */
  async announce(row: SubscriptionRow): Promise<void> {
    const standing = await this.#deps.entitlements.of(row.userId);
    await emit(this.#deps, 'user', row.userId, 'subscriptions.changed', { subscription: subscriptionView(row), ...standing });
  }

  /** Stops a subscription's charges at its provider (SPEI has none). */
  async stopAtProvider(row: SubscriptionRow, reason: string): Promise<void> {
    if (row.externalId === null) return;
    if (row.method === 'paypal') await this.#deps.paypal?.cancelSubscription(row.externalId, reason);
    if (row.method === 'mercadopago') await this.#deps.mercadoPago?.cancelPreapproval(row.externalId);
  }

  /**
   * SPEI's reminder before a period ends: the next month's transfer instructions (a payment with a
   * new CLABE and reference), made once per period and mailed; false when another round made them already.
   */
  async remind(row: SubscriptionRow): Promise<boolean> {
    const claimed = await this.#deps.db
      .update(subscriptions)
      .set({ remindedFor: sql`${subscriptions.currentPeriodEnd}`, updatedAt: new Date() })
      .where(
        and(
          eq(subscriptions.id, row.id),
          sql`${subscriptions.remindedFor} is distinct from ${subscriptions.currentPeriodEnd}`,
          eq(subscriptions.cancelAtPeriodEnd, false),
        ),
      )
      .returning();
    const subscription = claimed[0];
    if (subscription === undefined) return false;
    const payment = await this.openSpei(subscription, holdsUntil(subscription));
    await this.#deps.reminderMail?.send(subscription, payment);
    await emit(this.#deps, 'user', row.userId, 'payments.changed', { payment: this.#deps.settlement.view(payment) });
    await this.announce(subscription);
    return true;
  }

  /** A subscription never paid, expired (the daily job): cancelled at its provider too. */
  async expire(row: SubscriptionRow): Promise<boolean> {
    await this.stopAtProvider(row, 'Never paid');
    return (await this.#end(row, 'expired', 'lapsed_unpaid', 'job', {})) !== undefined;
  }

  /** The provider no longer charges (cancelled or suspended there): a live one ends with its period, a pending one expires. */
  async #stoppedAtProvider(id: string, providerStatus: string, source: Source): Promise<void> {
    const changed = await this.#deps.db.transaction(async (tx) => {
      const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, id)).for('update');
      if (row === undefined) return undefined;
      const live = row.status === 'active' || row.status === 'past_due';
      if (!(live && !row.cancelAtPeriodEnd) && row.status !== 'pending') return undefined;
      const now = new Date();
      const [updated] = await tx
        .update(subscriptions)
        .set(live ? { cancelAtPeriodEnd: true, updatedAt: now } : { status: 'expired', endedAt: now, updatedAt: now })
        .where(eq(subscriptions.id, id))
        .returning();
      await audit(tx, {
        subscriptionId: id,
        userId: row.userId,
        type: 'stopped_at_provider',
        from: row.status,
        to: updated?.status ?? row.status,
        source,
        detail: { providerStatus },
      });
      return updated;
    });
    if (changed !== undefined) await this.announce(changed);
  }

  /** Ends a subscription that is not live (pending: expired unpaid, refused by its provider). */
  async #end(
    row: SubscriptionRow,
    to: 'expired' | 'canceled',
    type: string,
    source: Source,
    detail: Record<string, string>,
  ): Promise<SubscriptionRow | undefined> {
    const changed = await this.#deps.db.transaction(async (tx) => {
      const [locked] = await tx.select().from(subscriptions).where(eq(subscriptions.id, row.id)).for('update');
      if (locked === undefined || locked.status !== 'pending') return undefined;
      const now = new Date();
      const [updated] = await tx
        .update(subscriptions)
        .set({ status: to, endedAt: now, updatedAt: now })
        .where(eq(subscriptions.id, row.id))
        .returning();
      await audit(tx, { subscriptionId: row.id, userId: row.userId, type, from: 'pending', to, source, detail });
      return updated;
    });
    if (changed !== undefined) await this.announce(changed);
    return changed;
  }

  /**
   * After a period was paid or refunded away: replaced subscriptions cancelled at their providers
   * and the unused part of their months refunded (a failure is retried by the reconciliation
   * rounds), the subscriber told.
   */
  async #afterPeriod(change: PeriodPaid, why: 'paid' | 'refunded'): Promise<void> {
    for (const other of change.replaced)
      await this.stopAtProvider(other, 'Replaced by another PetAmigos plan').catch((error: unknown) =>
        this.#deps.log.error(
          { err: error, subscriptionId: other.id },
          `subscriptions.replace() | could not cancel at the provider [subscription:${other.id}]`,
        ),
      );
    for (const proration of change.prorations) await this.#deps.prorations.give(proration);
    if (why === 'refunded')
      await this.stopAtProvider(change.subscription, 'Refunded').catch((error: unknown) =>
        this.#deps.log.error(
          { err: error, subscriptionId: change.subscription.id },
          `subscriptions.refund() | could not cancel at the provider [subscription:${change.subscription.id}]`,
        ),
      );
    await this.announce(change.subscription);
  }

  /**
   * SPEI: a transfer's payment for a month of the subscription, with its own CLABE and reference
   * (the first, and each reminder's). A reminder's instructions stand at least as long as the plan
   * holds (the period and its grace), however short SPEI_EXPIRES_HOURS is.
   */
  async openSpei(row: SubscriptionRow, standUntil?: Date | null) {
    const spei = this.#deps.spei as SpeiSettings;
    const instructions = await speiInstructions(this.#deps.db, spei);
    if (standUntil != null && standUntil > instructions.expiresAt) instructions.expiresAt = standUntil;
    return this.#deps.settlement.open({
      id: Bun.randomUUIDv7(),
      userId: row.userId,
      method: 'spei',
      status: 'created',
      amountMinor: row.amountMinor,
      currency: row.currency,
      packId: null,
      treats: 0,
      subscriptionId: row.id,
      plan: row.plan,
      ...instructions,
    });
  }

  /** The PayPal billing plan for a plan at a price, made at PayPal the first time it is needed. */
  async #paypalPlan(plan: PaidPlanId, currency: 'USD' | 'MXN', amountMinor: number): Promise<string> {
    const key = and(
      eq(providerPlans.provider, 'paypal'),
      eq(providerPlans.plan, plan),
      eq(providerPlans.currency, currency),
      eq(providerPlans.amountMinor, amountMinor),
    );
    const [known] = await this.#deps.db.select().from(providerPlans).where(key);
    if (known !== undefined) return known.externalId;
    const paypal = this.#deps.paypal as PayPalGateway;
    const externalId = await paypal.createPlan({ productId: await paypal.createProduct(), name: planName(plan), amountMinor, currency });
    // Two checkouts at once may both make one; the first stored is the one used from then on.
    await this.#deps.db.insert(providerPlans).values({ provider: 'paypal', plan, currency, amountMinor, externalId }).onConflictDoNothing();
    const [stored] = await this.#deps.db.select().from(providerPlans).where(key);
    return stored?.externalId ?? externalId;
  }

  async #emailOf(userId: string): Promise<string> {
    const [user] = await this.#deps.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
    return user?.email ?? '';
  }

  async #own(userId: string, subscriptionId: string): Promise<SubscriptionRow> {
    const [row] = await this.#deps.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.userId, userId)));
    if (row === undefined) throw new NotFoundError('subscription');
    return row;
  }

  async byId(id: string): Promise<SubscriptionRow | undefined> {
    const [row] = await this.#deps.db.select().from(subscriptions).where(eq(subscriptions.id, id));
    return row;
  }

  /** Subscriptions by the provider's id (webhooks name theirs). */
  async byExternalId(method: 'paypal' | 'mercadopago', externalId: string): Promise<SubscriptionRow | undefined> {
    const [row] = await this.#deps.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.method, method), eq(subscriptions.externalId, externalId)));
    return row;
  }
}
