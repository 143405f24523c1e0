// Support: each person's conversation with the PetAmigos team. Owns the conversations and their
// messages (schema.ts). A message is stored (and its conversation marked for forwarding) before
// support.send answers; the forwarder (forwarder.ts) hands it to Chatwoot afterwards, retrying until
// Chatwoot takes it. Agents' answers come back through Chatwoot's webhook (webhook.ts) and reach
// every session of the person as `support.message` on their `user:<id>` topic.
//
// Priority: a person whose plan has `prioritySupport` (Pro) gets their conversation marked `high`
// with the `pro` label in Chatwoot; the plan is read at every message, so a plan that changes
// mid-conversation shows with the next one.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import { SUPPORT_LIMITS } from '../../protocol/lists.ts';
import type { RateLimiter } from '../accounts/rate-limits.ts';
import { InvalidInputError } from '../errors.ts';
import { emit } from '../events.ts';
import type { Entitlements } from '../payments/entitlements.ts';
import { decodeTypedCursor, pageOf } from '../platform/cursor.ts';
import type { Database } from '../platform/db/index.ts';
import { checkPlainText } from '../platform/input.ts';
import type { Logger } from '../platform/log.ts';
import type { TopicLog } from '../platform/topics/index.ts';
import { SupportUnavailableError } from './errors.ts';
import { supportConversations, supportMessages } from './schema.ts';

export interface SupportDeps {
  db: Database;
  topics: TopicLog;
  log: Logger;
  entitlements: Entitlements;
  limiter: RateLimiter;
  /** Whether a helpdesk is configured: without one nothing is taken. */
  available: boolean;
  /** Tells the forwarder there is something to forward now. */
  wake(): void;
}

type ConversationRow = typeof supportConversations.$inferSelect;
type MessageRow = typeof supportMessages.$inferSelect;
type ConversationView = CallResponse<'support.send'>['conversation'];
type MessageView = CallResponse<'support.send'>['message'];

const SENDS = { name: 'support messages', max: SUPPORT_LIMITS.messagesPerHour, windowMs: 60 * 60_000 };

const conversationView = (row: ConversationRow): ConversationView => ({
  id: row.id,
  status: row.status,
  priority: row.priority !== 'none',
  createdAt: row.createdAt.toISOString(),
  closedAt: row.closedAt?.toISOString() ?? null,
});

const messageView = (row: MessageRow): MessageView => ({
  id: row.id,
  conversationId: row.conversationId,
  author: row.author,
  agentName: row.agentName,
  text: row.text,
  createdAt: row.createdAt.toISOString(),
});

export class Support {
  readonly #deps: SupportDeps;

  constructor(deps: SupportDeps) {
    this.#deps = deps;
  }

  get available(): boolean {
    return this.#deps.available;
  }

  async send(userId: string, body: CallRequest<'support.send'>): Promise<CallResponse<'support.send'>> {
    if (!this.#deps.available) throw new SupportUnavailableError();
    const text = body.text.trim();
    if (text === '') throw new InvalidInputError('the message is blank', { field: 'text' });
    checkPlainText(text, 'text');
    if (body.clientId !== undefined) {
      const sent = await this.#byClientId(userId, body.clientId);
      if (sent !== undefined) return sent;
    }
    await this.#deps.limiter.hit(SENDS, userId);
    const priority = (await this.#deps.entitlements.has(userId, 'prioritySupport')) ? 'high' : 'none';
    const id = Bun.randomUUIDv7();
    const stored = await this.#deps.db.transaction(async (tx) => {
      // The open conversation, or a new one; two first messages at once meet at the one-open index.
      await tx
        .insert(supportConversations)
        .values({ id: Bun.randomUUIDv7(), userId, priority, syncDueAt: new Date() })
        .onConflictDoNothing({ target: supportConversations.userId, where: sql`${supportConversations.status} = 'open'` });
      const [conversation] = await tx
        .update(supportConversations)
        .set({ priority, syncDueAt: new Date() })
        .where(and(eq(supportConversations.userId, userId), eq(supportConversations.status, 'open')))
        .returning();
      if (conversation === undefined) throw new Error('support.send: no open conversation after making one');
      const [message] = await tx
        .insert(supportMessages)
        .values({ id, conversationId: conversation.id, userId, author: 'user', text, clientId: body.clientId })
        .onConflictDoNothing({ target: [supportMessages.userId, supportMessages.clientId] })
        .returning();
      return message === undefined ? undefined : { conversation, message };
    });
    // The same clientId sent twice at once: the other attempt stored it.
    if (stored === undefined) return (await this.#byClientId(userId, body.clientId as string)) as CallResponse<'support.send'>;
    this.#deps.log.info(
      { user: userId, conversation: stored.conversation.id, message: id, priority },
      `support.send() | stored [user:${userId}] [conversation:${stored.conversation.id}] [message:${id}] [priority:${priority}]`,
    );
    this.#deps.wake();
    const message = messageView(stored.message);
    await emit(this.#deps, 'user', userId, 'support.message', { message });
    return { conversation: conversationView(stored.conversation), message };
  }

  async #byClientId(userId: string, clientId: string): Promise<CallResponse<'support.send'> | undefined> {
    const [row] = await this.#deps.db
      .select({ message: supportMessages, conversation: supportConversations })
      .from(supportMessages)
      .innerJoin(supportConversations, eq(supportConversations.id, supportMessages.conversationId))
      .where(and(eq(supportMessages.userId, userId), eq(supportMessages.clientId, clientId)));
    return row === undefined ? undefined : { conversation: conversationView(row.conversation), message: messageView(row.message) };
  }

  async history(userId: string, body: CallRequest<'support.history'>): Promise<CallResponse<'support.history'>> {
    const before = decodeTypedCursor(body.cursor, ['uuid'])?.[0];
    const [[latest], rows] = await Promise.all([
      this.#deps.db
        .select()
        .from(supportConversations)
        .where(eq(supportConversations.userId, userId))
        .orderBy(desc(supportConversations.id))
        .limit(1),
      this.#deps.db
        .select()
        .from(supportMessages)
        .where(and(eq(supportMessages.userId, userId), before === undefined ? undefined : sql`${supportMessages.id} < ${before}`))
        .orderBy(desc(supportMessages.id))
        .limit(SUPPORT_LIMITS.page + 1),
    ]);
    return {
      conversation: latest === undefined ? null : conversationView(latest),
      available: this.#deps.available,
      page: pageOf(rows, SUPPORT_LIMITS.page, (row) => [row.id], messageView),
    };
  }

  /** Closes the person's open conversation; Chatwoot is told by the forwarder (resolved). */
  async close(userId: string): Promise<CallResponse<'support.close'>> {
    const now = new Date();
    const [closed] = await this.#deps.db
      .update(supportConversations)
      .set({ status: 'closed', closedAt: now, resolvePending: true, syncDueAt: now })
      .where(and(eq(supportConversations.userId, userId), eq(supportConversations.status, 'open')))
      .returning();
    if (closed === undefined) {
      const [latest] = await this.#deps.db
        .select()
        .from(supportConversations)
        .where(eq(supportConversations.userId, userId))
        .orderBy(desc(supportConversations.id))
        .limit(1);
      return { conversation: latest === undefined ? null : conversationView(latest) };
    }
    this.#deps.log.info(
      { user: userId, conversation: closed.id },
      `support.close() | closed by the person [user:${userId}] [conversation:${closed.id}]`,
    );
    this.#deps.wake();
    const conversation = conversationView(closed);
    await emit(this.#deps, 'user', userId, 'support.closed', { conversation });
    return { conversation };
  }

  /** An agent's answer from Chatwoot: stored once by Chatwoot's message id, then pushed to the person. */
  async agentReplied(
    chatwootConversationId: number,
    reply: { chatwootMessageId: number; text: string; agentName: string | null },
  ): Promise<'handled' | 'duplicate' | 'unknown'> {
    const [conversation] = await this.#deps.db
      .select()
      .from(supportConversations)
      .where(eq(supportConversations.chatwootConversationId, chatwootConversationId));
    if (conversation === undefined) return 'unknown';
    const [row] = await this.#deps.db
      .insert(supportMessages)
      .values({
        id: Bun.randomUUIDv7(),
        conversationId: conversation.id,
        userId: conversation.userId,
        author: 'agent',
        agentName: reply.agentName,
        text: reply.text,
        chatwootMessageId: reply.chatwootMessageId,
      })
      .onConflictDoNothing({ target: supportMessages.chatwootMessageId })
      .returning();
    if (row === undefined) return 'duplicate';
    this.#deps.log.info(
      { user: conversation.userId, conversation: conversation.id, chatwootMessage: reply.chatwootMessageId },
      `support.agentReplied() | stored [user:${conversation.userId}] [conversation:${conversation.id}] [chatwoot-message:${reply.chatwootMessageId}]`,
    );
    await emit(this.#deps, 'user', conversation.userId, 'support.message', { message: messageView(row) });
    return 'handled';
  }

  /** Chatwoot resolved the conversation: ours closes (the next message opens another). */
  async resolved(chatwootConversationId: number): Promise<'handled' | 'duplicate' | 'unknown'> {
    const [conversation] = await this.#deps.db
      .select()
      .from(supportConversations)
      .where(eq(supportConversations.chatwootConversationId, chatwootConversationId));
    if (conversation === undefined) return 'unknown';
    const [closed] = await this.#deps.db
      .update(supportConversations)
      .set({ status: 'closed', closedAt: new Date() })
      .where(and(eq(supportConversations.id, conversation.id), eq(supportConversations.status, 'open')))
      .returning();
    if (closed === undefined) return 'duplicate';
    this.#deps.log.info(
      { user: closed.userId, conversation: closed.id },
      `support.resolved() | closed by the team [user:${closed.userId}] [conversation:${closed.id}]`,
    );
    await emit(this.#deps, 'user', closed.userId, 'support.closed', { conversation: conversationView(closed) });
    return 'handled';
  }
}
