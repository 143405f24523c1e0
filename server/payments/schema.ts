// Tables of payments: one row per payment asked of a provider, keyed by the provider's own id once
// it has one (so a capture or webhook seen twice finds the same row); `transactions`, the audit
// log every change of a payment writes in the transaction that makes it (the seed's table, kept
// forever); and the webhook events already handled, by the provider's event id, so a replayed
// event changes nothing.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
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
import { CURRENCIES, PAYMENT_METHODS, PAYMENT_STATUSES } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';

export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type Currency = (typeof CURRENCIES)[number];

const listed = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

/** SPEI numeric references (7 digits), one per SPEI payment; each also makes its CLABE (clabe.ts). */
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
    /** What it buys: a pack of treats (its id in TREAT_PACKS). */
    packId: text('pack_id').notNull(),
    treats: bigint('treats', { mode: 'number' }).notNull(),
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
    /** SPEI: the CLABE the buyer transfers to (this payment's own) and the numeric reference. */
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
    uniqueIndex('payments_external').on(table.method, table.externalId),
    uniqueIndex('payments_spei_clabe').on(table.speiClabe),
    index('payments_user').on(table.userId, table.id),
  ],
);

/** The audit log: every change of a payment, with what caused it. Never updated or deleted. */
export const transactions = pgTable(
  'transactions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    userId: uuid('user_id').notNull(),
    /** What happened: created, approved, captured, webhook, fraud_suspected, failed… */
    type: text('type').notNull(),
    fromStatus: text('from_status').$type<PaymentStatus>(),
    toStatus: text('to_status').$type<PaymentStatus>().notNull(),
    /** What the provider reported (a capture's amount), in minor units, when it reported one. */
    amountMinor: bigint('amount_minor', { mode: 'number' }),
    currency: text('currency'),
    /** api (the buyer's call), webhook, admin, job. */
    source: text('source').notNull(),
    detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('transactions_payment').on(table.paymentId, table.id)],
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
