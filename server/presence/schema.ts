// Tables owned by presence (the user actor, actors/user.ts): the status message a user shows
// next to their presence, written before the call that sets it is acknowledged.
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.ts';

export const userStatuses = pgTable('user_statuses', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
