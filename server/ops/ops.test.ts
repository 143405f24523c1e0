// The ops view of a cluster: each node is a NATS micro service the standard tooling can ping,
// and `npm run monitor` prints its figures.
import { connect, RequestStrategy } from 'nats';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { services } from '../../test/harness/services.ts';
import { connectAs } from '../../test/harness/ws.ts';
import { type NodeStatus, OPS_SERVICE } from './service.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('ops', { NODE_ID: 'ops-node' });
});
afterAll(async () => {
  await env.close();
});

test('ops: a node answers $SRV.PING, INFO and STATS with its node id, actors, sockets, mailbox depth and cached topics', async () => {
  const user = await env.register();
  const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
  await expect.poll(() => env.node.actors.stats().actors.user ?? 0, { timeout: 5000 }).toBeGreaterThan(0);
  const cachedBefore = env.node.platform.topics.cachedTopics;
  await env.node.platform.topics.publish(`ops:${crypto.randomUUID()}`, 'ops.test', {});
  const nc = await connect({ servers: services.natsUrl });
  try {
    const client = nc.services.client({ strategy: RequestStrategy.Timer, maxWait: 1000 });
    const infos = [];
    for await (const info of await client.info(OPS_SERVICE))
      if (info.metadata?.cluster === env.node.platform.config.clusterName) infos.push(info);
    expect(infos.map((info) => info.metadata?.node)).toEqual(['ops-node']);
    const pings = [];
    for await (const ping of await client.ping(OPS_SERVICE))
      if (ping.metadata?.cluster === env.node.platform.config.clusterName) pings.push(ping);
    expect(pings).toHaveLength(1);
    let status: NodeStatus | undefined;
    for await (const stats of await client.stats(OPS_SERVICE)) {
      const data = stats.endpoints?.[0]?.data as NodeStatus | undefined;
      if (data?.cluster === env.node.platform.config.clusterName) status = data;
    }
    expect(status).toMatchObject({ node: 'ops-node', sockets: 1, mailboxDepth: 0 });
    expect(status?.cachedTopics).toBeGreaterThan(cachedBefore);
    expect(status?.actors.user).toBeGreaterThan(0);
    expect(status?.liveNodes).toEqual(['ops-node']);
  } finally {
    socket.close();
    await nc.close();
  }
});

test('ops: npm run monitor --once prints a table of the nodes of the cluster', async () => {
  // Not spawnSync: the node under test lives in this process and must keep answering.
  const child = Bun.spawn([process.execPath, 'scripts/monitor.ts', '--once'], {
    cwd: new URL('../../', import.meta.url).pathname,
    env: { PATH: process.env.PATH ?? '', NATS_URL: services.natsUrl, CLUSTER_NAME: env.node.platform.config.clusterName },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [output, errors] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  expect(errors).toBe('');
  expect(output).toContain(`cluster ${env.node.platform.config.clusterName}: 1 node(s)`);
  expect(output).toMatch(/node\s+uptime\s+actors\s+mailbox\s+sockets\s+topics\s+rss MiB/);
  expect(output).toMatch(/^ops-node\s+\d+s/m);
});

test('ops: the gc endpoint answers only on a node started with OPS_GC=on (benchmarks), with the status and the live objects by type after a full collection', async () => {
  const nc = await connect({ servers: services.natsUrl });
  const cluster = env.node.platform.config.clusterName;
  try {
    await expect(nc.request(`${cluster}.ops.gc.ops-node`, undefined, { timeout: 1000 })).rejects.toThrow(/503|no responders/i);
    const peer = await env.peer('ops-gc-node', { OPS_GC: 'on' });
    const answer = JSON.parse(
      new TextDecoder().decode((await nc.request(`${cluster}.ops.gc.ops-gc-node`, undefined, { timeout: 5000 })).data),
    );
    expect(answer).toMatchObject({ node: 'ops-gc-node', cluster });
    expect(answer.heapBytes).toBeGreaterThan(0);
    expect(answer.objectTypes.Object).toBeGreaterThan(0);
    expect(answer.heapCapacityBytes).toBeGreaterThanOrEqual(answer.heapBytes);
    expect(answer.mallocBytes).toBeGreaterThan(0);
    expect(answer.mallocCommittedBytes).toBeGreaterThanOrEqual(answer.mallocBytes);
    expect(peer.platform.config.opsGc).toBe(true);
  } finally {
    await nc.close();
  }
});
