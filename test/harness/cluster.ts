// A cluster of nodes as separate processes on the real NATS, PostgreSQL and Redis, sharing one
// cluster name and database, each node killable with any signal; and a view of which node hosts
// what, read through the nodes' NATS micro service like an operator would.
import { connect, RequestStrategy } from 'nats';
import { leaseBucket, parseHolding } from '../../actors/leases.ts';
import { PetAmigosClient } from '../../protocol/client.ts';
import { type NodeStatus, OPS_SERVICE } from '../../server/ops/service.ts';
import { apiClient } from './api.ts';
import { type NodeProcess, spawnNode } from './processes.ts';
import { createTempDir, createTestDatabase, dropNamespaceStreams, services, type TestDatabase, uniqueName } from './services.ts';
import { wsUrl } from './ws.ts';

export interface Cluster {
  readonly name: string;
  readonly database: TestDatabase;
  readonly nodes: NodeProcess[];
  /** Status of every live node, by node id. */
  status(): Promise<Map<string, NodeStatus>>;
  stop(): Promise<void>;
}

/**
 * `size` node processes of one cluster on a fresh database; node ids are `<nodeIdPrefix><n>` (n0,
 * n1, … by default); `nodeEnv(n)` adds to one node's environment (its roles, say).
 */
export async function startCluster(
  size: number,
  env: Record<string, string> = {},
  options: { nodeIdPrefix?: string; nodeEnv?: (index: number) => Record<string, string> } = {},
): Promise<Cluster> {
  const name = uniqueName('cluster');
  const database = await createTestDatabase('cluster');
  const dirs = Array.from({ length: size }, () => createTempDir('cluster-node'));
  const nodes = await Promise.all(
    dirs.map((dir, i) =>
      spawnNode({
        NODE_ID: `${options.nodeIdPrefix ?? 'n'}${i}`,
        CLUSTER_NAME: name,
        DATABASE_URL: database.url,
        NATS_URL: services.natsUrl,
        REDIS_URL: services.redisUrl,
        DATA_DIR: dir.path,
        ...env,
        ...options.nodeEnv?.(i),
      }),
    ),
  );
  const cluster: Cluster = {
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
  // Every node answers the operators' view before the cluster is handed out.
  const deadline = Date.now() + 10_000;
  while ((await cluster.status()).size < size && Date.now() < deadline) await Bun.sleep(200);
  return cluster;
}

/** The node holding the lease of actor `<kind>.<id>` in `cluster`, read from its KV bucket as an operator would. */
export async function holderOf(cluster: Cluster, key: string): Promise<string | undefined> {
  const nc = await connect({ servers: services.natsUrl });
  try {
    const kv = await nc.jetstream().views.kv(leaseBucket(cluster.name, 'actors'));
    const entry = await kv.get(key);
    return entry === null || entry.operation !== 'PUT' ? undefined : parseHolding(entry.string()).node;
  } finally {
    await nc.close();
  }
}

/** A new user, registered over HTTP on `node` (with what signs them in on a sign-in screen). */
export async function register(node: NodeProcess): Promise<{ token: string; id: string; username: string; password: string }> {
  const name = uniqueName('cl');
  const username = name.slice(0, 30);
  const password = 'Cluster nodes never forget 1';
  const response = await apiClient(node.url).post<{ accessToken: string; user: { id: string } }>('/auth/register', {
    email: `${name}@example.com`,
    username,
    password,
    language: 'en',
  });
  if (response.status !== 201) throw new Error(`register: ${response.status}`);
  return { token: response.body.accessToken, id: response.body.user.id, username, password };
}

/** A protocol client on `node` that reconnects quickly (to that node only). */
export function client(node: NodeProcess, token: string, options: { repeatWithinMs?: number | false } = {}): PetAmigosClient {
  return new PetAmigosClient({ url: wsUrl(node.url), token: () => token, reconnect: { initialMs: 100, maxMs: 1000 }, ...options });
}

/** `a` asks, `b` accepts, through the calls any client would make. */
export async function befriend(node: NodeProcess, a: { id: string; token: string }, b: { id: string; token: string }): Promise<void> {
  const [asker, accepter] = [client(node, a.token), client(node, b.token)];
  try {
    await Promise.all([asker.connect(), accepter.connect()]);
    await asker.call('friends.request', { userId: b.id });
    await accepter.call('friends.accept', { userId: a.id });
  } finally {
    asker.close();
    accepter.close();
  }
}

/** The nodes hosting at least one actor of `kind`, by node id, read from the operators' view. */
export async function hostsOf(cluster: Cluster, kind: string): Promise<string[]> {
  return [...(await cluster.status()).entries()].filter(([, status]) => (status.actors[kind] ?? 0) > 0).map(([node]) => node);
}
