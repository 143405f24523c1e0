// The gateway's two hot paths, each next to a bare Bun.serve server doing the same work in the
// same run (bench/bare-ws-server.ts), with the ratio printed:
//  1. request/reply over one socket: sequential latency (p50, p99; bare and gateway calls taken
//     alternately, so both see the same moments of the host) and throughput with 64 in flight
//     (gateway: the session.get call; bare: decode + encode of the same frames);
//  2. one event fanned out to 1,000 subscribed sockets (gateway: published to the topic log on
//     JetStream, republished to the node, handed to Bun's native publish; bare: a core NATS
//     message handed to the same native publish). Both sides publish alike, each event awaited
//     before the next (a topic's publishes are sequential by design: each is a compare-and-set
//     on the topic's last seq), from this process, while the 1,000 receiving sockets live in a
//     process of their own: with them in this process, each ack waited behind ~1,000 message
//     events, which throttled the gateway side only (its ack is a JetStream round trip).
// Needs the PostgreSQL, Redis and NATS the tests use. `bun bench/gateway.ts`
import { connect } from 'nats';
import pino from 'pino';
import { decodeFrame, encodeFrame } from '../protocol/codec.ts';
import { connectJetStreamTopicLog } from '../server/platform/topics/jetstream.ts';
import { apiClient } from '../test/harness/api.ts';
import { spawnNode } from '../test/harness/processes.ts';
import { createTempDir, createTestDatabase, services, uniqueName } from '../test/harness/services.ts';
import { measureConcurrent, percentile, row } from './stats.ts';

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
/** A socket that makes session.get calls, one promise per call. */
async function caller(url: string, hello: Record<string, unknown> | undefined) {
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
  return { call, close: () => socket.ws.close() };
}

/**
 * Calls over one socket to each server. Sequential latencies are taken alternately, one bare call
 * then one gateway call, so that both see the same moments of a shared host (a round trip between
 * two processes moves by tens of µs with the host's load); then throughput with IN_FLIGHT
 * outstanding, one server after the other.
 */
async function requestReply(bareUrl: string, gatewayUrl: string, hello: Record<string, unknown>) {
  const [bare, gateway] = [await caller(bareUrl, undefined), await caller(gatewayUrl, hello)];
  for (let i = 0; i < 500; i++) {
    await bare.call();
    await gateway.call();
  }
  const samples: [number[], number[]] = [[], []];
  const spent = [0, 0];
  for (let i = 0; i < CALLS; i++) {
    for (const [side, target] of [bare, gateway].entries()) {
      const t0 = performance.now();
      await target.call();
      const took = performance.now() - t0;
      (samples[side] as number[]).push(took * 1000);
      spent[side] = (spent[side] as number) + took;
    }
  }
  const summary = (side: 0 | 1, concurrentRate: number) => {
    const sorted = samples[side].sort((a, b) => a - b);
    return {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      sequentialRate: CALLS / ((spent[side] as number) / 1000),
      concurrentRate,
    };
  };
  const bareRate = await measureConcurrent(CALLS * 4, IN_FLIGHT, bare.call);
  const gatewayRate = await measureConcurrent(CALLS * 4, IN_FLIGHT, gateway.call);
  bare.close();
  gateway.close();
  return { bare: summary(0, bareRate), ours: summary(1, gatewayRate) };
}

interface Receipt {
  delivered: number;
  /** performance.timeOrigin + performance.now() when the last socket got its last event. */
  doneAt: number;
  p50ms: number;
  p99ms: number;
}

/**
 * The receiving side of a fan-out, run in a process of its own (`bun bench/gateway.ts receivers`)
 * so that the publisher's acks never wait behind the receivers' message events: opens SOCKETS
 * sockets to BENCH_RECEIVE_URL (saying BENCH_RECEIVE_HELLO and following `system` when given),
 * writes `ready`, and once every socket has EVENTS events (or after 60 s) writes its receipt.
 */
async function receive(): Promise<void> {
  const url = process.env.BENCH_RECEIVE_URL as string;
  const hello =
    process.env.BENCH_RECEIVE_HELLO === undefined ? undefined : (JSON.parse(process.env.BENCH_RECEIVE_HELLO) as Record<string, unknown>);
  const latencies: number[] = [];
  const sockets: Socket[] = [];
  let counting = false;
  let complete = 0;
  let doneAt = 0;
  let finished: () => void = () => undefined;
  const allIn = new Promise<void>((resolve) => {
    finished = resolve;
  });
  for (let i = 0; i < SOCKETS; i++) {
    const sampled = i < 10;
    const socket: Socket = await open(url, hello, (frame) => {
      if (!counting || frame.type !== 'event') return;
      if (sampled) latencies.push(Date.now() - ((frame.body as { at: number }).at ?? 0));
      if (socket.received === EVENTS && ++complete === SOCKETS) {
        doneAt = performance.timeOrigin + performance.now();
        finished();
      }
    });
    sockets.push(socket);
  }
  if (hello !== undefined) {
    for (const socket of sockets) socket.ws.send(encodeFrame({ type: 'sub', ref: 1, topic: 'system' }));
    await Bun.sleep(1000);
  }
  for (const socket of sockets) socket.received = 0;
  counting = true;
  process.stdout.write('ready\n');
  await Promise.race([allIn, Bun.sleep(60_000)]);
  if (doneAt === 0) doneAt = performance.timeOrigin + performance.now();
  const delivered = sockets.reduce((sum, socket) => sum + Math.min(socket.received, EVENTS), 0);
  latencies.sort((a, b) => a - b);
  const receipt: Receipt = { delivered, doneAt, p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99) };
  process.stdout.write(`${JSON.stringify(receipt)}\n`);
  for (const socket of sockets) socket.ws.close();
}

/**
 * Starts a receivers process on `url`, then runs `publish(i)` for EVENTS events, one after the
 * other, each awaited (a topic's publishes are sequential by design), and times from the first
 * publish until every socket has every event.
 */
async function fanOut(url: string, hello: Record<string, unknown> | undefined, publish: (i: number) => Promise<void>) {
  const child = Bun.spawn([process.execPath, new URL(import.meta.url).pathname, 'receivers'], {
    env: { ...process.env, BENCH_RECEIVE_URL: url, ...(hello === undefined ? {} : { BENCH_RECEIVE_HELLO: JSON.stringify(hello) }) },
    stdout: 'pipe',
  });
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  const nextLine = async (): Promise<string> => {
    while (!buffered.includes('\n')) {
      const { value, done } = await lines.read();
      if (done) throw new Error('bench/gateway.ts: the receivers process ended early');
      buffered += value;
    }
    const line = buffered.slice(0, buffered.indexOf('\n'));
    buffered = buffered.slice(line.length + 1);
    return line;
  };
  if ((await nextLine()) !== 'ready') throw new Error('bench/gateway.ts: the receivers process did not get ready');
  const publishes: number[] = [];
  const started = performance.timeOrigin + performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const t0 = performance.now();
    await publish(i);
    publishes.push(performance.now() - t0);
  }
  const receipt = JSON.parse(await nextLine()) as Receipt;
  await child.exited;
  publishes.sort((a, b) => a - b);
  return {
    deliveredPerSecond: receipt.delivered / ((receipt.doneAt - started) / 1000),
    complete: receipt.delivered === SOCKETS * EVENTS,
    p50ms: receipt.p50ms,
    p99ms: receipt.p99ms,
    publishP50ms: percentile(publishes, 50),
  };
}

/** Both sides' calls, then both sides' fan-out, and the ratios. */
async function main(): Promise<void> {
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
    const { bare: bareCalls, ours: ourCalls } = await requestReply(bareUrl, gatewayUrl, hello);
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
    const bareFan = await fanOut(bareUrl, undefined, async (i) => {
      nc.publish(`${namespace}.bare`, bareEvent(i));
      await nc.flush();
    });
    const ourFan = await fanOut(gatewayUrl, hello, async (i) => {
      await topics.publish('system', 'announcement', { text: `event ${i}`, level: 'info', at: Date.now() });
    });
    console.log(
      row('fan-out: bare Bun.serve (limit)', {
        'deliveries/s': bareFan.deliveredPerSecond,
        'p50 ms': bareFan.p50ms,
        'p99 ms': bareFan.p99ms,
        'publish p50 ms': bareFan.publishP50ms,
        complete: String(bareFan.complete),
      }),
    );
    console.log(
      row('fan-out: gateway', {
        'deliveries/s': ourFan.deliveredPerSecond,
        'p50 ms': ourFan.p50ms,
        'p99 ms': ourFan.p99ms,
        'publish p50 ms': ourFan.publishP50ms,
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
}

if (process.argv[2] === 'receivers') await receive();
else await main();
