// The gateway's two hot paths, each next to a bare Bun.serve server doing the same work in the
// same run (bench/bare-ws-server.ts), with the ratio printed:
//  1. request/reply over one socket: sequential latency (p50, p99) and throughput with 64 in
//     flight (gateway: the session.get call; bare: decode + encode of the same frames);
//  2. one event fanned out to 1,000 subscribed sockets (gateway: published to the topic log on
//     JetStream, republished to the node, handed to Bun's native publish; bare: a core NATS
//     message handed to the same native publish).
// Needs the PostgreSQL, Redis and NATS the tests use. `bun bench/gateway.ts`
import { connect } from 'nats';
import pino from 'pino';
import { decodeFrame, encodeFrame } from '../protocol/codec.ts';
import { connectJetStreamTopicLog } from '../server/platform/topics/jetstream.ts';
import { apiClient } from '../test/harness/api.ts';
import { spawnNode } from '../test/harness/processes.ts';
import { createTempDir, createTestDatabase, services, uniqueName } from '../test/harness/services.ts';
import { measureConcurrent, measureSequential, percentile, row } from './stats.ts';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const IN_FLIGHT = 64;

interface Socket {
  ws: WebSocket;
  received: number;
}

async function open(url: string, hello?: Record<string, unknown>, onFrame?: (frame: Record<string, unknown>) => void): Promise<Socket> {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const socket: Socket = { ws, received: 0 };
  ws.addEventListener('message', (event) => {
    socket.received++;
    onFrame?.(decodeFrame(new Uint8Array(event.data as ArrayBuffer)) as Record<string, unknown>);
  });
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  if (hello !== undefined) {
    const welcomed = new Promise<void>((resolve) => {
      const listener = (event: MessageEvent) => {
        if ((decodeFrame(new Uint8Array(event.data as ArrayBuffer)) as { type: string }).type === 'welcome') {
          ws.removeEventListener('message', listener);
          resolve();
        }
      };
      ws.addEventListener('message', listener);
    });
    ws.send(encodeFrame(hello));
    await welcomed;
  }
  return socket;
}

/** Calls over one socket: sequential latencies, then throughput with IN_FLIGHT outstanding. */
async function requestReply(url: string, hello: Record<string, unknown> | undefined) {
  const waiting = new Map<number, () => void>();
  const socket = await open(url, hello, (frame) => {
    if (frame.type === 'reply') waiting.get(frame.ref as number)?.();
  });
  let ref = 1;
  const call = () =>
    new Promise<void>((resolve) => {
      const id = ref++;
      waiting.set(id, () => {
        waiting.delete(id);
        resolve();
      });
      socket.ws.send(encodeFrame({ type: 'call', ref: id, op: 'session.get', body: {} }));
    });
  for (let i = 0; i < 500; i++) await call();
  const sequential = await measureSequential(CALLS, call);
  const concurrentRate = await measureConcurrent(CALLS * 4, IN_FLIGHT, call);
  socket.ws.close();
  return { p50: sequential.p50us, p99: sequential.p99us, sequentialRate: sequential.perSecond, concurrentRate };
}

/** Opens SOCKETS sockets, runs `publish(i)` for EVENTS events, and times until every socket has every event. */
async function fanOut(url: string, hello: Record<string, unknown> | undefined, subscribe: boolean, publish: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < SOCKETS; i++) {
    const sampled = i < 10;
    sockets.push(
      await open(url, hello, (frame) => {
        if (sampled && frame.type === 'event') latencies.push(Date.now() - ((frame.body as { at: number }).at ?? 0));
      }),
    );
  }
  if (subscribe) {
    for (const socket of sockets) socket.ws.send(encodeFrame({ type: 'sub', ref: 1, topic: 'system' }));
    await Bun.sleep(1000);
  }
  for (const socket of sockets) socket.received = 0;
  const expected = EVENTS;
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) await publish(i);
  const deadline = Date.now() + 60_000;
  while (sockets.some((socket) => socket.received < expected) && Date.now() < deadline) await Bun.sleep(5);
  const seconds = (performance.now() - started) / 1000;
  const delivered = sockets.reduce((sum, socket) => sum + Math.min(socket.received, expected), 0);
  for (const socket of sockets) socket.ws.close();
  latencies.sort((a, b) => a - b);
  return {
    deliveredPerSecond: delivered / seconds,
    complete: delivered === SOCKETS * EVENTS,
    p50ms: percentile(latencies, 50),
    p99ms: percentile(latencies, 99),
  };
}

const database = await createTestDatabase('bench');
const dataDir = createTempDir('bench');
const namespace = uniqueName('bench');
const node = await spawnNode({
  DATABASE_URL: database.url,
  NATS_URL: services.natsUrl,
  REDIS_URL: services.redisUrl,
  CLUSTER_NAME: namespace,
  DATA_DIR: dataDir.path,
  WS_CALLS_PER_SECOND: '1000000',
  WS_CALL_BURST: '1000000',
  // One account holds every socket of the benchmark.
  WS_SOCKETS_PER_USER: '10000',
  WS_USER_CALLS_PER_SECOND: '1000000',
  WS_PENDING_SOCKETS_PER_ADDRESS: '100000',
});
const bare = Bun.spawn([process.execPath, new URL('./bare-ws-server.ts', import.meta.url).pathname], {
  env: { ...process.env, NATS_URL: services.natsUrl, BARE_SUBJECT: `${namespace}.bare` },
  stdout: 'pipe',
});
const bareLine = (await new Response(bare.stdout).body?.getReader().read())?.value;
const barePort = Number(new TextDecoder().decode(bareLine).match(/listening (\d+)/)?.[1]);
const nc = await connect({ servers: services.natsUrl });
const topics = await connectJetStreamTopicLog({ nc, namespace, retained: 1000, log: pino({ level: 'silent' }) });

try {
  const account = await apiClient(node.url).post<{ accessToken: string }>('/auth/register', {
    email: `${namespace}@example.com`,
    username: namespace.slice(0, 30),
    password: 'Benchmarks are honest 1',
    language: 'en',
  });
  const hello = { type: 'hello', version: 1, token: account.body.accessToken };
  const gatewayUrl = `${node.url.replace('http', 'ws')}/ws`;
  const bareUrl = `ws://127.0.0.1:${barePort}`;

  console.log(
    `gateway: request/reply (${CALLS} sequential, ${CALLS * 4} with ${IN_FLIGHT} in flight) and fan-out of ${EVENTS} events to ${SOCKETS} sockets`,
  );
  const bareCalls = await requestReply(bareUrl, undefined);
  const ourCalls = await requestReply(gatewayUrl, hello);
  console.log(
    row('calls: bare Bun.serve (limit)', {
      'p50 µs': bareCalls.p50,
      'p99 µs': bareCalls.p99,
      'seq/s': bareCalls.sequentialRate,
      [`×${IN_FLIGHT}/s`]: bareCalls.concurrentRate,
    }),
  );
  console.log(
    row('calls: gateway', {
      'p50 µs': ourCalls.p50,
      'p99 µs': ourCalls.p99,
      'seq/s': ourCalls.sequentialRate,
      [`×${IN_FLIGHT}/s`]: ourCalls.concurrentRate,
    }),
  );

  const bareEvent = (i: number) =>
    encodeFrame({
      type: 'event',
      topic: 'system',
      epoch: 'e',
      seq: i + 1,
      name: 'announcement',
      body: { text: `event ${i}`, level: 'info', at: Date.now() },
    });
  const bareFan = await fanOut(bareUrl, undefined, false, async (i) => {
    nc.publish(`${namespace}.bare`, bareEvent(i));
    await nc.flush();
  });
  const ourFan = await fanOut(gatewayUrl, hello, true, async (i) => {
    await topics.publish('system', 'announcement', { text: `event ${i}`, level: 'info', at: Date.now() });
  });
  console.log(
    row('fan-out: bare Bun.serve (limit)', {
      'deliveries/s': bareFan.deliveredPerSecond,
      'p50 ms': bareFan.p50ms,
      'p99 ms': bareFan.p99ms,
      complete: String(bareFan.complete),
    }),
  );
  console.log(
    row('fan-out: gateway', {
      'deliveries/s': ourFan.deliveredPerSecond,
      'p50 ms': ourFan.p50ms,
      'p99 ms': ourFan.p99ms,
      complete: String(ourFan.complete),
    }),
  );
  console.log(
    row('bare / gateway (target ≤ 1.5)', {
      'call p50': ourCalls.p50 / bareCalls.p50,
      [`calls ×${IN_FLIGHT}`]: bareCalls.concurrentRate / ourCalls.concurrentRate,
      'fan-out': bareFan.deliveredPerSecond / ourFan.deliveredPerSecond,
    }),
  );
} finally {
  bare.kill('SIGTERM');
  await node.stop('SIGTERM');
  await (await nc.jetstreamManager()).streams.delete(`${namespace}_TOPICS`);
  await nc.drain();
  await database.drop();
  dataDir.remove();
}
