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
   * Runs one hot statement of fixed text, prepared once per connection and reused like every
   * query, without Drizzle building it each time. `text` is fixed SQL with $1, $2… placeholders;
   * pass parameters as text and cast them in the SQL.
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
  const db = drizzlePostgres(preparing(client), { schema: tables, casing: 'snake_case' }) as unknown as Database;
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

/**
 * The client as Drizzle gets it: every statement runs as a named prepared statement, kept per
 * connection and reused (postgres.js keys them by text; Drizzle's texts carry values as $n, so
 * there are as many as there are query shapes). Drizzle asks for unnamed statements, for which
 * postgres.js first sends Parse and Describe and waits for the parameter types before it sends
 * Bind and Execute: two round trips for every query with parameters, each parsed and planned
 * again. Prepared, a query is one round trip after its first run on a connection, and a
 * transaction holds its pooled connection for half as many waits.
 */
function preparing(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, key, receiver) {
      switch (key) {
        case 'unsafe':
          return (text: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
            // Drizzle's text is a rope of hundreds of pieces, and postgres.js keeps the text of
            // each statement it prepares: made flat first (measuring it does that in place), a
            // kept text is one string, not hundreds.
            Buffer.byteLength(text);
            return target.unsafe(text, params, { ...options, prepare: true });
          };
        case 'begin':
        case 'savepoint':
          return (...args: unknown[]) => {
            const body = args.pop() as (sql: postgres.Sql) => unknown;
            const open = Reflect.get(target, key) as (...all: unknown[]) => unknown;
            return open.apply(target, [...args, (sql: postgres.Sql) => body(preparing(sql))]);
          };
        default:
          return Reflect.get(target, key, receiver);
      }
    },
  });
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
