// Applies the migrations in migrations/ at start. Several nodes may start at the same moment
// against one PostgreSQL server, so the migrator runs on a dedicated connection that first takes
// a session-level advisory lock: the first node migrates, the others wait, then find nothing
// left to do. PGlite has a single connection in a single process and needs no lock.
import { fileURLToPath } from 'node:url';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { DatabaseHandle } from './index.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** Key of the advisory lock: a fixed 64-bit number, "petamigo" in ASCII. */
const MIGRATION_LOCK_KEY = 0x706574616d69676fn;

export async function migrateDatabase(handle: DatabaseHandle, databaseUrl: string | undefined): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = postgres(databaseUrl as string, { max: 1, onnotice: () => undefined });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    // Ending the session releases the advisory lock, whether the migration succeeded or not.
    await client.end({ timeout: 5 });
  }
}
