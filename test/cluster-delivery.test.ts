// Live events across a SIGKILL, on three nodes as separate processes: friend requests are made
// while the node hosting the recipients' user actors is killed. Every recipient, connected to a
// surviving node, gets exactly one `notification.new` live within the lease TTL + 5 s, and one
// with no device open finds it in its topic log when it connects. The lease TTL is longer than
// an ask's timeout, so the first, direct delivery gives up before the actors are back: what
// delivers is the durable reminder stored with the notification.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { EventFrame, PetAmigosClient, ProtocolError, TopicHandle } from '../protocol/client.ts';
import { type Cluster, client, holderOf, register, startCluster } from './harness/cluster.ts';
import type { NodeProcess } from './harness/processes.ts';

const LEASE_TTL_MS = 8000;
const RECIPIENTS = 9;

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(3, {
    ACTOR_LEASE_TTL_MS: String(LEASE_TTL_MS),
    AUTH_JWT_KEYS: `k1:${'cluster-test-key-'.repeat(3)}`,
  });
}, 60_000);
afterAll(async () => {
  await cluster.stop();
});

/** The node holding the lease of `user:<id>`, read from the leases bucket as an operator would. */
const ownerOf = (userId: string) => holderOf(cluster, `user.${userId}`);

interface Recipient {
  user: { id: string; token: string };
  client: PetAmigosClient | undefined;
  handle: TopicHandle | undefined;
  received: { id: string; at: number }[];
}

function follow(recipient: Recipient, node: NodeProcess, since?: { epoch: string; seq: number }): PetAmigosClient {
  const c = client(node, recipient.user.token);
  recipient.handle = c.subscribe(
    `user:${recipient.user.id}`,
    (event: EventFrame) => {
      if (event.name === 'notification.new')
        recipient.received.push({ id: (event.body as { notification: { id: string } }).notification.id, at: Date.now() });
    },
    since === undefined ? {} : { since },
  );
  recipient.client = c;
  return c;
}

test('cluster delivery: SIGKILL of the node hosting the recipients’ actors during friend requests; each recipient gets exactly one notification.new live within lease TTL + 5 s', async () => {
  const nodes = cluster.nodes as [NodeProcess, NodeProcess, NodeProcess];
  const sender = await register(nodes[0]);
  const users = await Promise.all(Array.from({ length: RECIPIENTS }, (_, i) => register(nodes[i % 3] as NodeProcess)));
  const recipients: Recipient[] = users.map((user) => ({ user, client: undefined, handle: undefined, received: [] }));
  // Connecting activates each recipient's user actor (rendezvous spreads them over the nodes).
  await Promise.all(recipients.map(async (recipient, i) => follow(recipient, nodes[i % 3] as NodeProcess).connect()));
  await expect
    .poll(async () => (await Promise.all(users.map((user) => ownerOf(user.id)))).every((owner) => owner !== undefined))
    .toBe(true);
  const owners = await Promise.all(users.map((user) => ownerOf(user.id)));
  const counts = new Map<string, number>();
  for (const owner of owners) counts.set(owner as string, (counts.get(owner as string) ?? 0) + 1);
  const victimId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
  const victim = nodes[Number(victimId.slice(1))] as NodeProcess;
  const survivors = nodes.filter((node) => node !== victim) as [NodeProcess, NodeProcess];
  const onVictim = recipients.filter((_, i) => owners[i] === victimId);
  expect(onVictim.length).toBeGreaterThan(0);

  // Devices live on surviving nodes; one recipient whose actor is on the victim has none at all.
  const offline = onVictim[0] as Recipient;
  offline.client?.close();
  offline.client = undefined;
  const victimIndex = nodes.indexOf(victim);
  for (const [i, recipient] of recipients.entries()) {
    if (recipient === offline || i % 3 !== victimIndex) continue;
    recipient.client?.close();
    await follow(recipient, survivors[i % 2] as NodeProcess).connect();
  }
  const asker = client(survivors[0], sender.token);
  await asker.connect();

  const killedAt = Date.now();
  await victim.stop('SIGKILL');
  const errors: string[] = [];
  await Promise.all(
    recipients.map(async ({ user }) => {
      for (;;) {
        try {
          await asker.call('friends.request', { userId: user.id });
          return;
        } catch (error) {
          errors.push((error as ProtocolError).code);
          await Bun.sleep(Number((error as ProtocolError).details?.retryAfterMs ?? 500));
        }
      }
    }),
  );
  // Stored notifications, one per recipient: each must reach its recipient live, once.
  const live = recipients.filter((recipient) => recipient !== offline);
  await expect
    .poll(() => live.every((recipient) => recipient.received.length > 0), { timeout: LEASE_TTL_MS + 10_000, interval: 200 })
    .toBe(true);
  for (const recipient of live) expect((recipient.received[0]?.at as number) - killedAt).toBeLessThan(LEASE_TTL_MS + 5000);
  // Retries of the delivery never show twice (the reminder repeats until a reply came back).
  await Bun.sleep(3000);
  for (const recipient of live) expect(recipient.received).toHaveLength(1);
  expect(new Set(errors)).toEqual(new Set());

  // The device that was offline connects and reads its topic from the start: it is there, once.
  const epoch = live[0]?.handle?.position?.epoch as string;
  await follow(offline, survivors[1], { epoch, seq: 0 }).connect();
  await expect.poll(() => offline.received.length).toBe(1);
  await Bun.sleep(500);
  expect(offline.received).toHaveLength(1);
  for (const recipient of recipients) recipient.client?.close();
  asker.close();
}, 120_000);
