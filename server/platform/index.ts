// The node's backing services, opened together at start and closed together at stop. Each part
// picks its real service when configured and its embedded stand-in otherwise; nothing above
// this module knows which one it got.
import { type Bus, openBus } from './bus/index.ts';
import { type Cache, openCache } from './cache/index.ts';
import type { Config } from './config.ts';
import { type DatabaseHandle, openDatabase } from './db/index.ts';
import { migrateDatabase } from './db/migrate.ts';
import type { Logger } from './log.ts';
import { type ObjectStore, openObjectStore } from './storage/index.ts';
import { openTopicLog, type TopicLog } from './topics/index.ts';

export interface Platform {
  readonly config: Config;
  readonly log: Logger;
  readonly database: DatabaseHandle;
  readonly bus: Bus;
  readonly cache: Cache;
  readonly storage: ObjectStore;
  readonly topics: TopicLog;
  close(): Promise<void>;
}

/** The parts by the name /health and the start-up log use for them. */
export type DependencyName = 'database' | 'bus' | 'cache' | 'storage';

export function dependencies(platform: Platform): Record<DependencyName, { kind: string; location: string; ping(): Promise<void> }> {
  return { database: platform.database, bus: platform.bus, cache: platform.cache, storage: platform.storage };
}

export async function openPlatform(config: Config, log: Logger): Promise<Platform> {
  const opened: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(part: T): T => {
    opened.push(part);
    return part;
  };
  const closeAll = async () => {
    for (const part of opened.reverse()) {
      await part.close().catch((error: unknown) => log.error({ err: error }, 'platform.close() | a part failed to close'));
    }
  };
  try {
    const database = track(
      await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolMax: config.databasePoolMax,
        applicationName: `petamigos:${config.nodeId}`,
      }),
    );
    await migrateDatabase(database, config.databaseUrl);
    const bus = track(await openBus({ natsUrl: config.natsUrl, name: `petamigos:${config.nodeId}`, log }));
    const cache = track(await openCache({ redisUrl: config.redisUrl, namespace: config.clusterName, log }));
    const storage = track(await openObjectStore({ s3: config.s3, dataDir: config.dataDir }));
    const topics = track(await openTopicLog({ nats: bus.natsConnection, namespace: config.clusterName, log }));
    const platform: Platform = { config, log, database, bus, cache, storage, topics, close: closeAll };
    const parts = Object.entries(dependencies(platform));
    log.info(
      Object.fromEntries(parts.map(([name, part]) => [name, { backend: part.kind, location: part.location }])),
      `platform.open() | backends ${parts.map(([name, part]) => `[${name}:${part.kind} ${part.location}]`).join(' ')}`,
    );
    return platform;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
