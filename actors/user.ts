// UserActor (`user:<id>`): owns the user's live sessions across every node and the presence
// derived from them: online (some socket active), away (sockets, all idle), offline (none).
// Presence changes are published on the topic `presence:<id>`. It also owns the unread count of
// the user's notifications: a new one (stored by whoever caused it, in their transaction) is
// announced here and pushed to every session as `notification.new` on `user:<id>`; marking read
// goes through here so every session sees the same count. And the user's conversations with
// unread messages: room actors tell it the new count of a conversation, and it publishes
// `chats.unread` with the badge numbers (muted conversations and message requests apart). Media
// progress reaches the user's sessions through it too (`media.changed`), and so do calls ringing and
// ceasing to ring (`call.incoming`, `call.cancelled`, from actors/call.ts). Every event of the user's
// topic is logged whether or not a session is open, so a device resuming later catches up.
//
// Persistence: the status message is written to user_statuses before a setStatus is
// acknowledged, and loaded on activation; read marks are written before they are acknowledged,
// and the unread counts (notifications, conversations) are counted from Postgres on activation. Sessions are not persisted: they are facts held by the
// gateways. On activation (first message, or after its node died) the actor asks every gateway
// node which sockets of the user it holds, so a moved actor knows the truth within one round.
// When its node takes another for dead, it drops the sockets that node held (the kind's
// `nodeLost`). Passivated after 5 minutes without messages (and so only when the
// user has no sockets left to report).

import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { EventBody } from '../protocol/catalogue.ts';
import { decodeFrame, encodeFrame } from '../protocol/codec.ts';
import { callParticipants } from '../server/calls/schema.ts';
import { conversationMembers, conversations, PRESENT_STATES } from '../server/chats/schema.ts';
import { type MessagePush, notificationById, unreadCount } from '../server/notifications/notifier.ts';
import { notifications } from '../server/notifications/schema.ts';
import type { Bus } from '../server/platform/bus/index.ts';
import { anyOf } from '../server/platform/db/any-of.ts';
import type { Database } from '../server/platform/db/index.ts';
import type { TopicLog } from '../server/platform/topics/index.ts';
import { userStatuses } from '../server/presence/schema.ts';
import type { CallMessage } from './call.ts';
import { type Actor, type ActorContext, type ActorKind, type Batching, type BatchResult, noReply, type Outcome, reply } from './types.ts';

type Presence = 'online' | 'away' | 'offline';
export type SocketState = 'active' | 'idle';

export interface SocketReport {
  socketId: string;
  sessionId: string;
  node: string;
  state: SocketState;
  /** Unix ms when the socket was welcomed: beyond the user's limit, the newest sockets go. */
  since: number;
}

export type UserMessage =
  | { op: 'setStatus'; text: string }
  /** `limit`: the most sockets the user may have; one connecting beyond it is closed (socketRefusedSubject). */
  | { op: 'connected'; socket: SocketReport; limit?: number }
  | { op: 'activity'; socketId: string; state: SocketState }
  | { op: 'disconnected'; socketId: string }
  | { op: 'get' }
  /** Whether one of the user's sockets is open now (a call asks before another device takes over). */
  | { op: 'socketLive'; socketId: string }
  | { op: 'sweep' }
  | { op: 'notified'; id: string }
  | { op: 'recount' }
  | { op: 'markRead'; ids: string[] }
  | { op: 'markAllRead' }
  | {
      op: 'chatUnread';
      conversationId: string;
      unread: number;
      mutedUntil: number | null;
      request: boolean;
      /** The newest message, when new ones arrived: pushed if the user has no session open. */
      message?: MessagePush;
    }
  | { op: 'chatCounts' }
  /** Logs the `chats.unread` held back while the user had no socket open. */
  | { op: 'flushChats' }
  | { op: 'mediaChanged'; media: EventBody<'user', 'media.changed'>['media'] }
  /** A call rings the user, or stops ringing them (actors/call.ts): logged on `user:<id>` for every session. */
  | { op: 'call'; event: CallUserEvent };

export type CallUserEvent =
  | { name: 'call.incoming'; body: EventBody<'user', 'call.incoming'> }
  | { name: 'call.cancelled'; body: EventBody<'user', 'call.cancelled'> };

export interface UserActorDeps {
  bus: Bus;
  topics: TopicLog;
  db: Database;
  namespace: string;
  idleMs?: number;
  /** How long activation waits for gateways to report sockets. */
  gatherMs?: number;
  sweepMs?: number;
  /** Web push of a message for a user with no session open (the notifier, once the node has one). */
  pushMessage?: (userId: string, message: MessagePush) => void;
  /** Web push of a call ringing a user with no session open (the notifier). */
  pushCall?: (userId: string, call: EventBody<'user', 'call.incoming'>['call']) => void;
}

const PUSH_EVERY_MS = 10_000;
/** The sweep message (a node lost, or the sweep timer), one for every actor. */
const SWEEP: UserMessage = Object.freeze({ op: 'sweep' });
/**
 * With no socket open, a conversation's new count is logged at most this often (the badge
 * numbers at once): a resuming device still finds the latest state, and a busy group does not
 * write one event per message for every member who is away.
 */
const OFFLINE_CHATS_EVERY_MS = 5000;
/**
 * With a socket open (or the badge numbers changed), a new count is logged at once unless one was
 * logged less than this long ago; then it waits for the end of that time and goes out with the
 * other conversations' changes as one topic-log entry, each conversation once with its latest
 * count. A member of many busy groups gets a few entries a second, not one per group per batch.
 */
const CHATS_EVERY_MS = 100;
/** Counts in one topic-log entry at most: some 200 bytes each, an entry well under NATS's 1 MiB. */
const CHATS_PER_ENTRY = 1000;
const FLUSH_CHATS: UserMessage = Object.freeze({ op: 'flushChats' });

/** A user's chat counts still to log, and when they were last logged (see CHATS_EVERY_MS). */
interface ChatLog {
  unlogged: Set<string>;
  /** When the flushChats timer is due, while it is set. */
  flushAt: number | undefined;
  loggedAt: number;
}

/** Subject on which gateways answer "which sockets of this user do you hold?". */
export const socketsOfSubject = (namespace: string) => `${namespace}.gateway.sockets-of`;

/** Subject on which a user actor tells the gateways to close a socket beyond the user's limit. */
export const socketRefusedSubject = (namespace: string) => `${namespace}.gateway.socket-refused`;

export interface SocketRefusal {
  socketId: string;
  userId: string;
}

export interface SocketsOfRequest {
  userId: string;
  replyTo: string;
}

async function gatherSockets(deps: UserActorDeps, userId: string): Promise<SocketReport[]> {
  const replyTo = `${deps.namespace}.inbox.${crypto.randomUUID().replaceAll('-', '')}`;
  const reports: SocketReport[] = [];
  const subscription = deps.bus.subscribe(replyTo, (message) => {
    reports.push(...(decodeFrame(message.data) as SocketReport[]));
  });
  try {
    await deps.bus.flush();
    deps.bus.publish(socketsOfSubject(deps.namespace), encodeFrame({ userId, replyTo } satisfies SocketsOfRequest));
    await Bun.sleep(deps.gatherMs ?? 250);
  } finally {
    subscription.unsubscribe();
  }
  return reports;
}

interface ChatUnread {
  unread: number;
  mutedUntil: number | null;
  request: boolean;
}

/** The user's conversations with unread messages: what the badge counts (muted ones left out). */
/** The conversations with unread messages; undefined when none (most users: no Map held for them). */
async function loadChatUnread(db: Database, userId: string): Promise<Map<string, ChatUnread> | undefined> {
  const rows = await db
    .select({
      conversationId: conversationMembers.conversationId,
      unread: sql<number>`${conversations.lastSeq} - greatest(${conversationMembers.readSeq}, ${conversationMembers.joinedSeq})`,
      mutedUntil: conversationMembers.mutedUntil,
      state: conversationMembers.state,
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(
      and(
        eq(conversationMembers.userId, userId),
        inArray(conversationMembers.state, [...PRESENT_STATES]),
        sql`${conversations.lastSeq} > greatest(${conversationMembers.readSeq}, ${conversationMembers.joinedSeq})`,
      ),
    );
  if (rows.length === 0) return undefined;
  return new Map(
    rows.map((row) => [
      row.conversationId,
      { unread: Number(row.unread), mutedUntil: row.mutedUntil?.getTime() ?? null, request: row.state === 'request' },
    ]),
  );
}

function chatCounts(chats: Map<string, ChatUnread> | undefined): { conversations: number; requests: number } {
  const now = Date.now();
  let conversationCount = 0;
  let requests = 0;
  for (const chat of chats?.values() ?? []) {
    if (chat.request) requests++;
    else if (chat.mutedUntil === null || chat.mutedUntil <= now) conversationCount++;
  }
  return { conversations: conversationCount, requests };
}

function presenceOf(sockets: readonly SocketReport[]): Presence {
  if (sockets.length === 0) return 'offline';
  for (const socket of sockets) if (socket.state === 'active') return 'online';
  return 'away';
}

type ChatUnreadMessage = Extract<UserMessage, { op: 'chatUnread' }>;

/** A busy member of many rooms: the counts waiting in the mailbox are handled together. */
const CHAT_BATCH = 64;

export function userActorKind(deps: UserActorDeps): ActorKind {
  const sweepMs = deps.sweepMs ?? 15_000;
  return {
    name: 'user',
    nodeLost: SWEEP,
    ...(deps.idleMs === undefined ? {} : { idleMs: deps.idleMs }),
    async create(userId: string, context: ActorContext) {
      const [saved, gathered, unread, chats] = await Promise.all([
        deps.db.select().from(userStatuses).where(eq(userStatuses.userId, userId)).limit(1),
        gatherSockets(deps, userId),
        unreadCount(deps.db, userId),
        loadChatUnread(deps.db, userId),
      ]);
      const sockets = [...new Map(gathered.map((socket) => [socket.socketId, socket])).values()];
      return new UserActor(userId, deps, context, sweepMs, saved[0]?.text ?? '', sockets, unread, chats);
    },
  };
}

/**
 * The chat counts a user actor takes in batches: an object with methods, not closures, since
 * every user with a socket open has an actor (bench/sockets.ts counts what each one costs).
 */
class ChatCounts implements Batching {
  readonly max = CHAT_BATCH;
  readonly #actor: UserActor;

  constructor(actor: UserActor) {
    this.#actor = actor;
  }

  accepts(raw: unknown): boolean {
    return (raw as UserMessage).op === 'chatUnread';
  }

  async handle(raw: unknown[]): Promise<BatchResult[]> {
    await this.#actor.chatUnread(raw as ChatUnreadMessage[]);
    return raw.map(() => ({ outcome: noReply }));
  }
}

/**
 * One per user with a socket open anywhere, so a node holds as many as it has users online: its
 * state is in fields and its code on the prototype, and the collections that are usually empty
 * (refused sockets, held-back counts, push times) are made when first needed.
 */
class UserActor implements Actor {
  readonly #userId: string;
  readonly #deps: UserActorDeps;
  readonly #context: ActorContext;
  readonly #sweepMs: number;
  #status: string;
  /** The user's sockets over all nodes (a few: a list). */
  readonly #sockets: SocketReport[];
  #unread: number;
  /** Made at the first conversation with unread messages. */
  #chats: Map<string, ChatUnread> | undefined;
  #presence: Presence;
  #since = Date.now();
  /** Sockets closed for being beyond the user's limit, until their disconnection arrives. */
  #refused: Set<string> | undefined;
  /** The logging of chat counts, made at the first count (most user actors never get one). */
  #chatLog: ChatLog | undefined;
  /** When a web push last went out, per conversation. */
  #pushedAt: Map<string, number> | undefined;
  readonly batch: Batching;

  constructor(
    userId: string,
    deps: UserActorDeps,
    context: ActorContext,
    sweepMs: number,
    status: string,
    sockets: SocketReport[],
    unread: number,
    chats: Map<string, ChatUnread> | undefined,
  ) {
    this.#userId = userId;
    this.#deps = deps;
    this.#context = context;
    this.#sweepMs = sweepMs;
    this.#status = status;
    this.#sockets = sockets;
    this.#unread = unread;
    this.#chats = chats;
    this.#presence = presenceOf(sockets);
    this.batch = new ChatCounts(this);
    this.#sweepLater();
  }

  #socketIndex(socketId: string): number {
    return this.#sockets.findIndex((socket) => socket.socketId === socketId);
  }

  #removeSocket(socketId: string): void {
    const index = this.#socketIndex(socketId);
    if (index >= 0) this.#sockets.splice(index, 1);
  }

  /**
   * Sockets gone (closed, or on a node that died): a call the user is in from one of them is told,
   * so it waits for the user to come back from another socket and otherwise takes them out.
   */
  async #awayFromCalls(socketIds: string[]): Promise<void> {
    if (socketIds.length === 0) return;
    const inCalls = await this.#deps.db
      .select({ callId: callParticipants.callId, socketId: callParticipants.socketId })
      .from(callParticipants)
      .where(
        and(eq(callParticipants.userId, this.#userId), eq(callParticipants.state, 'joined'), anyOf(callParticipants.socketId, socketIds)),
      );
    for (const { callId, socketId } of inCalls)
      this.#context.tell('call', callId, { op: 'away', userId: this.#userId, socketId: socketId as string } satisfies CallMessage);
  }

  async #recount(): Promise<void> {
    const now = await unreadCount(this.#deps.db, this.#userId);
    if (now === this.#unread) return;
    this.#unread = now;
    await this.#deps.topics.publish(`user:${this.#userId}`, 'notifications.unread', { unread: this.#unread });
  }

  /** Logs the held-back counts as one topic-log entry. */
  async #flushChats(): Promise<void> {
    const log = this.#chatLog;
    if (log === undefined) return;
    log.flushAt = undefined;
    this.#context.cancelTimer('flushChats');
    if (log.unlogged.size === 0) return;
    const conversationIds = [...log.unlogged];
    log.unlogged.clear();
    log.loggedAt = Date.now();
    const counts = chatCounts(this.#chats);
    const events = conversationIds.map((conversationId) => ({
      name: 'chats.unread',
      body: { conversationId, unread: this.#chats?.get(conversationId)?.unread ?? 0, ...counts },
    }));
    for (let i = 0; i < events.length; i += CHATS_PER_ENTRY)
      await this.#deps.topics.publishMany(`user:${this.#userId}`, events.slice(i, i + CHATS_PER_ENTRY));
  }

  /** Makes sure the held-back counts are logged within `ms` (an earlier flush already set stays). */
  #flushWithin(log: ChatLog, ms: number): void {
    const at = Date.now() + ms;
    if (log.flushAt !== undefined && log.flushAt <= at) return;
    log.flushAt = at;
    this.#context.timer('flushChats', ms, FLUSH_CHATS);
  }

  /** New counts of conversations, told by their rooms (one message or a batch of them). */
  async chatUnread(messages: ChatUnreadMessage[]): Promise<void> {
    this.#chats ??= new Map();
    const chats = this.#chats;
    this.#chatLog ??= { unlogged: new Set(), flushAt: undefined, loggedAt: 0 };
    const log = this.#chatLog;
    let soon = false;
    for (const message of messages) {
      const { conversationId, op: _op, message: newest, ...entry } = message;
      const before = chats.get(conversationId)?.unread ?? 0;
      const muted = entry.mutedUntil !== null && entry.mutedUntil > Date.now();
      // Nobody is looking: a web push, at most one per conversation every 10 s (the
      // device replaces it by its tag anyway). Not for requests or muted conversations.
      if (newest !== undefined && this.#sockets.length === 0 && entry.unread > before && !muted && !entry.request) {
        this.#pushedAt ??= new Map();
        const last = this.#pushedAt.get(conversationId) ?? 0;
        if (Date.now() - last >= PUSH_EVERY_MS) {
          this.#pushedAt.set(conversationId, Date.now());
          this.#deps.pushMessage?.(this.#userId, newest);
        }
      }
      if (entry.unread === 0 && !chats.has(conversationId)) continue;
      const badge = chatCounts(chats);
      if (entry.unread === 0) chats.delete(conversationId);
      else chats.set(conversationId, entry);
      const after = chatCounts(chats);
      // Logged whether or not a device is connected, so one resuming later catches up: soon
      // while a socket is open or when the badge numbers change, otherwise the conversation's
      // latest count within OFFLINE_CHATS_EVERY_MS.
      log.unlogged.add(conversationId);
      if (this.#sockets.length > 0 || after.conversations !== badge.conversations || after.requests !== badge.requests) soon = true;
    }
    if (log.unlogged.size === 0) return;
    const wait = soon ? log.loggedAt + CHATS_EVERY_MS - Date.now() : OFFLINE_CHATS_EVERY_MS;
    if (wait <= 0) await this.#flushChats();
    else this.#flushWithin(log, wait);
  }

  /**
   * A dead node's sockets go when this node takes it for dead (the kind's `nodeLost` is SWEEP).
   * A socket of a node not heard from yet (this node just started) would not be noticed that
   * way: a sweep timer looks again while there is one.
   */
  #sweepLater(): void {
    const live = this.#sockets.length === 0 ? [] : this.#context.liveNodes();
    if (this.#sockets.some((socket) => !live.includes(socket.node))) this.#context.timer('sweep', this.#sweepMs, SWEEP, { keep: true });
    else this.#context.cancelTimer('sweep');
  }

  async #changed(): Promise<void> {
    const now = presenceOf(this.#sockets);
    this.#sweepLater();
    if (now === this.#presence) return;
    this.#presence = now;
    this.#since = Date.now();
    await this.#publishPresence();
  }

  async #publishPresence(): Promise<void> {
    await this.#deps.topics.publish(`presence:${this.#userId}`, 'presence.changed', {
      userId: this.#userId,
      status: this.#presence,
      since: this.#since,
      text: this.#status,
    });
  }

  async handle(raw: unknown): Promise<Outcome> {
    const message = raw as UserMessage;
    const userId = this.#userId;
    const db = this.#deps.db;
    switch (message.op) {
      case 'setStatus': {
        const updatedAt = new Date();
        await db
          .insert(userStatuses)
          .values({ userId, text: message.text, updatedAt })
          .onConflictDoUpdate({ target: userStatuses.userId, set: { text: message.text, updatedAt } });
        this.#status = message.text;
        await this.#publishPresence();
        return reply({ text: this.#status, updatedAt: updatedAt.getTime() });
      }
      case 'connected': {
        // A socket already refused (found by the gathering at activation) stays refused.
        if (this.#refused?.has(message.socket.socketId)) return noReply;
        await this.#flushChats();
        const index = this.#socketIndex(message.socket.socketId);
        if (index >= 0) this.#sockets[index] = message.socket;
        else this.#sockets.push(message.socket);
        // Beyond the limit the newest sockets go (by welcome time, then id) and the user's
        // older ones stay. Activation may have gathered sockets whose own 'connected' is
        // still queued, so the newest is not taken to be this message's socket.
        while (message.limit !== undefined && this.#sockets.length > message.limit) {
          const newest = this.#sockets.reduce((a, b) => (b.since > a.since || (b.since === a.since && b.socketId > a.socketId) ? b : a));
          this.#removeSocket(newest.socketId);
          this.#refused ??= new Set();
          this.#refused.add(newest.socketId);
          const refusal: SocketRefusal = { socketId: newest.socketId, userId };
          this.#deps.bus.publish(socketRefusedSubject(this.#deps.namespace), encodeFrame(refusal));
        }
        await this.#changed();
        return noReply;
      }
      case 'activity': {
        const socket = this.#sockets[this.#socketIndex(message.socketId)];
        if (socket !== undefined) socket.state = message.state;
        await this.#changed();
        return noReply;
      }
      case 'disconnected':
        this.#removeSocket(message.socketId);
        this.#refused?.delete(message.socketId);
        await this.#changed();
        await this.#awayFromCalls([message.socketId]);
        return noReply;
      case 'sweep': {
        const live = new Set(this.#context.liveNodes());
        const gone = this.#sockets.filter((socket) => !live.has(socket.node)).map((socket) => socket.socketId);
        for (const socketId of gone) this.#removeSocket(socketId);
        await this.#changed();
        await this.#awayFromCalls(gone);
        return noReply;
      }
      case 'socketLive':
        return reply(this.#socketIndex(message.socketId) >= 0);
      case 'get':
        return reply({ userId, status: this.#presence, since: this.#since, devices: this.#sockets.length, text: this.#status });
      case 'notified': {
        const notification = await notificationById(db, userId, message.id);
        this.#unread = await unreadCount(db, userId);
        // Told again after a failover (the reminder retries until a reply): the publish id
        // makes the event appear once in the topic log.
        if (notification !== undefined)
          await this.#deps.topics.publish(
            `user:${userId}`,
            'notification.new',
            { notification, unread: this.#unread },
            { id: `notification.new:${message.id}` },
          );
        return reply({ unread: this.#unread });
      }
      case 'recount':
        await this.#recount();
        return reply({ unread: this.#unread });
      case 'markRead':
        await db
          .update(notifications)
          .set({ readAt: new Date() })
          .where(and(eq(notifications.userId, userId), anyOf(notifications.id, message.ids), isNull(notifications.readAt)));
        await this.#recount();
        return reply({ unread: this.#unread });
      case 'chatUnread':
        await this.chatUnread([message]);
        return noReply;
      case 'mediaChanged':
        await this.#deps.topics.publish(`user:${userId}`, 'media.changed', { media: message.media });
        return noReply;
      case 'call':
        // Answered once logged: the call actor knows every session will see it. Nobody is
        // looking: the ring goes out as a web push too (tagged with the call: a ring delivered
        // again shows once).
        await this.#deps.topics.publish(`user:${userId}`, message.event.name, message.event.body);
        if (message.event.name === 'call.incoming' && this.#sockets.length === 0) this.#deps.pushCall?.(userId, message.event.body.call);
        return reply({});
      case 'chatCounts':
        return reply(chatCounts(this.#chats));
      case 'flushChats':
        await this.#flushChats();
        return noReply;
      case 'markAllRead':
        await db
          .update(notifications)
          .set({ readAt: new Date() })
          .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
        await this.#recount();
        return reply({ unread: this.#unread });
    }
  }

  /** What was held back is logged before the actor goes. */
  passivate(): Promise<void> {
    return this.#flushChats();
  }
}
