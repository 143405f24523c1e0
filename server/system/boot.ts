// The installation's boot record: the single server_info row, created by the first node that
// ever starts and updated by every start after it.
import { sql } from 'drizzle-orm';
import type { Database } from '../platform/db/index.ts';
import { serverInfo } from './schema.ts';

export interface BootRecord {
  installationId: string;
  createdAt: Date;
  bootCount: number;
}

export async function recordBoot(db: Database, nodeId: string): Promise<BootRecord> {
  const [row] = await db
    .insert(serverInfo)
    .values({ id: 1, bootCount: 1, lastBootAt: new Date(), lastBootNode: nodeId })
    .onConflictDoUpdate({
      target: serverInfo.id,
      set: { bootCount: sql`${serverInfo.bootCount} + 1`, lastBootAt: new Date(), lastBootNode: nodeId },
    })
    .returning({ installationId: serverInfo.installationId, createdAt: serverInfo.createdAt, bootCount: serverInfo.bootCount });
  if (row === undefined) throw new Error('recordBoot() | upsert returned no row');
  return row;
}

export async function readInstallation(db: Database): Promise<{ installationId: string; bootCount: number } | undefined> {
  const [row] = await db.select({ installationId: serverInfo.installationId, bootCount: serverInfo.bootCount }).from(serverInfo).limit(1);
  return row;
}
