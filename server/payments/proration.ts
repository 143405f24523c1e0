// The unused part of a month, given back when a subscription is replaced by another plan (a change
// to a higher one). Computed in the transaction that replaces it (periods.ts) from the completed
// payment that paid its current period: that payment × time left ÷ the period's length, rounded
// down to the minor unit and capped at what is left unrefunded of it; nothing under one minor unit.
// Recorded as a `prorations` row (one per replaced subscription) with an audit line of the figures.
// It is given back through refunds.ts at the provider that took the money, after the commit
// (subscriptions.ts), and by every reconciliation round (reconcile.ts) until it is: the refund's
// request id is derived from the replaced subscription, so the provider makes one refund however
// often it is asked, and the row changes in the transaction that applies it, so it is applied once.
// SPEI cannot be refunded by us: its amount is recorded as owed, for staff to send by transfer; so
// is one a provider kept refusing.
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import { audit, type Tx } from './audit.ts';
import type { SubscriptionRow } from './periods.ts';
import type { Refunds } from './refunds.ts';
import { payments, prorations, transactions } from './schema.ts';

export type ProrationRow = typeof prorations.$inferSelect;

/** How long one attempt may take before a round may try again. */
const LEASE_MS = 60_000;
/** A failed attempt waits this long, twice as long after each further one, up to MAX_RETRY_MS. */
const RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;
/** After this many failures (some 13 hours), the refund is left to staff as owed. */
const MAX_ATTEMPTS = 20;
const PER_ROUND = 50;

export interface Unused {
  /** Minor units to give back (0: nothing). */
  amountMinor: number;
  /** The share of the period left, 0 to 1. */
  fraction: number;
  leftMs: number;
  lengthMs: number;
}

/**
 * The unused part of a period's payment at `at`: amount × time left ÷ length, rounded down (integer
 * arithmetic, exact), never more than what is left unrefunded, never negative. A period not begun
 * yet (a renewal paid early) is unused whole.
 */
export function unusedPart(paid: { amountMinor: number; refundedMinor: number }, period: { start: Date; end: Date }, at: Date): Unused {
  const lengthMs = period.end.getTime() - period.start.getTime();
  const leftMs = Math.min(lengthMs, period.end.getTime() - Math.max(at.getTime(), period.start.getTime()));
  const unrefunded = paid.amountMinor - paid.refundedMinor;
  if (lengthMs <= 0 || leftMs <= 0 || unrefunded <= 0 || paid.amountMinor <= 0)
    return { amountMinor: 0, fraction: 0, leftMs: Math.max(0, leftMs), lengthMs: Math.max(0, lengthMs) };
  const share = Number((BigInt(paid.amountMinor) * BigInt(leftMs)) / BigInt(lengthMs));
  return { amountMinor: Math.min(share, unrefunded), fraction: leftMs / lengthMs, leftMs, lengthMs };
}

/**
 * In the transaction that replaced `old` by `by`: what is owed back of its period, recorded once
 * and audited with the figures. Answers the row to refund after the commit (undefined for nothing,
 * or for SPEI's, which staff send).
 */
export async function prorateReplaced(tx: Tx, old: SubscriptionRow, by: SubscriptionRow, now: Date): Promise<ProrationRow | undefined> {
  // The payment that paid the current period: the last one that moved the period on.
  const [paid] = await tx
    .select({ payment: payments })
    .from(transactions)
    .innerJoin(payments, eq(payments.id, transactions.paymentId))
    .where(and(eq(transactions.subscriptionId, old.id), eq(transactions.type, 'period_paid')))
    .orderBy(desc(transactions.id))
    .limit(1);
  const payment = paid?.payment;
  if (payment === undefined || old.currentPeriodStart === null || old.currentPeriodEnd === null) return undefined;
  const period = { start: old.currentPeriodStart, end: old.currentPeriodEnd };
  // A period's money all given back already (refunded, reversed) leaves nothing to give.
  const unused =
    payment.status === 'completed' ? unusedPart(payment, period, now) : { amountMinor: 0, fraction: 0, leftMs: 0, lengthMs: 0 };
  const figures = {
    by: by.id,
    plan: old.plan,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    replacedAt: now.toISOString(),
    fraction: Number(unused.fraction.toFixed(6)),
    paidMinor: payment.amountMinor,
    refundedBeforeMinor: payment.refundedMinor,
  };
  const line = { paymentId: payment.id, subscriptionId: old.id, userId: old.userId, from: payment.status, to: payment.status };
  if (unused.amountMinor < 1) {
    await audit(tx, { ...line, type: 'proration_none', source: 'proration', amountMinor: 0, currency: payment.currency, detail: figures });
    return undefined;
  }
  const status = payment.method === 'spei' ? 'owed' : 'pending';
  const [made] = await tx
    .insert(prorations)
    .values({
      subscriptionId: old.id,
      replacedBy: by.id,
      paymentId: payment.id,
      userId: old.userId,
      plan: old.plan,
      method: payment.method,
      amountMinor: unused.amountMinor,
      currency: payment.currency,
      periodStart: period.start,
      periodEnd: period.end,
      replacedAt: now,
      status,
      // The attempt after the commit has this long before a round may make it too.
      nextAttemptAt: new Date(now.getTime() + LEASE_MS),
    })
    .onConflictDoNothing()
    .returning();
  if (made === undefined) return undefined;
  await audit(tx, {
    ...line,
    type: status === 'owed' ? 'proration_owed' : 'proration',
    source: 'proration',
    amountMinor: unused.amountMinor,
    currency: payment.currency,
    detail: status === 'owed' ? { ...figures, note: 'SPEI: to send back by transfer' } : figures,
  });
  return status === 'pending' ? made : undefined;
}

/** In the transaction that applies a refund: marks prorations `refunded` (of those in `from`); whether any was. */
export async function markRefunded(
  tx: Tx,
  where: { subscriptionId: string } | { paymentId: string },
  from: ProrationRow['status'][],
  refundId: string,
): Promise<boolean> {
  const changed = await tx
    .update(prorations)
    .set({ status: 'refunded', refundId, updatedAt: new Date() })
    .where(
      and(
        'subscriptionId' in where ? eq(prorations.subscriptionId, where.subscriptionId) : eq(prorations.paymentId, where.paymentId),
        inArray(prorations.status, from),
      ),
    )
    .returning({ subscriptionId: prorations.subscriptionId });
  return changed.length > 0;
}

export interface ProrationsDeps {
  db: Database;
  log: Logger;
  refunds: Refunds;
}

export class Prorations {
  readonly #deps: ProrationsDeps;

  constructor(deps: ProrationsDeps) {
    this.#deps = deps;
  }

  /** Gives a pending one back now; a failure is logged and left to the next rounds (never thrown). */
  async give(row: ProrationRow): Promise<boolean> {
    try {
      await this.#deps.refunds.unused(row);
      return true;
    } catch (error) {
      await this.#failed(row, error);
      return false;
    }
  }

  /** A round's retries: the pending ones due, claimed a lease ahead (two rounds never ask at once); how many were given back. */
  async retryDue(now = new Date()): Promise<number> {
    const due = this.#deps.db
      .select({ id: prorations.subscriptionId })
      .from(prorations)
      .where(and(eq(prorations.status, 'pending'), lte(prorations.nextAttemptAt, now)))
      .orderBy(asc(prorations.nextAttemptAt))
      .limit(PER_ROUND)
      .for('update', { skipLocked: true });
    const claimed = await this.#deps.db
      .update(prorations)
      .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
      .where(and(eq(prorations.status, 'pending'), sql`${prorations.subscriptionId} in ${due}`))
      .returning();
    let given = 0;
    for (const row of claimed) if (await this.give(row)) given++;
    return given;
  }

  /** A failed attempt: tried again after a backoff, or left to staff as owed after MAX_ATTEMPTS. */
  async #failed(row: ProrationRow, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const attempts = row.attempts + 1;
    const owed = attempts >= MAX_ATTEMPTS;
    await this.#deps.db.transaction(async (tx) => {
      const [changed] = await tx
        .update(prorations)
        .set({
          attempts,
          lastError: reason.slice(0, 500),
          nextAttemptAt: new Date(Date.now() + Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** (attempts - 1))),
          ...(owed ? { status: 'owed' as const } : {}),
          updatedAt: new Date(),
        })
        .where(and(eq(prorations.subscriptionId, row.subscriptionId), eq(prorations.status, 'pending')))
        .returning();
      if (changed !== undefined && owed)
        await audit(tx, {
          paymentId: row.paymentId,
          subscriptionId: row.subscriptionId,
          userId: row.userId,
          type: 'proration_owed',
          from: 'completed',
          to: 'completed',
          source: 'proration',
          amountMinor: row.amountMinor,
          currency: row.currency,
          detail: { note: `the provider refused ${MAX_ATTEMPTS} times: to send back by hand`, lastError: reason.slice(0, 500) },
        });
    });
    const log = owed ? this.#deps.log.error.bind(this.#deps.log) : this.#deps.log.warn.bind(this.#deps.log);
    log(
      { err: error, subscriptionId: row.subscriptionId, paymentId: row.paymentId, attempts },
      `payments.prorate() | refund failed${owed ? ', left to staff as owed' : ', tried again later'} [subscription:${row.subscriptionId}] [attempt:${attempts}]`,
    );
  }
}
