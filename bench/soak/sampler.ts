// What the soak watches on each node every few seconds: RSS from /proc, event-loop lag from the
// node's own /metrics (prom-client's monitorEventLoopDelay histogram, reset at every scrape, so
// each sample covers the interval since the last one), and from the operators' status endpoint the
// counts that could grow without bound (actors, sockets, followed topics, mailbox depth). It also
// measures the load generator's own event-loop lag, which inflates every latency it records.
import { readFileSync } from 'node:fs';
import type { NatsConnection } from 'nats';
import type { NodeStatus } from '../../server/ops/service.ts';
import type { NodeProcess } from '../../test/harness/processes.ts';

export interface Sample {
  /** Minutes since the run started. */
  at: number;
  rssMb: number;
  heapUsedMb: number;
  lagP99Ms: number;
  lagMaxMs: number;
  actors: number;
  sockets: number;
  followedTopics: number;
  mailboxDepth: number;
}

export interface WatchedNode {
  id: string;
  node: NodeProcess;
  samples: Sample[];
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kb / 1024;
}

function gauge(metrics: string, name: string): number {
  const match = new RegExp(`^petamigos_${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics);
  return match === null ? Number.NaN : Number(match[1]);
}

export class Sampler {
  readonly nodes: WatchedNode[];
  /** The load generator's own worst timer delay per interval, ms. */
  readonly loadLag: [number, number][] = [];
  readonly #nc: NatsConnection;
  readonly #cluster: string;
  #started = performance.now();
  #timer: ReturnType<typeof setInterval> | undefined;
  #probe: ReturnType<typeof setInterval> | undefined;
  #worstDelay = 0;

  constructor(nc: NatsConnection, cluster: string, nodes: { id: string; node: NodeProcess }[]) {
    this.#nc = nc;
    this.#cluster = cluster;
    this.nodes = nodes.map((entry) => ({ ...entry, samples: [] }));
  }

  /** Starts sampling every `everyMs`, after one scrape that empties each node's lag histogram. */
  async start(everyMs: number): Promise<void> {
    await Promise.all(this.nodes.map(({ node }) => fetch(`${node.url}/metrics`).then((response) => response.text())));
    this.#started = performance.now();
    let expected = performance.now() + 100;
    this.#probe = setInterval(() => {
      const now = performance.now();
      this.#worstDelay = Math.max(this.#worstDelay, now - expected);
      expected = now + 100;
    }, 100);
    this.#timer = setInterval(() => {
      this.sample().catch((error: Error) => console.error(`soak: a sample failed: ${error.message}`));
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    clearInterval(this.#probe);
  }

  async sample(): Promise<void> {
    const at = (performance.now() - this.#started) / 60_000;
    this.loadLag.push([at, this.#worstDelay]);
    this.#worstDelay = 0;
    await Promise.all(
      this.nodes.map(async ({ id, node, samples }) => {
        const [metrics, status] = await Promise.all([
          fetch(`${node.url}/metrics`).then((response) => response.text()),
          this.#nc.request(`${this.#cluster}.ops.status.${id}`, undefined, { timeout: 2000 }).then((reply) => reply.json<NodeStatus>()),
        ]);
        samples.push({
          at,
          rssMb: rssMb(node.process.pid),
          heapUsedMb: gauge(metrics, 'nodejs_heap_size_used_bytes') / 2 ** 20,
          lagP99Ms: gauge(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000,
          lagMaxMs: gauge(metrics, 'nodejs_eventloop_lag_max_seconds') * 1000,
          actors: Object.values(status.actors).reduce((sum, count) => sum + count, 0),
          sockets: status.sockets,
          followedTopics: status.followedTopics,
          mailboxDepth: status.mailboxDepth,
        });
      }),
    );
  }
}

/** Least-squares slope of `points` ([x, y]), in y per x. */
export function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return covariance / variance;
}
