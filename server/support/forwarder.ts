// The forwarder: hands what support stored to Chatwoot, on every node, until Chatwoot has it. A
// conversation with something not forwarded (its `syncDueAt` set) is claimed by pushing that time a
// lease ahead under FOR UPDATE SKIP LOCKED, so two nodes never forward the same conversation at
// once and one that dies mid-way leaves it to be claimed again after the lease. Each step's result
// is stored as soon as Chatwoot answers (the contact, the conversation, the priority and label, each
// message in order, the resolving), so a retry goes on where the last attempt stopped. A failure
// backs off exponentially up to MAX_DELAY and is retried for as long as it takes: nothing the
// person was told is stored is ever dropped. The delivery is at least once: a node that dies after
// Chatwoot took a message and before we recorded it posts that message again.
import { and, asc, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { users } from '../accounts/schema.ts';
import { BatchPoller } from '../platform/batch-poller.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import type { ChatwootClient } from './chatwoot.ts';
import { supportConversations, supportMessages } from './schema.ts';

export interface ForwarderOptions {
  pollMs?: number;
  leaseMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  batchSize?: number;
}

type ConversationRow = typeof supportConversations.$inferSelect;

export class SupportForwarder {
  readonly #db: Database;
  readonly #chatwoot: ChatwootClient;
  readonly #log: Logger;
  readonly #options: Required<ForwarderOptions>;
  readonly #poller: BatchPoller;

  constructor(db: Database, chatwoot: ChatwootClient, log: Logger, options: ForwarderOptions = {}) {
    this.#db = db;
    this.#chatwoot = chatwoot;
    this.#log = log;
    this.#options = { pollMs: 1000, leaseMs: 60_000, baseDelayMs: 1000, maxDelayMs: 5 * 60_000, batchSize: 10, ...options };
    this.#poller = new BatchPoller({
      pollMs: this.#options.pollMs,
      batchSize: this.#options.batchSize,
      round: () => this.forwardDue(),
      failed: (error) => log.error({ err: error }, 'support.forwarder() | round failed; retrying at the next poll'),
    });
  }

  start(): void {
    this.#poller.start();
  }

  /** Forwards what is due now rather than at the next poll. */
  wake(): void {
    this.#poller.wake();
  }

  async stop(): Promise<void> {
    await this.#poller.stop();
  }

  /** Claims a batch of conversations with something due and forwards each; returns how many were claimed. */
  async forwardDue(): Promise<number> {
    const { leaseMs, batchSize } = this.#options;
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const due = this.#db
      .select({ id: supportConversations.id })
      .from(supportConversations)
      .where(and(isNotNull(supportConversations.syncDueAt), lte(supportConversations.syncDueAt, now)))
      .orderBy(asc(supportConversations.syncDueAt))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const claimed = await this.#db
      .update(supportConversations)
      .set({ syncDueAt: leaseUntil, syncAttempts: sql`${supportConversations.syncAttempts} + 1` })
      .where(inArray(supportConversations.id, due))
      .returning();
    await Promise.all(claimed.map((row) => this.#forward(row, leaseUntil)));
    return claimed.length;
  }

  async #forward(row: ConversationRow, leaseUntil: Date): Promise<void> {
    // Ours while the lease holds; a new message meanwhile sets syncDueAt to now, so it stays due.
    const stillClaimed = and(eq(supportConversations.id, row.id), eq(supportConversations.syncDueAt, leaseUntil));
    try {
      const forwarded = await this.#sync(row);
      await this.#db.update(supportConversations).set({ syncDueAt: null, syncAttempts: 0, lastError: null }).where(stillClaimed);
      if (forwarded > 0)
        this.#log.info(
          { conversation: row.id, messages: forwarded },
          `support.forward() | forwarded [conversation:${row.id}] [messages:${forwarded}]`,
        );
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      const delay = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** Math.max(0, row.syncAttempts - 1));
      await this.#db
        .update(supportConversations)
        .set({ syncDueAt: new Date(Date.now() + delay), lastError: message })
        .where(stillClaimed);
      this.#log.warn(
        { conversation: row.id, attempts: row.syncAttempts, err: error },
        `support.forward() | will retry [conversation:${row.id}] [attempt:${row.syncAttempts}] [in:${delay}ms] [error:${message}]`,
      );
    }
  }

  /** Brings Chatwoot up to date with one conversation; returns how many messages it forwarded. */
  async #sync(row: ConversationRow): Promise<number> {
    let { chatwootContactId: contactId, chatwootSourceId: sourceId, chatwootConversationId: chatwootId } = row;
    if (contactId === null || sourceId === null) {
      const [user] = await this.#db.select({ username: users.username }).from(users).where(eq(users.id, row.userId));
      ({ contactId, sourceId } = await this.#chatwoot.contact(row.userId, user?.username ?? row.userId));
      await this.#db
        .update(supportConversations)
        .set({ chatwootContactId: contactId, chatwootSourceId: sourceId })
        .where(eq(supportConversations.id, row.id));
    }
    if (chatwootId === null) {
      chatwootId = await this.#chatwoot.openConversation(contactId, sourceId, row.id);
      await this.#db.update(supportConversations).set({ chatwootConversationId: chatwootId }).where(eq(supportConversations.id, row.id));
    }
    // The priority as of the latest message (read again: it may have changed since the claim).
    const [current] = await this.#db
      .select({ priority: supportConversations.priority, applied: supportConversations.chatwootPriority })
      .from(supportConversations)
      .where(eq(supportConversations.id, row.id));
    if (current !== undefined && current.priority !== current.applied && (current.applied !== null || current.priority !== 'none')) {
      await this.#chatwoot.setPriority(chatwootId, current.priority);
      await this.#db.update(supportConversations).set({ chatwootPriority: current.priority }).where(eq(supportConversations.id, row.id));
    }
    const waiting = await this.#db
      .select({ id: supportMessages.id, text: supportMessages.text })
      .from(supportMessages)
      .where(and(eq(supportMessages.conversationId, row.id), eq(supportMessages.author, 'user'), isNull(supportMessages.forwardedAt)))
      .orderBy(asc(supportMessages.id));
    for (const message of waiting) {
      const chatwootMessageId = await this.#chatwoot.postMessage(chatwootId, message.text);
      await this.#db.update(supportMessages).set({ chatwootMessageId, forwardedAt: new Date() }).where(eq(supportMessages.id, message.id));
    }
    const [closing] = await this.#db
      .select({ resolvePending: supportConversations.resolvePending })
      .from(supportConversations)
      .where(eq(supportConversations.id, row.id));
    if (closing?.resolvePending === true) {
      await this.#chatwoot.resolve(chatwootId);
      await this.#db.update(supportConversations).set({ resolvePending: false }).where(eq(supportConversations.id, row.id));
    }
    return waiting.length;
  }
}
