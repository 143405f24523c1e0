// The call timeouts of one gateway with one timer instead of a timer per call. Every call gets the
// same timeout (WS call timeout), so deadlines come due in the order calls started: the pending
// calls are kept in insertion order and the one timer waits for the oldest. A call that finishes
// leaves the set at once; the timer, when it fires for a call already gone, waits for the next
// oldest. A deadline is met no earlier than it is due and as soon as the timer allows, as with a
// timer per call; what a call costs is a set insertion and a deletion.

export interface Deadline {
  /** performance.now() by which the call must have finished. */
  readonly at: number;
}

export class Deadlines<D extends Deadline> {
  readonly #pending = new Set<D>();
  readonly #expire: (deadline: D) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `expire` runs for each deadline that came due before it was removed. */
  constructor(expire: (deadline: D) => void) {
    this.#expire = expire;
  }

  /** Adds a deadline; it must be due no earlier than every deadline added before it. */
  add(deadline: D): void {
    this.#pending.add(deadline);
    if (this.#timer === undefined) this.#arm(deadline.at);
  }

  /** The call finished: its deadline will not expire. */
  delete(deadline: D): void {
    this.#pending.delete(deadline);
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Drops every pending deadline without expiring it. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
  }

  #arm(at: number): void {
    this.#timer = setTimeout(() => this.#sweep(), Math.max(0, at - performance.now()));
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const deadline of this.#pending) {
      if (deadline.at > now) {
        this.#arm(deadline.at);
        return;
      }
      this.#pending.delete(deadline);
      this.#expire(deadline);
    }
  }
}
