// The digest of notification mails held back by MAIL_NOTIFICATIONS_PER_HOUR (notifier.ts keeps
// them in mail_digest_items): once the oldest held item of a recipient has waited
// MAIL_DIGEST_EVERY_MS, one mail lists them all (but those from someone blocked either way since)
// and they are deleted. Every node polls, but a run holds a transaction-level advisory lock, so
// one node at a time sends; the digest mail is queued in the outbox in the same transaction that
// deletes its items, so a node that dies mid-run sends nothing and leaves everything to the next.
import { sql } from 'drizzle-orm';
import { users } from '../accounts/schema.ts';
import { notBlockedWith } from '../graph/relations.ts';
import type { MailOutbox } from '../mail/outbox.ts';
import { anyOf } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { Logger } from '../platform/log.ts';
import { mailDigestItems } from './schema.ts';

/** Recipients handled per transaction. */
const RECIPIENTS_PER_RUN = 100;
/** Items listed in one mail; the rest are counted in a last line. */
const LISTED = 50;
/** How often a node looks for due digests, at most. */
const POLL_MS = 60_000;

export interface DigestDeps {
  db: Database;
  log: Logger;
  outbox: MailOutbox;
  appUrl: string;
  /** How long the oldest held item of a recipient waits before their digest goes out. */
  everyMs: number;
}

export class MailDigest {
  readonly #deps: DigestDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(deps: DigestDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /**
   * Sends the digests due at `now` (items held since `now - everyMs` or before); returns how
   * many recipients got one, or 0 when another node is sending at this moment.
   */
  async sendDue(now: Date = new Date()): Promise<number> {
    return (await this.#batch(now)).sent;
  }

  /** One batch: how many recipients were due (a full batch means more may be), how many got a digest. */
  async #batch(now: Date): Promise<{ due: number; sent: number }> {
    const { db, outbox, appUrl, everyMs } = this.#deps;
    const cutoff = new Date(now.getTime() - everyMs);
    return db.transaction(async (tx) => {
      const [lock] = rowsOf<{ locked: boolean }>(
        await tx.execute(sql`select pg_try_advisory_xact_lock(hashtextextended('mail-digest', 0)) as locked`),
      );
      if (lock?.locked !== true) return { due: 0, sent: 0 };
      const due = rowsOf<{ user_id: string }>(
        await tx.execute(sql`select user_id from ${mailDigestItems} group by user_id
          having min(created_at) <= ${cutoff.toISOString()}::timestamptz limit ${RECIPIENTS_PER_RUN}`),
      );
      if (due.length === 0) return { due: 0, sent: 0 };
      const ids = due.map((row) => row.user_id);
      const recipients = await tx
        .select({ id: users.id, email: users.email, username: users.username, language: users.language })
        .from(users)
        .where(anyOf(users.id, ids));
      let sent = 0;
      for (const recipient of recipients) {
        // All of them leave the table; those from someone blocked either way since are not listed.
        const items = rowsOf<{ id: string; text: string; shown: boolean }>(
          await tx.execute(sql`delete from ${mailDigestItems} d where d.user_id = ${recipient.id}
            returning d.id, d.text, (d.actor_id is null or ${notBlockedWith(recipient.id, sql`d.actor_id`)}) as shown`),
        ).filter((item) => item.shown);
        // Another run took them between the select and this delete (its transaction committed
        // first), or a block hid them all.
        if (items.length === 0) continue;
        items.sort((a, b) => (a.id < b.id ? -1 : 1));
        const lines = items.slice(0, LISTED).map((item) => `• ${item.text}`);
        if (items.length > LISTED) lines.push(`+${items.length - LISTED}`);
        // The outbox stores it only if the address is still verified.
        const queued = await outbox.enqueue(
          {
            to: recipient.email,
            template: 'notification_digest',
            language: recipient.language,
            params: {
              username: recipient.username,
              count: String(items.length),
              items: lines.join('\n'),
              link: `${appUrl}/notifications`,
              settingsLink: `${appUrl}/settings/notifications`,
            },
          },
          tx,
        );
        if (queued !== undefined) sent++;
      }
      this.#deps.log.info({ recipients: sent }, `mail.digest() | queued [recipients:${sent}]`);
      return { due: due.length, sent };
    });
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.#running = this.#round().finally(() => {
          this.#running = undefined;
          if (!this.#stopped) this.#schedule();
        });
      },
      Math.min(POLL_MS, this.#deps.everyMs),
    );
  }

  async #round(): Promise<void> {
    try {
      while (!this.#stopped && (await this.#batch(new Date())).due === RECIPIENTS_PER_RUN) {
        // A full run means more may be due: keep going before sleeping.
      }
    } catch (error) {
      this.#deps.log.error({ err: error }, 'mail.digest() | round failed; retrying at the next poll');
    }
  }
}
