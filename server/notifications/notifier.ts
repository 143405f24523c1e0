// Notifications: `prepare` stores one inside the transaction that makes it true (a friend request,
// an accept) and queues its email there too, so neither is lost nor sent for a change that rolled
// back; with it, in the same transaction, a durable reminder that tells the recipient's user actor
// (which keeps the unread count and logs `notification.new` on the user's topic, once per
// notification). `dispatch`, after the commit, tells the actor at once and sends web push; when
// the actor cannot be reached (its node died and the lease has not expired), the reminder retries
// every second from any node until it is delivered, and so does it if this node dies first. Nothing
// is stored between users who block each other, and each type obeys the recipient's preferences.
// Mail goes only to a verified address, and at most MAIL_NOTIFICATIONS_PER_HOUR a recipient (a
// Redis window shared by the nodes); what goes beyond is kept for the digest mail (digest.ts).
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Reminders } from '../../actors/reminders.ts';
import type { ActorSystem } from '../../actors/system.ts';
import type { UserMessage } from '../../actors/user.ts';
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import type { RateLimiter } from '../accounts/rate-limits.ts';
import { users } from '../accounts/schema.ts';
import { conversations } from '../chats/schema.ts';
import { InvalidInputError, RateLimitedError } from '../errors.ts';
import { notBlockedWith } from '../graph/relations.ts';
import type { MailOutbox } from '../mail/outbox.ts';
import { profiles } from '../people/schema.ts';
import { type SummaryRow, summaryColumns, toSummary } from '../people/summaries.ts';
import { decodeCursor, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import { type MessageGist, messageGist, notificationText } from './messages.ts';
import type { PushSender } from './push.ts';
import { mailDigestItems, notificationPreferences, notifications } from './schema.ts';
import { type Channels, DEFAULT_CHANNELS, NOTIFICATION_TYPES, type NotificationType, PUSH_ONLY_TYPES } from './types.ts';

/** A message as its push shows it: the text, or a gist when there is none to show. */
export interface MessagePush {
  conversationId: string;
  senderId: string;
  /** Null for a one-to-one conversation (the sender's name is the title). */
  groupName: string | null;
  text: string;
  gist?: MessageGist;
}

/** A call ringing someone, as its push shows it: who calls, from which conversation. */
export interface CallPush {
  id: string;
  conversationId: string;
  kind: 'direct' | 'group';
  /** Null once the caller's account is gone: nothing is pushed. */
  startedBy: string | null;
  /** How long it rings: the push service need not keep it longer. */
  ringSeconds: number;
}

/** How long the storing node has to tell the actor itself before any node's reminder poll does. */
const FIRST_TRY_MS = 10_000;

const reminderOf = (id: string) => `notified:${id}`;
const actorUsers = alias(users, 'actor');
const actorProfiles = alias(profiles, 'actor_profile');
const notified = (id: string): UserMessage => ({ op: 'notified', id });

export type NotificationView = CallResponse<'notifications.list'>['items'][number];
type Executor = Pick<Database, 'insert' | 'select' | 'execute'>;

export interface NotifyInput {
  userId: string;
  type: NotificationType;
  actorId: string | null;
  /** Facts for the app and the texts: ids and names, never preformatted text. */
  data: Record<string, string>;
}

export interface Prepared {
  id: string | undefined;
  input: NotifyInput;
  channels: Channels;
  language: string;
  text: string;
  /** Where in the web app it leads (push and mail link to it). */
  path: string;
}

export interface NotifierDeps {
  db: Database;
  log: Logger;
  actors: ActorSystem;
  /** Durable tells: `notification.new` reaches the user actor even when a node dies. */
  reminders: Reminders;
  outbox: MailOutbox;
  push: PushSender;
  appUrl: string;
  limiter: RateLimiter;
  /** Notification mails one recipient gets per hour; the rest wait for the digest. */
  mailsPerHour: number;
}

async function channelsOf(db: Pick<Database, 'select'>, userId: string, type: NotificationType): Promise<Channels> {
  const [row] = await db
    .select()
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.type, type)))
    .limit(1);
  return row === undefined ? DEFAULT_CHANNELS[type] : { inApp: row.inApp, email: row.email, push: row.push };
}

/** Where in the web app a notification leads. */
function pathOf(input: NotifyInput, actorUsername: string | undefined): string {
  switch (input.type) {
    case 'friend.request':
      return '/friends/requests';
    case 'pet.lost':
      return `/pets/${input.data.petId ?? ''}`;
    case 'post.mention':
    case 'post.comment':
    case 'comment.reply':
    case 'post.reaction':
    case 'comment.reaction':
    case 'post.share':
      return `/posts/${input.data.postId ?? ''}`;
    default:
      return actorUsername === undefined ? '/notifications' : `/u/${actorUsername}`;
  }
}

type Row = typeof notifications.$inferSelect & { actor: SummaryRow | null };

function view(row: Row): NotificationView {
  return {
    id: row.id,
    type: row.type,
    actor: row.actor?.id == null ? null : toSummary(row.actor),
    data: row.data as Record<string, string>,
    createdAt: row.createdAt.toISOString(),
    read: row.readAt !== null,
  };
}

const selectWithActor = (db: Database) =>
  db
    .select({
      id: notifications.id,
      userId: notifications.userId,
      type: notifications.type,
      actorId: notifications.actorId,
      data: notifications.data,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      actor: summaryColumns,
    })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorId))
    .leftJoin(profiles, eq(profiles.userId, notifications.actorId));

/** One notification as the protocol shows it, or undefined when gone (or hidden by a block). */
export async function notificationById(db: Database, userId: string, id: string): Promise<NotificationView | undefined> {
  const [row] = await selectWithActor(db)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .limit(1);
  return row === undefined ? undefined : view(row as Row);
}

/** Unread notifications of the user from anyone not blocked on either side. */
export async function unreadCount(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        or(isNull(notifications.actorId), notBlockedWith(userId, notifications.actorId)),
      ),
    );
  return row?.n ?? 0;
}

export class Notifier {
  readonly #deps: NotifierDeps;
  readonly #delivering = new Set<Promise<void>>();

  constructor(deps: NotifierDeps) {
    this.#deps = deps;
  }

  get push(): PushSender {
    return this.#deps.push;
  }

  /** Stores the notification and queues its email in `tx`; undefined when nothing is to be sent. */
  async prepare(tx: Executor, input: NotifyInput): Promise<Prepared | undefined> {
    if (input.actorId === input.userId) return undefined;
    // One read for what decides the rest: the recipient, their preference for the type, a block
    // either way, and the actor's name (four round trips inside the caller's transaction before).
    const [recipient] = await tx
      .select({
        email: users.email,
        emailVerifiedAt: users.emailVerifiedAt,
        username: users.username,
        language: users.language,
        inApp: notificationPreferences.inApp,
        byEmail: notificationPreferences.email,
        push: notificationPreferences.push,
        actorUsername: actorUsers.username,
        actorDisplayName: actorProfiles.displayName,
        blocked:
          input.actorId === null ? sql<boolean>`false` : sql<boolean>`not ${notBlockedWith(input.userId, sql`${input.actorId}::uuid`)}`,
      })
      .from(users)
      .leftJoin(notificationPreferences, and(eq(notificationPreferences.userId, users.id), eq(notificationPreferences.type, input.type)))
      .leftJoin(actorUsers, input.actorId === null ? sql`false` : eq(actorUsers.id, input.actorId))
      .leftJoin(actorProfiles, eq(actorProfiles.userId, actorUsers.id))
      .where(eq(users.id, input.userId));
    if (recipient === undefined || recipient.blocked) return undefined;
    const channels: Channels =
      recipient.inApp === null
        ? DEFAULT_CHANNELS[input.type]
        : { inApp: recipient.inApp, email: recipient.byEmail as boolean, push: recipient.push as boolean };
    if (!channels.inApp && !channels.email && !channels.push) return undefined;
    const actor =
      input.actorId === null || recipient.actorUsername === null
        ? undefined
        : { username: recipient.actorUsername, displayName: recipient.actorDisplayName };
    const text = notificationText(input.type, recipient.language, {
      name: actor?.displayName || actor?.username || 'PetAmigos',
      ...input.data,
    });
    const path = pathOf(input, actor?.username);
    let id: string | undefined;
    if (channels.inApp) {
      id = Bun.randomUUIDv7();
      await tx.insert(notifications).values({ id, userId: input.userId, type: input.type, actorId: input.actorId, data: input.data });
      await this.#deps.reminders.set('user', input.userId, reminderOf(id), FIRST_TRY_MS, notified(id), tx);
    }
    // Nothing is mailed to an address its owner has not proven (the outbox refuses it too); past
    // the hourly limit the notification waits for the digest.
    const mail = channels.email && recipient.emailVerifiedAt !== null;
    if (mail && !(await this.#mayMailNow(input.userId))) {
      await tx.insert(mailDigestItems).values({ id: Bun.randomUUIDv7(), userId: input.userId, actorId: input.actorId, text, path });
    } else if (mail) {
      await this.#deps.outbox.enqueue(
        {
          to: recipient.email,
          template: 'notification',
          language: recipient.language,
          params: {
            username: recipient.username,
            text,
            link: `${this.#deps.appUrl}${path}`,
            settingsLink: `${this.#deps.appUrl}/settings/notifications`,
          },
        },
        tx,
      );
    }
    return { id, input, channels, language: recipient.language, text, path };
  }

  /** Counts one notification mail to the user; false once this hour's are used up. */
  async #mayMailNow(userId: string): Promise<boolean> {
    try {
      await this.#deps.limiter.hit({ name: 'notification mails', max: this.#deps.mailsPerHour, windowMs: 60 * 60_000 }, userId);
      return true;
    } catch (error) {
      if (error instanceof RateLimitedError) return false;
      throw error;
    }
  }

  /**
   * After the commit: live delivery through the user actor, and web push, started without holding
   * up the call that made the notifications (an ask to the user actor, on either node, and its
   * reads and log write were most of a reaction's time). Nothing depends on it finishing: the
   * reminder stored with each notification delivers it if this fails or the node dies first.
   * Never throws; settled() waits for what is under way.
   */
  dispatch(prepared: readonly (Prepared | undefined)[]): void {
    if (prepared.every((item) => item === undefined)) return;
    const delivery = this.#deliver(prepared).finally(() => this.#delivering.delete(delivery));
    this.#delivering.add(delivery);
  }

  /** Waits for the deliveries dispatch() started (a node stopping; a test that must know they are done). */
  async settled(): Promise<void> {
    await Promise.all(this.#delivering);
  }

  async #deliver(prepared: readonly (Prepared | undefined)[]): Promise<void> {
    await Promise.all(
      prepared.map(async (item) => {
        if (item === undefined) return;
        const { userId } = item.input;
        if (item.id !== undefined) await this.#tell(userId, item.id);
        if (!item.channels.push) return;
        try {
          await this.#deps.push.send(userId, { title: 'PetAmigos', body: item.text, url: item.path, tag: item.id ?? item.input.type });
        } catch (error) {
          this.#deps.log.warn({ err: error, user: userId }, `notifier.dispatch() | push not sent [user:${userId}]`);
        }
      }),
    );
  }

  /** The first try of the reminder `prepare` set: on success it is cancelled, else due at once. */
  async #tell(userId: string, id: string): Promise<void> {
    const reached = await this.#deps.actors.ask('user', userId, notified(id)).then(
      () => true,
      (error: unknown) => {
        this.#deps.log.warn({ err: error, user: userId }, `notifier.dispatch() | actor not reached, the reminder retries [user:${userId}]`);
        return false;
      },
    );
    try {
      if (reached) await this.#deps.reminders.cancel('user', userId, reminderOf(id));
      else await this.#deps.reminders.set('user', userId, reminderOf(id), 0, notified(id));
    } catch (error) {
      // The database failed: the reminder set in the transaction is due in FIRST_TRY_MS anyway.
      this.#deps.log.warn({ err: error, user: userId }, `notifier.dispatch() | reminder not updated [user:${userId}]`);
    }
  }

  async list(userId: string, request: CallRequest<'notifications.list'>) {
    const { db } = this.#deps;
    const after = decodeCursor(request.cursor, 1);
    const rows = await selectWithActor(db)
      .where(
        and(
          eq(notifications.userId, userId),
          or(isNull(notifications.actorId), notBlockedWith(userId, notifications.actorId)),
          request.unreadOnly === true ? isNull(notifications.readAt) : undefined,
          after === undefined ? undefined : lt(notifications.id, after[0] as string),
        ),
      )
      .orderBy(desc(notifications.id))
      .limit(PAGE_SIZE + 1);
    return { ...pageOf(rows as Row[], PAGE_SIZE, (row) => [row.id], view), unread: await unreadCount(db, userId) };
  }

  async preferences(userId: string) {
    const rows = await this.#deps.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
    return {
      items: NOTIFICATION_TYPES.map((type) => {
        const row = rows.find((candidate) => candidate.type === type);
        const channels = row === undefined ? DEFAULT_CHANNELS[type] : { inApp: row.inApp, email: row.email, push: row.push };
        return { type, ...channels };
      }),
    };
  }

  /**
   * Web push for a message that arrived while the user had no session open (their user actor
   * decides when). Honours the `chat.message` push preference; never throws.
   */
  async pushMessage(userId: string, message: MessagePush): Promise<void> {
    try {
      if (!(await channelsOf(this.#deps.db, userId, 'chat.message')).push) return;
      const [[recipient], [sender]] = await Promise.all([
        this.#deps.db.select({ language: users.language }).from(users).where(eq(users.id, userId)),
        this.#deps.db
          .select({ username: users.username, displayName: profiles.displayName })
          .from(users)
          .leftJoin(profiles, eq(profiles.userId, users.id))
          .where(eq(users.id, message.senderId)),
      ]);
      if (recipient === undefined || sender === undefined) return;
      const name = sender.displayName || sender.username;
      const text = message.gist === undefined ? message.text : messageGist(message.gist, recipient.language);
      await this.#deps.push.send(userId, {
        title: message.groupName ?? name,
        body: message.groupName === null ? text : notificationText('chat.message', recipient.language, { name, text }),
        url: `/chats/${message.conversationId}`,
        tag: `chat:${message.conversationId}`,
      });
    } catch (error) {
      this.#deps.log.warn({ err: error, user: userId }, `notifier.pushMessage() | not sent [user:${userId}]`);
    }
  }

  /**
   * Web push for a call ringing a user with no session open (their user actor decides when):
   * urgent, kept by the push service no longer than the call rings, tagged with the call so the
   * device shows it once. Honours the `call.incoming` push preference; never throws.
   */
  async pushCall(userId: string, call: CallPush): Promise<void> {
    const callerId = call.startedBy;
    if (callerId === null) return;
    try {
      if (!(await channelsOf(this.#deps.db, userId, 'call.incoming')).push) return;
      const [[recipient], [caller], [conversation]] = await Promise.all([
        this.#deps.db.select({ language: users.language }).from(users).where(eq(users.id, userId)),
        this.#deps.db
          .select({ username: users.username, displayName: profiles.displayName })
          .from(users)
          .leftJoin(profiles, eq(profiles.userId, users.id))
          .where(eq(users.id, callerId)),
        this.#deps.db.select({ name: conversations.name }).from(conversations).where(eq(conversations.id, call.conversationId)),
      ]);
      if (recipient === undefined || caller === undefined) return;
      const name = caller.displayName || caller.username;
      await this.#deps.push.send(userId, {
        title: (call.kind === 'group' ? conversation?.name : null) ?? name,
        body: notificationText('call.incoming', recipient.language, { name }),
        url: `/chats/${call.conversationId}`,
        tag: `call:${call.id}`,
        ttlSeconds: call.ringSeconds,
        urgency: 'high',
      });
    } catch (error) {
      this.#deps.log.warn({ err: error, user: userId }, `notifier.pushCall() | not sent [user:${userId}]`);
    }
  }

  async setPreference(userId: string, request: CallRequest<'notifications.setPreference'>) {
    const { type, inApp, email, push } = request;
    if ((PUSH_ONLY_TYPES as readonly string[]).includes(type) && (inApp === true || email === true))
      throw new InvalidInputError(`${type} is delivered by push only`, { field: inApp === true ? 'inApp' : 'email' });
    const current = await channelsOf(this.#deps.db, userId, type);
    const next = { inApp: inApp ?? current.inApp, email: email ?? current.email, push: push ?? current.push };
    await this.#deps.db
      .insert(notificationPreferences)
      .values({ userId, type, ...next })
      .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.type], set: next });
    return { type, ...next };
  }
}
