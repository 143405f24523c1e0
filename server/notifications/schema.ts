// Tables owned by notifications: each user's inbox, their per-type delivery preferences (in-app,
// email, web push; a type without a row uses the defaults in types.ts), their browsers' web push
// subscriptions, and the notification mails held back by the hourly limit until the digest.
// The unread count is the user actor's hot state, rebuilt from here.
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { userRef, users } from '../accounts/schema.ts';

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: userRef('user_id'),
    type: text('type').notNull(),
    /** Who caused it; null for the platform's own. */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'cascade' }),
    /** Type-specific facts (a pet id, a post id); never text meant for display. */
    data: jsonb('data').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (table) => [
    index('notifications_user').on(table.userId, table.id),
    index('notifications_unread').on(table.userId).where(sql`${table.readAt} is null`),
    index('notifications_actor').on(table.actorId),
  ],
);

export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: userRef('user_id'),
    type: text('type').notNull(),
    inApp: boolean('in_app').notNull(),
    email: boolean('email').notNull(),
    push: boolean('push').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.type] })],
);

export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid('id').primaryKey(),
    userId: userRef('user_id'),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('push_subscriptions_endpoint').on(table.endpoint), index('push_subscriptions_user').on(table.userId)],
);

/** A notification whose mail went over MAIL_NOTIFICATIONS_PER_HOUR: kept (its text in the
 * recipient's language, and where it leads) for the next digest mail (digest.ts), then deleted. */
export const mailDigestItems = pgTable(
  'mail_digest_items',
  {
    id: uuid('id').primaryKey(),
    userId: userRef('user_id'),
    /** Who caused it: a block between the two since then leaves it out of the digest. */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    path: text('path').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('mail_digest_items_user').on(table.userId, table.createdAt)],
);
