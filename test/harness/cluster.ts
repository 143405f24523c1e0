// A cluster of nodes as separate processes on the real NATS, PostgreSQL and Redis, sharing one
// cluster name and database, each node killable with any signal; and a view of which node hosts
// what, read through the nodes' NATS micro service like an operator would.
import { connect, RequestStrategy } from 'nats';
import { type NodeStatus, OPS_SERVICE } from '../../server/ops/service.ts';
import { type NodeProcess, spawnNode } from './processes.ts';
import { createTempDir, createTestDatabase, dropNamespaceStreams, services, type TestDatabase, uniqueName } from './services.ts';

export interface Cluster {
  readonly name: string;
  readonly database: TestDatabase;
  readonly nodes: NodeProcess[];
  /** Status of every live node, by node id. */
  status(): Promise<Map<string, NodeStatus>>;
  stop(): Promise<void>;
}

export async function startCluster(size: number, env: Record<string, string> = {}): Promise<Cluster> {
  const name = uniqueName('cluster');
  const database = await createTestDatabase('cluster');
  const dirs = Array.from({ length: size }, () => createTempDir('cluster-node'));
  const nodes = await Promise.all(
    dirs.map((dir, i) =>
      spawnNode({
        NODE_ID: `n${i}`,
        CLUSTER_NAME: name,
        DATABASE_URL: database.url,
        NATS_URL: services.natsUrl,
        REDIS_URL: services.redisUrl,
        DATA_DIR: dir.path,
        ...env,
      }),
    ),
  );
  return {
    name,
    database,
    nodes,
    async status() {
      const nc = await connect({ servers: services.natsUrl });
      const found = new Map<string, NodeStatus>();
      try {
        for await (const stats of await nc.services.client({ strategy: RequestStrategy.Timer, maxWait: 750 }).stats(OPS_SERVICE)) {
          const data = stats.endpoints?.[0]?.data as NodeStatus | undefined;
          if (data?.cluster === name) found.set(data.node, data);
        }
      } finally {
        await nc.close();
      }
      return found;
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.stop('SIGTERM')));
      await dropNamespaceStreams(name);
      await database.drop();
      for (const dir of dirs) dir.remove();
    },
  };
}
