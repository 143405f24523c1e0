// A group call on three nodes as separate processes: one member answers, another is still being
// rung when the node holding the call actor is killed with SIGKILL. The call carries on from
// PostgreSQL on another node: the two who answered are still in it, the ring deadline (a durable
// reminder) still makes the third miss it, and when the last person leaves the call ends
// completed, with its system message written once in the conversation.
import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PetAmigosClient, ProtocolError } from '../protocol/client.ts';
import { befriend, type Cluster, client, holderOf, register, startCluster } from './harness/cluster.ts';
import type { NodeProcess } from './harness/processes.ts';

const LEASE_TTL_MS = 3000;
const RING_SECONDS = 8;
const RETRYABLE = ['ACTOR_UNAVAILABLE', 'TIMEOUT', 'DISCONNECTED', 'MAILBOX_FULL'];

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(4, {
    ACTOR_LEASE_TTL_MS: String(LEASE_TTL_MS),
    CALL_RING_SECONDS: String(RING_SECONDS),
    AUTH_JWT_KEYS: `k1:${'cluster-test-key-'.repeat(3)}`,
  });
}, 60_000);
afterAll(async () => {
  await cluster.stop();
});

/** A call retried while the call's actor moves to another node. */
async function retrying<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline || !RETRYABLE.includes((error as ProtocolError).code)) throw error;
      await Bun.sleep(200);
    }
  }
}

test('calls cluster: a call survives a SIGKILL of its node: participants stay, the ring deadline still fires, the end is reported once', async () => {
  const nodes = cluster.nodes as [NodeProcess, NodeProcess, NodeProcess];
  const [ana, bruno, carla] = await Promise.all(nodes.map((node) => register(node)));
  if (ana === undefined || bruno === undefined || carla === undefined) throw new Error('registration failed');
  await befriend(nodes[0], ana, bruno);
  await befriend(nodes[0], ana, carla);
  const opened: PetAmigosClient[] = [];
  const on = async (node: NodeProcess, user: { token: string }) => {
    const made = client(node, user.token, { repeatWithinMs: false });
    opened.push(made);
    await made.connect();
    return made;
  };
  const [anaClient, brunoClient] = await Promise.all([on(nodes[0], ana), on(nodes[1], bruno)]);
  const group = await anaClient.call('chats.createGroup', { name: 'Llamada', userIds: [bruno.id, carla.id] });
  const conversationId = group.id;
  const startedAt = Date.now();
  const started = await anaClient.call('calls.start', { conversationId, video: false, clientId: crypto.randomUUID() });
  const callId = started.id;
  expect((await brunoClient.call('calls.accept', { callId })).state).toBe('active');

  const host = await holderOf(cluster, `call.${callId}`);
  expect(host).toBeDefined();
  const victim = nodes.find((_, i) => `n${i}` === host) as NodeProcess;
  const survivor = nodes.find((node) => node !== victim) as NodeProcess;
  // The node dies while Carla is still being rung: the deadline is still to come.
  expect(Date.now() - startedAt).toBeLessThan(RING_SECONDS * 1000);
  await victim.stop('SIGKILL');
  for (const open of opened.splice(0)) open.close();
  const [anaAgain, brunoAgain] = await Promise.all([on(survivor, ana), on(survivor, bruno)]);

  // Activated elsewhere from its rows: the two who answered are still in it, Carla still rings.
  const moved = await retrying(() => anaAgain.call('calls.get', { callId }));
  expect(moved.state).toBe('active');
  const stateOf = (call: typeof moved, userId: string) => call.participants.find((p) => p.userId === userId)?.state;
  expect([stateOf(moved, ana.id), stateOf(moved, bruno.id)]).toEqual(['joined', 'joined']);
  expect(['ringing', 'missed']).toContain(stateOf(moved, carla.id));
  // The ring deadline fires although the node that set it is gone.
  await expect
    .poll(async () => stateOf(await retrying(() => anaAgain.call('calls.get', { callId })), carla.id), {
      timeout: 30_000,
      interval: 500,
    })
    .toBe('missed');
  expect((await brunoAgain.call('calls.get', { callId })).state).toBe('active');

  expect((await retrying(() => brunoAgain.call('calls.leave', { callId }))).state).toBe('active');
  const ended = await retrying(() => anaAgain.call('calls.leave', { callId }));
  expect(ended).toMatchObject({ state: 'ended', endReason: 'completed' });
  await expect
    .poll(async () => (await anaAgain.call('chats.history', { conversationId })).items.at(-1)?.system?.call?.outcome, { timeout: 10_000 })
    .toBe('completed');

  const sql = postgres(cluster.database.url, { max: 1 });
  try {
    const messages = await sql`select seq from messages where conversation_id = ${conversationId} and client_id = ${callId}`;
    expect(messages).toHaveLength(1);
    const [row] = await sql`select state, reported from calls where id = ${callId}`;
    expect(row).toEqual({ state: 'ended', reported: true });
    const reminders = await sql`select name from actor_reminders where kind = 'call' and actor_id = ${callId}`;
    expect(reminders).toEqual([]);
  } finally {
    await sql.end();
  }
  for (const open of opened) open.close();
}, 120_000);

test('calls cluster: a one-to-one call whose node is SIGKILLed while it rings still ends missed on time, rings stop, and its system message is written once', async () => {
  // The first test killed one node: the two left are used here.
  const survivors = cluster.nodes
    .map((node, i) => Object.assign(node, { nodeId: `n${i}` }))
    .filter((node) => node.process.exitCode === null && node.process.signalCode === null);
  expect(survivors).toHaveLength(3);
  const [ana, bruno] = await Promise.all([register(survivors[0] as NodeProcess), register(survivors[1] as NodeProcess)]);
  if (ana === undefined || bruno === undefined) throw new Error('registration failed');
  await befriend(survivors[0] as NodeProcess, ana, bruno);
  const anaClient = client(survivors[0] as NodeProcess, ana.token, { repeatWithinMs: false });
  await anaClient.connect();
  const conversationId = (await anaClient.call('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), text: '¿Llamo?' }))
    .conversationId;
  const startedAt = Date.now();
  const { id: callId } = await anaClient.call('calls.start', { conversationId, video: true, clientId: crypto.randomUUID() });
  const host = await holderOf(cluster, `call.${callId}`);
  const victim = survivors.find((node) => node.nodeId === host);
  const watcherNode = survivors.find((node) => node !== victim) as NodeProcess;
  // Each test kills one node: what this one leaves, the next uses.
  anaClient.close();
  expect(victim).toBeDefined();
  expect(Date.now() - startedAt).toBeLessThan(RING_SECONDS * 1000);
  await (victim as NodeProcess).stop('SIGKILL');
  const watcher = client(watcherNode, bruno.token, { repeatWithinMs: false });
  await watcher.connect();
  const told: unknown[] = [];
  const own = watcher.subscribe(`user:${bruno.id}`, (event) => {
    if (event.name === 'call.cancelled') told.push(event.body);
  });
  await expect.poll(() => own.state).toBe('joined');
  await expect
    .poll(async () => (await retrying(() => watcher.call('calls.get', { callId }))).endReason, { timeout: 30_000, interval: 500 })
    .toBe('missed');
  // Bruno's devices stop ringing, told from a node that did not start the call.
  await expect.poll(() => told, { timeout: 10_000 }).toContainEqual({ callId, reason: 'missed' });
  const ended = await watcher.call('calls.get', { callId });
  expect(ended.participants.map((p) => p.state)).toEqual(['left', 'missed']);
  // Not before the deadline, though the node that set it is gone.
  expect(new Date(ended.endedAt as string).getTime() - new Date(ended.createdAt).getTime()).toBeGreaterThanOrEqual(RING_SECONDS * 1000);
  await expect
    .poll(async () => (await watcher.call('chats.history', { conversationId })).items.at(-1)?.system?.call?.outcome, { timeout: 10_000 })
    .toBe('missed');
  const sql = postgres(cluster.database.url, { max: 1 });
  try {
    expect(await sql`select seq from messages where conversation_id = ${conversationId} and client_id = ${callId}`).toHaveLength(1);
    await expect
      .poll(async () => (await sql`select name from actor_reminders where kind = 'call' and actor_id = ${callId}`).length, {
        timeout: 10_000,
      })
      .toBe(0);
  } finally {
    await sql.end();
  }
  watcher.close();
}, 120_000);

test('calls cluster: when the node holding a call’s router dies, the people in the call are told at once (call.mediaLost) and get a new router’s epoch in call.changed without asking', async () => {
  const alive = cluster.nodes
    .map((node, i) => Object.assign(node, { nodeId: `n${i}` }))
    .filter((node) => node.process.exitCode === null && node.process.signalCode === null);
  expect(alive.length).toBeGreaterThanOrEqual(2);
  const [first, second] = alive.slice(-2) as [NodeProcess & { nodeId: string }, NodeProcess & { nodeId: string }];
  const [ana, bruno] = await Promise.all([register(first), register(second)]);
  if (ana === undefined || bruno === undefined) throw new Error('registration failed');
  await befriend(first, ana, bruno);
  const anaClient = client(first, ana.token, { repeatWithinMs: false });
  const brunoClient = client(second, bruno.token, { repeatWithinMs: false });
  await Promise.all([anaClient.connect(), brunoClient.connect()]);
  const conversationId = (await anaClient.call('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), text: '¿Video?' }))
    .conversationId;
  const { id: callId } = await anaClient.call('calls.start', { conversationId, video: true, clientId: crypto.randomUUID() });
  await retrying(() => brunoClient.call('calls.accept', { callId }));
  const { epoch } = await anaClient.call('calls.media', { callId });
  const host = await holderOf(cluster, `call.${callId}`);
  const victim = alive.find((node) => node.nodeId === host) as NodeProcess;
  // The one whose socket is on the node that stays watches.
  const [watcher, other] = victim === first ? [brunoClient, anaClient] : [anaClient, brunoClient];
  const signals: string[] = [];
  const epochs: (string | null)[] = [];
  const followed = watcher.subscribe(
    `call:${callId}`,
    (event) => {
      if (event.name === 'call.changed')
        epochs.push((event.body as { call: { media: { epoch: string } | null } }).call.media?.epoch ?? null);
    },
    { onSignal: (signal) => signals.push(signal.name) },
  );
  await expect.poll(() => followed.state).toBe('joined');
  const lostAt = Date.now();
  await victim.stop('SIGKILL');
  other.close();
  await expect.poll(() => signals, { timeout: 15_000 }).toContain('call.mediaLost');
  await expect.poll(() => epochs.some((seen) => seen !== null && seen !== epoch), { timeout: 30_000 }).toBe(true);
  const moved = await retrying(() => watcher.call('calls.get', { callId }));
  expect(moved.media?.epoch).not.toBe(epoch);
  expect(moved.state).toBe('active');
  // Told within the heartbeats' horizon; the new router once the dead node's lease lapsed.
  expect(Date.now() - lostAt).toBeLessThan(30_000);
  watcher.close();
}, 120_000);
