// Tables of the treats ledger: double entry, append only. A movement of treats is a transfer made
// of entries that sum to zero; an account's balance is the sum of its entries, and there is no
// balance column to update. A person's accounts also keep, on each entry, the balance after it
// (`balance_after`): the chain is written under a lock of the account row, so reading a balance is
// reading one row, and the database itself refuses an entry that would take one below zero. The
// platform's accounts (where bought and granted treats come from, where its share goes) may go
// below zero and are never locked, so they are no point of contention: they keep no running
// balance, and theirs is the sum of their entries.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { TREAT_ACCOUNT_KINDS, TREAT_TRANSFER_KINDS } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';

export type TreatAccountKind = (typeof TREAT_ACCOUNT_KINDS)[number];
export type TreatTransferKind = (typeof TREAT_TRANSFER_KINDS)[number];

const listed = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

export const treatAccounts = pgTable(
  'treat_accounts',
  {
    id: uuid('id').primaryKey(),
    /** The person it belongs to; null for the platform's own accounts. */
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'restrict' }),
    kind: text('kind').$type<TreatAccountKind>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('treat_accounts_kind', sql`${table.kind} in (${listed(TREAT_ACCOUNT_KINDS)})`),
    // A person's accounts are theirs; the platform's are nobody's.
    check('treat_accounts_owner', sql`(${table.ownerId} is null) = (${table.kind} like 'platform_%')`),
    uniqueIndex('treat_accounts_owner_kind').on(table.ownerId, table.kind),
    uniqueIndex('treat_accounts_platform_kind').on(table.kind).where(sql`${table.ownerId} is null`),
  ],
);

export const treatTransfers = pgTable(
  'treat_transfers',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').$type<TreatTransferKind>().notNull(),
    /** What makes it happen once: a payment, a month's allowance, a tipper's clientId. */
    key: text('key').notNull(),
    /** Who asked for it (a tipper); null for what the platform does (a purchase, an allowance). */
    byUserId: uuid('by_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** What it was for: the post tipped, the payment that bought it, the transfer it reverses. */
    memo: jsonb('memo').$type<Record<string, string | number>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('treat_transfers_kind', sql`${table.kind} in (${listed(TREAT_TRANSFER_KINDS)})`),
    uniqueIndex('treat_transfers_key').on(table.key),
  ],
);

export const treatEntries = pgTable(
  'treat_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transferId: uuid('transfer_id')
      .notNull()
      .references(() => treatTransfers.id, { onDelete: 'restrict' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => treatAccounts.id, { onDelete: 'restrict' }),
    /** Treats in (positive) or out (negative) of the account. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** A person's account: its balance after this entry (never below zero). Null on the platform's. */
    balanceAfter: bigint('balance_after', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('treat_entries_amount', sql`${table.amount} <> 0`),
    check('treat_entries_not_negative', sql`${table.balanceAfter} is null or ${table.balanceAfter} >= 0`),
    index('treat_entries_account').on(table.accountId, table.id),
    index('treat_entries_transfer').on(table.transferId),
  ],
);
