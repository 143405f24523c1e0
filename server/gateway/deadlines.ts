// The call timeouts of one gateway with one timer instead of a timer per call. Every call gets the
// same timeout (WS call timeout), so deadlines come due in the order calls started: the pending
// calls are kept in a list in that order and the one timer waits for the oldest. A call that
// finishes is unlinked at once; the timer, when it fires for a call already gone, waits for the
// next oldest. A deadline is met no earlier than it is due and as soon as the timer allows, as
// with a timer per call; what a call costs is linking and unlinking one object (no hashing, no
// timer: bench/gateway-steps.ts).

export interface Deadline {
  /** performance.now() by which the call must have finished. */
  readonly at: number;
  /** The list's links, Deadlines' own: undefined while the deadline is not pending. */
  older: Deadline | undefined;
  newer: Deadline | undefined;
}

export class Deadlines<D extends Deadline> {
  readonly #expire: (deadline: D) => void;
  #oldest: D | undefined;
  #newest: D | undefined;
  #size = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `expire` runs for each deadline that came due before it was removed. */
  constructor(expire: (deadline: D) => void) {
    this.#expire = expire;
  }

  /** Adds a deadline; it must be due no earlier than every deadline added before it. */
  add(deadline: D): void {
    deadline.older = this.#newest;
    deadline.newer = undefined;
    if (this.#newest === undefined) this.#oldest = deadline;
    else this.#newest.newer = deadline;
    this.#newest = deadline;
    this.#size++;
    if (this.#timer === undefined) this.#arm(deadline.at);
  }

  /** The call finished: its deadline will not expire. Nothing happens for one not pending. */
  delete(deadline: D): void {
    if (deadline !== this.#oldest && deadline.older === undefined) return;
    if (deadline.older === undefined) this.#oldest = deadline.newer as D | undefined;
    else deadline.older.newer = deadline.newer;
    if (deadline.newer === undefined) this.#newest = deadline.older as D | undefined;
    else deadline.newer.older = deadline.older;
    deadline.older = undefined;
    deadline.newer = undefined;
    this.#size--;
  }

  get size(): number {
    return this.#size;
  }

  /** Drops every pending deadline without expiring it. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (let deadline: Deadline | undefined = this.#oldest; deadline !== undefined; ) {
      const newer: Deadline | undefined = deadline.newer;
      deadline.older = undefined;
      deadline.newer = undefined;
      deadline = newer;
    }
    this.#oldest = undefined;
    this.#newest = undefined;
    this.#size = 0;
  }

  #arm(at: number): void {
    this.#timer = setTimeout(() => this.#sweep(), Math.max(0, at - performance.now()));
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (let oldest = this.#oldest; oldest !== undefined; oldest = this.#oldest) {
      if (oldest.at > now) {
        this.#arm(oldest.at);
        return;
      }
      this.delete(oldest);
      this.#expire(oldest);
    }
  }
}
