// The daily round of subscriptions, at 00:00 UTC on one node of the cluster (platform/periodic.ts;
// a round missed while every node was down runs at the next start). For every subscription due:
// PayPal and Mercado Pago are asked what they charged (a webhook that never came is caught here);
// a period that ended unpaid becomes past due (the plan holds through the grace), then expires and
// is cancelled at its provider; a cancelled one ends with its period; SPEI, which nobody charges,
// gets the next month's transfer instructions before its period ends; a subscription never paid
// expires. Every change is audited and told to the subscriber. Safe to run twice.
import { and, eq, gt, inArray, isNotNull, lt, lte, sql } from 'drizzle-orm';
import { SUBSCRIPTION_LIMITS } from '../../protocol/lists.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import { PeriodicJob } from '../platform/periodic.ts';
import { audit } from './audit.ts';
import { holdsUntil, LIVE, type SubscriptionRow } from './periods.ts';
import { type SubscriptionStatus, subscriptions } from './schema.ts';
import type { Subscriptions } from './subscriptions.ts';

const DAY_MS = 86_400_000;
/** Subscriptions read per page of a round. */
const PER_PAGE = 200;

/** The next 00:00 UTC after a moment. */
export const nextMidnight = (after: Date) => new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate() + 1));

export interface RenewalDeps {
  db: Database;
  log: Logger;
  node: string;
  subscriptions: Subscriptions;
}

export interface Renewed {
  /** Asked of their provider. */
  asked: number;
  pastDue: number;
  expired: number;
  ended: number;
  reminded: number;
}

export class SubscriptionRenewals {
  readonly #deps: RenewalDeps;
  readonly job: PeriodicJob<Renewed>;

  constructor(deps: RenewalDeps) {
    this.#deps = deps;
    this.job = new PeriodicJob({
      ...deps,
      name: 'subscriptions.daily',
      everyMs: DAY_MS,
      nextRunAt: nextMidnight,
      round: (stopping) => this.round(stopping),
    });
  }

  async round(stopping: () => boolean = () => false, now = new Date()): Promise<Renewed> {
    const outcome: Renewed = { asked: 0, pastDue: 0, expired: 0, ended: 0, reminded: 0 };
    const live = inArray(subscriptions.status, LIVE);
    // 1. What the providers charged for the periods ending by tomorrow (and any overdue).
    await this.#each(
      and(live, isNotNull(subscriptions.externalId), lt(subscriptions.currentPeriodEnd, new Date(now.getTime() + DAY_MS))),
      stopping,
      async (row) => {
        outcome.asked++;
        await this.#deps.subscriptions.reconcile(row, 'job');
      },
    );
    // 2. Periods over: cancelled ones end, unpaid ones fall past due, then expire after the grace.
    await this.#each(and(live, lte(subscriptions.currentPeriodEnd, now)), stopping, async (row) => {
      const until = holdsUntil(row) as Date;
      const to: SubscriptionStatus | undefined = row.cancelAtPeriodEnd
        ? 'canceled'
        : until <= now
          ? 'expired'
          : row.status === 'active'
            ? 'past_due'
            : undefined;
      if (to === undefined) return;
      const changed = await this.#move(row, to, now);
      if (changed === undefined) return;
      if (to === 'past_due') outcome.pastDue++;
      else if (to === 'expired') outcome.expired++;
      else outcome.ended++;
      // Unpaid past its grace: the provider stops retrying.
      if (to === 'expired') await this.#deps.subscriptions.stopAtProvider(changed, 'Unpaid');
      await this.#deps.subscriptions.announce(changed);
    });
    // 3. SPEI: the next month's instructions, once per period, from reminderDays before it ends.
    await this.#each(
      and(
        live,
        eq(subscriptions.method, 'spei'),
        eq(subscriptions.cancelAtPeriodEnd, false),
        lte(subscriptions.currentPeriodEnd, new Date(now.getTime() + SUBSCRIPTION_LIMITS.reminderDays * DAY_MS)),
        sql`${subscriptions.remindedFor} is distinct from ${subscriptions.currentPeriodEnd}`,
      ),
      stopping,
      async (row) => {
        if (await this.#deps.subscriptions.remind(row)) outcome.reminded++;
      },
    );
    // 4. Never paid: expired after pendingDays.
    await this.#each(
      and(
        eq(subscriptions.status, 'pending'),
        lt(subscriptions.createdAt, new Date(now.getTime() - SUBSCRIPTION_LIMITS.pendingDays * DAY_MS)),
      ),
      stopping,
      async (row) => {
        // A payment that came without its webhook still counts.
        const after = await this.#deps.subscriptions.reconcile(row, 'job');
        if (after.status === 'pending' && (await this.#deps.subscriptions.expire(after))) outcome.expired++;
      },
    );
    return outcome;
  }

  /** Runs `step` on every subscription the filter selects, a page at a time in id order (each step's change may take it out of the filter). */
  async #each(filter: ReturnType<typeof and>, stopping: () => boolean, step: (row: SubscriptionRow) => Promise<void>): Promise<void> {
    let after: string | undefined;
    while (!stopping()) {
      const page = await this.#deps.db
        .select()
        .from(subscriptions)
        .where(and(filter, after === undefined ? undefined : gt(subscriptions.id, after)))
        .orderBy(subscriptions.id)
        .limit(PER_PAGE);
      for (const row of page) {
        if (stopping()) return;
        try {
          await step(row);
        } catch (error) {
          // One provider's failure does not hold up the others; the next round tries again.
          this.#deps.log.error({ err: error, subscriptionId: row.id }, `subscriptions.daily() | failed for one [subscription:${row.id}]`);
        }
      }
      if (page.length < PER_PAGE) return;
      after = page.at(-1)?.id;
    }
  }

  /** A live subscription's status changed by the clock, under a lock of its row (a payment that just came wins). */
  async #move(row: SubscriptionRow, to: SubscriptionStatus, now: Date): Promise<SubscriptionRow | undefined> {
    return this.#deps.db.transaction(async (tx) => {
      const [locked] = await tx.select().from(subscriptions).where(eq(subscriptions.id, row.id)).for('update');
      if (
        locked === undefined ||
        locked.status !== row.status ||
        locked.currentPeriodEnd?.getTime() !== row.currentPeriodEnd?.getTime() ||
        locked.cancelAtPeriodEnd !== row.cancelAtPeriodEnd
      )
        return undefined;
      const ends = to !== 'past_due';
      const [updated] = await tx
        .update(subscriptions)
        .set({ status: to, updatedAt: now, ...(ends ? { endedAt: now } : {}) })
        .where(eq(subscriptions.id, row.id))
        .returning();
      await audit(tx, {
        subscriptionId: row.id,
        userId: row.userId,
        type: to === 'past_due' ? 'renewal_unpaid' : to === 'expired' ? 'expired_unpaid' : 'ended_cancelled',
        from: locked.status,
        to,
        source: 'job',
        detail: { periodEnd: locked.currentPeriodEnd?.toISOString() ?? null },
      });
      return updated;
    });
  }
}
