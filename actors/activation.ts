// One live actor on this node: its bounded mailbox, processed one message at a time, its timers,
// and its idle clock. Owned by the Host; nothing else holds it.
import { MailboxFullError } from './errors.ts';
import type { Actor, Batching, BatchResult, Outcome } from './types.ts';

interface Envelope {
  message: unknown;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

/** Where a timer's message goes when it fires (the actor's context: a tell to the actor). */
export interface TimerTarget {
  fired(message: unknown): void;
}

interface TimerEntry {
  name: string;
  target: TimerTarget;
  message: unknown;
  timeout: ReturnType<typeof setTimeout> | undefined;
}

function fireTimer(activation: Activation, entry: TimerEntry): void {
  activation.fired(entry);
}

export class Activation {
  readonly address: string;
  readonly #actor: Actor;
  readonly #capacity: number;
  readonly #queue: Envelope[] = [];
  /** Named timers, few per actor: a list, made on the first (a Map per actor costs ~300 bytes). */
  #timers: TimerEntry[] | undefined;
  #running = false;
  #stopped = false;
  lastActiveAt = Date.now();

  constructor(address: string, actor: Actor, capacity: number) {
    this.address = address;
    this.#actor = actor;
    this.#capacity = capacity;
  }

  get depth(): number {
    return this.#queue.length;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Queues a message; the promise settles with the handler's outcome. */
  enqueue(message: unknown): Promise<Outcome> {
    if (this.#stopped) return Promise.reject(new MailboxFullError(this.address, 0));
    if (this.#queue.length >= this.#capacity) return Promise.reject(new MailboxFullError(this.address, this.#capacity));
    return new Promise<Outcome>((resolve, reject) => {
      this.#queue.push({ message, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    const batch = this.#actor.batch;
    while (this.#queue.length > 0) {
      if (batch?.accepts((this.#queue[0] as Envelope).message)) {
        await this.#handleBatch(batch);
        continue;
      }
      const envelope = this.#queue.shift() as Envelope;
      this.lastActiveAt = Date.now();
      try {
        const outcome = this.#actor.handle(envelope.message);
        // Synchronous handlers (most messages) cost no extra turn of the event loop.
        envelope.resolve(outcome instanceof Promise ? await outcome : outcome);
      } catch (error) {
        envelope.reject(error);
      }
    }
    this.lastActiveAt = Date.now();
    this.#running = false;
  }

  /** The head of the queue and the messages behind it that `batch` accepts, up to its max, in one call. */
  async #handleBatch(batch: Batching): Promise<void> {
    let count = 1;
    while (count < batch.max && count < this.#queue.length && batch.accepts((this.#queue[count] as Envelope).message)) count++;
    const envelopes = this.#queue.splice(0, count);
    this.lastActiveAt = Date.now();
    let results: BatchResult[];
    try {
      results = await batch.handle(envelopes.map((envelope) => envelope.message));
      if (results.length !== envelopes.length)
        throw new Error(`${this.address}: a batch of ${envelopes.length} gave ${results.length} results`);
    } catch (error) {
      for (const envelope of envelopes) envelope.reject(error);
      return;
    }
    envelopes.forEach((envelope, i) => {
      const result = results[i] as BatchResult;
      if ('error' in result) envelope.reject(result.error);
      else envelope.resolve(result.outcome);
    });
  }

  /** Ignored once stopped: a passivating actor sets no timer. With `keep`, a waiting timer of that name stays. */
  timer(name: string, ms: number, target: TimerTarget, message: unknown, options: { keep?: boolean } = {}): void {
    if (this.#stopped) return;
    if (options.keep === true && this.#timers?.some((entry) => entry.name === name)) return;
    this.cancelTimer(name);
    // The timer's state in one object and a module function for its callback: no closure per timer.
    const entry: TimerEntry = { name, target, message, timeout: undefined };
    entry.timeout = setTimeout(fireTimer, ms, this, entry);
    this.#timers ??= [];
    this.#timers.push(entry);
  }

  /** A timer went off: forgotten, then its message handed to its target. */
  fired(entry: TimerEntry): void {
    const index = this.#timers?.indexOf(entry) ?? -1;
    if (index >= 0) this.#timers?.splice(index, 1);
    entry.target.fired(entry.message);
  }

  cancelTimer(name: string): void {
    const index = this.#timers?.findIndex((entry) => entry.name === name) ?? -1;
    if (index < 0) return;
    clearTimeout(this.#timers?.[index]?.timeout);
    this.#timers?.splice(index, 1);
  }

  get idle(): boolean {
    return !this.#running && this.#queue.length === 0;
  }

  /** Stops taking messages, waits for the current one, then lets the actor flush. Messages still
   * queued are refused with `refusal`, so their senders retry wherever the actor lives next. */
  async stop(refusal: Error): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const envelope of this.#queue.splice(0)) envelope.reject(refusal);
    for (const entry of this.#timers ?? []) clearTimeout(entry.timeout);
    this.#timers = undefined;
    while (this.#running) await Bun.sleep(1);
    await this.#actor.passivate?.();
  }
}
