// Tables owned by the messenger. A conversation's room actor (actors/room.ts) is the only writer
// of its messages, its counters and its members' pointers, so `last_seq` and the per-message
// `seq` move together without locks: (conversation_id, seq) is the primary key, and the unique
// (conversation_id, sender_id, client_id) turns a retried send into the message already stored.
// `published_seq` is how far the actor is known to have published messages on the room topic; a
// new activation republishes what lies after it (the topic log drops duplicates by message id).
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { CALL_END_REASONS } from '../../protocol/lists.ts';
import { userRef, users } from '../accounts/schema.ts';

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ['direct', 'group'] }).notNull(),
    /** One-to-one: the two user ids, sorted and joined by ':', so a pair has one conversation. */
    directKey: text('direct_key'),
    name: text('name'),
    pictureMediaId: uuid('picture_media_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastSeq: integer('last_seq').notNull().default(0),
    publishedSeq: integer('published_seq').notNull().default(0),
    memberCount: integer('member_count').notNull().default(0),
    /** One-to-one: end-to-end encryption is on, so the room actor takes encrypted messages only. */
    encrypted: boolean('encrypted').notNull().default(false),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Chosen by the client, the same on every retry of one create: a retry answers what the first made. */
    clientId: uuid('client_id'),
  },
  (table) => [
    uniqueIndex('conversations_direct').on(table.directKey),
    uniqueIndex('conversations_client').on(table.createdBy, table.clientId).where(sql`${table.clientId} is not null`),
    // Which conversation shows a media as its picture (media.get's access rule).
    index('conversations_picture').on(table.pictureMediaId).where(sql`${table.pictureMediaId} is not null`),
    check('conversations_kind_known', sql`${table.kind} in ('direct', 'group')`),
  ],
);

export const conversationMembers = pgTable(
  'conversation_members',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: userRef('user_id'),
    role: text('role', { enum: ['member', 'admin'] })
      .notNull()
      .default('member'),
    /** active; request (a one-to-one from someone the member has not accepted); declined; left; removed. */
    state: text('state', { enum: ['active', 'request', 'declined', 'left', 'removed'] }).notNull(),
    /** The member sees messages after this seq (those sent before they joined are not theirs). */
    joinedSeq: integer('joined_seq').notNull().default(0),
    readSeq: integer('read_seq').notNull().default(0),
    deliveredSeq: integer('delivered_seq').notNull().default(0),
    mutedUntil: timestamp('muted_until', { withTimezone: true }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.userId] }),
    index('conversation_members_user').on(table.userId, table.state),
    check('conversation_members_role_known', sql`${table.role} in ('member', 'admin')`),
    check('conversation_members_state_known', sql`${table.state} in ('active', 'request', 'declined', 'left', 'removed')`),
  ],
);

/** The states of someone still in a conversation (a pending request included). */
export const PRESENT_STATES = ['active', 'request'] as const;
export const isPresent = (state: string) => (PRESENT_STATES as readonly string[]).includes(state);

export interface StoredReaction {
  emoji: string;
  count: number;
}

/** What a `call` system message says about the call that ended. */
export interface CallSummary {
  callId: string;
  video: boolean;
  durationSeconds: number;
  outcome: (typeof CALL_END_REASONS)[number];
}

export interface SystemBody {
  action: 'created' | 'added' | 'removed' | 'left' | 'renamed' | 'picture' | 'admin' | 'accepted' | 'encrypted' | 'unencrypted' | 'call';
  actorId: string;
  userIds: string[];
  name: string | null;
  /** The `call` action's call; absent (rows written before calls existed) or null otherwise. */
  call?: CallSummary | null;
}

/** The story a message answers or reacts to (stories.reply), as it was when the message was sent. */
export interface StoryQuote {
  storyId: string;
  authorId: string;
  kind: 'reply' | 'reaction';
  mediaId: string;
  expiresAt: string;
}

export interface Attachment {
  id: string;
  /** blob: a file encrypted on the device (encrypted messages only). */
  kind: 'image' | 'video' | 'voice' | 'blob';
}

export interface EncryptedBody {
  senderKeyId: string;
  recipientKeyId: string;
  iv: string;
  ciphertext: string;
}

export const messages = pgTable(
  'messages',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    id: uuid('id').notNull(),
    senderId: uuid('sender_id').references(() => users.id, { onDelete: 'set null' }),
    clientId: uuid('client_id'),
    kind: text('kind', { enum: ['text', 'encrypted', 'system'] }).notNull(),
    text: text('text').notNull().default(''),
    /** The text folded (lower case, no accents) for search within the conversation. */
    searchText: text('search_text').notNull().default(''),
    encrypted: jsonb('encrypted').$type<EncryptedBody>(),
    system: jsonb('system').$type<SystemBody>(),
    replyToSeq: integer('reply_to_seq'),
    /** Media shown with the message (owned by the sender and ready when it was sent). */
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default(sql`'[]'::jsonb`),
    /** The story this message answers (stories.reply); its picture shows while the story lasts. */
    story: jsonb('story').$type<StoryQuote>(),
    /** A post (or reel) shared in the message: its id only, each reader opens it under their own access. */
    postId: uuid('post_id'),
    /** Counts per emoji, kept by the room actor with the rows of message_reactions. */
    reactions: jsonb('reactions').$type<StoredReaction[]>().notNull().default(sql`'[]'::jsonb`),
    pinnedAt: timestamp('pinned_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.seq] }),
    uniqueIndex('messages_client').on(table.conversationId, table.senderId, table.clientId),
    // System messages have no sender, and NULLs never clash in messages_client: a call's end message
    // (clientId = the call id) is written once per conversation even if two activations race.
    uniqueIndex('messages_system_client')
      .on(table.conversationId, table.clientId)
      .where(sql`${table.senderId} is null and ${table.clientId} is not null`),
    index('messages_pinned').on(table.conversationId, table.pinnedAt).where(sql`${table.pinnedAt} is not null`),
    // Which messages show a media (media.get's access rule).
    index('messages_attachments').using('gin', table.attachments.op('jsonb_path_ops')),
    check('messages_kind_known', sql`${table.kind} in ('text', 'encrypted', 'system')`),
  ],
);

export const messageReactions = pgTable(
  'message_reactions',
  {
    conversationId: uuid('conversation_id').notNull(),
    seq: integer('seq').notNull(),
    userId: userRef('user_id'),
    emoji: text('emoji').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.seq, table.userId] }),
    foreignKey({ columns: [table.conversationId, table.seq], foreignColumns: [messages.conversationId, messages.seq] }).onDelete('cascade'),
  ],
);

/** Public X25519 keys for end-to-end encrypted one-to-one messages; the private halves stay on devices. */
export const chatKeys = pgTable(
  'chat_keys',
  {
    id: uuid('id').primaryKey(),
    userId: userRef('user_id'),
    publicKey: text('public_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('chat_keys_user').on(table.userId, table.createdAt.desc()),
    uniqueIndex('chat_keys_user_key').on(table.userId, table.publicKey),
  ],
);
