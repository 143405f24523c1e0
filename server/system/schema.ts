// Tables owned by the node itself: what this installation is, how often it has booted, the
// secrets it generated for itself when configuration gave none, and the claims of the jobs one
// node at a time runs.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Exactly one row (id = 1): the installation's identity and boot record. */
export const serverInfo = pgTable(
  'server_info',
  {
    id: smallint('id').primaryKey().default(1),
    installationId: uuid('installation_id').notNull().defaultRandom(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    bootCount: bigint('boot_count', { mode: 'number' }).notNull().default(0),
    lastBootAt: timestamp('last_boot_at', { withTimezone: true }),
    lastBootNode: text('last_boot_node'),
  },
  (table) => [check('server_info_single_row', sql`${table.id} = 1`)],
);

/** Secrets generated at first start when the configuration gives none (e.g. the token signing key). */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Reminders: actor timers that survive passivation and node failure. Due rows are claimed by any
 * node hosting actors (the claim pushes due_at a lease ahead) and delivered as a message to the
 * actor, activating it if needed; a delivered reminder is deleted.
 */
export const actorReminders = pgTable(
  'actor_reminders',
  {
    kind: text('kind').notNull(),
    actorId: text('actor_id').notNull(),
    name: text('name').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    message: jsonb('message').notNull(),
    /** Failed deliveries so far: the next waits longer (reminders.ts). */
    attempts: integer('attempts').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.kind, table.actorId, table.name] }), index('actor_reminders_due').on(table.dueAt)],
);

/** Jobs one node of the cluster runs every so often (platform/periodic.ts): the node whose claim succeeds runs a round; a claim that lapses is taken again. */
export const periodicJobs = pgTable('periodic_jobs', {
  name: text('name').primaryKey(),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
  claimedBy: text('claimed_by'),
  claimedUntil: timestamp('claimed_until', { withTimezone: true }),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
});
