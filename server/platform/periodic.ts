// A job that one node of the cluster runs every `everyMs` (the hourly story cleanup, the reels'
// collaborative vectors). Every node ticks; which one runs a round is decided by the job's row of
// `periodic_jobs`: the first whose claim succeeds (an UPDATE … WHERE due AND claim lapsed), for a
// lease of a quarter of the period (at most 15 minutes). Only a finished round moves the due time
// on, so a round whose node died is run again by the next node whose claim finds the lease
// lapsed: rounds must be safe to run twice.
import { and, eq, lt, or, sql } from 'drizzle-orm';
import { periodicJobs } from '../system/schema.ts';
import type { Database } from './db/index.ts';
import type { Logger } from './log.ts';

const MAX_LEASE_MS = 15 * 60_000;
const MAX_TICK_MS = 60_000;

export interface PeriodicDeps<T> {
  db: Database;
  log: Logger;
  /** This node's name, as claims record it. */
  node: string;
  /** The job's row in periodic_jobs, and its name in logs. */
  name: string;
  everyMs: number;
  /** When the round after a finished one is due, for a job run at fixed times (the daily one at 00:00 UTC); `everyMs` after it by default. */
  nextRunAt?: (finished: Date) => Date;
  /** One round; `stopping()` turns true when the node stops, for a long round to end early. */
  round: (stopping: () => boolean) => Promise<T>;
}

export class PeriodicJob<T> {
  readonly #deps: PeriodicDeps<T>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(deps: PeriodicDeps<T>) {
    this.#deps = deps;
  }

  get #leaseMs() {
    return Math.min(MAX_LEASE_MS, Math.max(1000, this.#deps.everyMs / 4));
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

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        this.#running = this.runDue()
          .catch((error: unknown) => this.#deps.log.error({ err: error }, `${this.#deps.name}() | round failed`))
          .finally(() => this.#schedule());
      },
      Math.min(MAX_TICK_MS, this.#deps.everyMs / 4),
    );
  }

  /** Runs a round if one is due and no other node holds it: its result, or undefined when it did not run. */
  async runDue(): Promise<T | undefined> {
    const { db, node, name } = this.#deps;
    await db.insert(periodicJobs).values({ name, nextRunAt: new Date() }).onConflictDoNothing();
    const [claimed] = await db
      .update(periodicJobs)
      .set({ claimedBy: node, claimedUntil: sql`now() + make_interval(secs => ${this.#leaseMs / 1000})` })
      .where(
        and(
          eq(periodicJobs.name, name),
          sql`${periodicJobs.nextRunAt} <= now()`,
          or(sql`${periodicJobs.claimedUntil} is null`, lt(periodicJobs.claimedUntil, sql`now()`)),
        ),
      )
      .returning({ name: periodicJobs.name });
    if (claimed === undefined) return undefined;
    const result = await this.#deps.round(() => this.#stopped);
    await db
      .update(periodicJobs)
      .set({
        nextRunAt:
          this.#deps.nextRunAt === undefined
            ? sql`now() + make_interval(secs => ${this.#deps.everyMs / 1000})`
            : this.#deps.nextRunAt(new Date()),
        claimedBy: null,
        claimedUntil: null,
        lastRunAt: sql`now()`,
      })
      .where(and(eq(periodicJobs.name, name), eq(periodicJobs.claimedBy, node)));
    return result;
  }
}
