// The delivery side of a fake payment provider's webhooks: when each notification is POSTed, how often and in what
// order, and what the receiver answered. Real providers deliver late, twice, and out of order; the tests of a webhook
// receiver need to make all three happen on purpose. The provider-specific part (URL, body, signature headers) is a
// `prepare` callback, called again for every attempt because each attempt is signed afresh (new transmission or
// request id), as the real providers do on a resend.

export interface PreparedDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookDelivery {
  /** The provider's id of the notification (PayPal `WH-…`, Mercado Pago's notification id). */
  id: string;
  /** What it is about: PayPal's event_type, Mercado Pago's `type`/`action`. */
  kind: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The receiver's HTTP status; 0 when it could not be reached. */
  status: number;
  error?: string;
  forged?: string;
  at: string;
}

export interface SendOptions {
  /** Deliver the same notification this many times (a provider's duplicate deliveries). Default 1. */
  times?: number;
  /** Wait this long before delivering. */
  delayMs?: number;
}

interface Job {
  id: string;
  kind: string;
  forged: string | undefined;
  prepare: () => PreparedDelivery;
}

export class WebhookOutbox {
  readonly deliveries: WebhookDelivery[] = [];
  #held: Job[] | undefined;
  #inFlight = new Set<Promise<void>>();

  /** Queues a notification, or delivers it in the background (after `delayMs`) unless the outbox is held. */
  enqueue(job: { id: string; kind: string; forged?: string; prepare: () => PreparedDelivery }, options: SendOptions = {}): void {
    const times = options.times ?? 1;
    for (let attempt = 0; attempt < times; attempt++) {
      const queued: Job = { id: job.id, kind: job.kind, forged: job.forged, prepare: job.prepare };
      if (this.#held) {
        this.#held.push(queued);
        continue;
      }
      this.#track(this.#deliverLater(queued, options.delayMs ?? 0));
    }
  }

  /** From now on notifications wait in a queue until flush(). */
  hold(): void {
    this.#held ??= [];
  }

  /** Delivers the queued notifications one after the other, oldest first or newest first, and stops holding. */
  async flush(order: 'queued' | 'reversed' = 'queued'): Promise<void> {
    const queued = this.#held ?? [];
    this.#held = undefined;
    if (order === 'reversed') queued.reverse();
    for (const job of queued) await this.#deliver(job);
  }

  /** Resolves once every delivery already started (including delayed ones) has been answered. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  /** Waits until `count` deliveries satisfy `match`, for notifications sent in the background. */
  async waitFor(match: (delivery: WebhookDelivery) => boolean, count = 1, timeoutMs = 5000): Promise<WebhookDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.deliveries.filter(match);
      if (found.length >= count) return found;
      if (Date.now() > deadline)
        throw new Error(`expected ${count} matching webhook deliveries, got ${found.length} of ${this.deliveries.length}`);
      await Bun.sleep(10);
    }
  }

  #track(promise: Promise<void>): void {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
  }

  async #deliverLater(job: Job, delayMs: number): Promise<void> {
    if (delayMs > 0) await Bun.sleep(delayMs);
    await this.#deliver(job);
  }

  /** Never throws: an unreachable receiver is recorded as status 0, as a provider's delivery log shows a failure. */
  async #deliver(job: Job): Promise<void> {
    const prepared = job.prepare();
    const record: WebhookDelivery = { id: job.id, kind: job.kind, ...prepared, status: 0, at: new Date().toISOString() };
    if (job.forged) record.forged = job.forged;
    try {
      const response = await fetch(prepared.url, { method: 'POST', headers: prepared.headers, body: prepared.body, redirect: 'manual' });
      await response.arrayBuffer();
      record.status = response.status;
    } catch (error) {
      record.error = String(error);
    }
    this.deliveries.push(record);
  }
}
