import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTempDir, createTestDatabase, type TestDatabase } from '../../../test/harness/services.ts';
import { users } from '../../accounts/schema.ts';
import { DataDirLockedError, DependencyError } from '../../errors.ts';
import { readInstallation, recordBoot } from '../../system/boot.ts';
import { anyOf } from './any-of.ts';
import { type DatabaseHandle, openDatabase } from './index.ts';
import { MIGRATIONS_FOLDER, migrateDatabase } from './migrate.ts';

const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

/** Seeds three users and reads them back through anyOf with lists of several lengths. */
async function listsOfEveryLength(handle: DatabaseHandle): Promise<void> {
  const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()].sort();
  const names = ids.map((id) => `any_${id.slice(0, 8)}`);
  await handle.db.insert(users).values(ids.map((id, i) => ({ id, email: `${names[i]}@example.com`, username: names[i] as string })));
  const byId = (list: string[]) => handle.db.select({ id: users.id }).from(users).where(anyOf(users.id, list)).orderBy(asc(users.id));
  expect(await byId([])).toEqual([]);
  expect(await byId([ids[1] as string])).toEqual([{ id: ids[1] }]);
  expect(await byId([...ids, crypto.randomUUID()])).toEqual(ids.map((id) => ({ id })));
  const byName = await handle.db
    .select({ username: users.username })
    .from(users)
    .where(anyOf(users.username, [names[0], names[2], "o'brien"]));
  expect(byName.map((row) => row.username).sort()).toEqual([names[0], names[2]].sort());
}

describe('database (postgres)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('db');
  });
  afterAll(async () => {
    await database.drop();
  });

  const open = () => openDatabase({ databaseUrl: database.url, dataDir: '/nonexistent', poolMax: 2, applicationName: 'db-test' });

  test('database: six nodes migrating one fresh database at the same moment all succeed, and each migration applies once', async () => {
    const handles = await Promise.all(Array.from({ length: 6 }, open));
    try {
      await Promise.all(handles.map((handle) => migrateDatabase(handle, database.url)));
      const raw = postgres(database.url, { max: 1 });
      try {
        const applied = await raw`select count(*)::int as n from drizzle.__drizzle_migrations`;
        expect(applied[0]?.n).toBe(journal.entries.length);
        const tables = await raw`select table_name from information_schema.tables where table_schema = 'public'`;
        expect(tables.map((row) => row.table_name)).toContain('server_info');
      } finally {
        await raw.end();
      }
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
    }
  });

  test('database: anyOf matches a list of any length with one statement text (inArray would prepare one per length)', async () => {
    const handle = await open();
    try {
      await migrateDatabase(handle, database.url);
      await listsOfEveryLength(handle);
      const one = await openDatabase({ databaseUrl: database.url, dataDir: '/nonexistent', poolMax: 1, applicationName: 'db-test' });
      try {
        for (const length of [1, 2, 5, 40])
          await one.db
            .select({ id: users.id })
            .from(users)
            .where(
              anyOf(
                users.id,
                Array.from({ length }, () => crypto.randomUUID()),
              ),
            );
        const texts = (await one.db.execute(
          sql`select statement from pg_prepared_statements where statement like ${'%= any($1::uuid[])%'} and statement not like ${'%pg_prepared_statements%'}`,
        )) as unknown as { statement: string }[];
        expect(texts).toHaveLength(1);
      } finally {
        await one.close();
      }
    } finally {
      await handle.close();
    }
  });

  test('database: a query runs as a prepared statement, made once per connection and reused, in transactions too', async () => {
    const handle = await openDatabase({ databaseUrl: database.url, dataDir: '/nonexistent', poolMax: 1, applicationName: 'db-test' });
    try {
      const shapes = async () =>
        (
          (await handle.db.execute(
            sql`select statement from pg_prepared_statements where statement like ${'%pa_prepared_probe%'} and statement not like ${'%pg_prepared_statements%'}`,
          )) as unknown as { statement: string }[]
        ).map((row) => row.statement);
      for (const n of [1, 2, 3])
        expect(await handle.db.execute(sql`select ${n}::int as pa_prepared_probe`)).toEqual([{ pa_prepared_probe: n }]);
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`select ${4}::int as pa_prepared_probe`);
        await tx.execute(sql`select ${5}::text as pa_prepared_probe`);
      });
      expect((await shapes()).sort()).toEqual(['select $1::int as pa_prepared_probe', 'select $1::text as pa_prepared_probe']);
    } finally {
      await handle.close();
    }
  });

  test('database: migrating again is a no-op', async () => {
    const handle = await open();
    try {
      await migrateDatabase(handle, database.url);
      const rows = await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect((rows as unknown as { n: number }[])[0]?.n).toBe(journal.entries.length);
    } finally {
      await handle.close();
    }
  });

  test('database: the boot record keeps its installation id and counts boots', async () => {
    const handle = await open();
    try {
      const first = await recordBoot(handle.db, 'node-a');
      const second = await recordBoot(handle.db, 'node-b');
      expect(second.installationId).toBe(first.installationId);
      expect(second.bootCount).toBe(first.bootCount + 1);
      expect(await readInstallation(handle.db)).toEqual({ installationId: first.installationId, bootCount: second.bootCount });
    } finally {
      await handle.close();
    }
  });

  test('database: an unreachable server is a DependencyError that hides the password', async () => {
    const error = await openDatabase({
      databaseUrl: 'postgres://someone:secret@127.0.0.1:1/nothing',
      dataDir: '/nonexistent',
      poolMax: 1,
      applicationName: 'db-test',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).dependency).toBe('database');
    expect((error as DependencyError).message).not.toContain('secret');
  });
});

describe('database (pglite)', () => {
  test('database: PGlite migrates, keeps data across a restart, and refuses a second opener', async () => {
    const dir = createTempDir('pglite');
    try {
      const first = await openDatabase({ databaseUrl: undefined, dataDir: dir.path, poolMax: 1, applicationName: 't' });
      await migrateDatabase(first, undefined);
      const boot = await recordBoot(first.db, 'embedded');
      const error = await openDatabase({ databaseUrl: undefined, dataDir: dir.path, poolMax: 1, applicationName: 't' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DataDirLockedError);
      await first.close();

      const again = await openDatabase({ databaseUrl: undefined, dataDir: dir.path, poolMax: 1, applicationName: 't' });
      await migrateDatabase(again, undefined);
      expect(await readInstallation(again.db)).toEqual({ installationId: boot.installationId, bootCount: 1 });
      await again.close();
    } finally {
      dir.remove();
    }
  });

  test('database: anyOf matches a list of any length on PGlite too', async () => {
    const dir = createTempDir('pglite-any');
    try {
      const handle = await openDatabase({ databaseUrl: undefined, dataDir: dir.path, poolMax: 1, applicationName: 't' });
      try {
        await migrateDatabase(handle, undefined);
        await listsOfEveryLength(handle);
      } finally {
        await handle.close();
      }
    } finally {
      dir.remove();
    }
  });

  test('database: a lock left by a process that no longer exists is taken over', async () => {
    const dir = createTempDir('pglite-stale');
    try {
      const dead = Bun.spawnSync(['true']).pid;
      writeFileSync(join(dir.path, 'pglite.lock'), String(dead));
      const handle = await openDatabase({ databaseUrl: undefined, dataDir: dir.path, poolMax: 1, applicationName: 't' });
      expect(readFileSync(join(dir.path, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
      await handle.close();
      expect(readdirSync(dir.path)).not.toContain('pglite.lock');
    } finally {
      dir.remove();
    }
  });
});

test('migrations: the committed SQL matches the Drizzle schema (drizzle-kit generate finds nothing to add)', () => {
  const dir = createTempDir('migrations');
  try {
    cpSync(MIGRATIONS_FOLDER, dir.path, { recursive: true });
    const root = new URL('../../../', import.meta.url).pathname;
    const result = Bun.spawnSync(
      [
        join(root, 'node_modules/.bin/drizzle-kit'),
        'generate',
        '--dialect=postgresql',
        '--schema=./server/*/schema.ts',
        // drizzle-kit prefixes the folder with './', so it must be relative.
        `--out=${relative(root, dir.path)}`,
        '--casing=snake_case',
      ],
      { cwd: root, stdout: 'pipe', stderr: 'pipe' },
    );
    // drizzle-kit exits 0 even when it fails, so its error output is checked too.
    expect(result.exitCode).toBe(0);
    expect(result.stderr.toString()).toBe('');
    expect(readdirSync(dir.path).sort()).toEqual(readdirSync(MIGRATIONS_FOLDER).sort());
    expect(result.stdout.toString()).toContain('No schema changes');
  } finally {
    dir.remove();
  }
});
