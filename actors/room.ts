// RoomActor (`room:<conversationId>`): owns one conversation's hot state: its members (role,
// state, read and delivery pointers, mute), the last seq given, how far messages were published,
// the typing throttle and the unread counts still to tell. It is the only writer of the
// conversation's messages, counters and pointers, so seqs are handed out without locks.
//
// Persistence: every change is committed to Postgres before it is published on `room:<id>` and
// before the caller hears it succeeded, in that order; a message is answered only once it is both
// stored and published. On activation it loads the conversation and its members, and republishes
// the messages after `published_seq` (the topic log drops those already published, by message
// id), so a node killed between commit and publish loses nothing. A retried send (same sender
// and clientId) is answered with the stored message. Passivated after 5 minutes without messages.
//
// In a one-to-one conversation every send, edit and reaction is checked against the other
// person's current settings (server/chats/consent.ts), not only the first message: a change to
// `messages: nobody` closes the conversation to a stranger at once (typing stops showing too).
// Calls (actors/call.ts) ask it the same question before they ring (`callCheck`), and have it write
// the system message that tells how a call ended (`callEnded`, once per call: its id is the
// message's clientId).
import { sql } from 'drizzle-orm';
import { CHAT_LIMITS } from '../protocol/lists.ts';
import { mayWriteDirect } from '../server/chats/consent.ts';
import { E2eeRequiredError } from '../server/chats/errors.ts';
import type { MessageWriter } from '../server/chats/message-writer.ts';
import {
  type Attachment,
  type CallSummary,
  type EncryptedBody,
  isPresent,
  type StoryQuote,
  type SystemBody,
} from '../server/chats/schema.ts';
import type { SendLimit } from '../server/chats/send-limit.ts';
import { type MessageRow, type MessageView, messageView, previewOf, type ReplyPreview, readUpTo } from '../server/chats/views.ts';
import { type ChatWrites, type Conversation, chatWrites, type Member, type MemberChange } from '../server/chats/writes.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, type RateLimitedError } from '../server/errors.ts';
import { notBlockedWith } from '../server/graph/relations.ts';
import type { MessagePush } from '../server/notifications/notifier.ts';
import { fold } from '../server/people/summaries.ts';
import { uuids } from '../server/platform/db/any-of.ts';
import type { Database } from '../server/platform/db/index.ts';
import { rowsOf } from '../server/platform/db/rows.ts';
import { violatedUniqueConstraint } from '../server/platform/db/unique.ts';
import type { Logger } from '../server/platform/log.ts';
import type { TopicLog } from '../server/platform/topics/index.ts';
import { type ActorContext, type ActorKind, type BatchResult, noReply, type Outcome, reply } from './types.ts';
import type { UserMessage } from './user.ts';

export type RoomMessage =
  | {
      op: 'send';
      userId: string;
      clientId: string;
      text?: string;
      encrypted?: EncryptedBody;
      replyTo?: number;
      attachments?: Attachment[];
      /** A reply to a story (stories.reply; never from chats.send). */
      story?: StoryQuote;
      /** A post shared (the sender may see it: chats.send checked). */
      postId?: string;
    }
  | { op: 'edit'; userId: string; seq: number; text: string }
  | { op: 'delete'; userId: string; seq: number }
  | { op: 'react'; userId: string; seq: number; emoji: string | null }
  | { op: 'pin'; userId: string; seq: number; pinned: boolean }
  | { op: 'typing'; userId: string }
  | { op: 'read'; userId: string; seq: number }
  | { op: 'delivered'; userId: string; seq: number }
  | { op: 'accept'; userId: string }
  | { op: 'decline'; userId: string }
  | { op: 'mute'; userId: string; until: string | null }
  | { op: 'leave'; userId: string }
  | { op: 'add'; userId: string; userIds: string[] }
  | { op: 'remove'; userId: string; target: string }
  | { op: 'setAdmin'; userId: string; target: string; admin: boolean }
  | { op: 'update'; userId: string; name?: string; pictureMediaId?: string | null }
  | { op: 'encryption'; userId: string; encrypted: boolean }
  /** May `userId` call this conversation (as they may write to it)? Answers whom the call rings. */
  | { op: 'callCheck'; userId: string }
  /** A call of the conversation ended (actors/call.ts): its system message, written once per call. */
  | { op: 'callEnded'; system: SystemBody & { call: CallSummary } }
  | { op: 'tellUnread' };

/** The answer to `callCheck`. */
export interface CallCheck {
  kind: 'direct' | 'group';
  invitees: string[];
}

type Send = Extract<RoomMessage, { op: 'send' }>;

/** A send that passed its checks, with its place in the batch and the quote it replies to. */
interface CheckedSend {
  index: number;
  input: Send;
  member: Member;
  replyTo: ReplyPreview | null;
}

export interface RoomActorDeps {
  db: Database;
  /** The node's group commit of messages, shared by its rooms. */
  writer: MessageWriter;
  topics: TopicLog;
  log: Logger;
  /** CHAT_MESSAGES_PER_MINUTE per sender (server/chats/send-limit.ts), shared by the node's rooms. */
  sendLimit: SendLimit;
  /** Ends the room topic for people who are no longer members (gateways re-check followers). */
  revokeAccess(conversationId: string): void;
  /** May `userId` be added to a group by `adderId` (not blocked, and their settings allow it)? */
  mayAdd(adderId: string, userId: string): Promise<boolean>;
  /** CALL_RING_MEMBERS: a group call rings at most this many members (the most recently active). */
  ringMembers: number;
  idleMs?: number;
}

const TYPING_EVERY_MS = 2000;
/**
 * Sends stored and published together at most. An entry of the topic log must fit in one NATS
 * message (1 MiB by default): 16 of the largest message.new events (24,000 characters of
 * ciphertext, a quote) stay well under it.
 */
const SEND_BATCH = 16;
const UNREAD_BATCH_MS = 100;
/**
 * Sends remembered for retries, at most: a retry comes within the client's repeat window (15 s,
 * PROTOCOL.md), so a minute is plenty; a retry later than that finds its message through the
 * (sender, clientId) unique key instead. Kept by count alone, every room held its last 4,096 keys
 * (about 300 KB) for as long as it lived, and the soak's heap grew by a key per message.
 */
const RECENT_SENDS = 1024;
const RECENT_SENDS_MS = 60_000;

/** What a push says about a message: its text, or what it holds when there is no text to show. */
function pushOf(
  conversationId: string,
  conversation: Conversation,
  row: { senderId: string | null; kind: string; text: string; attachments: Attachment[]; postId: string | null },
): MessagePush {
  const base = { conversationId, senderId: row.senderId as string, groupName: conversation.kind === 'group' ? conversation.name : null };
  if (row.kind === 'encrypted') return { ...base, text: '', gist: 'encrypted' };
  if (row.text !== '') return { ...base, text: row.text.slice(0, 120) };
  const first = row.attachments[0]?.kind;
  if (first === undefined && row.postId !== null) return { ...base, text: '', gist: 'post' };
  return {
    ...base,
    text: '',
    gist: first === 'image' ? 'photo' : first === 'video' ? 'video' : first === 'voice' ? 'voice' : 'attachment',
  };
}

type ChatUnread = Extract<UserMessage, { op: 'chatUnread' }>;

/** What a send of a batch gets if nothing below answers it (never, unless a bug): one error for all, not one stack trace per send. */
const UNANSWERED = new Error('unanswered');

/** The reply of a room that does not exist (the caller turns it into NOT_FOUND). */
const NO_SUCH_ROOM = { noSuchRoom: true } as const;
export const isNoSuchRoom = (answer: unknown): boolean => typeof answer === 'object' && answer !== null && 'noSuchRoom' in answer;

export const notAllowed = () => new ForbiddenError('this person does not accept messages from you', 'MESSAGE_NOT_ALLOWED');

export function roomActorKind(deps: RoomActorDeps): ActorKind {
  return {
    name: 'room',
    placement: 'local',
    ...(deps.idleMs === undefined ? {} : { idleMs: deps.idleMs }),
    async create(conversationId: string, context: ActorContext) {
      const writes = chatWrites(deps.db, conversationId);
      const loaded = await writes.load();
      const room = new Room(conversationId, deps, context, writes, loaded?.conversation, loaded?.members ?? new Map());
      await room.republish();
      return {
        handle: (message) => room.handle(message as RoomMessage),
        batch: {
          max: SEND_BATCH,
          accepts: (message) => (message as RoomMessage).op === 'send',
          handle: (messages) => room.sendMany(messages as Send[]),
        },
      };
    },
  };
}

class Room {
  readonly #id: string;
  readonly #deps: RoomActorDeps;
  readonly #context: ActorContext;
  readonly #writes: ChatWrites;
  readonly #conversation: Conversation | undefined;
  readonly #members: Map<string, Member>;
  readonly #typingAt = new Map<string, number>();
  /** Recent sends (`sender:clientId`): a retry skips the checks and the rate limit and is answered
   * with the stored message. */
  readonly #recent = new Map<string, number>();
  /** Members whose unread count changed since the user actors were last told. */
  readonly #unreadDirty = new Set<string>();
  /** What each member's user actor was last told of this conversation (see #changedFor). */
  readonly #told = new Map<string, string>();
  /** The newest message since then, for the push of members with no session open. */
  #latest: MessagePush | undefined;

  constructor(
    id: string,
    deps: RoomActorDeps,
    context: ActorContext,
    writes: ChatWrites,
    conversation: Conversation | undefined,
    members: Map<string, Member>,
  ) {
    this.#id = id;
    this.#deps = deps;
    this.#context = context;
    this.#writes = writes;
    this.#conversation = conversation;
    this.#members = members;
  }

  get #topic() {
    return `room:${this.#id}`;
  }

  /**
   * Messages stored but maybe not published (the last holder died in between, or the publish
   * failed). A room stores again only once what it stored is published, so these are what one
   * write stored: they go out as one entry with the id that write's publish had, which the log
   * drops if that publish had in fact gone through.
   */
  async republish(): Promise<void> {
    const conversation = this.#conversation;
    if (conversation === undefined || conversation.publishedSeq >= conversation.lastSeq) return;
    const unpublished = await this.#writes.messagesAfter(conversation.publishedSeq, this.#quoteFloor());
    for (let i = 0; i < unpublished.length; i += SEND_BATCH) await this.#publishMessages(unpublished.slice(i, i + SEND_BATCH));
    await this.#writes.setPublished(conversation.publishedSeq);
    this.#markUnread();
  }

  /** Publishes messages stored together as one entry; its id names their seqs. */
  async #publishMessages(messages: MessageView[]): Promise<void> {
    const first = (messages[0] as MessageView).seq;
    const last = (messages.at(-1) as MessageView).seq;
    await this.#deps.topics.publishMany(
      this.#topic,
      messages.map((message) => ({ name: 'message.new', body: { message } })),
      { id: first === last ? `room:${this.#id}:${first}` : `room:${this.#id}:${first}-${last}` },
    );
    if (this.#conversation !== undefined && last > this.#conversation.publishedSeq) this.#conversation.publishedSeq = last;
  }

  async handle(message: RoomMessage) {
    if (message.op === 'tellUnread') return this.#tellUnread();
    const conversation = this.#conversation;
    // No such conversation: answer so, and let go of the activation at once (ids that lead nowhere
    // must not keep actors alive).
    if (conversation === undefined) return { stop: true, reply: NO_SUCH_ROOM } satisfies Outcome;
    if (message.op === 'callEnded') return reply(await this.#callEnded(conversation, message.system));
    const member = this.#members.get(message.userId);
    // Nobody outside learns whether a conversation exists.
    if (member === undefined || !isPresent(member.state)) throw new NotFoundError('conversation');
    switch (message.op) {
      case 'send': {
        const [result] = await this.sendMany([message]);
        if (result !== undefined && 'error' in result) throw result.error;
        return (result as { outcome: Outcome }).outcome;
      }
      case 'edit':
        if (conversation.encrypted) throw new E2eeRequiredError('text');
        return reply(await this.#edit(conversation, message.userId, message.seq, message.text));
      case 'delete':
        return reply(await this.#delete(conversation, message.userId, member, message.seq));
      case 'react':
        return reply(await this.#react(conversation, member, message.userId, message.seq, message.emoji));
      case 'pin':
        return reply(await this.#pin(conversation, member, message.seq, message.pinned));
      case 'typing':
        await this.#typing(conversation, message.userId, member);
        return reply({});
      case 'read':
        return reply(await this.#read(conversation, message.userId, member, message.seq));
      case 'delivered':
        return reply(await this.#delivered(conversation, message.userId, member, message.seq));
      case 'accept':
        await this.#accept(message.userId, member);
        return reply({});
      case 'decline':
        return reply(await this.#decline(message.userId, member));
      case 'mute':
        member.mutedUntil = message.until === null ? null : new Date(message.until);
        await this.#writes.setMember(message.userId, { mutedUntil: member.mutedUntil });
        this.#tellOne(message.userId, member);
        return reply({ mutedUntil: member.mutedUntil?.toISOString() ?? null });
      case 'leave':
        return reply(await this.#leave(conversation, message.userId, member));
      case 'add':
        return reply(await this.#add(conversation, message.userId, member, message.userIds));
      case 'remove':
        return reply(await this.#remove(conversation, message.userId, member, message.target));
      case 'setAdmin':
        return reply(await this.#setAdmin(conversation, message.userId, member, message.target, message.admin));
      case 'update':
        return reply(await this.#update(conversation, message.userId, member, message));
      case 'encryption':
        return reply(await this.#encryption(conversation, message.userId, message.encrypted));
      case 'callCheck':
        return reply(await this.#callCheck(conversation, message.userId));
    }
  }

  // ——— calls ———

  /**
   * A call is allowed exactly when a message is (a block, a declined request, the `messages` setting
   * refuse both). Rung: the other present members, but not one whose message request is still
   * waiting (a stranger's call does not ring through a request: in a one-to-one it is refused
   * until the request is accepted) nor one with a block either way with the caller (a group does
   * not carry a blocked person's ring). A large group rings at most CALL_RING_MEMBERS of them, those
   * who read the conversation most recently (the furthest read pointer): a call in a group of a
   * thousand must not send a thousand rings, each carrying the call. The others may still join.
   */
  async #callCheck(conversation: Conversation, userId: string): Promise<CallCheck> {
    await this.#checkDirect(conversation, userId);
    const present = [...this.#members].filter(([id, member]) => id !== userId && isPresent(member.state) && member.state !== 'request');
    const ids = present.map(([id]) => id);
    const blocked =
      ids.length === 0
        ? new Set<string>()
        : new Set(
            rowsOf<{ id: string }>(
              await this.#deps.db.execute(
                sql`select m.id from unnest(${uuids(ids)}) as m(id) where not ${notBlockedWith(userId, sql`m.id`)}`,
              ),
            ).map((row) => row.id),
          );
    const allowed = ids.filter((id) => !blocked.has(id));
    // One-to-one: the other person has not accepted the caller's message request yet.
    if (conversation.kind === 'direct' && allowed.length === 0) throw notAllowed();
    const readSeq = (id: string) => this.#members.get(id)?.readSeq ?? 0;
    const invitees =
      allowed.length <= this.#deps.ringMembers ? allowed : allowed.sort((a, b) => readSeq(b) - readSeq(a)).slice(0, this.#deps.ringMembers);
    return { kind: conversation.kind, invitees };
  }

  /** The system message of an ended call, once: a report repeated after a failover finds it written. */
  async #callEnded(conversation: Conversation, system: SystemBody & { call: CallSummary }) {
    if (await this.#writes.systemMessageExists(system.call.callId)) return {};
    await this.#systemChange(conversation, system, [], {}, system.call.callId);
    return {};
  }

  // ——— messages ———

  /**
   * Sends taken from the mailbox together (group commit): each is checked on its own, those that
   * pass are stored in one write (the node's MessageWriter, with other rooms' messages) and
   * published as one topic-log entry, then each sender gets its own answer. A send alone is a
   * batch of one. A retry (same sender and clientId) is answered with the stored message.
   */
  async sendMany(sends: Send[]): Promise<BatchResult[]> {
    const conversation = this.#conversation;
    if (conversation === undefined) return sends.map(() => ({ outcome: { stop: true, reply: NO_SUCH_ROOM } }));
    const results: BatchResult[] = sends.map(() => ({ error: UNANSWERED }));
    const floor = this.#quoteFloor();
    /** Indexes answered with a stored message: retries, and repeats of a clientId within the batch. */
    const repeats: number[] = [];
    const firstOf = new Map<string, number>();
    const candidates: { index: number; input: Send; member: Member }[] = [];
    for (const [index, input] of sends.entries()) {
      try {
        const member = this.#members.get(input.userId);
        // Nobody outside learns whether a conversation exists.
        if (member === undefined || !isPresent(member.state)) throw new NotFoundError('conversation');
        const key = `${input.userId}:${input.clientId}`;
        if (this.#recent.has(key) || firstOf.has(key)) {
          repeats.push(index);
          continue;
        }
        firstOf.set(key, index);
        this.#checkContent(conversation, input);
        candidates.push({ index, input, member });
      } catch (error) {
        results[index] = { error };
      }
    }
    // Each sender's sends counted in one step; the other checks of each send meanwhile.
    const counted = this.#countSends(candidates.map(({ input }) => input.userId));
    const nth = new Map<string, number>();
    const checked = await Promise.all(
      candidates.map(async ({ index, input, member }) => {
        const position = nth.get(input.userId) ?? 0;
        nth.set(input.userId, position + 1);
        try {
          const rate = (counted.get(input.userId) as Promise<{ allowed: number; refusal?: RateLimitedError }>).then(
            ({ allowed, refusal }) => {
              if (position >= allowed) throw refusal;
            },
          );
          return { index, input, member, replyTo: await this.#checkSend(conversation, member, input, floor, rate) };
        } catch (error) {
          results[index] = { error };
          return undefined;
        }
      }),
    );
    const ready = checked.filter((send) => send !== undefined);
    if (ready.length > 0) {
      try {
        await this.#storeAndPublish(conversation, ready, results);
      } catch (error) {
        for (const { index } of ready) results[index] = { error };
      }
    }
    for (const index of repeats.sort((a, b) => a - b)) {
      const input = sends[index] as Send;
      try {
        results[index] = {
          outcome: reply(await this.#stored(conversation, await this.#writes.byClientId(input.userId, input.clientId, floor))),
        };
      } catch (error) {
        results[index] = { error };
      }
    }
    return results;
  }

  /** The checks of a send's content alone (no lookups). */
  #checkContent(conversation: Conversation, input: Send) {
    if (input.encrypted !== undefined && conversation.kind !== 'direct')
      throw new InvalidInputError('end-to-end encryption is for one-to-one conversations', { field: 'encrypted' });
    this.#checkEncryption(conversation, input);
  }

  /**
   * Counts the sends of each sender in the batch against CHAT_MESSAGES_PER_MINUTE, one step per
   * sender: their first `allowed` sends in the batch are within the limit.
   */
  #countSends(senders: string[]): Map<string, Promise<{ allowed: number; refusal?: RateLimitedError }>> {
    const counts = new Map<string, number>();
    for (const userId of senders) counts.set(userId, (counts.get(userId) ?? 0) + 1);
    return new Map([...counts].map(([userId, count]) => [userId, this.#deps.sendLimit.count(userId, count)]));
  }

  /** The checks of one send that look things up, before anything is stored; the quote it replies to, if any. */
  async #checkSend(
    conversation: Conversation,
    member: Member,
    input: Send,
    floor: number,
    counted: Promise<void>,
  ): Promise<ReplyPreview | null> {
    // The two checks at once (PostgreSQL, Redis); a refusal by the first is the one reported.
    const [allowed, rate] = await Promise.allSettled([this.#checkDirect(conversation, input.userId), counted]);
    if (allowed.status === 'rejected') throw allowed.reason;
    if (rate.status === 'rejected') throw rate.reason;
    if (input.replyTo === undefined) return null;
    const target = input.replyTo > member.joinedSeq ? await this.#writes.message(input.replyTo) : undefined;
    if (target === undefined) throw new NotFoundError('message to reply to');
    return previewOf(target, floor);
  }

  async #storeAndPublish(conversation: Conversation, ready: CheckedSend[], results: BatchResult[]): Promise<void> {
    // Replying to a message request accepts it.
    for (const { input, member } of ready) if (member.state === 'request') await this.#accept(input.userId, member);
    // What an earlier write stored but could not publish goes out first, as it was written.
    if (conversation.publishedSeq < conversation.lastSeq) await this.republish();
    const createdAt = new Date();
    const rows: MessageRow[] = ready.map(({ input }, i) => ({
      conversationId: this.#id,
      seq: conversation.lastSeq + 1 + i,
      id: Bun.randomUUIDv7(),
      senderId: input.userId,
      clientId: input.clientId,
      kind: input.encrypted === undefined ? 'text' : 'encrypted',
      text: input.text ?? '',
      searchText: input.encrypted === undefined ? fold(input.text ?? '') : '',
      encrypted: input.encrypted ?? null,
      system: null,
      replyToSeq: input.replyTo ?? null,
      attachments: input.attachments ?? [],
      story: input.story ?? null,
      postId: input.postId ?? null,
      reactions: [],
      pinnedAt: null,
      createdAt,
      editedAt: null,
      deletedAt: null,
    }));
    try {
      await this.#deps.writer.write({ conversationId: this.#id, publishedSeq: conversation.publishedSeq, messages: rows });
    } catch (error) {
      // A seq or a clientId taken (a retry after a failover, or a holder that lost its lease):
      // one at a time, which tells which.
      if (violatedUniqueConstraint(error) === undefined) throw error;
      for (const send of ready) {
        try {
          results[send.index] = { outcome: reply(await this.#storeOne(conversation, send)) };
        } catch (alone) {
          results[send.index] = { error: alone };
        }
      }
      return;
    }
    const views = rows.map((row, i) => messageView(row, (ready[i] as CheckedSend).replyTo));
    conversation.lastSeq = (rows.at(-1) as MessageRow).seq;
    for (const [i, { input, member }] of ready.entries()) {
      member.readSeq = Math.max(member.readSeq, (rows[i] as MessageRow).seq);
      member.deliveredSeq = member.readSeq;
      this.#remember(`${input.userId}:${input.clientId}`);
    }
    this.#latest = pushOf(this.#id, conversation, rows.at(-1) as MessageRow);
    await this.#publishMessages(views);
    for (const [i, send] of ready.entries()) results[send.index] = { outcome: reply(views[i]) };
    this.#markUnread();
  }

  /** One send stored on its own, resolving a taken seq or clientId (see sendMany). */
  async #storeOne(conversation: Conversation, { input, member, replyTo }: CheckedSend): Promise<MessageView> {
    const message = {
      senderId: input.userId,
      clientId: input.clientId,
      kind: input.encrypted === undefined ? ('text' as const) : ('encrypted' as const),
      text: input.text ?? '',
      encrypted: input.encrypted ?? null,
      replyToSeq: input.replyTo ?? null,
      attachments: input.attachments ?? [],
      story: input.story ?? null,
      postId: input.postId ?? null,
    };
    let row = await this.#writes.insertMessage({ seq: conversation.lastSeq + 1, ...message }, conversation.publishedSeq);
    if (row === undefined) {
      // Stored by an earlier activation (a retry after a failover)?
      const stored = await this.#writes.byClientId(input.userId, input.clientId, this.#quoteFloor());
      if (stored !== undefined) return this.#stored(conversation, stored);
      // Else the seq was taken by a holder that lost its lease: continue after it.
      conversation.lastSeq = await this.#writes.lastSeq();
      row = await this.#writes.insertMessage({ seq: conversation.lastSeq + 1, ...message }, conversation.publishedSeq);
      if (row === undefined) throw new Error(`conversation ${this.#id}: seq ${conversation.lastSeq + 1} is taken`);
    }
    conversation.lastSeq = row.seq;
    member.readSeq = row.seq;
    member.deliveredSeq = row.seq;
    this.#remember(`${input.userId}:${input.clientId}`);
    this.#latest = pushOf(this.#id, conversation, row);
    const view = messageView(row, replyTo);
    await this.#publishMessages([view]);
    this.#markUnread();
    return view;
  }

  /** Counts an encryption switch (which writes a message) against CHAT_MESSAGES_PER_MINUTE. */
  async #countSent(userId: string) {
    const { refusal } = await this.#deps.sendLimit.count(userId, 1);
    if (refusal !== undefined) throw refusal;
  }

  /**
   * Events go to every member alike, so a quote in one is shown only when every member present
   * may see the quoted message: the latest joinedSeq among them is the floor (see previewOf).
   */
  #quoteFloor(): number {
    let floor = 0;
    for (const member of this.#members.values()) if (isPresent(member.state) && member.joinedSeq > floor) floor = member.joinedSeq;
    return floor;
  }

  /** A retry: answer the stored message, published first if the first attempt died before that. */
  async #stored(conversation: Conversation, stored: MessageView | undefined) {
    if (stored === undefined) throw new Error(`conversation ${this.#id}: a message sent before vanished`);
    if (stored.seq > conversation.publishedSeq) await this.republish();
    return stored;
  }

  /** Remembers a send; forgets those older than RECENT_SENDS_MS, and the oldest beyond RECENT_SENDS. */
  #remember(key: string) {
    const now = Date.now();
    this.#recent.delete(key);
    this.#recent.set(key, now);
    for (const [oldest, at] of this.#recent) {
      if (at > now - RECENT_SENDS_MS && this.#recent.size <= RECENT_SENDS) break;
      this.#recent.delete(oldest);
    }
  }

  /**
   * While encryption is on, nothing in clear is stored: text is refused, and so is any attachment
   * but a blob (a file encrypted on the device). A blob goes only with encrypted content, in a
   * conversation whose encryption is on (its key travels in that content).
   */
  #checkEncryption(conversation: Conversation, input: Extract<RoomMessage, { op: 'send' }>) {
    const kinds = (input.attachments ?? []).map((attachment) => attachment.kind);
    if (conversation.encrypted) {
      if (input.encrypted === undefined) throw new E2eeRequiredError('text');
      if (kinds.some((kind) => kind !== 'blob')) throw new E2eeRequiredError('attachments');
      if (input.postId !== undefined) throw new E2eeRequiredError('post');
    } else if (kinds.includes('blob'))
      throw new InvalidInputError('encrypted files go with encrypted messages of a conversation whose encryption is on', {
        field: 'attachments',
      });
  }

  /** One-to-one: may `userId` write to the other person now (their settings, no decline, no block)? */
  async #mayWrite(conversation: Conversation, userId: string): Promise<boolean> {
    if (conversation.kind !== 'direct') return true;
    const [peerId, peer] = [...this.#members].find(([id]) => id !== userId) ?? [];
    if (peerId === undefined || peer === undefined) return false;
    return mayWriteDirect(this.#deps.db, userId, { id: peerId, state: peer.state }, conversation.createdBy);
  }

  async #checkDirect(conversation: Conversation, userId: string): Promise<void> {
    if (!(await this.#mayWrite(conversation, userId))) throw notAllowed();
  }

  /** A membership or group change, with the system message that tells members about it. */
  async #systemChange(
    conversation: Conversation,
    system: SystemBody,
    members: MemberChange[],
    change: Partial<Pick<Conversation, 'name' | 'pictureMediaId' | 'encrypted'>> = {},
    clientId: string | null = null,
  ) {
    const seq = conversation.lastSeq + 1;
    const row = await this.#writes.systemChange(
      seq,
      conversation.publishedSeq,
      system,
      members,
      conversation.memberCount,
      change,
      clientId,
    );
    conversation.lastSeq = seq;
    await this.#publishMessages([messageView(row, null)]);
    await this.#membersChanged(members.map(({ userId }) => userId));
    this.#markUnread();
  }

  async #editable(seq: number) {
    const row = await this.#writes.message(seq);
    if (row === undefined) throw new NotFoundError('message');
    return row;
  }

  async #edit(conversation: Conversation, userId: string, seq: number, text: string) {
    const row = await this.#editable(seq);
    if (row.senderId !== userId || row.deletedAt !== null) throw new NotFoundError('message');
    if (row.kind !== 'text') throw new InvalidInputError('only text messages can be edited', { field: 'seq' });
    if (Date.now() - row.createdAt.getTime() > CHAT_LIMITS.editWindowMs)
      throw new ForbiddenError('messages can be edited for 15 minutes', 'EDIT_WINDOW_CLOSED');
    // New text is a new message to its reader; taking a reaction back (below) is always allowed.
    await this.#checkDirect(conversation, userId);
    const changed = await this.#writes.updateMessage(seq, { text, editedAt: new Date() });
    return this.#changed(changed);
  }

  async #changed(row: Awaited<ReturnType<ChatWrites['updateMessage']>>) {
    const target = row.replyToSeq === null ? undefined : await this.#writes.message(row.replyToSeq);
    const message = messageView(row, target === undefined ? null : previewOf(target, this.#quoteFloor()));
    await this.#deps.topics.publish(this.#topic, 'message.changed', { message });
    return message;
  }

  async #delete(conversation: Conversation, userId: string, member: Member, seq: number) {
    const row = await this.#editable(seq);
    const mayDelete = row.senderId === userId || (conversation.kind === 'group' && member.role === 'admin' && row.kind !== 'system');
    if (!mayDelete || seq <= member.joinedSeq) throw new NotFoundError('message');
    if (row.deletedAt !== null) return this.#changed(row);
    return this.#changed(await this.#writes.tombstone(seq));
  }

  async #react(conversation: Conversation, member: Member, userId: string, seq: number, emoji: string | null) {
    if (emoji !== null && !/^\p{Extended_Pictographic}/u.test(emoji) && !/^\p{Regional_Indicator}/u.test(emoji))
      throw new InvalidInputError('a reaction is one emoji', { field: 'emoji' });
    const row = await this.#editable(seq);
    if (seq <= member.joinedSeq || row.deletedAt !== null || row.kind === 'system') throw new NotFoundError('message');
    if (emoji !== null) await this.#checkDirect(conversation, userId);
    const reactions = await this.#writes.react(seq, userId, emoji);
    await this.#deps.topics.publish(this.#topic, 'message.reacted', { conversationId: this.#id, seq, userId, emoji, reactions });
    return { reactions, myReaction: emoji };
  }

  async #pin(conversation: Conversation, member: Member, seq: number, pinned: boolean) {
    if (conversation.kind !== 'group') throw new InvalidInputError('messages are pinned in groups', { field: 'conversationId' });
    if (member.role !== 'admin') throw new ForbiddenError('only admins pin messages');
    const row = await this.#editable(seq);
    if (row.deletedAt !== null || seq <= member.joinedSeq) throw new NotFoundError('message');
    if (pinned === (row.pinnedAt !== null)) return this.#changed(row);
    if (pinned && (await this.#writes.pinCount()) >= CHAT_LIMITS.pins)
      throw new ConflictError('TOO_MANY_PINS', `at most ${CHAT_LIMITS.pins} pinned messages`);
    return this.#changed(await this.#writes.updateMessage(seq, { pinnedAt: pinned ? new Date() : null }));
  }

  // ——— pointers, typing, unread ———

  /** Typing is a hint, not a message: to someone who no longer takes messages from the typist it is
   * dropped without an error (checked at most once per TYPING_EVERY_MS per member). */
  async #typing(conversation: Conversation, userId: string, member: Member) {
    const now = Date.now();
    if (member.state !== 'active' || now - (this.#typingAt.get(userId) ?? 0) < TYPING_EVERY_MS) return;
    this.#typingAt.set(userId, now);
    if (!(await this.#mayWrite(conversation, userId))) return;
    this.#deps.topics.signal(this.#topic, 'typing', { conversationId: this.#id, userId });
  }

  #receipt(userId: string, member: Member) {
    if (member.state !== 'active') return;
    this.#deps.topics.signal(this.#topic, 'receipt', {
      conversationId: this.#id,
      userId,
      deliveredSeq: member.deliveredSeq,
      readSeq: member.readSeq,
    });
  }

  async #read(conversation: Conversation, userId: string, member: Member, seq: number) {
    const upTo = Math.min(seq, conversation.lastSeq);
    if (upTo > member.readSeq) {
      member.readSeq = upTo;
      member.deliveredSeq = Math.max(member.deliveredSeq, upTo);
      await this.#writes.setMember(userId, { readSeq: member.readSeq, deliveredSeq: member.deliveredSeq });
      this.#receipt(userId, member);
      this.#tellOne(userId, member);
    }
    return { readSeq: member.readSeq, unread: conversation.lastSeq - readUpTo(member) };
  }

  async #delivered(conversation: Conversation, userId: string, member: Member, seq: number) {
    const upTo = Math.min(seq, conversation.lastSeq);
    if (upTo > member.deliveredSeq) {
      member.deliveredSeq = upTo;
      await this.#writes.setMember(userId, { deliveredSeq: upTo });
      this.#receipt(userId, member);
    }
    return { deliveredSeq: member.deliveredSeq };
  }

  /**
   * Unread counts are told to the members' user actors in batches, at most every 100 ms per room:
   * the first change after a batch sets the timer, and later ones join it (setting it again each
   * time would hold the counts back for as long as messages kept coming). After a send, every
   * member's (the senders' too: sending reads the conversation); the senders' pointers moved to
   * their messages, which say so, so no receipt goes out for a send.
   */
  #markUnread() {
    for (const [userId, member] of this.#members) if (isPresent(member.state)) this.#unreadDirty.add(userId);
    if (this.#unreadDirty.size > 0)
      this.#context.timer('unread', UNREAD_BATCH_MS, { op: 'tellUnread' } satisfies RoomMessage, { keep: true });
  }

  #tellUnread() {
    const latest = this.#latest;
    const items: { id: string; message: UserMessage }[] = [];
    for (const userId of this.#unreadDirty) {
      const member = this.#members.get(userId);
      if (member === undefined) continue;
      const message = this.#unreadOf(member, latest?.senderId === userId ? undefined : latest);
      // What did not change for this member (a sender's own count stays 0) is not told again.
      if (!this.#changedFor(userId, message)) continue;
      items.push({ id: userId, message });
    }
    // One bus message per node that hosts (or would host) those user actors, not one per member.
    this.#context.tellMany('user', items);
    this.#unreadDirty.clear();
    this.#latest = undefined;
    return noReply;
  }

  /** Through tellMany too, so that it reaches the user actor after the counts told before it. */
  #tellOne(userId: string, member: Member) {
    const message = this.#unreadOf(member);
    this.#changedFor(userId, message);
    this.#context.tellMany('user', [{ id: userId, message }]);
  }

  /**
   * Whether `message` tells the member's user actor something it was not told last (this
   * activation; a user actor starting anew reads the counts from the database), noting it.
   */
  #changedFor(userId: string, message: ChatUnread): boolean {
    const told = `${message.unread}:${message.mutedUntil}:${message.request}`;
    if (this.#told.get(userId) === told) return false;
    this.#told.set(userId, told);
    return true;
  }

  #unreadOf(member: Member, message?: MessagePush): ChatUnread {
    const gone = !isPresent(member.state);
    return {
      op: 'chatUnread',
      conversationId: this.#id,
      unread: gone ? 0 : Math.max(0, (this.#conversation?.lastSeq ?? 0) - readUpTo(member)),
      mutedUntil: member.mutedUntil?.getTime() ?? null,
      request: member.state === 'request',
      ...(message === undefined ? {} : { message }),
    };
  }

  // ——— requests and membership ———

  async #accept(userId: string, member: Member) {
    if (member.state !== 'request') return;
    member.state = 'active';
    await this.#writes.setMember(userId, { state: 'active' });
    this.#tellOne(userId, member);
    await this.#membersChanged([userId]);
  }

  async #decline(userId: string, member: Member) {
    if (member.state !== 'request') throw new ConflictError('NOT_A_REQUEST', 'this conversation is not a message request');
    member.state = 'declined';
    await this.#writes.setMember(userId, { state: 'declined' });
    this.#tellOne(userId, member);
    this.#deps.revokeAccess(this.#id);
    return {};
  }

  /** Publishes `member.changed` for each (null for those no longer in), with one query for all. */
  async #membersChanged(userIds: string[]) {
    const present = userIds.filter((userId) => {
      const member = this.#members.get(userId);
      return member !== undefined && isPresent(member.state);
    });
    const views = present.length === 0 ? new Map() : await this.#writes.memberViewsOf(present);
    for (const userId of userIds)
      await this.#deps.topics.publish(this.#topic, 'member.changed', {
        userId,
        member: views.get(userId) ?? null,
        memberCount: this.#conversation?.memberCount ?? 0,
        atSeq: this.#conversation?.lastSeq ?? 0,
      });
  }

  #group(conversation: Conversation) {
    if (conversation.kind !== 'group') throw new InvalidInputError('only groups have members to manage', { field: 'conversationId' });
  }

  #admin(conversation: Conversation, member: Member) {
    this.#group(conversation);
    if (member.role !== 'admin') throw new ForbiddenError('only admins of the group may do this');
  }

  async #leave(conversation: Conversation, userId: string, member: Member) {
    this.#group(conversation);
    const promoted = member.role === 'admin' ? this.#successor(userId) : undefined;
    member.state = 'left';
    member.role = 'member';
    conversation.memberCount--;
    const changes: MemberChange[] = [{ userId, state: 'left', role: 'member' }];
    if (promoted !== undefined) {
      (this.#members.get(promoted) as Member).role = 'admin';
      changes.push({ userId: promoted, role: 'admin' });
    }
    await this.#systemChange(conversation, { action: 'left', actorId: userId, userIds: [userId], name: null }, changes);
    this.#tellOne(userId, member);
    this.#deps.revokeAccess(this.#id);
    return {};
  }

  /** The longest-standing member, when the last admin leaves. */
  #successor(leaving: string): string | undefined {
    const admins = [...this.#members].filter(([id, m]) => id !== leaving && m.state === 'active' && m.role === 'admin');
    if (admins.length > 0) return undefined;
    const candidates = [...this.#members].filter(([id, m]) => id !== leaving && m.state === 'active');
    candidates.sort(([, a], [, b]) => a.joinedAt.getTime() - b.joinedAt.getTime());
    return candidates[0]?.[0];
  }

  async #add(conversation: Conversation, userId: string, member: Member, userIds: string[]) {
    this.#admin(conversation, member);
    const fresh = userIds.filter((id) => {
      const existing = this.#members.get(id);
      return existing === undefined || !isPresent(existing.state);
    });
    if (conversation.memberCount + fresh.length > CHAT_LIMITS.groupMembers)
      throw new ConflictError('GROUP_FULL', `a group has at most ${CHAT_LIMITS.groupMembers} members`);
    const allowed = await Promise.all(fresh.map((id) => this.#deps.mayAdd(userId, id)));
    if (allowed.includes(false)) throw new NotFoundError('person');
    if (fresh.length === 0) return { memberCount: conversation.memberCount };
    const joined: Member = {
      role: 'member',
      state: 'active',
      joinedSeq: conversation.lastSeq,
      readSeq: conversation.lastSeq,
      deliveredSeq: conversation.lastSeq,
      mutedUntil: null,
      joinedAt: new Date(),
    };
    conversation.memberCount += fresh.length;
    for (const id of fresh) this.#members.set(id, { ...joined });
    await this.#systemChange(
      conversation,
      { action: 'added', actorId: userId, userIds: fresh, name: null },
      fresh.map((id) => ({ userId: id, ...joined })),
    );
    return { memberCount: conversation.memberCount };
  }

  async #remove(conversation: Conversation, userId: string, member: Member, target: string) {
    this.#admin(conversation, member);
    const removed = this.#members.get(target);
    if (removed === undefined || removed.state !== 'active' || target === userId) throw new NotFoundError('member');
    removed.state = 'removed';
    removed.role = 'member';
    conversation.memberCount--;
    await this.#systemChange(conversation, { action: 'removed', actorId: userId, userIds: [target], name: null }, [
      { userId: target, state: 'removed', role: 'member' },
    ]);
    this.#tellOne(target, removed);
    this.#deps.revokeAccess(this.#id);
    return { memberCount: conversation.memberCount };
  }

  async #setAdmin(conversation: Conversation, userId: string, member: Member, target: string, admin: boolean) {
    this.#admin(conversation, member);
    const other = this.#members.get(target);
    if (other === undefined || other.state !== 'active') throw new NotFoundError('member');
    const role = admin ? 'admin' : 'member';
    if (other.role === role) return {};
    if (!admin && [...this.#members.values()].filter((m) => m.state === 'active' && m.role === 'admin').length <= 1)
      throw new ConflictError('LAST_ADMIN', 'a group keeps at least one admin');
    other.role = role;
    await this.#systemChange(conversation, { action: 'admin', actorId: userId, userIds: [target], name: role }, [{ userId: target, role }]);
    return {};
  }

  async #update(conversation: Conversation, userId: string, member: Member, change: { name?: string; pictureMediaId?: string | null }) {
    this.#admin(conversation, member);
    if (change.name !== undefined && change.name !== conversation.name) {
      conversation.name = change.name;
      await this.#systemChange(conversation, { action: 'renamed', actorId: userId, userIds: [], name: change.name }, [], {
        name: change.name,
      });
    }
    if (change.pictureMediaId !== undefined && change.pictureMediaId !== conversation.pictureMediaId) {
      conversation.pictureMediaId = change.pictureMediaId;
      await this.#systemChange(conversation, { action: 'picture', actorId: userId, userIds: [], name: null }, [], {
        pictureMediaId: change.pictureMediaId,
      });
    }
    await this.#chatChanged(conversation);
    return {};
  }

  #chatChanged(conversation: Conversation) {
    return this.#deps.topics.publish(this.#topic, 'chat.changed', {
      conversationId: this.#id,
      name: conversation.name,
      pictureMediaId: conversation.pictureMediaId,
      atSeq: conversation.lastSeq,
      encrypted: conversation.encrypted,
    });
  }

  /** Either person of a one-to-one turns end-to-end encryption on or off; both see it as a message. */
  async #encryption(conversation: Conversation, userId: string, encrypted: boolean) {
    if (conversation.kind !== 'direct')
      throw new InvalidInputError('end-to-end encryption is for one-to-one conversations', { field: 'conversationId' });
    if (conversation.encrypted === encrypted) return {};
    // Each change writes a message: refused like one across a block or a declined request, and counted.
    await this.#checkDirect(conversation, userId);
    await this.#countSent(userId);
    await this.#systemChange(
      conversation,
      { action: encrypted ? 'encrypted' : 'unencrypted', actorId: userId, userIds: [], name: null },
      [],
      {
        encrypted,
      },
    );
    conversation.encrypted = encrypted;
    await this.#chatChanged(conversation);
    return {};
  }
}
