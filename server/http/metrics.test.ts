// /metrics is not public: with METRICS_TOKEN it takes that bearer token and nothing else; without
// one it answers only requests made on this host, not those a TRUST_PROXY proxy forwards.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, testConfig } from '../../test/harness/node.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { RunningNode } from '../node.ts';
import { authorizeMetrics, createMetrics } from './metrics.ts';
import { TrustedProxies } from './proxies.ts';

const TOKEN = 'metrics-token-0123456789abcdefghijklmnop';
const started: { node: RunningNode; cleanup(): void }[] = [];

async function nodeWith(env: Record<string, string>): Promise<RunningNode> {
  const config = testConfig(env);
  const node = await startTestNode(config);
  started.push({ node, cleanup: config.cleanup });
  return node;
}

let withToken: RunningNode;
let local: RunningNode;
let proxied: RunningNode;
beforeAll(async () => {
  [withToken, local, proxied] = await Promise.all([
    nodeWith({ METRICS_TOKEN: TOKEN }),
    nodeWith({}),
    nodeWith({ TRUST_PROXY: '127.0.0.1,::1' }),
  ]);
}, 60_000);
afterAll(async () => {
  for (const { node, cleanup } of started) {
    await node.stop();
    cleanup();
  }
});

const scrape = (node: RunningNode, headers: Record<string, string> = {}) => fetch(`${node.url}/metrics`, { headers });

describe('metrics access', () => {
  test('metrics: with METRICS_TOKEN, only a request bearing it gets the figures (loopback too)', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
    ]) {
      const refused = await scrape(withToken, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
    const allowed = await scrape(withToken, { authorization: `Bearer ${TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('petamigos_http_requests_total');
  });

  test('metrics: without METRICS_TOKEN, a request made on this host gets them; one through a trusted proxy does not', async () => {
    expect((await scrape(local)).status).toBe(200);
    const forwarded = await scrape(proxied, { 'x-forwarded-for': '127.0.0.1' });
    expect(forwarded.status).toBe(403);
    expect(await forwarded.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await scrape(proxied)).status).toBe(403);
  });

  test('metrics: without METRICS_TOKEN, any other address is refused', () => {
    const none = new TrustedProxies([]);
    expect(() => authorizeMetrics(undefined, undefined, '203.0.113.5', none)).toThrow(ForbiddenError);
    expect(() => authorizeMetrics(undefined, undefined, '10.0.0.1', none)).toThrow(ForbiddenError);
    expect(() => authorizeMetrics(undefined, undefined, undefined, none)).toThrow(ForbiddenError);
    expect(() => authorizeMetrics(undefined, undefined, '::ffff:127.0.0.1', none)).not.toThrow();
    expect(() => authorizeMetrics(TOKEN, undefined, '127.0.0.1', none)).toThrow(UnauthenticatedError);
  });
});

describe('metrics content', () => {
  test('metrics: a scrape leaves out the per-heap-space figures (their collection walks the whole heap under Bun) and keeps heap size and event-loop lag', async () => {
    const text = await createMetrics('n1').registry.metrics();
    expect(text).not.toContain('nodejs_heap_space_size');
    expect(text).toContain('petamigos_nodejs_heap_size_used_bytes{node="n1"}');
    expect(text).toContain('petamigos_nodejs_eventloop_lag_p99_seconds{node="n1"}');
  });
});
