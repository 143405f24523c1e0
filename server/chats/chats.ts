// The messenger's entry points: conversation lists and reads straight from Postgres (each one
// checks the caller is a member and shows only what came after they joined), the creation of
// one-to-one conversations and groups, and every change, which goes to the conversation's room
// actor (actors/room.ts), the one writer of its messages.

import { and, asc, desc, eq, gt, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { RoomMessage } from '../../actors/room.ts';
import { isNoSuchRoom, notAllowed } from '../../actors/room.ts';
import type { UserMessage } from '../../actors/user.ts';
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import { CHAT_LIMITS } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { blockedBetween, isBlocked, relationFacts } from '../graph/relations.ts';
import { announceAccessChange, type SocialDeps } from '../people/context.ts';
import { allowsMessage, privacyOf } from '../people/privacy.ts';
import { profiles } from '../people/schema.ts';
import { fold, summaryColumns, toSummary } from '../people/summaries.ts';
import { decodeCursor, encodeCursor, PAGE_SIZE } from '../platform/cursor.ts';
import { anyOf, uuids } from '../platform/db/any-of.ts';
import { createOnce } from '../platform/db/once.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { checkPlainText, cleanName } from '../platform/input.ts';
import type { RetainedFrame } from '../platform/topics/index.ts';
import { visibleTo } from '../posts/visibility.ts';
import { logOnReel } from '../reels/log.ts';
import { mayWriteDirect } from './consent.ts';
import { reviewRoomReplay } from './replay.ts';
import { chatKeys, conversationMembers, conversations, messages, PRESENT_STATES, type StoryQuote } from './schema.ts';
import { type ChatView, type MemberRow, type MessageView, memberViews, meView, readMessages, readUpTo } from './views.ts';

type ConversationRow = typeof conversations.$inferSelect;

/** SQL: a conversation shows the media `mediaId` (an SQL expression) as its picture. */
export function conversationsUseMedia(mediaId: SQL): SQL {
  return sql`exists (select 1 from conversations c where c.picture_media_id = ${mediaId})`;
}

/** SQL: a message not deleted carries the media `mediaId` (an SQL expression). */
export function messagesUseMedia(mediaId: SQL): SQL {
  return sql`exists (select 1 from messages msg
    where msg.attachments @> jsonb_build_array(jsonb_build_object('id', ${mediaId}::text)) and msg.deleted_at is null)`;
}

/** SQL: the media `mediaId` (an SQL expression) is the picture of a conversation `viewerId` is in,
 * or attached to a message of one that they can read (not deleted, sent after they joined). The
 * rows showing the media are found first, through their indexes (`offset 0` keeps the planner
 * from starting at the viewer's conversations instead, which grows with their history), then the
 * viewer's membership of each by its key. */
export function chatsShowMedia(viewerId: string, mediaId: SQL): SQL {
  const member = (conversation: SQL, seenSince = sql`true`) => sql`exists (select 1 from conversation_members cm
    where cm.conversation_id = ${conversation} and cm.user_id = ${viewerId} and ${inArray(sql`cm.state`, [...PRESENT_STATES])} and ${seenSince})`;
  return sql`(exists (select 1 from (select c.id from conversations c where c.picture_media_id = ${mediaId} offset 0) c
      where ${member(sql`c.id`)})
    or exists (select 1 from (select msg.conversation_id, msg.seq from messages msg
        where msg.attachments @> jsonb_build_array(jsonb_build_object('id', ${mediaId}::text)) and msg.deleted_at is null offset 0) msg
      where ${member(sql`msg.conversation_id`, sql`msg.seq > cm.joined_seq`)}))`;
}

export class Chats {
  readonly #deps: SocialDeps;
  constructor(deps: SocialDeps) {
    this.#deps = deps;
  }

  get #db() {
    return this.#deps.db;
  }

  /** Asks the room actor; its refusals (NOT_FOUND, MESSAGE_NOT_ALLOWED, …) reach the caller as they are. */
  async room<R>(conversationId: string, message: RoomMessage): Promise<R> {
    const answer = await this.#deps.actors.ask('room', conversationId, message);
    if (isNoSuchRoom(answer)) throw new NotFoundError('conversation');
    return answer as R;
  }

  revokeAccess(conversationId: string): void {
    announceAccessChange(this.#deps, { topics: [`room:${conversationId}`] });
  }

  /** May `adderId` put `userId` in a group: they exist, no block either way, and their settings let the adder message them. */
  async mayAdd(adderId: string, userId: string): Promise<boolean> {
    if (adderId === userId) return false;
    const [exists] = await this.#db.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (exists === undefined) return false;
    const facts = await relationFacts(this.#db, adderId, userId);
    return allowsMessage(await privacyOf(this.#db, userId), facts);
  }

  /** Memberships with their conversations, ready for `.where(…)`. */
  #memberships() {
    return this.#db
      .select({ conversation: conversations, member: conversationMembers })
      .from(conversationMembers)
      .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId));
  }

  async #membership(userId: string, conversationId: string): Promise<{ conversation: ConversationRow; member: MemberRow }> {
    const [row] = await this.#memberships().where(
      and(
        eq(conversationMembers.conversationId, conversationId),
        eq(conversationMembers.userId, userId),
        inArray(conversationMembers.state, [...PRESENT_STATES]),
      ),
    );
    if (row === undefined) throw new NotFoundError('conversation');
    return row;
  }

  async #views(viewerId: string, rows: { conversation: ConversationRow; member: MemberRow }[]): Promise<ChatView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.conversation.id);
    const direct = rows.filter((row) => row.conversation.kind === 'direct').map((row) => row.conversation.id);
    const joinedSeqOf = new Map(rows.map((row) => [row.conversation.id, row.member.joinedSeq]));
    const [peers, last] = await Promise.all([
      direct.length === 0
        ? []
        : this.#db
            .select({ conversationId: conversationMembers.conversationId, ...summaryColumns })
            .from(conversationMembers)
            .innerJoin(users, eq(users.id, conversationMembers.userId))
            .leftJoin(profiles, eq(profiles.userId, users.id))
            .where(and(anyOf(conversationMembers.conversationId, direct), ne(conversationMembers.userId, viewerId))),
      readMessages(
        this.#db,
        viewerId,
        sql`(${messages.conversationId}, ${messages.seq}) in (select c.id, c.last_seq from conversations c where c.id = any(${uuids(ids)}))`,
        asc(messages.seq),
        ids.length,
        (conversationId) => joinedSeqOf.get(conversationId) ?? Number.MAX_SAFE_INTEGER,
      ),
    ]);
    const peerOf = new Map(peers.map((row) => [row.conversationId, toSummary(row)]));
    const lastOf = new Map(last.map((message) => [message.conversationId, message]));
    return rows.map(({ conversation, member }) => {
      const lastMessage = lastOf.get(conversation.id);
      return {
        id: conversation.id,
        kind: conversation.kind,
        name: conversation.name,
        pictureMediaId: conversation.pictureMediaId,
        peer: peerOf.get(conversation.id) ?? null,
        memberCount: conversation.memberCount,
        lastSeq: conversation.lastSeq,
        unread: Math.max(0, conversation.lastSeq - readUpTo(member)),
        lastMessage: lastMessage !== undefined && lastMessage.seq > member.joinedSeq ? lastMessage : null,
        lastActivityAt: conversation.lastActivityAt.toISOString(),
        encrypted: conversation.encrypted,
        me: meView(member),
      };
    });
  }

  async summary(userId: string, conversationId: string): Promise<ChatView> {
    const [view] = await this.#views(userId, [await this.#membership(userId, conversationId)]);
    return view as ChatView;
  }

  async list(userId: string, request: CallRequest<'chats.list'>): Promise<CallResponse<'chats.list'>> {
    const after = decodeCursor(request.cursor, 2);
    const state = request.folder === 'requests' ? 'request' : 'active';
    const rows = await this.#memberships()
      .where(
        and(
          eq(conversationMembers.userId, userId),
          eq(conversationMembers.state, state),
          gt(conversations.lastSeq, 0),
          after === undefined
            ? undefined
            : or(
                lt(conversations.lastActivityAt, new Date(after[0] as string)),
                and(eq(conversations.lastActivityAt, new Date(after[0] as string)), lt(conversations.id, after[1] as string)),
              ),
        ),
      )
      .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
      .limit(PAGE_SIZE + 1);
    const page = rows.slice(0, PAGE_SIZE);
    const last = page.at(-1);
    return {
      items: await this.#views(userId, page),
      nextCursor:
        rows.length > PAGE_SIZE && last !== undefined
          ? encodeCursor([last.conversation.lastActivityAt.toISOString(), last.conversation.id])
          : null,
    };
  }

  async get(userId: string, conversationId: string): Promise<CallResponse<'chats.get'>> {
    const found = await this.#membership(userId, conversationId);
    const [[chat], members] = await Promise.all([
      this.#views(userId, [found]),
      memberViews(
        this.#db,
        and(eq(conversationMembers.conversationId, conversationId), inArray(conversationMembers.state, [...PRESENT_STATES])),
      ),
    ]);
    let e2eeAvailable = false;
    let canSend = true;
    if (found.conversation.kind === 'direct') {
      const [peer] = await this.#db
        .select({ id: conversationMembers.userId, state: conversationMembers.state })
        .from(conversationMembers)
        .where(and(eq(conversationMembers.conversationId, conversationId), ne(conversationMembers.userId, userId)));
      canSend = peer !== undefined && (await mayWriteDirect(this.#db, userId, peer, found.conversation.createdBy));
      const keyed = await this.#db
        .selectDistinct({ userId: chatKeys.userId })
        .from(chatKeys)
        .where(
          anyOf(
            chatKeys.userId,
            members.map((member) => member.person.id),
          ),
        );
      e2eeAvailable = keyed.length === 2;
    }
    return { chat: chat as ChatView, members, e2eeAvailable, canSend };
  }

  async direct(userId: string, peerId: string): Promise<CallResponse<'chats.direct'>> {
    const [row] = await this.#db
      .select({ id: conversations.id })
      .from(conversations)
      .innerJoin(conversationMembers, eq(conversationMembers.conversationId, conversations.id))
      .where(and(eq(conversations.directKey, directKey(userId, peerId)), eq(conversationMembers.userId, userId)));
    return { conversationId: row?.id ?? null };
  }

  /** The one-to-one conversation of the pair, created when the first message goes out. */
  async #openDirect(userId: string, peerId: string): Promise<string> {
    if (peerId === userId) throw new InvalidInputError('a conversation needs someone else', { field: 'to' });
    const key = directKey(userId, peerId);
    const existing = await this.#db.select({ id: conversations.id }).from(conversations).where(eq(conversations.directKey, key));
    if (existing[0] !== undefined) return existing[0].id;
    const [peer] = await this.#db.select({ id: users.id }).from(users).where(eq(users.id, peerId));
    const facts = await relationFacts(this.#db, userId, peerId);
    if (peer === undefined || isBlocked(facts)) throw new NotFoundError('person');
    if (!allowsMessage(await privacyOf(this.#db, peerId), facts)) throw notAllowed();
    const now = new Date();
    const id = Bun.randomUUIDv7();
    const created = await this.#db.transaction(async (tx) => {
      const inserted = await tx
        .insert(conversations)
        .values({ id, kind: 'direct', directKey: key, createdBy: userId, memberCount: 2, lastActivityAt: now, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: conversations.id });
      if (inserted.length === 0) return false;
      await tx.insert(conversationMembers).values([
        { conversationId: id, userId, state: 'active', joinedAt: now },
        // From someone who is not a friend, it waits in the other person's requests.
        { conversationId: id, userId: peerId, state: facts.friends ? 'active' : 'request', joinedAt: now },
      ]);
      return true;
    });
    if (created) return id;
    // The other person (or another request) opened it at the same moment: theirs is the one.
    const [row] = await this.#db.select({ id: conversations.id }).from(conversations).where(eq(conversations.directKey, key));
    return (row as { id: string }).id;
  }

  async send(userId: string, request: CallRequest<'chats.send'>): Promise<MessageView> {
    if ((request.conversationId === undefined) === (request.to === undefined))
      throw new InvalidInputError('give exactly one of conversationId and to', { field: 'conversationId' });
    const text = request.text?.trim() ?? '';
    const attachmentIds = request.attachments ?? [];
    if (text !== '' && request.encrypted !== undefined)
      throw new InvalidInputError('a message has text or encrypted content, not both', { field: 'text' });
    if (text === '' && request.encrypted === undefined && attachmentIds.length === 0 && request.post === undefined)
      throw new InvalidInputError('a message needs text, encrypted content, attachments or a post', { field: 'text' });
    if (text !== '') checkPlainText(text, 'text');
    if (request.encrypted !== undefined) checkBase64Lengths(request.encrypted);
    // Its key is salted with the conversation id, so encryption starts once the conversation exists.
    if (request.encrypted !== undefined && request.to !== undefined)
      throw new InvalidInputError('encrypted messages go to an existing conversation', { field: 'encrypted' });
    // Whether a blob may go with this message is the room's rule (encrypted conversations only).
    const attachments = (await this.#deps.media.attachable(userId, attachmentIds, ['image', 'video', 'voice', 'blob'])).map(
      ({ id, kind }) => ({ id, kind }),
    );
    if (request.post !== undefined) await this.#mayShare(userId, request.post);
    const conversationId = request.conversationId ?? (await this.#openDirect(userId, request.to as string));
    const sent = await this.room<MessageView>(conversationId, {
      op: 'send',
      userId,
      clientId: request.clientId,
      ...(text === '' ? {} : { text }),
      ...(request.encrypted === undefined ? {} : { encrypted: request.encrypted }),
      ...(request.replyTo === undefined ? {} : { replyTo: request.replyTo }),
      ...(attachments.length === 0 ? {} : { attachments }),
      ...(request.post === undefined ? {} : { postId: request.post }),
    });
    // A reel shared in a chat is a share in its log (once per message: a retry answers the same one).
    if (request.post !== undefined) await logOnReel(this.#deps.db, request.post, userId, 'share', sent.id);
    return sent;
  }

  /** A post the sender may see (NOT_FOUND otherwise: nobody learns of a post by sharing its id). */
  async #mayShare(userId: string, postId: string): Promise<void> {
    const [found] = rowsOf<{ id: string }>(
      await this.#deps.db.execute(sql`select p.id from posts p where p.id = ${postId} and ${visibleTo(userId)}`),
    );
    if (found === undefined) throw new NotFoundError('post');
  }

  /**
   * A message to a story's author quoting the story (stories.reply checked that the sender may see
   * it): in their one-to-one conversation, under the same rules as any message to them.
   */
  async sendStoryReply(userId: string, story: StoryQuote, text: string, clientId: string): Promise<MessageView> {
    checkPlainText(text, 'text');
    const conversationId = await this.#openDirect(userId, story.authorId);
    return this.room(conversationId, { op: 'send', userId, clientId, text, story });
  }

  /** With `clientId`, a retry answers the group the first attempt made (platform/db/once.ts). */
  createGroup(userId: string, request: CallRequest<'chats.createGroup'>): Promise<ChatView> {
    return createOnce(
      request.clientId,
      async (clientId) => {
        const [row] = await this.#db
          .select({ id: conversations.id })
          .from(conversations)
          .where(and(eq(conversations.createdBy, userId), eq(conversations.clientId, clientId)));
        return row === undefined ? undefined : this.summary(userId, row.id);
      },
      () => this.#createGroup(userId, request),
    );
  }

  async #createGroup(userId: string, request: CallRequest<'chats.createGroup'>): Promise<ChatView> {
    const name = cleanName(request.name, 'name', { required: true });
    const allowed = await Promise.all(request.userIds.map((id) => this.mayAdd(userId, id)));
    if (allowed.includes(false)) throw new NotFoundError('person');
    if (request.pictureMediaId !== undefined) await this.#deps.media.attachable(userId, [request.pictureMediaId], ['image']);
    const now = new Date();
    const id = Bun.randomUUIDv7();
    const everyone = [userId, ...request.userIds];
    await this.#db.transaction(async (tx) => {
      await tx.insert(conversations).values({
        id,
        kind: 'group',
        name,
        pictureMediaId: request.pictureMediaId ?? null,
        createdBy: userId,
        lastSeq: 1,
        publishedSeq: 1,
        memberCount: everyone.length,
        lastActivityAt: now,
        createdAt: now,
        clientId: request.clientId ?? null,
      });
      await tx.insert(conversationMembers).values(
        everyone.map((member) => ({
          conversationId: id,
          userId: member,
          role: member === userId ? ('admin' as const) : ('member' as const),
          state: 'active' as const,
          joinedAt: now,
          readSeq: member === userId ? 1 : 0,
        })),
      );
      await tx.insert(messages).values({
        conversationId: id,
        seq: 1,
        id: Bun.randomUUIDv7(),
        kind: 'system',
        system: { action: 'created', actorId: userId, userIds: request.userIds, name },
        createdAt: now,
      });
    });
    this.#deps.actors.tellMany(
      'user',
      request.userIds.map((member) => ({
        id: member,
        message: { op: 'chatUnread', conversationId: id, unread: 1, mutedUntil: null, request: false } satisfies UserMessage,
      })),
    );
    return this.summary(userId, id);
  }

  /** What the member may replay of the conversation's topic after a reconnect (see replay.ts). */
  async replay(userId: string, conversationId: string, frames: RetainedFrame[]): Promise<RetainedFrame[] | 'reset'> {
    const { member } = await this.#membership(userId, conversationId);
    return reviewRoomReplay(this.#db, conversationId, member.joinedSeq, frames);
  }

  async history(userId: string, request: CallRequest<'chats.history'>): Promise<CallResponse<'chats.history'>> {
    const { member } = await this.#membership(userId, request.conversationId);
    const limit = CHAT_LIMITS.historyPage;
    const here = eq(messages.conversationId, request.conversationId);
    const visible = gt(messages.seq, member.joinedSeq);
    const floor = () => member.joinedSeq;
    if (request.after !== undefined) {
      const items = await readMessages(
        this.#db,
        userId,
        and(here, visible, gt(messages.seq, request.after)),
        asc(messages.seq),
        limit + 1,
        floor,
      );
      return { items: items.slice(0, limit), more: items.length > limit };
    }
    const before = request.before === undefined ? undefined : lt(messages.seq, request.before);
    const items = await readMessages(this.#db, userId, and(here, visible, before), desc(messages.seq), limit + 1, floor);
    return { items: items.slice(0, limit).reverse(), more: items.length > limit };
  }

  async pins(userId: string, conversationId: string): Promise<CallResponse<'chats.pins'>> {
    const { member } = await this.#membership(userId, conversationId);
    const items = await readMessages(
      this.#db,
      userId,
      and(eq(messages.conversationId, conversationId), gt(messages.seq, member.joinedSeq), sql`${messages.pinnedAt} is not null`),
      desc(messages.pinnedAt),
      CHAT_LIMITS.pins,
      () => member.joinedSeq,
    );
    return { items };
  }

  async search(userId: string, request: CallRequest<'chats.search'>): Promise<CallResponse<'chats.search'>> {
    const { member } = await this.#membership(userId, request.conversationId);
    const after = decodeCursor(request.cursor, 1);
    const words = fold(request.query).split(/\s+/).filter(Boolean);
    if (words.length === 0) throw new InvalidInputError('search for some words', { field: 'query' });
    const matches: SQL[] = words.map((word) => sql`${messages.searchText} like ${`%${word.replace(/[\\%_]/g, '\\$&')}%`}`);
    const items = await readMessages(
      this.#db,
      userId,
      and(
        eq(messages.conversationId, request.conversationId),
        gt(messages.seq, member.joinedSeq),
        sql`${messages.deletedAt} is null`,
        after === undefined ? undefined : lt(messages.seq, Number(after[0])),
        ...matches,
      ),
      desc(messages.seq),
      PAGE_SIZE + 1,
      () => member.joinedSeq,
    );
    const page = items.slice(0, PAGE_SIZE);
    const last = page.at(-1);
    return { items: page, nextCursor: items.length > PAGE_SIZE && last !== undefined ? encodeCursor([String(last.seq)]) : null };
  }

  async publishKey(userId: string, publicKey: string): Promise<CallResponse<'keys.publish'>> {
    if (Buffer.from(publicKey, 'base64').length !== 32)
      throw new InvalidInputError('an X25519 public key is 32 bytes', { field: 'publicKey' });
    const [row] = await this.#db
      .insert(chatKeys)
      .values({ id: Bun.randomUUIDv7(), userId, publicKey, createdAt: new Date() })
      .onConflictDoUpdate({ target: [chatKeys.userId, chatKeys.publicKey], set: { createdAt: new Date() } })
      .returning({ keyId: chatKeys.id });
    return row as { keyId: string };
  }

  async keys(viewerId: string, userId: string): Promise<CallResponse<'keys.get'>> {
    if (viewerId !== userId && (await blockedBetween(this.#db, viewerId, userId))) throw new NotFoundError('keys');
    const rows = await this.#db.select().from(chatKeys).where(eq(chatKeys.userId, userId)).orderBy(desc(chatKeys.createdAt)).limit(20);
    if (rows.length === 0) throw new NotFoundError('keys');
    return { keys: rows.map((row) => ({ keyId: row.id, publicKey: row.publicKey, createdAt: row.createdAt.toISOString() })) };
  }
}

const directKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

function checkBase64Lengths(encrypted: { iv: string; ciphertext: string }): void {
  if (Buffer.from(encrypted.iv, 'base64').length !== 12)
    throw new InvalidInputError('the AES-GCM nonce is 12 bytes', { field: 'encrypted.iv' });
  // 16 bytes of tag at least.
  if (Buffer.from(encrypted.ciphertext, 'base64').length < 16)
    throw new InvalidInputError('the ciphertext is shorter than its tag', { field: 'encrypted.ciphertext' });
}
