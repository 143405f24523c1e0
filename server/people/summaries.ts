// A person as lists show them (PersonSummary in the protocol): what anyone who may see the user at
// all may know. Lists select `summaryColumns` from users left-joined to profiles. Their badges come
// with them: the plan is read in the same query (livePlanOf), never one query per person.
import { eq } from 'drizzle-orm';
import type { BADGES } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';
import { livePlanOf, type PlanId, planHas } from '../payments/entitlements.ts';
import { anyOf } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { profiles } from './schema.ts';

export type Badge = (typeof BADGES)[number];

export const summaryColumns = {
  id: users.id,
  username: users.username,
  displayName: profiles.displayName,
  avatarMediaId: profiles.avatarMediaId,
  verifiedAt: profiles.verifiedAt,
  verifiedWithPlan: profiles.verifiedWithPlan,
  accountType: profiles.accountType,
  plan: livePlanOf(users.id),
};

export interface SummaryRow {
  id: string;
  username: string;
  displayName: string | null;
  avatarMediaId: string | null;
  verifiedAt: Date | null;
  /** Null when the person has no profile row (then they are not verified either). */
  verifiedWithPlan: boolean | null;
  accountType: 'personal' | 'business' | null;
  /** Their paid plan now; null for free. */
  plan: PlanId | null;
}

export interface PersonSummary {
  id: string;
  username: string;
  displayName: string;
  avatarMediaId: string | null;
  verified: boolean;
  accountType: 'personal' | 'business';
  badges: Badge[];
}

/**
 * The marks a name carries: verified when an admin verified the person (a mark that came from a
 * request only while their plan has `verification`: the approval is kept, so it comes back with a
 * new subscription), and the plan's own while it has `badges`.
 */
export function badgesOf(row: Pick<SummaryRow, 'verifiedAt' | 'verifiedWithPlan' | 'plan'>): Badge[] {
  const badges: Badge[] = [];
  if (row.verifiedAt !== null && (!row.verifiedWithPlan || planHas(row.plan, 'verification'))) badges.push('verified');
  if ((row.plan === 'premium' || row.plan === 'pro') && planHas(row.plan, 'badges')) badges.push(row.plan);
  return badges;
}

export function toSummary(row: SummaryRow): PersonSummary {
  const badges = badgesOf(row);
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName || row.username,
    avatarMediaId: row.avatarMediaId,
    verified: badges.includes('verified'),
    accountType: row.accountType ?? 'personal',
    badges,
  };
}

/** users ⟕ profiles, ready for `.where(…)`. */
export const selectSummaries = (db: Database) => db.select(summaryColumns).from(users).leftJoin(profiles, eq(profiles.userId, users.id));

/** Summaries of the people `ids` (repeats allowed), by id; someone deleted is missing. */
export async function summariesById(db: Database, ids: readonly string[]): Promise<Map<string, PersonSummary>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await selectSummaries(db).where(anyOf(users.id, unique));
  return new Map(rows.map((row) => [row.id, toSummary(row)]));
}

/** Lower case without accents: how names are compared in search. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
