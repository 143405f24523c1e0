// What a person's plan entitles them to, read from one place by every feature that depends on it
// (ARCHITECTURE: Money). The plan is the one of their live subscription while it holds: up to the
// end of the period paid for, and through the grace period after an unpaid renewal unless it was
// cancelled. Computed from the row and the clock, so a plan ends on time even before the daily
// job records it (subscriptions.ts); anyone without one has the free plan.
import { and, inArray, sql } from 'drizzle-orm';
import { type ENTITLEMENTS, PLAN_IDS, PLANS, SUBSCRIPTION_LIMITS } from '../../protocol/lists.ts';
import type { Database } from '../platform/db/index.ts';
import { PlanRequiredError } from './errors.ts';
import { subscriptions } from './schema.ts';

export type PlanId = (typeof PLAN_IDS)[number];
export type Entitlement = (typeof ENTITLEMENTS)[number];

export interface Standing {
  plan: PlanId;
  entitlements: Entitlement[];
  /** Treats granted each calendar month (UTC). */
  monthlyTreats: number;
}

const GRACE = `${SUBSCRIPTION_LIMITS.graceDays} days`;

/** The cheapest plan that has an entitlement. */
export const cheapestWith = (entitlement: Entitlement): PlanId =>
  PLAN_IDS.find((plan) => (PLANS[plan].entitlements as readonly Entitlement[]).includes(entitlement)) ?? 'pro';

export const standingOf = (plan: PlanId): Standing => ({
  plan,
  entitlements: [...PLANS[plan].entitlements],
  monthlyTreats: PLANS[plan].monthlyTreats,
});

export class Entitlements {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The plan of each person named (free for anyone without a live one). */
  async plansOf(userIds: readonly string[]): Promise<Map<string, PlanId>> {
    const plans = new Map<string, PlanId>(userIds.map((id) => [id, 'free']));
    if (userIds.length === 0) return plans;
    const rows = await this.#db
      .select({ userId: subscriptions.userId, plan: subscriptions.plan })
      .from(subscriptions)
      .where(
        and(
          inArray(subscriptions.userId, [...new Set(userIds)]),
          sql`${subscriptions.status} in ('active', 'past_due')`,
          sql`now() < ${subscriptions.currentPeriodEnd} + case when ${subscriptions.cancelAtPeriodEnd} then interval '0' else interval '${sql.raw(GRACE)}' end`,
        ),
      );
    for (const row of rows) plans.set(row.userId, row.plan);
    return plans;
  }

  async of(userId: string): Promise<Standing> {
    return standingOf((await this.plansOf([userId])).get(userId) ?? 'free');
  }

  async has(userId: string, entitlement: Entitlement): Promise<boolean> {
    return (await this.of(userId)).entitlements.includes(entitlement);
  }

  /** Refuses (PLAN_REQUIRED, naming the cheapest plan that has it) unless the person's plan has the entitlement. */
  async require(userId: string, entitlement: Entitlement): Promise<void> {
    if (!(await this.has(userId, entitlement))) throw new PlanRequiredError(entitlement, cheapestWith(entitlement));
  }
}
