// Durable reminders: timers of actors that survive passivation and node failure, kept in
// PostgreSQL. Each hosting node polls for due reminders, claims a batch by pushing their due time
// a lease ahead (FOR UPDATE SKIP LOCKED, so two nodes never take the same one), delivers each as a
// message to its actor (activating it wherever it belongs), and deletes it once delivered. A node
// that dies mid-delivery leaves its claims to be retried after the lease.
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '../server/platform/db/index.ts';
import type { Logger } from '../server/platform/log.ts';
import { actorReminders } from '../server/system/schema.ts';

const CLAIM_LEASE_MS = 30_000;
const BATCH = 100;

export class Reminders {
  readonly #db: Database;
  readonly #log: Logger;

  constructor(db: Database, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  /** Sets (or replaces) the reminder `name` of an actor, due in `dueInMs`. */
  async set(kind: string, actorId: string, name: string, dueInMs: number, message: unknown): Promise<void> {
    const dueAt = new Date(Date.now() + dueInMs);
    await this.#db
      .insert(actorReminders)
      .values({ kind, actorId, name, dueAt, message })
      .onConflictDoUpdate({ target: [actorReminders.kind, actorReminders.actorId, actorReminders.name], set: { dueAt, message } });
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
    let delivered = 0;
    for (const reminder of claimed) {
      try {
        await deliver(reminder.kind, reminder.actorId, reminder.message);
        // Deleted only if not set again meanwhile (a new set changes due_at).
        await this.#db
          .delete(actorReminders)
          .where(
            and(
              eq(actorReminders.kind, reminder.kind),
              eq(actorReminders.actorId, reminder.actorId),
              eq(actorReminders.name, reminder.name),
              eq(actorReminders.dueAt, leaseUntil),
            ),
          );
        delivered++;
      } catch (error) {
        this.#log.warn(
          { err: error, actor: `${reminder.kind}.${reminder.actorId}` },
          `actors.reminders() | delivery failed, retried after the lease [reminder:${reminder.name}]`,
        );
      }
    }
    return delivered;
  }
}
