// Durable reminders: timers of actors that survive passivation and node failure, kept in
// PostgreSQL. Each hosting node polls for due reminders, claims a batch by pushing their due time
// a lease ahead (FOR UPDATE SKIP LOCKED, so two nodes never take the same one), delivers each as a
// message to its actor (activating it wherever it belongs), and deletes it once delivered. A
// delivery that fails (the actor's node died and its lease has not expired yet) is retried a
// second later, then after twice as long each time up to 30 s, and given up (logged) after 20
// failures, some ten minutes; a node that dies mid-delivery leaves its claims to be retried after
// the claim lease. A reminder due at once, set in the transaction of a change, is a durable
// tell: the message reaches the actor even if the node that made the change dies after its commit.
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '../server/platform/db/index.ts';
import type { Logger } from '../server/platform/log.ts';
import { actorReminders } from '../server/system/schema.ts';

const CLAIM_LEASE_MS = 30_000;
/** After a first failed delivery: soon, so a message waits at most this long past its actor's return. */
const RETRY_MS = 1000;
/** Later failures wait twice as long each time, up to this (an actor that is alive but failing). */
const MAX_RETRY_MS = 30_000;
const MAX_ATTEMPTS = 20;
const BATCH = 100;

type Executor = Pick<Database, 'insert'>;

export class Reminders {
  readonly #db: Database;
  readonly #log: Logger;

  constructor(db: Database, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  /** Sets (or replaces) the reminder `name` of an actor, due in `dueInMs`; in `executor`'s transaction when given. */
  async set(kind: string, actorId: string, name: string, dueInMs: number, message: unknown, executor: Executor = this.#db): Promise<void> {
    const dueAt = new Date(Date.now() + dueInMs);
    await executor
      .insert(actorReminders)
      .values({ kind, actorId, name, dueAt, message })
      .onConflictDoUpdate({
        target: [actorReminders.kind, actorReminders.actorId, actorReminders.name],
        set: { dueAt, message, attempts: 0 },
      });
  }

  async cancel(kind: string, actorId: string, name: string): Promise<void> {
    await this.#db
      .delete(actorReminders)
      .where(and(eq(actorReminders.kind, kind), eq(actorReminders.actorId, actorId), eq(actorReminders.name, name)));
  }

  /** Claims due reminders and delivers them through `deliver`; returns how many were delivered. */
  async deliverDue(deliver: (kind: string, actorId: string, message: unknown) => Promise<void>): Promise<number> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS);
    const due = this.#db
      .select({ kind: actorReminders.kind, actorId: actorReminders.actorId, name: actorReminders.name })
      .from(actorReminders)
      .where(lte(actorReminders.dueAt, now))
      .orderBy(asc(actorReminders.dueAt))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    // Claimed rows get a due time no client sets (a lease ahead), which identifies this claim.
    const claimed = await this.#db
      .update(actorReminders)
      .set({ dueAt: leaseUntil })
      .where(
        and(lte(actorReminders.dueAt, now), sql`(${actorReminders.kind}, ${actorReminders.actorId}, ${actorReminders.name}) in ${due}`),
      )
      .returning();
    // All at once: one actor whose node just died must not hold up the others' messages.
    const outcomes = await Promise.all(
      claimed.map(async (reminder) => {
        const ours = and(
          eq(actorReminders.kind, reminder.kind),
          eq(actorReminders.actorId, reminder.actorId),
          eq(actorReminders.name, reminder.name),
          // Not set again meanwhile (a new set changes due_at).
          eq(actorReminders.dueAt, leaseUntil),
        );
        try {
          await deliver(reminder.kind, reminder.actorId, reminder.message);
          await this.#db.delete(actorReminders).where(ours);
          return true;
        } catch (error) {
          const actor = `${reminder.kind}.${reminder.actorId}`;
          if (reminder.attempts + 1 >= MAX_ATTEMPTS) {
            this.#log.error(
              { err: error, actor },
              `actors.reminders() | delivery failed ${MAX_ATTEMPTS} times, given up [actor:${actor}] [reminder:${reminder.name}]`,
            );
            await this.#db.delete(actorReminders).where(ours);
            return false;
          }
          const waitMs = Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** reminder.attempts);
          this.#log.warn(
            { err: error, actor },
            `actors.reminders() | delivery failed, retried in ${waitMs} ms [reminder:${reminder.name}]`,
          );
          await this.#db
            .update(actorReminders)
            .set({ dueAt: new Date(Date.now() + waitMs), attempts: reminder.attempts + 1 })
            .where(ours);
          return false;
        }
      }),
    );
    return outcomes.filter(Boolean).length;
  }
}
