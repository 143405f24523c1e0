// Tables of verification: the requests people make for the verified mark, and the audit of every
// decision staff take on someone's verification (approving or rejecting a request, granting or
// withdrawing the mark directly). The mark itself is on the profile (profiles.verified_at and
// verified_with_plan, server/people/schema.ts), where every person view reads it.
import { sql } from 'drizzle-orm';
import { bigserial, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { VERIFICATION_CATEGORIES, VERIFICATION_STATUSES } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';

export type VerificationCategory = (typeof VERIFICATION_CATEGORIES)[number];
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];
export const VERIFICATION_ACTIONS = ['approved', 'rejected', 'granted', 'withdrawn'] as const;
export type VerificationAction = (typeof VERIFICATION_ACTIONS)[number];

const listed = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

export const verificationRequests = pgTable(
  'verification_requests',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    category: text('category').$type<VerificationCategory>().notNull(),
    note: text('note').notNull().default(''),
    links: text('links').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').$type<VerificationStatus>().notNull().default('pending'),
    /** Why it was rejected; null unless rejected. */
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [
    check('verification_requests_category', sql`${table.category} in (${listed(VERIFICATION_CATEGORIES)})`),
    check('verification_requests_status', sql`${table.status} in (${listed(VERIFICATION_STATUSES)})`),
    check('verification_requests_reason', sql`(${table.status} = 'rejected') = (${table.reason} is not null)`),
    // One request waits at a time: the second of two concurrent requests fails here.
    uniqueIndex('verification_requests_pending').on(table.userId).where(sql`${table.status} = 'pending'`),
    index('verification_requests_user').on(table.userId, table.id),
    // The admins' queue: pending requests, oldest first.
    index('verification_requests_queue').on(table.id).where(sql`${table.status} = 'pending'`),
  ],
);

/** Every decision staff took on someone's verification: who, when, what. Never updated or deleted. */
export const verificationAudit = pgTable(
  'verification_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The person whose verification it is. */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The request decided; null for a mark granted or withdrawn directly (profile.setVerified). */
    requestId: uuid('request_id').references(() => verificationRequests.id, { onDelete: 'cascade' }),
    /** The admin who decided; kept as the id when their account is gone. */
    adminId: uuid('admin_id').notNull(),
    action: text('action').$type<VerificationAction>().notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('verification_audit_action', sql`${table.action} in (${listed(VERIFICATION_ACTIONS)})`),
    index('verification_audit_user').on(table.userId, table.id),
  ],
);
