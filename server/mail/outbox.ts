// The outbox: enqueue() writes a row (in the caller's transaction when given one), and a worker on
// every node delivers due rows. A worker claims a batch by pushing its next attempt a lease ahead
// under FOR UPDATE SKIP LOCKED, so nodes never send the same mail twice at once and a node that
// dies mid-send leaves its mails to be retried after the lease. Failures back off exponentially;
// after MAX_ATTEMPTS a mail is marked failed with its last error.
//
// Only verification and password-reset mails may go to an address nobody has proven: any other
// template is stored only when its address is the verified email of an account (checked in the
// same INSERT, in the caller's transaction), so no code path can mail an unverified address.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { users } from '../accounts/schema.ts';
import { BatchPoller } from '../platform/batch-poller.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { Logger } from '../platform/log.ts';
import { mailOutbox } from './schema.ts';
import { type MailTemplate, renderMail, UNVERIFIED_TEMPLATES } from './templates.ts';
import type { MailTransport } from './transport.ts';

export interface MailRequest {
  to: string;
  template: MailTemplate;
  language: string;
  params: Record<string, string>;
}

export interface OutboxOptions {
  from: string;
  pollMs?: number;
  leaseMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  batchSize?: number;
}

type Executor = Pick<Database, 'insert' | 'execute'>;

export class MailOutbox {
  readonly #db: Database;
  readonly #transport: MailTransport;
  readonly #log: Logger;
  readonly #options: Required<OutboxOptions>;
  readonly #poller: BatchPoller;

  constructor(db: Database, transport: MailTransport, log: Logger, options: OutboxOptions) {
    this.#db = db;
    this.#transport = transport;
    this.#log = log;
    this.#options = {
      pollMs: 1000,
      leaseMs: 60_000,
      baseDelayMs: 5000,
      maxDelayMs: 10 * 60_000,
      maxAttempts: 12,
      batchSize: 10,
      ...options,
    };
    this.#poller = new BatchPoller({
      pollMs: this.#options.pollMs,
      batchSize: this.#options.batchSize,
      round: () => this.deliverDue(),
      failed: (error) => log.error({ err: error }, 'mail.outbox() | delivery round failed; retrying at the next poll'),
    });
  }

  get transport(): MailTransport {
    return this.#transport;
  }

  /**
   * Stores the mail for delivery; pass the transaction that creates what the mail is about.
   * Returns its id, or undefined when the template needs a verified address and `to` is not one
   * (nothing is stored; the caller's transaction goes on).
   */
  async enqueue(mail: MailRequest, executor: Executor = this.#db): Promise<string | undefined> {
    const id = Bun.randomUUIDv7();
    const row = { id, toAddress: mail.to, template: mail.template, language: mail.language, params: mail.params };
    if (UNVERIFIED_TEMPLATES.includes(mail.template)) await executor.insert(mailOutbox).values(row);
    else {
      const stored = await executor.execute(sql`
        insert into ${mailOutbox} (id, to_address, template, language, params)
        select ${id}, ${mail.to}, ${mail.template}, ${mail.language}, ${JSON.stringify(mail.params)}::jsonb
        where exists (select 1 from ${users} where ${users.email} = ${mail.to} and ${users.emailVerifiedAt} is not null)
        returning id`);
      if (rowsOf(stored).length === 0) {
        this.#log.info({ template: mail.template }, `mail.enqueue() | not sent: the address is not verified [template:${mail.template}]`);
        return undefined;
      }
    }
    this.wake();
    return id;
  }

  start(): void {
    this.#poller.start();
  }

  /** Delivers due mail now rather than at the next poll. */
  wake(): void {
    this.#poller.wake();
  }

  async stop(): Promise<void> {
    await this.#poller.stop();
    this.#transport.close();
  }

  /** Claims and sends one batch of due mail; returns how many were attempted. */
  async deliverDue(): Promise<number> {
    const { leaseMs, batchSize } = this.#options;
    const now = new Date();
    const due = this.#db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now)))
      .orderBy(asc(mailOutbox.nextAttemptAt))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const claimed = await this.#db
      .update(mailOutbox)
      .set({ attempts: sql`${mailOutbox.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + leaseMs) })
      .where(inArray(mailOutbox.id, due))
      .returning();
    for (const row of claimed) await this.#send(row);
    return claimed.length;
  }

  async #send(row: typeof mailOutbox.$inferSelect): Promise<void> {
    try {
      const rendered = renderMail(row.template as MailTemplate, row.language, row.params);
      await this.#transport.send({ id: row.id, from: this.#options.from, to: row.toAddress, language: row.language, ...rendered });
      // The parameters (a sign-in or reset link, a name) are needed only to render the mail: once it
      // is sent they are not kept, so a read of this table hands out no live link.
      await this.#db
        .update(mailOutbox)
        .set({ status: 'sent', sentAt: new Date(), lastError: null, params: {} })
        .where(eq(mailOutbox.id, row.id));
      this.#log.info({ mail: row.id, template: row.template }, `mail.send() | sent [mail:${row.id}] [template:${row.template}]`);
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      const failed = row.attempts >= this.#options.maxAttempts;
      const delay = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** (row.attempts - 1));
      await this.#db
        .update(mailOutbox)
        .set({
          status: failed ? 'failed' : 'pending',
          lastError: message,
          nextAttemptAt: new Date(Date.now() + delay),
          ...(failed ? { params: {} } : {}),
        })
        .where(eq(mailOutbox.id, row.id));
      this.#log.warn(
        { mail: row.id, attempts: row.attempts, err: error },
        `mail.send() | ${failed ? 'gave up' : 'will retry'} [mail:${row.id}] [attempt:${row.attempts}] [error:${message}]`,
      );
    }
  }
}
