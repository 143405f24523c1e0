// Prometheus metrics of one node: process figures (prom-client defaults, event-loop lag among them:
// a monitorEventLoopDelay histogram reset at every scrape, so its p99 and max cover the time since
// the last one) and HTTP requests by method, route pattern and status. Each node has its own registry, so several nodes in one
// process (the tests) do not share counters. They are not public: METRICS_TOKEN is the bearer
// token a scraper sends; without one, only this host's loopback may read them directly.
import { timingSafeEqual } from 'node:crypto';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { TrustedProxies } from './proxies.ts';

export interface NodeMetrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

export function createMetrics(nodeId: string): NodeMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ node: nodeId });
  collectDefaultMetrics({ register: registry, prefix: 'petamigos_' });
  // Under Bun, v8.getHeapSpaceStatistics() walks the whole heap: 50–270 ms with half a million
  // objects, the event loop stalled for every scrape. Heap size and use (process.memoryUsage())
  // stay; they cost nothing.
  for (const kind of ['total', 'used', 'available']) registry.removeSingleMetric(`petamigos_nodejs_heap_space_size_${kind}_bytes`);
  const requests = new Counter({
    name: 'petamigos_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'petamigos_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

const loopback = new TrustedProxies(['127.0.0.0/8', '::1']);
const isLoopback = (address: string | undefined) => address !== undefined && loopback.has(address);

/**
 * Throws unless a request may read /metrics: with METRICS_TOKEN set, it must carry it as a bearer
 * token; without, it must come straight from loopback (a request forwarded by a TRUST_PROXY proxy
 * on this host is anyone's, so it is refused too).
 */
export function authorizeMetrics(
  token: string | undefined,
  authorization: string | undefined,
  peer: string | undefined,
  proxies: TrustedProxies,
): void {
  if (token === undefined) {
    if (isLoopback(peer) && !proxies.has(peer as string)) return;
    throw new ForbiddenError('metrics are served only to this host unless METRICS_TOKEN is set');
  }
  const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new UnauthenticatedError('UNAUTHENTICATED', 'send Authorization: Bearer <METRICS_TOKEN>');
}
