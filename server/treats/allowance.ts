// The monthly allowance: every person may claim their plan's treats once per calendar month (UTC),
// and the rest of a better plan's allowance when they subscribe to it mid-month. Claimed, not
// credited on its own: reading a balance changes nothing, and accounts nobody uses are not paid.
// Two grants a month at most, each a ledger transfer with its own key (`allowance:<user>:<month>`
// for the free plan's part, `…:plan` for what a paid plan adds), so a claim made twice, on two
// nodes at once, grants once.
import { inArray } from 'drizzle-orm';
import { PLANS } from '../../protocol/lists.ts';
import type { Entitlements, PlanId } from '../payments/entitlements.ts';
import type { Database } from '../platform/db/index.ts';
import type { Ledger } from './ledger.ts';
import { platform, wallet } from './ledger.ts';
import { treatTransfers } from './schema.ts';

/** What this month's allowance holds for a person: what their plan grants, what they claimed, what is left to claim. */
export interface AllowanceState {
  month: string;
  plan: PlanId;
  monthly: number;
  claimed: number;
  available: number;
}

const keysOf = (userId: string, month: string) => ({ base: `allowance:${userId}:${month}`, plan: `allowance:${userId}:${month}:plan` });

export class Allowance {
  readonly #db: Database;
  readonly #ledger: Ledger;
  readonly #entitlements: Entitlements;

  constructor(db: Database, ledger: Ledger, entitlements: Entitlements) {
    this.#db = db;
    this.#ledger = ledger;
    this.#entitlements = entitlements;
  }

  async state(userId: string, now = new Date()): Promise<AllowanceState> {
    const month = now.toISOString().slice(0, 7);
    const keys = keysOf(userId, month);
    const standing = await this.#entitlements.of(userId);
    const made = await this.#db
      .select({ key: treatTransfers.key })
      .from(treatTransfers)
      .where(inArray(treatTransfers.key, [keys.base, keys.plan]));
    const base = PLANS.free.monthlyTreats;
    const extra = Math.max(0, standing.monthlyTreats - base);
    const claimed = made.reduce((sum, row) => sum + (row.key === keys.base ? base : extra), 0);
    return {
      month,
      plan: standing.plan,
      monthly: standing.monthlyTreats,
      claimed,
      available: Math.max(0, standing.monthlyTreats - claimed),
    };
  }

  /** Grants what this month's allowance still owes the person: the ids of the transfers made (none when nothing was owed). */
  async grant(userId: string, now = new Date()): Promise<string[]> {
    const month = now.toISOString().slice(0, 7);
    const keys = keysOf(userId, month);
    const base = PLANS.free.monthlyTreats;
    const made: string[] = [];
    const first = await this.#move(keys.base, userId, base, month, 'free');
    if (first !== undefined) made.push(first);
    const standing = await this.#entitlements.of(userId);
    const extra = standing.monthlyTreats - base;
    if (extra <= 0) return made;
    const more = await this.#move(keys.plan, userId, extra, month, standing.plan);
    if (more !== undefined) made.push(more);
    return made;
  }

  async #move(key: string, userId: string, amount: number, month: string, plan: string): Promise<string | undefined> {
    const transfer = await this.#ledger.transfer({
      kind: 'allowance',
      key,
      memo: { month, plan },
      legs: [
        { ...platform('platform_grants'), amount: -amount },
        { ...wallet(userId), amount },
      ],
    });
    return transfer.created ? transfer.id : undefined;
  }
}
