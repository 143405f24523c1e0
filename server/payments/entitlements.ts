// What a person's plan entitles them to, read from one place by every feature that depends on it
// (ARCHITECTURE: Money). The plan is the one of their live subscription while it holds: up to the
// end of the period paid for, and through the grace period after an unpaid renewal unless it was
// cancelled. Computed from the row and the clock, so a plan ends on time even before the daily
// job records it (subscriptions.ts); anyone without one has the free plan.
import { type AnyColumn, and, inArray, type SQL, sql } from 'drizzle-orm';
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

/** SQL: the subscription row `s` (the subscriptions table or an alias of it) holds now. */
const holds = (s: { status: SQL | AnyColumn; currentPeriodEnd: SQL | AnyColumn; cancelAtPeriodEnd: SQL | AnyColumn }) =>
  sql`${s.status} in ('active', 'past_due') and now() < ${s.currentPeriodEnd} + case when ${s.cancelAtPeriodEnd} then interval '0' else interval '${sql.raw(GRACE)}' end`;

/**
 * SQL: the paid plan of the person `userId` (an SQL expression: a column of the query it goes
 * in), null for the free plan. For lists that show many people with their plan (person views'
 * badges): the plans come in the same query, one index probe per person (a person has at most one
 * live subscription, `subscriptions_live`), by the rule `plansOf` follows.
 */
export const livePlanOf = (userId: SQL | AnyColumn): SQL<PlanId | null> =>
  sql<PlanId | null>`(select s.plan from subscriptions s where s.user_id = ${userId} and ${holds({
    status: sql`s.status`,
    currentPeriodEnd: sql`s.current_period_end`,
    cancelAtPeriodEnd: sql`s.cancel_at_period_end`,
  })})`;

/** Whether the plan `plan` (null: free) has the entitlement. */
export const planHas = (plan: PlanId | null, entitlement: Entitlement): boolean =>
  (PLANS[plan ?? 'free'].entitlements as readonly Entitlement[]).includes(entitlement);

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
      .where(and(inArray(subscriptions.userId, [...new Set(userIds)]), holds(subscriptions)));
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
