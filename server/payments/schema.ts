// Tables of payments: one row per payment asked of a provider, keyed by the provider's own id once
// it has one (so a capture or webhook seen twice finds the same row); `transactions`, the audit
// log every change of a payment writes in the transaction that makes it (the seed's table, kept
// forever); and the webhook events already handled, by the provider's event id, so a replayed
// event changes nothing.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  CURRENCIES,
  PAID_PLAN_IDS,
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  PRORATION_STATUSES,
  SUBSCRIPTION_STATUSES,
} from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';

export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type Currency = (typeof CURRENCIES)[number];
export type PaidPlanId = (typeof PAID_PLAN_IDS)[number];
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type ProrationStatus = (typeof PRORATION_STATUSES)[number];

const listed = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

/**
 * SPEI numeric references (7 digits), one per SPEI payment; each also makes its CLABE (clabe.ts). It
 * cycles: a reference comes round again only once no payment holding it is recent or waiting
 * (payments.ts `speiInstructions`), and a transfer to a CLABE pays its newest payment.
 */
export const speiReferences = pgSequence('spei_references', { startWith: 1, minValue: 1, maxValue: 9_999_999, cycle: true });

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    method: text('method').$type<PaymentMethod>().notNull(),
    status: text('status').$type<PaymentStatus>().notNull(),
    /** What was asked for, in minor units of `currency`. */
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    /** What it buys: a pack of treats (its id in TREAT_PACKS), or a period of a plan's subscription. */
    packId: text('pack_id'),
    /** The treats a pack credits; 0 for a period of a plan. */
    treats: bigint('treats', { mode: 'number' }).notNull(),
    subscriptionId: uuid('subscription_id').references((): AnyPgColumn => subscriptions.id, { onDelete: 'restrict' }),
    plan: text('plan').$type<PaidPlanId>(),
    /** The provider's id of the order (PayPal) once made. */
    externalId: text('external_id'),
    /** Where the buyer approves it at the provider. */
    approveUrl: text('approve_url'),
    /** The provider's id of the money received (a PayPal capture), once paid. */
    captureId: text('capture_id'),
    /** Minor units given back so far (refunds, a chargeback). */
    refundedMinor: bigint('refunded_minor', { mode: 'number' }).notNull().default(0),
    /** Treats owed back for what was refunded (in proportion), whether or not the wallet still held them. */
    treatsReversed: bigint('treats_reversed', { mode: 'number' }).notNull().default(0),
    /** SPEI: the CLABE the buyer transfers to (this payment's own, until its reference comes round again) and the numeric reference. */
    speiClabe: text('spei_clabe'),
    speiReference: integer('spei_reference'),
    /** SPEI: the instructions stand until then. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('payments_method', sql`${table.method} in (${listed(PAYMENT_METHODS)})`),
    check('payments_status', sql`${table.status} in (${listed(PAYMENT_STATUSES)})`),
    check('payments_currency', sql`${table.currency} in (${listed(CURRENCIES)})`),
    check('payments_amount', sql`${table.amountMinor} > 0`),
    check('payments_refunded', sql`${table.refundedMinor} between 0 and ${table.amountMinor}`),
    // A pack or a plan's period, never both.
    check(
      'payments_buys',
      sql`(${table.packId} is null) <> (${table.subscriptionId} is null) and (${table.plan} is null) = (${table.subscriptionId} is null)`,
    ),
    uniqueIndex('payments_external').on(table.method, table.externalId),
    index('payments_spei_clabe').on(table.speiClabe, table.id),
    index('payments_user').on(table.userId, table.id),
    index('payments_subscription').on(table.subscriptionId),
  ],
);

/**
 * A person's subscription to a paid plan, by one method. PayPal and Mercado Pago charge each month
 * themselves (a PayPal subscription, a Mercado Pago preapproval: `external_id`); SPEI is paid by
 * hand, a transfer a period. Each period's money is a row of `payments` naming the subscription;
 * its completion moves the period on. At most one subscription per person is live (active or past
 * due) at a time.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    plan: text('plan').$type<PaidPlanId>().notNull(),
    method: text('method').$type<PaymentMethod>().notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    /** The price of a period (a month), in minor units, fixed when subscribing. */
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    status: text('status').$type<SubscriptionStatus>().notNull(),
    /** The provider's subscription (PayPal) or preapproval (Mercado Pago); null for SPEI. */
    externalId: text('external_id'),
    approveUrl: text('approve_url'),
    /** The period paid for; null until the first payment. */
    currentPeriodStart: timestamp('current_period_start', { withTimezone: true }),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
    /** Cancelled by its owner (or at the provider): it ends with the period, without grace. */
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    /** SPEI: the period end the next transfer's reminder was sent for (sent once per period). */
    remindedFor: timestamp('reminded_for', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('subscriptions_plan', sql`${table.plan} in (${listed(PAID_PLAN_IDS)})`),
    check('subscriptions_method', sql`${table.method} in (${listed(PAYMENT_METHODS)})`),
    check('subscriptions_currency', sql`${table.currency} in (${listed(CURRENCIES)})`),
    check('subscriptions_status', sql`${table.status} in (${listed(SUBSCRIPTION_STATUSES)})`),
    check('subscriptions_amount', sql`${table.amountMinor} > 0`),
    uniqueIndex('subscriptions_external').on(table.method, table.externalId),
    uniqueIndex('subscriptions_live').on(table.userId).where(sql`${table.status} in ('active', 'past_due')`),
    index('subscriptions_user').on(table.userId, table.id),
    index('subscriptions_due').on(table.currentPeriodEnd).where(sql`${table.status} in ('active', 'past_due')`),
  ],
);

/**
 * The unused part of a replaced subscription's period, given back (proration.ts): one row per
 * replaced subscription (its key, so it is computed and refunded once), written in the transaction
 * that replaces it, with the figures it was computed from. A `pending` one is refunded through the
 * provider after the commit, and retried by the reconciliation rounds from `next_attempt_at` until
 * it is (the refund's request id is derived from the subscription, so a retry is the same refund);
 * SPEI's is `owed` for staff to send back.
 */
export const prorations = pgTable(
  'prorations',
  {
    subscriptionId: uuid('subscription_id')
      .primaryKey()
      .references(() => subscriptions.id, { onDelete: 'restrict' }),
    /** The subscription whose first payment replaced it. */
    replacedBy: uuid('replaced_by')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'restrict' }),
    /** The completed payment of the period it had, part of which is given back. */
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    userId: uuid('user_id').notNull(),
    plan: text('plan').$type<PaidPlanId>().notNull(),
    method: text('method').$type<PaymentMethod>().notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    periodEnd: timestamp('period_end', { withTimezone: true }).notNull(),
    replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull(),
    status: text('status').$type<ProrationStatus>().notNull(),
    /** The provider's refund id once given back (or the admin's refund of an owed one). */
    refundId: text('refund_id'),
    attempts: integer('attempts').notNull().default(0),
    /** A pending one is tried again from then (a lease while one attempt runs, then a backoff). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('prorations_status', sql`${table.status} in (${listed(PRORATION_STATUSES)})`),
    check('prorations_amount', sql`${table.amountMinor} > 0`),
    index('prorations_payment').on(table.paymentId),
    index('prorations_due').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
  ],
);

/** The plans made at a provider for ours (a PayPal billing plan per plan and currency), made once and reused. */
export const providerPlans = pgTable(
  'provider_plans',
  {
    provider: text('provider').$type<PaymentMethod>().notNull(),
    plan: text('plan').$type<PaidPlanId>().notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    externalId: text('external_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('provider_plans_key').on(table.provider, table.plan, table.currency, table.amountMinor)],
);

/** The audit log: every change of a payment, with what caused it. Never updated or deleted. */
export const transactions = pgTable(
  'transactions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The payment it changed; null for a change of a subscription alone (cancelled, past due, expired). */
    paymentId: uuid('payment_id').references(() => payments.id, { onDelete: 'restrict' }),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id, { onDelete: 'restrict' }),
    userId: uuid('user_id').notNull(),
    /** What happened: created, approved, captured, webhook, fraud_suspected, failed… */
    type: text('type').notNull(),
    fromStatus: text('from_status').$type<PaymentStatus | SubscriptionStatus>(),
    /** A payment's status, or a subscription's for a change of a subscription alone. */
    toStatus: text('to_status').$type<PaymentStatus | SubscriptionStatus>().notNull(),
    /** What the provider reported (a capture's amount), in minor units, when it reported one. */
    amountMinor: bigint('amount_minor', { mode: 'number' }),
    currency: text('currency'),
    /** api (the buyer's call), webhook, admin, job, proration (the system giving back the unused part of a replaced plan). */
    source: text('source').notNull(),
    detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('transactions_payment').on(table.paymentId, table.id),
    index('transactions_subscription').on(table.subscriptionId, table.id),
    check('transactions_of', sql`${table.paymentId} is not null or ${table.subscriptionId} is not null`),
  ],
);

/** Webhook events already handled, by provider and the provider's event id. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    provider: text('provider').$type<PaymentMethod>().notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('webhook_events_id').on(table.provider, table.eventId)],
);
