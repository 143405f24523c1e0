// The messenger's hot path, across two node processes, next to bare NATS publish/subscribe in the
// same run. A message is sent on node A (chats.send: validated by the gateway, sequenced and
// committed by the room actor, published on the room topic) and received on node B (republished
// by JetStream, handed to Bun's native publish); the bare baseline publishes a frame of the same
// size from one NATS connection to another.
//  1. one busy room: a group of BUSY_MEMBERS, one sender on A, the others following on B:
//     send-to-receive latency (sequential sends, p50/p99) and messages per second with IN_FLIGHT
//     sends outstanding (each delivered to every follower);
//  2. many quiet rooms: QUIET_ROOMS groups of two, one message at a time in each, round-robin,
//     IN_FLIGHT outstanding: messages per second and latency. Twice: `quiet`, every room written
//     by one sender on A (one user writing thousands of messages a second, so every room lives on
//     A) and read by one reader on B; `pairs`, each room between two people of its own (seeded
//     accounts), the writer on A for half the rooms and on B for the other half, the reader on the
//     other node, as conversations spread over a cluster are;
//  3. one-to-one: a direct conversation (sender on A, the other on B), sequential sends: latency
//     (a direct send also checks that no block stands between the two).
// Needs the PostgreSQL, Redis and NATS the tests use. `bun bench/chat.ts`
import { connect } from 'nats';
import { exampleMessage } from '../protocol/calls/chats.ts';
import { PetAmigosClient } from '../protocol/client.ts';
import { decodeFrame, encodeFrame } from '../protocol/codec.ts';
import { register, startCluster } from '../test/harness/cluster.ts';
import { services } from '../test/harness/services.ts';
import { wsUrl } from '../test/harness/ws.ts';
import { accessTokens, newJwtKeys, seedAccounts } from './accounts.ts';
import { cpuSeconds, percentile, row } from './stats.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
/**
 * Messages of each run with IN_FLIGHT outstanding: enough for a few seconds at the targets' rates
 * (3,000 and 5,000 msgs/s), so that the figure is the steady rate, not the first half-second's.
 */
const CONCURRENT = Number(process.env.BENCH_CONCURRENT_MESSAGES ?? 20_000);
const BUSY_MEMBERS = Number(process.env.BENCH_BUSY_MEMBERS ?? 20);
const QUIET_ROOMS = Number(process.env.BENCH_QUIET_ROOMS ?? 200);
const IN_FLIGHT = 32;
/** Which parts run (BENCH_CHAT_PARTS, comma-separated; all by default), so that a profile can cover one. */
const PARTS = new Set((process.env.BENCH_CHAT_PARTS ?? 'bare,busy,quiet,pairs,direct').split(','));
const JWT_KEYS = newJwtKeys();

const cluster = await startCluster(2, {
  AUTH_JWT_KEYS: JWT_KEYS,
  WS_CALLS_PER_SECOND: '1000000',
  WS_CALL_BURST: '1000000',
  WS_USER_CALLS_PER_SECOND: '1000000',
  CHAT_MESSAGES_PER_MINUTE: '1000000',
  TRUST_PROXY: '127.0.0.1,::1',
});
const { database, name: namespace } = cluster;
const [nodeA, nodeB] = cluster.nodes;
if (nodeA === undefined || nodeB === undefined) throw new Error('nodes did not start');
const nodePids = [nodeA.process.pid, nodeB.process.pid];

const clientOn = async (url: string, token: string) => {
  const client = new PetAmigosClient({ url: wsUrl(url), token: () => token, reconnect: false });
  await client.connect();
  return client;
};

/** Times from send to receipt, by clientId, on the receiving side. */
const sentAt = new Map<string, number>();
const latencies: number[] = [];
const arrivals = new Map<string, (receivedAt: number) => void>();
function onMessage(event: { name: string; body: unknown }) {
  if (event.name !== 'message.new') return;
  const clientId = (event.body as { message: { clientId: string } }).message.clientId;
  const at = performance.now();
  const started = sentAt.get(clientId);
  if (started !== undefined) latencies.push((at - started) * 1000);
  arrivals.get(clientId)?.(at);
}

function summary(count: number, seconds: number, delivered: number) {
  const sorted = latencies.splice(0).sort((a, b) => a - b);
  return {
    'msgs/s': count / seconds,
    'deliveries/s': delivered / seconds,
    'p50 µs': percentile(sorted, 50),
    'p99 µs': percentile(sorted, 99),
  };
}

/**
 * The CPU each node used per message while `work` ran (user + system, from /proc): a figure that
 * moves far less than messages/s when the shared host is busier or quieter from one run to the next.
 */
async function withNodeCpu<T extends { count: number }>(work: () => Promise<T>) {
  const pids = nodePids;
  const before = pids.map(cpuSeconds);
  const result = await work();
  const [a, b] = pids.map((pid, i) => ((cpuSeconds(pid) - (before[i] as number)) * 1e6) / result.count);
  return { result, cpu: { 'node A cpu µs/msg': a as number, 'node B cpu µs/msg': b as number } };
}

/** Sends `count` messages, `inFlight` at a time, and waits until each has reached every follower. */
async function run(count: number, inFlight: number, send: (i: number, clientId: string) => Promise<unknown>, followers: number) {
  sentAt.clear();
  let next = 0;
  let delivered = 0;
  const began = performance.now();
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const clientId = crypto.randomUUID();
      let seen = 0;
      const all = new Promise<void>((resolve) => {
        arrivals.set(clientId, () => {
          delivered++;
          if (++seen === followers) resolve();
        });
      });
      sentAt.set(clientId, performance.now());
      await send(i, clientId);
      const late = setTimeout(() => console.error(`chat: message ${i} reached ${seen} of ${followers} followers after 10 s`), 10_000);
      await all;
      clearTimeout(late);
      arrivals.delete(clientId);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { seconds: (performance.now() - began) / 1000, delivered };
}

const rows: string[] = [];
const clients: PetAmigosClient[] = [];
try {
  // ——— bare NATS pub/sub: the same bytes from one connection to another ———
  let bareSeqSummary: ReturnType<typeof summary> | undefined;
  if (PARTS.has('bare')) {
    const publisher = await connect({ servers: services.natsUrl });
    const subscriber = await connect({ servers: services.natsUrl });
    subscriber.subscribe(`${namespace}.bare`, {
      callback: (_error, message) => {
        const decoded = decodeFrame(message.data) as { body: { message: { clientId: string } } };
        onMessage({ name: 'message.new', body: decoded.body });
      },
    });
    await subscriber.flush();
    const bareSend = async (_i: number, clientId: string) => {
      publisher.publish(
        `${namespace}.bare`,
        encodeFrame({
          type: 'event',
          topic: `room:${exampleMessage.conversationId}`,
          epoch: 'e',
          seq: 1,
          name: 'message.new',
          body: { message: { ...exampleMessage, clientId } },
        }),
      );
    };
    await run(200, 1, bareSend, 1);
    latencies.length = 0;
    console.error('chat: bare NATS');
    const bareSequential = await run(MESSAGES, 1, bareSend, 1);
    bareSeqSummary = summary(MESSAGES, bareSequential.seconds, bareSequential.delivered);
    const bareConcurrent = await run(CONCURRENT * 5, IN_FLIGHT, bareSend, 1);
    rows.push(row('bare NATS pub/sub, sequential', bareSeqSummary));
    rows.push(row(`bare NATS pub/sub, ×${IN_FLIGHT}`, summary(CONCURRENT * 5, bareConcurrent.seconds, bareConcurrent.delivered)));
    await publisher.close();
    await subscriber.close();
  }

  const sender = await register(nodeA);
  const senderClient = await clientOn(nodeA.url, sender.token);
  clients.push(senderClient);

  // ——— one busy room ———
  if (PARTS.has('busy')) {
    const others = [];
    for (let i = 1; i < BUSY_MEMBERS; i++) others.push(await register(nodeB));
    const followerClients = await Promise.all(others.map((user) => clientOn(nodeB.url, user.token)));
    clients.push(...followerClients);
    await Promise.all(followerClients.map((client) => client.call('privacy.update', { messages: 'everyone' })));
    const busy = await senderClient.call('chats.createGroup', { name: 'busy', userIds: others.map((user) => user.id) });
    for (const client of followerClients) client.subscribe(`room:${busy.id}`, onMessage);
    await Bun.sleep(500);
    const busySend = (_i: number, clientId: string) =>
      senderClient.call('chats.send', { conversationId: busy.id, clientId, text: exampleMessage.text });
    console.error('chat: busy room');
    await run(200, 1, busySend, others.length);
    latencies.length = 0;
    const busySequential = await run(MESSAGES, 1, busySend, others.length);
    const busySeqSummary = summary(MESSAGES, busySequential.seconds, busySequential.delivered);
    const busy32 = await withNodeCpu(async () => ({ count: CONCURRENT, ...(await run(CONCURRENT, IN_FLIGHT, busySend, others.length)) }));
    rows.push(row('busy room, sequential', busySeqSummary));
    rows.push(row(`busy room, ×${IN_FLIGHT}`, { ...summary(CONCURRENT, busy32.result.seconds, busy32.result.delivered), ...busy32.cpu }));
    if (bareSeqSummary !== undefined)
      rows.push(
        row('busy room / bare (sequential)', {
          'p50 ×': busySeqSummary['p50 µs'] / bareSeqSummary['p50 µs'],
          'p99 ×': busySeqSummary['p99 µs'] / bareSeqSummary['p99 µs'],
        }),
      );
  }

  const reader = await register(nodeB);
  const readerClient = await clientOn(nodeB.url, reader.token);
  clients.push(readerClient);
  await readerClient.call('privacy.update', { messages: 'everyone' });

  // ——— many quiet rooms ———
  if (PARTS.has('quiet')) {
    const rooms: string[] = [];
    for (let i = 0; i < QUIET_ROOMS; i++)
      rooms.push((await senderClient.call('chats.createGroup', { name: `quiet ${i}`, userIds: [reader.id] })).id);
    // A socket has at most `limits.maxInFlight` requests outstanding, subscriptions included.
    for (let i = 0; i < rooms.length; i += 16) {
      const handles = rooms.slice(i, i + 16).map((room) => readerClient.subscribe(`room:${room}`, onMessage));
      while (handles.some((handle) => handle.state !== 'joined')) await Bun.sleep(10);
    }
    const quietSend = (i: number, clientId: string) =>
      senderClient.call('chats.send', { conversationId: rooms[i % rooms.length] as string, clientId, text: exampleMessage.text });
    console.error('chat: quiet rooms');
    // Every room's actor is activated before measuring.
    await run(QUIET_ROOMS, IN_FLIGHT, quietSend, 1);
    latencies.length = 0;
    const quiet = await withNodeCpu(async () => ({ count: CONCURRENT, ...(await run(CONCURRENT, IN_FLIGHT, quietSend, 1)) }));
    rows.push(
      row(`${QUIET_ROOMS} quiet rooms, ×${IN_FLIGHT}`, {
        ...summary(CONCURRENT, quiet.result.seconds, quiet.result.delivered),
        ...quiet.cpu,
      }),
    );
  }

  // ——— many quiet rooms, each between two people of its own, writers on both nodes ———
  if (PARTS.has('pairs')) {
    const accounts = await seedAccounts(database.url, QUIET_ROOMS * 2);
    const tokenOf = accessTokens(JWT_KEYS);
    const writers: { client: PetAmigosClient; room: string }[] = [];
    for (let i = 0; i < QUIET_ROOMS; i += 20) {
      const opened = await Promise.all(
        Array.from({ length: Math.min(20, QUIET_ROOMS - i) }, async (_, j) => {
          const n = i + j;
          const [writerNode, readerNode] = n % 2 === 0 ? [nodeA, nodeB] : [nodeB, nodeA];
          const [writer, reader] = [accounts[2 * n], accounts[2 * n + 1]] as [(typeof accounts)[0], (typeof accounts)[0]];
          const writerClient = await clientOn(writerNode.url, await tokenOf(writer));
          const readerClient = await clientOn(readerNode.url, await tokenOf(reader));
          clients.push(writerClient, readerClient);
          await readerClient.call('privacy.update', { messages: 'everyone' });
          const room = (await writerClient.call('chats.createGroup', { name: `pair ${n}`, userIds: [reader.id] })).id;
          const handle = readerClient.subscribe(`room:${room}`, onMessage);
          while (handle.state !== 'joined') await Bun.sleep(10);
          return { client: writerClient, room };
        }),
      );
      writers.push(...opened);
    }
    const pairSend = (i: number, clientId: string) => {
      const { client, room } = writers[i % writers.length] as (typeof writers)[0];
      return client.call('chats.send', { conversationId: room, clientId, text: exampleMessage.text });
    };
    console.error('chat: quiet rooms between pairs');
    await run(QUIET_ROOMS, IN_FLIGHT, pairSend, 1);
    latencies.length = 0;
    const pairs = await withNodeCpu(async () => ({ count: CONCURRENT, ...(await run(CONCURRENT, IN_FLIGHT, pairSend, 1)) }));
    rows.push(
      row(`${QUIET_ROOMS} quiet rooms, pairs on both nodes, ×${IN_FLIGHT}`, {
        ...summary(CONCURRENT, pairs.result.seconds, pairs.result.delivered),
        ...pairs.cpu,
      }),
    );
  }

  // ——— one-to-one ———
  if (PARTS.has('direct')) {
    const opened = await senderClient.call('chats.send', { to: reader.id, clientId: crypto.randomUUID(), text: 'hola' });
    const direct = readerClient.subscribe(`room:${opened.conversationId}`, onMessage);
    while (direct.state !== 'joined') await Bun.sleep(10);
    const directSend = (_i: number, clientId: string) =>
      senderClient.call('chats.send', { conversationId: opened.conversationId, clientId, text: exampleMessage.text });
    console.error('chat: one-to-one');
    await run(200, 1, directSend, 1);
    latencies.length = 0;
    const directSequential = await run(MESSAGES, 1, directSend, 1);
    rows.push(row('one-to-one, sequential', summary(MESSAGES, directSequential.seconds, directSequential.delivered)));
  }

  console.log(
    `chat: ${MESSAGES} sequential sends, ${CONCURRENT} with ${IN_FLIGHT} in flight (bare NATS ${CONCURRENT * 5}); busy room of ${BUSY_MEMBERS} (sender on node A, ${BUSY_MEMBERS - 1} followers on node B); ${QUIET_ROOMS} quiet rooms of 2 (one sender for all on A, or a pair of people each)`,
  );
  for (const line of rows) console.log(line);
  for (const client of clients) client.close();
} finally {
  await cluster.stop();
}
