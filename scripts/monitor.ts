// `npm run monitor`: a refreshing table of the cluster's nodes (from their NATS micro service
// stats: actors by kind, mailbox depth, sockets, followed topics, memory), and, when
// NATS_MONITOR_URL points at the NATS server's monitoring port, the server's own figures.
// Uses the node configuration (NATS_URL, CLUSTER_NAME). `--once` prints one table and exits.
// `where <kind>:<id>` (user:<uuid>, room:<uuid>) prints where that actor lives and exits.
import { connect, RequestStrategy } from 'nats';
import { describePlacement, findPlacement, parseActor } from '../server/ops/placement.ts';
import { type NodeStatus, OPS_SERVICE } from '../server/ops/service.ts';
import { natsServers } from '../server/platform/bus/nats.ts';
import { loadConfig } from '../server/platform/config.ts';

const config = loadConfig();
if (config.natsUrl === undefined) {
  console.error('monitor: NATS_URL is not set; an embedded node has no cluster to monitor (its /health and /metrics tell its state)');
  process.exit(2);
}
const once = process.argv.includes('--once');
const whereAt = process.argv.indexOf('where');
const actor = whereAt < 0 ? undefined : (process.argv[whereAt + 1] ?? '');
if (actor !== undefined && parseActor(actor) === undefined) {
  console.error('monitor: usage: npm run monitor -- where <kind>:<id>   (user:<uuid> or room:<uuid>)');
  process.exit(2);
}
const { servers, redacted: _redacted, ...auth } = natsServers(config.natsUrl);
const nc = await connect({ servers, ...auth, name: 'petamigos-monitor' });
if (actor !== undefined) {
  console.log(describePlacement(await findPlacement(nc, config.clusterName, actor)));
  await nc.close();
  process.exit(0);
}

async function nodes(): Promise<NodeStatus[]> {
  const found: NodeStatus[] = [];
  for await (const stats of await nc.services.client({ strategy: RequestStrategy.Timer, maxWait: 1000 }).stats(OPS_SERVICE)) {
    const status = stats.endpoints?.[0]?.data as NodeStatus | undefined;
    if (status !== undefined && status.cluster === config.clusterName) found.push(status);
  }
  return found.sort((a, b) => a.node.localeCompare(b.node));
}

async function natsServer(): Promise<string | undefined> {
  if (config.natsMonitorUrl === undefined) return undefined;
  try {
    const varz = (await (await fetch(new URL('/varz', config.natsMonitorUrl), { signal: AbortSignal.timeout(1000) })).json()) as Record<
      string,
      number | string
    >;
    return `NATS ${varz.version}: ${varz.connections} connections, ${varz.in_msgs} msgs in / ${varz.out_msgs} out, ${Math.round(Number(varz.mem) / 1048576)} MiB, ${varz.slow_consumers} slow consumers`;
  } catch (error) {
    return `NATS monitoring at ${config.natsMonitorUrl} did not answer: ${(error as Error).message}`;
  }
}

function table(list: NodeStatus[]): string {
  const header = ['node', 'uptime', 'actors', 'mailbox', 'sockets', 'topics', 'rss MiB'];
  const rows = list.map((status) => [
    status.node,
    `${status.uptimeSeconds}s`,
    Object.entries(status.actors)
      .map(([kind, count]) => `${kind}:${count}`)
      .join(' ') || '-',
    String(status.mailboxDepth),
    String(status.sockets),
    String(status.followedTopics),
    String(Math.round(status.rssBytes / 1048576)),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

do {
  const [list, server] = await Promise.all([nodes(), natsServer()]);
  const output = [`cluster ${config.clusterName}: ${list.length} node(s) at ${new Date().toISOString()}`, table(list), server ?? ''].join(
    '\n',
  );
  if (!once) process.stdout.write('\u001b[2J\u001b[H');
  console.log(output);
  if (!once) await Bun.sleep(2000);
} while (!once);
await nc.close();
