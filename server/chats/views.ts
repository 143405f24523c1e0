// How messenger rows look on the wire (ChatMessage, Chat, ChatMember in protocol/calls/chats.ts).
// The room actor builds event bodies with these, and the reads build replies with them, so a
// message reads the same in an event and in history.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { users } from '../accounts/schema.ts';
import { profiles } from '../people/schema.ts';
import { summaryColumns, toSummary } from '../people/summaries.ts';
import type { Database } from '../platform/db/index.ts';
import { conversationMembers, messages } from './schema.ts';

export type MessageView = CallResponse<'chats.send'>;
export type ChatView = CallResponse<'chats.accept'>;
export type MessageRow = typeof messages.$inferSelect;
export type MemberRow = typeof conversationMembers.$inferSelect;

const PREVIEW_CHARS = 120;

export interface ReplyPreview {
  seq: number;
  senderId: string | null;
  preview: string;
}

/**
 * The quote of a replied-to message. A message at or before `floor` (the reader's joinedSeq; in an
 * event, the latest joinedSeq of anyone present) is not the reader's to see: its quote is empty and
 * names no sender.
 */
export function previewOf(row: Pick<MessageRow, 'seq' | 'senderId' | 'kind' | 'text' | 'deletedAt'>, floor: number): ReplyPreview {
  if (row.seq <= floor) return { seq: row.seq, senderId: null, preview: '' };
  return {
    seq: row.seq,
    senderId: row.senderId,
    preview: row.kind === 'text' && row.deletedAt === null ? row.text.slice(0, PREVIEW_CHARS) : '',
  };
}

export function messageView(row: MessageRow, replyTo: ReplyPreview | null, myReaction?: string | null): MessageView {
  return {
    conversationId: row.conversationId,
    seq: row.seq,
    id: row.id,
    senderId: row.senderId,
    clientId: row.clientId,
    kind: row.kind,
    text: row.deletedAt === null ? row.text : '',
    encrypted: row.deletedAt === null ? (row.encrypted ?? null) : null,
    replyTo,
    system: row.system === null ? null : { ...row.system, call: row.system.call ?? null },
    attachments: row.deletedAt === null ? row.attachments : [],
    story: storyOf(row),
    postId: row.deletedAt === null ? row.postId : null,
    reactions: row.deletedAt === null ? row.reactions : [],
    ...(myReaction === undefined ? {} : { myReaction }),
    pinned: row.pinnedAt !== null,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

/** The story a message answers, its picture only while the story lasts (and the message stands). */
function storyOf(row: MessageRow): MessageView['story'] {
  const quote = row.story;
  if (quote === null || row.deletedAt !== null) return null;
  const active = Date.parse(quote.expiresAt) > Date.now();
  return {
    storyId: quote.storyId,
    authorId: quote.authorId,
    kind: quote.kind,
    mediaId: active ? quote.mediaId : null,
    expiresAt: quote.expiresAt,
  };
}

const replied = alias(messages, 'replied');

/**
 * Messages matching `where`, each with the preview of the message it answers (empty when that one
 * is at or before `floorOf` its conversation, see previewOf) and, for `viewerId`, the viewer's own
 * reaction; in the order asked.
 */
export async function readMessages(
  db: Database,
  viewerId: string | undefined,
  where: SQL | undefined,
  order: SQL,
  limit: number,
  floorOf: (conversationId: string) => number,
): Promise<MessageView[]> {
  const rows = await db
    .select({
      message: messages,
      replied: { seq: replied.seq, senderId: replied.senderId, kind: replied.kind, text: replied.text, deletedAt: replied.deletedAt },
      myReaction:
        viewerId === undefined
          ? sql<null>`null`
          : sql<
              string | null
            >`(select r.emoji from message_reactions r where r.conversation_id = ${messages.conversationId} and r.seq = ${messages.seq} and r.user_id = ${viewerId})`,
    })
    .from(messages)
    .leftJoin(replied, and(eq(replied.conversationId, messages.conversationId), eq(replied.seq, messages.replyToSeq)))
    .where(where)
    .orderBy(order)
    .limit(limit);
  return rows.map((row) =>
    messageView(
      row.message,
      row.replied === null ? null : previewOf(row.replied, floorOf(row.message.conversationId)),
      viewerId === undefined ? undefined : row.message.deletedAt === null ? row.myReaction : null,
    ),
  );
}

/** How far the member has read, counting what came before they joined as read. */
export const readUpTo = (member: Pick<MemberRow, 'readSeq' | 'joinedSeq'>) => Math.max(member.readSeq, member.joinedSeq);

export function meView(member: MemberRow): ChatView['me'] {
  return {
    role: member.role,
    state: member.state === 'request' ? 'request' : 'active',
    readSeq: member.readSeq,
    joinedSeq: member.joinedSeq,
    mutedUntil: member.mutedUntil !== null && member.mutedUntil.getTime() > Date.now() ? member.mutedUntil.toISOString() : null,
  };
}

/** Members as `chats.get` and `member.changed` show them; a pending request shows no read pointer. */
export async function memberViews(db: Database, where: SQL | undefined) {
  const rows = await db
    .select({
      ...summaryColumns,
      role: conversationMembers.role,
      state: conversationMembers.state,
      readSeq: conversationMembers.readSeq,
      deliveredSeq: conversationMembers.deliveredSeq,
    })
    .from(conversationMembers)
    .innerJoin(users, eq(users.id, conversationMembers.userId))
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(where)
    .orderBy(conversationMembers.joinedAt);
  return rows.map((row) => ({
    person: toSummary(row),
    role: row.role,
    readSeq: row.state === 'request' ? 0 : row.readSeq,
    deliveredSeq: row.deliveredSeq,
  }));
}
