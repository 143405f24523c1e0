// The SQL of one conversation's writes, used only by its room actor (actors/room.ts), which is
// their single caller per conversation: each write is one transaction, and the actor updates its
// hot state only after it committed.
import { and, asc, count, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { fold } from '../people/summaries.ts';
import { anyOf } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import {
  type Attachment,
  conversationMembers,
  conversations,
  type EncryptedBody,
  messageReactions,
  messages,
  type StoredReaction,
  type StoryQuote,
  type SystemBody,
} from './schema.ts';
import { type MemberRow, type MessageView, memberViews, readMessages } from './views.ts';

export interface Conversation {
  kind: 'direct' | 'group';
  name: string | null;
  pictureMediaId: string | null;
  lastSeq: number;
  publishedSeq: number;
  memberCount: number;
  /** Who started it (a one-to-one stays open to the person its starter wrote to). */
  createdBy: string | null;
  encrypted: boolean;
}

export type Member = Pick<MemberRow, 'role' | 'state' | 'joinedSeq' | 'readSeq' | 'deliveredSeq' | 'mutedUntil' | 'joinedAt'>;
export type MemberChange = { userId: string } & Partial<Member>;

interface NewMessage {
  seq: number;
  senderId: string | null;
  clientId: string | null;
  kind: 'text' | 'encrypted' | 'system';
  text: string;
  encrypted: EncryptedBody | null;
  replyToSeq: number | null;
  attachments?: Attachment[];
  system?: SystemBody;
  story?: StoryQuote | null;
  postId?: string | null;
}

type MessageRow = typeof messages.$inferSelect;

export function chatWrites(db: Database, conversationId: string) {
  const here = eq(messages.conversationId, conversationId);
  const at = (seq: number) => and(here, eq(messages.seq, seq));
  const memberOf = (userId: string) => and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId));

  /** One statement (one round trip, its own transaction): the message, the conversation's counters
   * and the sender's pointers. Nothing is changed when the seq or the clientId is taken. */
  async function insert(tx: Database, message: NewMessage, publishedSeq: number, memberCount?: number): Promise<MessageRow | undefined> {
    const createdAt = new Date();
    const inserted = tx.$with('inserted').as(
      tx
        .insert(messages)
        .values({
          conversationId,
          id: Bun.randomUUIDv7(),
          ...message,
          searchText: message.kind === 'text' ? fold(message.text) : '',
          createdAt,
        })
        .onConflictDoNothing()
        .returning(),
    );
    const stored = sql`exists (select 1 from ${inserted})`;
    const counters = tx.$with('counters').as(
      tx
        .update(conversations)
        .set({ lastSeq: message.seq, publishedSeq, lastActivityAt: createdAt, ...(memberCount === undefined ? {} : { memberCount }) })
        .where(and(eq(conversations.id, conversationId), stored))
        .returning({ id: conversations.id }),
    );
    const pointers = tx.$with('pointers').as(
      tx
        .update(conversationMembers)
        .set({ readSeq: message.seq, deliveredSeq: message.seq })
        .where(and(memberOf(message.senderId ?? '00000000-0000-0000-0000-000000000000'), stored))
        .returning({ userId: conversationMembers.userId }),
    );
    const [row] = await tx.with(inserted, counters, pointers).select().from(inserted);
    return row as MessageRow | undefined;
  }

  return {
    async load(): Promise<{ conversation: Conversation; members: Map<string, Member> } | undefined> {
      const [[row], rows] = await Promise.all([
        db.select().from(conversations).where(eq(conversations.id, conversationId)),
        db.select().from(conversationMembers).where(eq(conversationMembers.conversationId, conversationId)),
      ]);
      if (row === undefined) return undefined;
      return {
        conversation: {
          kind: row.kind,
          name: row.name,
          pictureMediaId: row.pictureMediaId,
          lastSeq: row.lastSeq,
          publishedSeq: row.publishedSeq,
          memberCount: row.memberCount,
          createdBy: row.createdBy,
          encrypted: row.encrypted,
        },
        members: new Map(
          rows.map(({ userId, role, state, joinedSeq, readSeq, deliveredSeq, mutedUntil, joinedAt }) => [
            userId,
            { role, state, joinedSeq, readSeq, deliveredSeq, mutedUntil, joinedAt },
          ]),
        ),
      };
    },

    /** Messages after `seq` as events carry them (quotes hidden at or before `floor`, see previewOf). */
    messagesAfter: (seq: number, floor: number): Promise<MessageView[]> =>
      readMessages(db, undefined, and(here, gt(messages.seq, seq)), asc(messages.seq), 10_000, () => floor),

    async setPublished(seq: number): Promise<void> {
      await db.update(conversations).set({ publishedSeq: seq }).where(eq(conversations.id, conversationId));
    },

    async byClientId(senderId: string, clientId: string, floor: number): Promise<MessageView | undefined> {
      const [found] = await readMessages(
        db,
        undefined,
        and(here, eq(messages.senderId, senderId), eq(messages.clientId, clientId)),
        asc(messages.seq),
        1,
        () => floor,
      );
      return found;
    },

    /** Whether the system message named `clientId` was written (through messages_client's index). */
    async systemMessageExists(clientId: string): Promise<boolean> {
      const [row] = await db
        .select({ seq: messages.seq })
        .from(messages)
        .where(and(here, isNull(messages.senderId), eq(messages.clientId, clientId)))
        .limit(1);
      return row !== undefined;
    },

    async message(seq: number): Promise<MessageRow | undefined> {
      const [row] = await db.select().from(messages).where(at(seq));
      return row;
    },

    /** Stores a message as seq `message.seq`, moving the conversation's last seq (and the sender's
     * pointers); undefined, changing nothing, when that seq or the sender's clientId is taken. */
    insertMessage: (message: NewMessage, publishedSeq: number): Promise<MessageRow | undefined> => insert(db, message, publishedSeq),

    async lastSeq(): Promise<number> {
      const [row] = await db.select({ lastSeq: conversations.lastSeq }).from(conversations).where(eq(conversations.id, conversationId));
      return row?.lastSeq ?? 0;
    },

    async updateMessage(seq: number, set: Partial<Pick<MessageRow, 'text' | 'editedAt' | 'pinnedAt'>>): Promise<MessageRow> {
      const searchText = set.text === undefined ? {} : { searchText: fold(set.text) };
      const [row] = await db
        .update(messages)
        .set({ ...set, ...searchText })
        .where(at(seq))
        .returning();
      return row as MessageRow;
    },

    tombstone: (seq: number): Promise<MessageRow> =>
      db.transaction(async (tx) => {
        await tx.delete(messageReactions).where(and(eq(messageReactions.conversationId, conversationId), eq(messageReactions.seq, seq)));
        const [row] = await tx
          .update(messages)
          .set({ text: '', searchText: '', encrypted: null, attachments: [], reactions: [], pinnedAt: null, deletedAt: new Date() })
          .where(at(seq))
          .returning();
        return row as MessageRow;
      }),

    /** Sets (or with null removes) the user's one reaction and returns the counts after it. */
    react: (seq: number, userId: string, emoji: string | null): Promise<StoredReaction[]> =>
      db.transaction(async (tx) => {
        const mine = and(
          eq(messageReactions.conversationId, conversationId),
          eq(messageReactions.seq, seq),
          eq(messageReactions.userId, userId),
        );
        if (emoji === null) await tx.delete(messageReactions).where(mine);
        else
          await tx
            .insert(messageReactions)
            .values({ conversationId, seq, userId, emoji, createdAt: new Date() })
            .onConflictDoUpdate({
              target: [messageReactions.conversationId, messageReactions.seq, messageReactions.userId],
              set: { emoji },
            });
        const counts = await tx
          .select({ emoji: messageReactions.emoji, count: count() })
          .from(messageReactions)
          .where(and(eq(messageReactions.conversationId, conversationId), eq(messageReactions.seq, seq)))
          .groupBy(messageReactions.emoji)
          .orderBy(sql`count(*) desc`, messageReactions.emoji);
        await tx.update(messages).set({ reactions: counts }).where(at(seq));
        return counts;
      }),

    async pinCount(): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(messages)
        .where(and(here, isNotNull(messages.pinnedAt)));
      return row?.n ?? 0;
    },

    async setMember(userId: string, set: Partial<Member>): Promise<void> {
      await db.update(conversationMembers).set(set).where(memberOf(userId));
    },

    /** A membership change and the system message that tells it, in one transaction. */
    systemChange: (
      seq: number,
      publishedSeq: number,
      system: SystemBody,
      members: MemberChange[],
      memberCount: number,
      change: Partial<Pick<Conversation, 'name' | 'pictureMediaId' | 'encrypted'>> = {},
      /** Names a system message that must be written once (a call's: its id), see systemMessageExists. */
      clientId: string | null = null,
    ): Promise<MessageRow> =>
      db.transaction(async (tx) => {
        for (const { userId, ...set } of members) {
          if (set.joinedAt !== undefined)
            await tx
              .insert(conversationMembers)
              .values({ conversationId, userId, role: 'member', state: 'active', ...set, joinedAt: set.joinedAt })
              .onConflictDoUpdate({ target: [conversationMembers.conversationId, conversationMembers.userId], set });
          else await tx.update(conversationMembers).set(set).where(memberOf(userId));
        }
        if (Object.keys(change).length > 0) await tx.update(conversations).set(change).where(eq(conversations.id, conversationId));
        const row = await insert(
          tx,
          { seq, senderId: null, clientId, kind: 'system', text: '', encrypted: null, replyToSeq: null, system },
          publishedSeq,
          memberCount,
        );
        // Only a second writer could have taken the seq (a holder that lost its lease): roll back.
        if (row === undefined) throw new Error(`seq ${seq} of conversation ${conversationId} is taken`);
        return row;
      }),

    /** The members' views, by user id, in one query. */
    async memberViewsOf(userIds: readonly string[]) {
      const views = await memberViews(
        db,
        and(eq(conversationMembers.conversationId, conversationId), anyOf(conversationMembers.userId, [...userIds])),
      );
      return new Map(views.map((view) => [view.person.id, view]));
    },
  };
}

export type ChatWrites = ReturnType<typeof chatWrites>;
