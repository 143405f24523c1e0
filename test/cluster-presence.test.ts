// Presence across a SIGKILL, on two nodes as separate processes: a user whose only device is on
// the node that dies, and whose user actor lives on the survivor, goes offline for a friend
// watching from the survivor once the survivor takes the dead node for dead (three heartbeats
// missed), not after some periodic sweep: the actor system tells its user actors that a node
// was lost (`nodeLost` in actors/types.ts).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { EventFrame } from '../protocol/client.ts';
import { befriend, type Cluster, client, holderOf, register, startCluster } from './harness/cluster.ts';
import type { NodeProcess } from './harness/processes.ts';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(2, { AUTH_JWT_KEYS: `k1:${'cluster-test-key-'.repeat(3)}` }, { nodeIdPrefix: 'pres' });
}, 60_000);
afterAll(async () => {
  await cluster.stop();
});

const ownerOf = (userId: string) => holderOf(cluster, `user.${userId}`);

test('cluster presence: a device on a node that is SIGKILLed goes offline for a watcher on the survivor within a few heartbeats', async () => {
  const [survivor, victim] = cluster.nodes as [NodeProcess, NodeProcess];
  const watcher = await register(survivor);
  // Users with a device on the victim until one's actor is on the survivor (rendezvous hashing).
  let user: { id: string; token: string } | undefined;
  const devices = [];
  for (let i = 0; i < 12 && user === undefined; i++) {
    const candidate = await register(victim);
    const device = client(victim, candidate.token);
    await device.connect();
    devices.push(device);
    await expect.poll(() => ownerOf(candidate.id)).not.toBeUndefined();
    if ((await ownerOf(candidate.id)) === 'pres0') user = candidate;
  }
  if (user === undefined) throw new Error('no user actor landed on the survivor in 12 tries');
  await befriend(survivor, watcher, user);

  const seen: string[] = [];
  const watching = client(survivor, watcher.token);
  await watching.connect();
  watching.subscribe(`presence:${user.id}`, (event: EventFrame) => {
    if (event.name === 'presence.changed') seen.push((event.body as { status: string }).status);
  });
  await expect.poll(async () => ((await watching.call('presence.get', { userId: user.id })) as { status: string }).status).toBe('online');

  const killedAt = Date.now();
  await victim.stop('SIGKILL');
  await expect.poll(() => seen.at(-1), { timeout: 10_000, interval: 100 }).toBe('offline');
  // Three heartbeats of 1 s, then the tell: well before the 15 s sweep timer of old.
  expect(Date.now() - killedAt).toBeLessThan(8000);
  expect(((await watching.call('presence.get', { userId: user.id })) as { devices: number }).devices).toBe(0);
  watching.close();
  for (const device of devices) device.close();
}, 90_000);
