// Secrets a cluster generates for itself when the configuration gives none: the first node to
// start stores one in server_secrets, and every node reads that one.
import { eq } from 'drizzle-orm';
import type { Database } from '../platform/db/index.ts';
import { serverSecrets } from './schema.ts';

export async function storedSecret(db: Database, name: string, generate: () => string): Promise<string> {
  await db.insert(serverSecrets).values({ name, value: generate() }).onConflictDoNothing();
  const [row] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, name)).limit(1);
  if (row === undefined) throw new Error(`secrets: ${name} vanished after it was stored`);
  return row.value;
}
