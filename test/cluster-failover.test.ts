// Three nodes as separate processes: one activation of an actor under concurrent first messages
// from all of them, presence across nodes, passivation keeping state, and a SIGKILL of the node
// that hosts an actor while a client writes through it: the actor comes back on another node
// within the lease TTL and no acknowledged write is lost.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type EventFrame, PetAmigosClient, type ProtocolError } from '../protocol/client.ts';
import { type Cluster, client, register, startCluster } from './harness/cluster.ts';
import type { NodeProcess } from './harness/processes.ts';
import { wsUrl } from './harness/ws.ts';

const LEASE_TTL_MS = 3000;
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(3, {
    ACTOR_LEASE_TTL_MS: String(LEASE_TTL_MS),
    ACTOR_IDLE_MS: '2000',
    AUTH_JWT_KEYS: `k1:${'cluster-test-key-'.repeat(3)}`,
  });
}, 60_000);
afterAll(async () => {
  await cluster.stop();
});

const userActors = async () => [...(await cluster.status()).values()].reduce((sum, status) => sum + (status.actors.user ?? 0), 0);

describe('cluster of three processes', () => {
  test('cluster: sockets of one user on all three nodes at once activate its actor exactly once; presence is seen from every node', async () => {
    const user = await register(cluster.nodes[0] as NodeProcess);
    const clients = cluster.nodes.map((node) => client(node, user.token));
    await Promise.all(clients.map((c) => c.connect()));
    const replies = await Promise.all(clients.flatMap((c) => Array.from({ length: 5 }, () => c.call('presence.get', { userId: user.id }))));
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set(['online']));
    await expect.poll(async () => (await clients[2]?.call('presence.get', { userId: user.id }))?.devices, { timeout: 5000 }).toBe(3);
    expect(await userActors()).toBe(1);
    for (const c of clients) c.close();
    await expect.poll(async () => (await cluster.status()).size).toBe(3);
  });

  test('cluster: an idle actor is passivated and comes back with its stored status', async () => {
    const user = await register(cluster.nodes[1] as NodeProcess);
    const writer = client(cluster.nodes[1] as NodeProcess, user.token);
    await writer.connect();
    await writer.call('presence.setStatus', { text: 'Napping with Rex' });
    writer.close();
    await expect.poll(userActors, { timeout: 15_000, interval: 500 }).toBe(0);
    const reader = client(cluster.nodes[2] as NodeProcess, user.token);
    await reader.connect();
    expect((await reader.call('presence.get', { userId: user.id })).text).toBe('Napping with Rex');
    reader.close();
  });

  test('cluster: SIGKILL of the node hosting an actor mid-write loses no acknowledged write', async () => {
    const user = await register(cluster.nodes[0] as NodeProcess);
    await Bun.sleep(100);
    // Activate the actor, then find its node through the operators' view.
    const probe = client(cluster.nodes[0] as NodeProcess, user.token);
    await probe.connect();
    await probe.call('presence.setStatus', { text: 'start' });
    probe.close();
    let host: string | undefined;
    for (const [node, status] of await cluster.status()) if ((status.actors.user ?? 0) > 0) host = node;
    expect(host).toBeDefined();
    const victim = cluster.nodes.find((_, i) => `n${i}` === host) as NodeProcess;
    const survivor = cluster.nodes.find((node) => node !== victim) as NodeProcess;

    // Another device of the same user follows its presence topic, connected to the node about to
    // die. (Someone else's presence is never replayed, only reset: see PROTOCOL.md.)
    const events: EventFrame[] = [];
    const watchVictim = new PetAmigosClient({ url: wsUrl(victim.url), token: () => user.token, reconnect: false });
    await watchVictim.connect();
    const onVictim = watchVictim.subscribe(`presence:${user.id}`, (event) => events.push(event));
    await expect.poll(() => onVictim.state).toBe('joined');

    // Errors surface (no automatic repeat), so the test sees the failover code itself.
    const writer = client(survivor, user.token, { repeatWithinMs: false });
    await writer.connect();
    const acknowledged: string[] = [];
    let killedAt = 0;
    let recoveredAt = 0;
    for (let i = 1; i <= 30; i++) {
      const text = `write ${i}`;
      if (i === 11) {
        killedAt = Date.now();
        await victim.stop('SIGKILL');
      }
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await writer.call('presence.setStatus', { text });
          acknowledged.push(text);
          if (i === 11) recoveredAt = Date.now();
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          // One retryable failover error, with the pause it asks for.
          expect((error as ProtocolError).code).toBe('ACTOR_UNAVAILABLE');
          const { retryAfterMs } = (error as ProtocolError).details as { retryAfterMs: number };
          expect(retryAfterMs).toBeGreaterThan(0);
          await Bun.sleep(retryAfterMs);
        }
      }
    }
    expect(acknowledged).toHaveLength(30);

    // The device reconnects to a surviving node and resumes from the last event it had.
    const watchSurvivor = client(survivor, user.token);
    await watchSurvivor.connect();
    watchSurvivor.subscribe(
      `presence:${user.id}`,
      (event) => events.push(event),
      onVictim.position === undefined ? {} : { since: onVictim.position },
    );
    await expect.poll(() => events.some((event) => (event.body as { text: string }).text === 'write 30'), { timeout: 10_000 }).toBe(true);
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
    const texts = events.map((event) => (event.body as { text: string }).text).filter((text) => text.startsWith('write '));
    expect(texts).toEqual(acknowledged);
    watchVictim.close();
    watchSurvivor.close();
    expect(recoveredAt - killedAt).toBeLessThan(LEASE_TTL_MS + 5000);
    expect((await writer.call('presence.get', { userId: user.id })).text).toBe('write 30');
    const sql = postgres(cluster.database.url, { max: 1 });
    try {
      const [row] = await sql`select text from user_statuses where user_id = ${user.id}`;
      expect(row?.text).toBe('write 30');
    } finally {
      await sql.end();
    }
    writer.close();
    const hosts = [...(await cluster.status()).entries()].filter(([, status]) => (status.actors.user ?? 0) > 0).map(([node]) => node);
    expect(hosts).not.toContain(host);
  }, 90_000);
});
