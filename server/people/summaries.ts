// A person as lists show them (PersonSummary in the protocol): what anyone who may see the user at
// all may know. Lists select `summaryColumns` from users left-joined to profiles.
import { eq } from 'drizzle-orm';
import { users } from '../accounts/schema.ts';
import { anyOf } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { profiles } from './schema.ts';

export const summaryColumns = {
  id: users.id,
  username: users.username,
  displayName: profiles.displayName,
  avatarMediaId: profiles.avatarMediaId,
  verifiedAt: profiles.verifiedAt,
  accountType: profiles.accountType,
};

export interface SummaryRow {
  id: string;
  username: string;
  displayName: string | null;
  avatarMediaId: string | null;
  verifiedAt: Date | null;
  accountType: 'personal' | 'business' | null;
}

export interface PersonSummary {
  id: string;
  username: string;
  displayName: string;
  avatarMediaId: string | null;
  verified: boolean;
  accountType: 'personal' | 'business';
}

export function toSummary(row: SummaryRow): PersonSummary {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName || row.username,
    avatarMediaId: row.avatarMediaId,
    verified: row.verifiedAt !== null,
    accountType: row.accountType ?? 'personal',
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
