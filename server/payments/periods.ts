// What a period's money does to a subscription, in the database transaction that settles the
// payment (settlement.ts): the subscription is paid a month further, from the end of the period
// it had (a renewal, also one paid late within its grace) or from now (the first payment, or one
// after it ended). Becoming live ends any other live subscription of the same person (a change of
// plan: `replaced`), and the unused part of that one's period is owed back (proration.ts: recorded
// here, refunded at its provider after the commit, or owed by staff for SPEI). Money for a
// subscription that was replaced does not bring it back: it is recorded for staff to refund.
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { SUBSCRIPTION_LIMITS } from '../../protocol/lists.ts';
import { audit, type Source, type Tx } from './audit.ts';
import { type ProrationRow, prorateReplaced } from './proration.ts';
import { type PaymentStatus, type payments, type SubscriptionStatus, subscriptions } from './schema.ts';

export type SubscriptionRow = typeof subscriptions.$inferSelect;
type PaymentRow = typeof payments.$inferSelect;

/** A month later, on the same day of the month where it has one (31 January → 28 or 29 February). */
export function addMonth(date: Date): Date {
  const next = new Date(date);
  const day = next.getUTCDate();
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const last = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, last));
  return next;
}

/** When a live subscription stops giving its plan: the period's end, or after the grace unless it was cancelled. */
export function holdsUntil(row: Pick<SubscriptionRow, 'currentPeriodEnd' | 'cancelAtPeriodEnd'>): Date | null {
  if (row.currentPeriodEnd === null) return null;
  return row.cancelAtPeriodEnd
    ? row.currentPeriodEnd
    : new Date(row.currentPeriodEnd.getTime() + SUBSCRIPTION_LIMITS.graceDays * 86_400_000);
}

/** The statuses of a live subscription (one per person at most). */
export const LIVE: SubscriptionStatus[] = ['active', 'past_due'];

export interface PeriodPaid {
  subscription: SubscriptionRow;
  /** Other subscriptions of the person this one ended (to cancel at their provider after the commit). */
  replaced: SubscriptionRow[];
  /** The unused parts of their periods to refund at their providers after the commit. */
  prorations: ProrationRow[];
}

/** A completed payment of a period, applied to its subscription under a lock of the subscription's row. */
export async function paidPeriod(tx: Tx, payment: PaymentRow, source: Source, to: PaymentStatus): Promise<PeriodPaid | undefined> {
  if (payment.subscriptionId === null) return undefined;
  // One person's plans change one payment at a time: two new plans paid at once would each replace
  // the old one and both become live (the second refused by the one-live index), or give back twice.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`plans:${payment.userId}`}, 0))`);
  const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, payment.subscriptionId)).for('update');
  if (row === undefined) return undefined;
  const now = new Date();
  if (row.status === 'replaced') {
    await audit(tx, {
      paymentId: payment.id,
      subscriptionId: row.id,
      userId: row.userId,
      type: 'paid_after_replaced',
      from: row.status,
      to: row.status,
      source,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      detail: { note: 'money for a subscription already replaced by another plan: to refund' },
    });
    return { subscription: row, replaced: [], prorations: [] };
  }
  const live = LIVE.includes(row.status) && row.currentPeriodEnd !== null;
  const start = live ? (row.currentPeriodEnd as Date) : now;
  // Another live subscription of the person ends: one plan at a time.
  const replaced = await tx
    .update(subscriptions)
    .set({ status: 'replaced', endedAt: now, updatedAt: now })
    .where(and(eq(subscriptions.userId, row.userId), ne(subscriptions.id, row.id), inArray(subscriptions.status, LIVE)))
    .returning();
  const owed: ProrationRow[] = [];
  for (const other of replaced) {
    await audit(tx, {
      subscriptionId: other.id,
      userId: other.userId,
      type: 'replaced',
      from: 'active',
      to: 'replaced',
      source,
      detail: { by: row.id, plan: row.plan },
    });
    const proration = await prorateReplaced(tx, other, row, now);
    if (proration !== undefined) owed.push(proration);
  }
  const [updated] = await tx
    .update(subscriptions)
    .set({
      status: 'active',
      currentPeriodStart: start,
      currentPeriodEnd: addMonth(start),
      endedAt: null,
      // Ended by its owner, then paid again: it renews again (a provider that still charges was not cancelled).
      cancelAtPeriodEnd: live ? row.cancelAtPeriodEnd : false,
      updatedAt: now,
    })
    .where(eq(subscriptions.id, row.id))
    .returning();
  await audit(tx, {
    paymentId: payment.id,
    subscriptionId: row.id,
    userId: row.userId,
    type: 'period_paid',
    from: row.status,
    to: 'active',
    source,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    detail: { periodStart: start.toISOString(), periodEnd: addMonth(start).toISOString(), payment: to },
  });
  return { subscription: updated ?? row, replaced, prorations: owed };
}

/** A period's money all given back (an admin's full refund, a chargeback): its subscription ends now, and is cancelled at its provider. */
export async function endedByRefund(tx: Tx, payment: PaymentRow, source: Source): Promise<PeriodPaid | undefined> {
  if (payment.subscriptionId === null) return undefined;
  const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, payment.subscriptionId)).for('update');
  if (row === undefined || !LIVE.includes(row.status)) return undefined;
  const now = new Date();
  const [updated] = await tx
    .update(subscriptions)
    .set({ status: 'canceled', cancelAtPeriodEnd: true, currentPeriodEnd: now, endedAt: now, updatedAt: now })
    .where(eq(subscriptions.id, row.id))
    .returning();
  await audit(tx, {
    paymentId: payment.id,
    subscriptionId: row.id,
    userId: row.userId,
    type: 'ended_by_refund',
    from: row.status,
    to: 'canceled',
    source,
    detail: { periodEnd: row.currentPeriodEnd?.toISOString() ?? null },
  });
  return { subscription: updated ?? row, replaced: [], prorations: [] };
}
