// The messenger on three nodes as separate processes: the members of a group, each connected to a
// different node, all send at once while the node hosting the room actor is killed with SIGKILL.
// Senders retry with the same clientId, the member whose node died reconnects to another node and
// resumes from its last event; in the end every member has every acknowledged message exactly
// once, in seq order, with no gap, and the database holds each message once.
import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PetAmigosClient, ProtocolError, TopicHandle } from '../protocol/client.ts';
import { befriend, type Cluster, client, hostsOf, register, startCluster } from './harness/cluster.ts';
import type { NodeProcess } from './harness/processes.ts';

const LEASE_TTL_MS = 3000;
const PER_MEMBER = 15;
const RETRYABLE = ['ACTOR_UNAVAILABLE', 'TIMEOUT', 'DISCONNECTED', 'MAILBOX_FULL'];

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

interface Received {
  seq: number;
  clientId: string | null;
}

/** One member: a client on their node (replaced by one on a survivor if that node dies), and what they received. */
class Seat {
  readonly received: Received[] = [];
  readonly acknowledged: Received[] = [];
  client: PetAmigosClient;
  handle: TopicHandle | undefined;
  node: NodeProcess;
  readonly user: { id: string; token: string };

  constructor(node: NodeProcess, user: { id: string; token: string }) {
    this.node = node;
    this.user = user;
    // The test retries and moves seats itself: errors surface at once.
    this.client = client(node, user.token, { repeatWithinMs: false });
  }

  follow(conversationId: string, since?: { epoch: string; seq: number }) {
    this.handle = this.client.subscribe(
      `room:${conversationId}`,
      (event) => {
        if (event.name !== 'message.new') return;
        const message = (event.body as { message: Received }).message;
        this.received.push({ seq: message.seq, clientId: message.clientId });
      },
      since === undefined ? {} : { since },
    );
  }

  /** After its node died: a new client on `survivor`, resuming the room topic where it was. */
  async move(survivor: NodeProcess, conversationId: string) {
    const since = this.handle?.position;
    this.client.close();
    this.node = survivor;
    this.client = client(survivor, this.user.token, { repeatWithinMs: false });
    await this.client.connect();
    this.follow(conversationId, since);
  }
}

test('messenger cluster: members on three nodes get every acknowledged message exactly once and in order across a SIGKILL of the room’s node', async () => {
  const nodes = cluster.nodes as [NodeProcess, NodeProcess, NodeProcess];
  const users = await Promise.all(nodes.map((node) => register(node)));
  const [ana, bruno, carla] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];
  await befriend(nodes[0], ana, bruno);
  await befriend(nodes[0], ana, carla);
  const seats = nodes.map((node, i) => new Seat(node, users[i] as (typeof users)[0]));
  await Promise.all(seats.map((seat) => seat.client.connect()));
  const group = await (seats[0] as Seat).client.call('chats.createGroup', { name: 'Paseos', userIds: [bruno.id, carla.id] });
  const conversationId = group.id;
  const opening = await (seats[0] as Seat).client.call('chats.send', { conversationId, clientId: crypto.randomUUID(), text: 'hola' });
  expect(opening.seq).toBe(2);
  for (const seat of seats) seat.follow(conversationId);
  await expect.poll(() => seats.every((seat) => seat.handle?.state === 'joined')).toBe(true);

  const [host] = await hostsOf(cluster, 'room');
  expect(host).toBeDefined();
  const victim = nodes.find((_, i) => `n${i}` === host) as NodeProcess;
  const survivor = nodes.find((node) => node !== victim) as NodeProcess;
  let killed: Promise<unknown> | undefined;
  let acknowledgedTotal = 0;
  let afterKill = 0;

  async function sendAll(seat: Seat) {
    for (let i = 1; i <= PER_MEMBER; i++) {
      const clientId = crypto.randomUUID();
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (killed !== undefined && seat.node === victim) {
          await killed;
          await seat.move(survivor, conversationId);
        }
        try {
          const message = await seat.client.call('chats.send', { conversationId, clientId, text: `${seat.user.id.slice(-4)} ${i}` });
          seat.acknowledged.push({ seq: message.seq, clientId });
          if (killed !== undefined) afterKill++;
          break;
        } catch (error) {
          if (Date.now() > deadline || !RETRYABLE.includes((error as ProtocolError).code)) throw error;
          await Bun.sleep(150);
        }
      }
      if (++acknowledgedTotal === 12) killed = victim.stop('SIGKILL');
    }
  }
  await Promise.all(seats.map(sendAll));
  await killed;
  // The member whose node died moves even if it had finished sending before the kill.
  for (const seat of seats) if (seat.node === victim) await seat.move(survivor, conversationId);

  // The kill landed while messages were being sent: most were acknowledged after it (by the room
  // actor activated on another node once the dead node's lease expired).
  expect(afterKill).toBeGreaterThan(3 * PER_MEMBER - 15);
  const acknowledged = seats.flatMap((seat) => seat.acknowledged).sort((a, b) => a.seq - b.seq);
  expect(acknowledged).toHaveLength(3 * PER_MEMBER);
  const lastSeq = 2 + 3 * PER_MEMBER;
  // Seqs are handed out once each: the acknowledged ones are exactly 3..last.
  expect(acknowledged.map((message) => message.seq)).toEqual(Array.from({ length: 3 * PER_MEMBER }, (_, i) => i + 3));
  for (const seat of seats) {
    await expect.poll(() => seat.received.at(-1)?.seq, { timeout: 15_000 }).toBe(lastSeq);
    expect(seat.received).toEqual(acknowledged);
  }

  // Unread counts come back with the user actors that lived on the dead node: each member has
  // read up to their own last message (sending reads), and the rest is unread.
  for (const seat of seats) {
    const expected = lastSeq - Math.max(...seat.acknowledged.map((message) => message.seq));
    const [chat] = (await seat.client.call('chats.list', {})).items;
    expect(chat?.unread).toBe(expected);
    await expect.poll(async () => (await seat.client.call('chats.unread', {})).conversations, { timeout: 5000 }).toBe(expected > 0 ? 1 : 0);
  }

  const sql = postgres(cluster.database.url, { max: 1 });
  try {
    const rows = await sql`select seq, client_id from messages where conversation_id = ${conversationId} order by seq`;
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    const [conversation] = await sql`select last_seq from conversations where id = ${conversationId}`;
    expect(conversation?.last_seq).toBe(lastSeq);
  } finally {
    await sql.end();
  }
  for (const seat of seats) seat.client.close();
  expect(await hostsOf(cluster, 'room')).not.toContain(host);
}, 120_000);
