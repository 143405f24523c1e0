// What the soak's simulated users measured: each call's latency by kind, failures by code (the
// rate limits the hammering users provoke on purpose kept apart), events received by topic kind,
// and sockets the server closed or subscriptions it refused.
import { ProtocolError } from '../../protocol/client.ts';
import { percentile } from '../stats.ts';

export interface KindSummary {
  kind: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export class Tally {
  readonly #latencies = new Map<string, number[]>();
  /** Failures by code, except those provoked on purpose. */
  readonly errors = new Map<string, number>();
  readonly provoked = new Map<string, number>();
  readonly events = new Map<string, number>();
  /** The first few failures in full, to say what went wrong. */
  readonly examples: string[] = [];
  calls = 0;
  /** Set when the run ends: calls cut short by the users' own closing are not failures. */
  stopped = false;

  /** Runs `call`, records its latency (ms) under `kind`, and counts a failure by its code; never throws. */
  async time<T>(kind: string, call: () => Promise<T>, options: { provokes?: string } = {}): Promise<T | undefined> {
    const started = performance.now();
    this.calls++;
    try {
      const result = await call();
      this.#record(kind, performance.now() - started);
      return result;
    } catch (error) {
      if (this.stopped) return undefined;
      const code = error instanceof ProtocolError ? error.code : 'EXCEPTION';
      if (code === options.provokes) {
        bump(this.provoked, code);
        return undefined;
      }
      this.failed(code, `${kind}: ${(error as Error).message}`);
      return undefined;
    }
  }

  event(topicKind: string): void {
    bump(this.events, topicKind);
  }

  /** A failure outside a call: a socket the server closed, a subscription it refused. */
  failed(code: string, detail: string): void {
    if (this.stopped) return;
    bump(this.errors, code);
    if (this.examples.length < 10) this.examples.push(`${code}: ${detail}`);
  }

  #record(kind: string, ms: number) {
    let samples = this.#latencies.get(kind);
    if (samples === undefined) {
      samples = [];
      this.#latencies.set(kind, samples);
    }
    samples.push(ms);
  }

  /** Drops what was measured so far (the warm-up), keeping nothing. */
  reset(): void {
    this.#latencies.clear();
    this.errors.clear();
    this.provoked.clear();
    this.events.clear();
    this.examples.length = 0;
    this.calls = 0;
  }

  summaries(): KindSummary[] {
    return [...this.#latencies.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, samples]) => {
        const sorted = samples.sort((a, b) => a - b);
        return { kind, count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
      });
  }
}

function bump(counts: Map<string, number>, key: string) {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
