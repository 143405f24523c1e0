// The loop of a table-backed outbox on every node (the mail outbox, the support forwarder): a
// round claims and handles a batch of due rows; a full batch means more may be due, so rounds go
// on at once, otherwise the next waits `pollMs`; `wake()` asks for a round now (a row was just
// written), and a wake during a round runs another right after it. A round that throws is logged
// by its owner and tried again at the next poll.

export interface BatchPollerOptions {
  pollMs: number;
  batchSize: number;
  /** One round: how many rows it claimed. */
  round: () => Promise<number>;
  /** A round failed (its owner logs it with context); the next poll tries again. */
  failed: (error: unknown) => void;
}

export class BatchPoller {
  readonly #options: BatchPollerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #again = false;

  constructor(options: BatchPollerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** A round now rather than at the next poll. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) this.#again = true;
    else this.#schedule(0);
  }

  /** No more rounds; waits for the one running. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#running = this.#loop().finally(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        const again = this.#again;
        this.#again = false;
        this.#schedule(again ? 0 : this.#options.pollMs);
      });
    }, delayMs);
  }

  async #loop(): Promise<void> {
    try {
      while (!this.#stopped && (await this.#options.round()) === this.#options.batchSize) {
        // A full batch means more may be due: keep going before sleeping.
      }
    } catch (error) {
      this.#options.failed(error);
    }
  }
}
