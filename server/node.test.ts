// A node in the production shape (PostgreSQL, NATS with JetStream, Redis, S3) answering HTTP.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, testConfig } from '../test/harness/node.ts';
import { startNatsServer, startRedisServer } from '../test/harness/processes.ts';
import { type S3Server, startS3Server } from '../test/harness/s3.ts';
import {
  createTempDir,
  createTestDatabase,
  dropNamespaceStreams,
  services,
  type TempDir,
  type TestDatabase,
  uniqueName,
} from '../test/harness/services.ts';
import type { HealthReport } from './http/health.ts';
import type { RunningNode } from './node.ts';

let database: TestDatabase;
let s3: S3Server;
let clientDir: TempDir;
beforeAll(async () => {
  database = await createTestDatabase('node');
  s3 = await startS3Server(`pa-${uniqueName('node').replaceAll('_', '-')}`);
  clientDir = createTempDir('client');
  mkdirSync(join(clientDir.path, 'assets'));
  writeFileSync(join(clientDir.path, 'index.html'), '<!doctype html><title>PetAmigos test client</title>');
  writeFileSync(join(clientDir.path, 'assets', 'app-1234.js'), 'console.log("app")');
  writeFileSync(join(clientDir.path, 'robots.txt'), 'User-agent: *');
  writeFileSync(join(clientDir.path, 'sw.js'), 'self.addEventListener("fetch", () => {})');
  writeFileSync(join(clientDir.path, 'manifest.webmanifest'), '{"name":"PetAmigos"}');
  // A built asset with the Brotli and gzip copies the build writes beside it.
  const big = `export const words = ${JSON.stringify('pets '.repeat(400))};`;
  writeFileSync(join(clientDir.path, 'assets', 'big-5678.js'), big);
  writeFileSync(join(clientDir.path, 'assets', 'big-5678.js.br'), brotliCompressSync(big));
  writeFileSync(join(clientDir.path, 'assets', 'big-5678.js.gz'), gzipSync(big));
});
afterAll(async () => {
  await s3.close();
  await database.drop();
  clientDir.remove();
});

function productionEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    NATS_URL: services.natsUrl,
    REDIS_URL: services.redisUrl,
    S3_ENDPOINT: s3.config.endpoint.toString(),
    S3_ACCESS_KEY: s3.config.accessKey,
    S3_SECRET_KEY: s3.config.secretKey,
    S3_BUCKET: s3.config.bucket,
    CLIENT_DIR: clientDir.path,
    HEALTH_TIMEOUT_MS: '1000',
    ...overrides,
  };
}

describe('node on real services', () => {
  let node: RunningNode;
  let cleanup: () => void;
  beforeAll(async () => {
    const config = testConfig(productionEnv());
    cleanup = config.cleanup;
    node = await startTestNode(config);
  });
  afterAll(async () => {
    await node.stop();
    await dropNamespaceStreams(node.platform.config.clusterName);
    cleanup();
  });

  test('health: 200 {"status":"ok"} with every dependency on its real backend', async () => {
    const response = await fetch(`${node.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const report = (await response.json()) as HealthReport;
    expect(report.status).toBe('ok');
    expect(report.failing).toEqual([]);
    expect(report.installationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.fromEntries(Object.entries(report.checks).map(([name, check]) => [name, `${check.backend}:${check.status}`]))).toEqual({
      database: 'postgres:ok',
      bus: 'nats:ok',
      cache: 'redis:ok',
      storage: 's3:ok',
    });
  });

  test('metrics: Prometheus text with process figures and HTTP requests by route and status', async () => {
    await fetch(`${node.url}/health`);
    await fetch(`${node.url}/assets/missing-9999.js`);
    const response = await fetch(`${node.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/^petamigos_process_resident_memory_bytes\{node="[^"]+"\} \d+/m);
    expect(text).toMatch(/^petamigos_http_requests_total\{method="GET",route="\/health",status="200",node="[^"]+"\} [1-9]\d*$/m);
    expect(text).toMatch(/^petamigos_http_requests_total\{method="GET",route="\/\*",status="404",node="[^"]+"\} [1-9]\d*$/m);
    expect(text).toMatch(/^petamigos_http_request_duration_seconds_bucket\{le="0.005",.*route="\/health",status="200"\} \d+$/m);
  });

  test('client: / and client-side routes get index.html; files are served with cache headers', async () => {
    for (const path of ['/', '/feed', '/u/rex/pets']) {
      const response = await fetch(`${node.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('PetAmigos test client');
    }
    const asset = await fetch(`${node.url}/assets/app-1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("app")');
    expect((await fetch(`${node.url}/robots.txt`)).status).toBe(200);
    // The service worker and the manifest are checked again on every visit.
    const worker = await fetch(`${node.url}/sw.js`);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    const manifest = await fetch(`${node.url}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json');
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
  });

  test('client: a browser that accepts Brotli or gzip gets the compressed copy, with its encoding and vary; others the file', async () => {
    /** The raw answer (no automatic decompression) to a GET with this Accept-Encoding. */
    const raw = (acceptEncoding: string | undefined) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((done, fail) => {
        const request = httpGet(
          `${node.url}/assets/big-5678.js`,
          { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => done({ headers: response.headers, body: Buffer.concat(chunks) }));
          },
        );
        request.on('error', fail);
      });
    const original = readFileSync(join(clientDir.path, 'assets', 'big-5678.js'));
    const br = await raw('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
    const gz = await raw('gzip, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(original)).toBe(true);
    for (const none of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
      const plain = await raw(none);
      expect(plain.headers['content-encoding'], String(none)).toBeUndefined();
      expect(plain.body.equals(original), String(none)).toBe(true);
    }
    // A file without copies is sent as it is, whatever the browser takes.
    const small = await new Promise<string | undefined>((done) =>
      httpGet(`${node.url}/assets/app-1234.js`, { headers: { 'accept-encoding': 'br' } }, (response) => {
        response.resume();
        done(response.headers['content-encoding']);
      }),
    );
    expect(small).toBeUndefined();
  });

  test('client: a missing asset is a 404 in the JSON error shape', async () => {
    const response = await fetch(`${node.url}/assets/missing-9999.js`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toContain('/assets/missing-9999.js');
  });

  test.each([
    '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%5c..%5cetc%5cpasswd',
    '/assets/%00.js',
    '/%E0%A4%A',
    '/%2e%2e%2f.env.example',
  ])('client: %s never reads a file outside the client folder', async (path) => {
    const response = await fetch(`${node.url}${path}`);
    const text = await response.text();
    expect(text).not.toContain('root:');
    expect(text).not.toContain('DATABASE_URL');
    if (response.status === 200) expect(text).toContain('PetAmigos test client');
    else expect(JSON.parse(text).error.code).toBe('NOT_FOUND');
  });

  test('http: a method a route does not serve is answered in the JSON error shape', async () => {
    const response = await fetch(`${node.url}/health`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe('node whose dependencies fail', () => {
  test('health: 503 naming the cache when Redis goes down, and ok again when it is back', async () => {
    const redis = await startRedisServer();
    const config = testConfig(productionEnv({ REDIS_URL: redis.url, HEALTH_TIMEOUT_MS: '500' }));
    const node = await startTestNode(config);
    try {
      expect((await fetch(`${node.url}/health`)).status).toBe(200);
      await redis.kill();
      const response = await fetch(`${node.url}/health`);
      expect(response.status).toBe(503);
      const report = (await response.json()) as HealthReport;
      expect(report.status).toBe('unavailable');
      expect(report.failing).toEqual(['cache']);
      expect(report.checks.cache.status).toBe('down');
      expect(report.checks.database.status).toBe('ok');

      const revived = await startRedisServer({ port: redis.port });
      try {
        const deadline = Date.now() + 15_000;
        let status = 503;
        while (status !== 200 && Date.now() < deadline) {
          await Bun.sleep(200);
          status = (await fetch(`${node.url}/health`)).status;
        }
        expect(status).toBe(200);
      } finally {
        await revived.kill();
      }
    } finally {
      await node.stop();
      config.cleanup();
    }
  });

  test('health: 503 naming the bus when NATS goes down', async () => {
    const nats = await startNatsServer();
    const config = testConfig(productionEnv({ NATS_URL: nats.url, HEALTH_TIMEOUT_MS: '500' }));
    const node = await startTestNode(config);
    try {
      expect((await fetch(`${node.url}/health`)).status).toBe(200);
      await nats.kill();
      const response = await fetch(`${node.url}/health`);
      expect(response.status).toBe(503);
      const report = (await response.json()) as HealthReport;
      expect(report.failing).toEqual(['bus']);
    } finally {
      await node.stop();
      config.cleanup();
    }
  });

  test('node: start-up fails with the dependency named when a configured service is unreachable', async () => {
    const redis = await startRedisServer();
    await redis.kill();
    const config = testConfig(productionEnv({ REDIS_URL: redis.url }));
    try {
      await expect(startTestNode(config)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', dependency: 'cache' });
    } finally {
      config.cleanup();
    }
  });
});
