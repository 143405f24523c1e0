// The database behind one type: a PostgreSQL server through the `postgres` driver when
// DATABASE_URL is set, embedded PGlite (real Postgres compiled to WebAssembly) in DATA_DIR
// otherwise. Code above this module sees a Drizzle `Database` and cannot tell which.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { DependencyError } from '../../errors.ts';
import { redactUrl } from '../env.ts';
import { acquireDirLock } from './dir-lock.ts';
import * as tables from './tables.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof tables>;

export interface DatabaseHandle {
  readonly kind: 'postgres' | 'pglite';
  /** Where the data lives, without credentials: for the start-up log and /health. */
  readonly location: string;
  readonly db: Database;
  /**
   * Runs one hot statement, prepared once per connection and reused (a Drizzle query is parsed
   * and planned on every run). `text` is fixed SQL with $1, $2… placeholders; pass parameters as
   * text and cast them in the SQL.
   */
  prepared(text: string, params: readonly string[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  poolMax: number;
  /** Name reported to PostgreSQL in pg_stat_activity. */
  applicationName: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl === undefined ? openPglite(options.dataDir) : openPostgres(options);
}

async function openPostgres(options: DatabaseOptions): Promise<DatabaseHandle> {
  const url = options.databaseUrl as string;
  const client = postgres(url, {
    max: options.poolMax,
    onnotice: () => undefined, // NOTICEs (e.g. "schema already exists") are not errors.
    // Short queries only: PostgreSQL's JIT (started above a cost estimate) spends tens of ms
    // compiling a plan that runs in one (bench/media-access.ts measured 40 ms of JIT on a 1 ms
    // media.get whose estimate was high).
    connection: { application_name: options.applicationName, jit: 'off' },
  });
  const db = drizzlePostgres(client, { schema: tables, casing: 'snake_case' }) as unknown as Database;
  const handle: DatabaseHandle = {
    kind: 'postgres',
    location: redactUrl(url),
    db,
    prepared: async (text, params) => {
      await client.unsafe(text, [...params], { prepare: true });
    },
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
  try {
    await handle.ping();
  } catch (cause) {
    await client.end({ timeout: 0 });
    throw new DependencyError('database', `cannot reach ${handle.location}: ${(cause as Error).message}`, { cause });
  }
  return handle;
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const dir = resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const releaseLock = acquireDirLock(join(resolve(dataDir), 'pglite.lock'), dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create(dir);
  } catch (cause) {
    releaseLock();
    throw new DependencyError('database', `cannot open PGlite in ${dir}: ${(cause as Error).message}`, { cause });
  }
  const db = drizzlePglite(client, { schema: tables, casing: 'snake_case' }) as unknown as Database;
  return {
    kind: 'pglite',
    location: dir,
    db,
    prepared: async (text, params) => {
      await client.query(text, [...params]);
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await client.close();
      releaseLock();
    },
  };
}
