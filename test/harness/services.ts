// The real services the tests talk to, on their standard ports unless the environment says
// otherwise, and the isolation each test file gets: its own database, cluster name (NATS
// subjects, KV buckets, Redis keys) and data folder.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export const services = {
  /** A PostgreSQL URL whose role may create databases. */
  postgresAdminUrl: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  natsUrl: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
};

/** A short random name part, unique enough for parallel test files and reruns. */
export function uniqueName(label: string): string {
  return `${label
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '_')
    .slice(0, 20)}_${randomBytes(5).toString('hex')}`;
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database for one test file; drop() removes it and its connections. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `pa_${uniqueName(label)}`;
  const admin = postgres(services.postgresAdminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(services.postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const cleaner = postgres(services.postgresAdminUrl, { max: 1, onnotice: () => undefined });
      try {
        await cleaner.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleaner.end();
      }
    },
  };
}

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function createTempDir(label: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `petamigos-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Deletes the JetStream streams (topic log, KV buckets) a test namespace left on the NATS server. */
export async function dropNamespaceStreams(namespace: string): Promise<void> {
  const { connect } = await import('nats');
  const nc = await connect({ servers: services.natsUrl });
  try {
    const jsm = await nc.jetstreamManager();
    const safe = namespace.replace(/[^A-Za-z0-9_-]/g, '_');
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(`${safe}_`) || name.startsWith(`KV_${safe}_`)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}

/** A fresh database with the migrations applied, opened through the server's own module. */
export async function openMigratedTestDatabase(label: string) {
  const { openDatabase } = await import('../../server/platform/db/index.ts');
  const { migrateDatabase } = await import('../../server/platform/db/migrate.ts');
  const database = await createTestDatabase(label);
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: '/nonexistent', poolMax: 4, applicationName: `test-${label}` });
  await migrateDatabase(handle, database.url);
  return {
    handle,
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}
