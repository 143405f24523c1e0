// Tables of support: each person's conversations with the PetAmigos team and their messages. A
// conversation is also the outbox of its forwarding to Chatwoot: `syncDueAt` is set when something
// of it (a message, the priority, the closing) has not reached Chatwoot yet, and the forwarder
// (forwarder.ts) clears it once all has. Chatwoot's ids are kept to find our rows from its webhooks.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { SUPPORT_AUTHORS, SUPPORT_STATUSES } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';

export type SupportStatus = (typeof SUPPORT_STATUSES)[number];
export type SupportAuthor = (typeof SUPPORT_AUTHORS)[number];
/** Chatwoot's priorities we set: `high` for a plan with `prioritySupport`, `none` otherwise. */
export const SUPPORT_PRIORITIES = ['high', 'none'] as const;
export type SupportPriority = (typeof SUPPORT_PRIORITIES)[number];

const listed = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

export const supportConversations = pgTable(
  'support_conversations',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status').$type<SupportStatus>().notNull().default('open'),
    /** The priority it should have in Chatwoot, from the person's plan at their latest message. */
    priority: text('priority').$type<SupportPriority>().notNull().default('none'),
    /** The priority (and label) Chatwoot was last given; null: never set. */
    chatwootPriority: text('chatwoot_priority').$type<SupportPriority>(),
    chatwootContactId: integer('chatwoot_contact_id'),
    /** The contact inbox's source id Chatwoot gave, needed to open a conversation in the inbox. */
    chatwootSourceId: text('chatwoot_source_id'),
    chatwootConversationId: integer('chatwoot_conversation_id'),
    /** Closed by the person, and Chatwoot not told yet. */
    resolvePending: boolean('resolve_pending').notNull().default(false),
    /** Something of it has not reached Chatwoot: the forwarder's next try is due then (null: all there). */
    syncDueAt: timestamp('sync_due_at', { withTimezone: true }),
    syncAttempts: integer('sync_attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    check('support_conversations_status', sql`${table.status} in (${listed(SUPPORT_STATUSES)})`),
    check('support_conversations_priority', sql`${table.priority} in (${listed(SUPPORT_PRIORITIES)})`),
    check('support_conversations_closed', sql`(${table.status} = 'closed') = (${table.closedAt} is not null)`),
    // One open conversation a person: the second of two first messages at once joins the first.
    uniqueIndex('support_conversations_open').on(table.userId).where(sql`${table.status} = 'open'`),
    uniqueIndex('support_conversations_chatwoot').on(table.chatwootConversationId),
    index('support_conversations_user').on(table.userId, table.id),
    index('support_conversations_due').on(table.syncDueAt).where(sql`${table.syncDueAt} is not null`),
  ],
);

export const supportMessages = pgTable(
  'support_messages',
  {
    id: uuid('id').primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => supportConversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    author: text('author').$type<SupportAuthor>().notNull(),
    agentName: text('agent_name'),
    text: text('text').notNull(),
    /** The sender's idempotency key (support.send `clientId`). */
    clientId: uuid('client_id'),
    /** Chatwoot's id of the message: an agent's from the webhook, the person's once forwarded. */
    chatwootMessageId: integer('chatwoot_message_id'),
    /** When the person's message reached Chatwoot; null while waiting (always null for an agent's). */
    forwardedAt: timestamp('forwarded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('support_messages_author', sql`${table.author} in (${listed(SUPPORT_AUTHORS)})`),
    uniqueIndex('support_messages_client').on(table.userId, table.clientId),
    // A webhook delivered twice stores its message once.
    uniqueIndex('support_messages_chatwoot').on(table.chatwootMessageId),
    index('support_messages_user').on(table.userId, table.id),
    index('support_messages_waiting')
      .on(table.conversationId, table.id)
      .where(sql`${table.author} = 'user' and ${table.forwardedAt} is null`),
  ],
);
