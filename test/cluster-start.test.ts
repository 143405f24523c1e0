// Several nodes started at the same moment against one fresh PostgreSQL database: the
// migrations run once (advisory lock) and every node comes up healthy.
import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { HealthReport } from '../server/http/health.ts';
import { type NodeProcess, spawnNode } from './harness/processes.ts';
import { createTempDir, createTestDatabase, dropNamespaceStreams, services, type TestDatabase, uniqueName } from './harness/services.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('cluster');
});
afterAll(async () => {
  await database.drop();
});

test('cluster: three nodes starting at once on a fresh database migrate it once and all report ok', async () => {
  const cluster = uniqueName('c');
  const dirs = [0, 1, 2].map(() => createTempDir('cluster-node'));
  const nodes: NodeProcess[] = [];
  try {
    const started = await Promise.allSettled(
      dirs.map((dir, i) =>
        spawnNode({
          NODE_ID: `node-${i}`,
          CLUSTER_NAME: cluster,
          DATABASE_URL: database.url,
          NATS_URL: services.natsUrl,
          REDIS_URL: services.redisUrl,
          DATA_DIR: dir.path,
        }),
      ),
    );
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

    const reports = await Promise.all(nodes.map(async (node) => (await (await fetch(`${node.url}/health`)).json()) as HealthReport));
    expect(reports.map((report) => report.status)).toEqual(['ok', 'ok', 'ok']);
    expect(new Set(reports.map((report) => report.installationId)).size).toBe(1);
    expect(reports.map((report) => report.node).sort()).toEqual(['node-0', 'node-1', 'node-2']);

    const sql = postgres(database.url, { max: 1 });
    try {
      const [info] = await sql`select boot_count::int as boots from server_info`;
      expect(info?.boots).toBe(3);
      const applied = await sql`select hash from drizzle.__drizzle_migrations`;
      expect(new Set(applied.map((row) => row.hash)).size).toBe(applied.length);
    } finally {
      await sql.end();
    }
  } finally {
    await Promise.all(nodes.map((node) => node.stop('SIGTERM')));
    await dropNamespaceStreams(cluster);
    for (const dir of dirs) dir.remove();
  }
});
