// `npm run cluster:clean -- --namespace <CLUSTER_NAME> [--dry-run] [--force]`: removes what a
// cluster left in NATS (its JetStream streams and KV bucket) and Redis (its `<ns>:` keys), found
// through the node configuration (NATS_URL, REDIS_URL). The namespace is never taken from the
// environment: it must be named. A namespace whose nodes are still running (heartbeats heard) is
// refused unless --force. PostgreSQL, object storage and DATA_DIR are left alone.
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { findLeftovers, type Leftovers, removeLeftovers } from '../server/ops/clean.ts';
import { heardNodes } from '../server/ops/placement.ts';
import { natsServers } from '../server/platform/bus/nats.ts';
import { loadConfig } from '../server/platform/config.ts';

const USAGE = 'usage: npm run cluster:clean -- --namespace <CLUSTER_NAME> [--dry-run] [--force]';
const args = process.argv.slice(2);
const given = args.find((arg) => arg.startsWith('--namespace='))?.slice('--namespace='.length) ?? args[args.indexOf('--namespace') + 1];
const namespace = args.includes('--namespace') || args.some((arg) => arg.startsWith('--namespace=')) ? given : undefined;
if (namespace === undefined || namespace.startsWith('-') || !/^[A-Za-z0-9_-]{1,48}$/.test(namespace)) {
  console.error(`cluster:clean: name the namespace to remove (CLUSTER_NAME: letters, digits, "-" or "_").\n${USAGE}`);
  process.exit(2);
}
const dryRun = args.includes('--dry-run');
const config = loadConfig();
if (config.natsUrl === undefined && config.redisUrl === undefined) {
  console.error('cluster:clean: neither NATS_URL nor REDIS_URL is set: an embedded node keeps nothing there');
  process.exit(2);
}

let nc: NatsConnection | undefined;
if (config.natsUrl !== undefined) {
  const { servers, redacted: _redacted, ...auth } = natsServers(config.natsUrl);
  nc = await connect({ servers, ...auth, name: 'petamigos-cluster-clean' });
}
// No key prefix: the keys are matched with theirs.
const redis = config.redisUrl === undefined ? undefined : new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
await redis?.connect();

const show = (leftovers: Leftovers) =>
  [
    ...leftovers.streams.map((name) => `  NATS JetStream stream ${name}`),
    `  Redis: ${leftovers.redisKeys} key(s) matching ${namespace}:*`,
  ].join('\n');

let code = 0;
try {
  const alive = nc === undefined ? new Map() : await heardNodes(nc, namespace, 3000);
  if (alive.size > 0 && !args.includes('--force') && !dryRun) {
    console.error(`cluster:clean: nodes of ${namespace} are running (${[...alive.keys()].join(', ')}); stop them first (or --force)`);
    code = 1;
  } else if (dryRun) {
    console.log(`cluster:clean: --dry-run: would remove for namespace ${namespace}:\n${show(await findLeftovers(namespace, nc, redis))}`);
  } else {
    console.log(`cluster:clean: removed for namespace ${namespace}:\n${show(await removeLeftovers(namespace, nc, redis))}`);
  }
} finally {
  await nc?.close();
  redis?.disconnect();
}
process.exit(code);
