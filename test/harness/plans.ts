// A person on a paid plan, written straight to the database (a live subscription paid by SPEI for
// the month from now), for tests of features a plan unlocks that need no checkout.
import { PLANS } from '../../protocol/lists.ts';
import { subscriptions } from '../../server/payments/schema.ts';
import type { Database } from '../../server/platform/db/index.ts';

export async function givePlan(db: Database, userId: string, plan: 'basic' | 'premium' | 'pro'): Promise<string> {
  const id = Bun.randomUUIDv7();
  const now = new Date();
  const end = new Date(now);
  end.setUTCMonth(end.getUTCMonth() + 1);
  await db.insert(subscriptions).values({
    id,
    userId,
    plan,
    method: 'spei',
    currency: 'MXN',
    amountMinor: PLANS[plan].prices.MXN,
    status: 'active',
    currentPeriodStart: now,
    currentPeriodEnd: end,
  });
  return id;
}
