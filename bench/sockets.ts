// Memory per authenticated idle socket on one node, next to a bare Bun.serve holding as many
// sockets in the same run. BENCH_SOCKETS sockets (20,000 by default), each of its own seeded
// account (bench/accounts.ts), do what the web client does when it starts: hello, then follow
// `presence:<id>` and `user:<id>` (client/src/state/store.ts) and `feed:<id>` (the home page).
// The gateway tells each user's actor (presence, session facts, its lease) as it does for every
// socket. Then all stay idle. The bare server (this file run with --bare) subscribes each socket
// to three native topics and nothing else. Printed: RSS growth per socket of each (VmRSS from
// /proc, after the sockets settle), the node's JavaScript heap growth per socket (from its ops
// status), the ratio, and both processes' CPU use while idle. Target: ≤ 10 KB per socket on the
// node (issue 17).
//
// File descriptors: the node, the bare server and this process each hold BENCH_SOCKETS sockets;
// the benchmark raises their limits itself with `prlimit --pid` (util-linux; raising the hard
// limit needs root or CAP_SYS_RESOURCE, as on the CI machines). Ephemeral ports 32768–60999 are
// enough for 20,000 to each of the two server ports.
//
// Needs the PostgreSQL, Redis and NATS the tests use. `bun bench/sockets.ts`
import { readFileSync } from 'node:fs';
import { connect } from 'nats';
import { decodeFrame, encodeFrame } from '../protocol/codec.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import type { NodeStatus } from '../server/ops/service.ts';
import { spawnNode } from '../test/harness/processes.ts';
import { createTempDir, createTestDatabase, dropNamespaceStreams, services, uniqueName } from '../test/harness/services.ts';
import { accessTokens, newJwtKeys, seedAccounts } from './accounts.ts';
import { row } from './stats.ts';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 20_000);
/** Sockets opening at once. */
const OPENING = Number(process.env.BENCH_OPENING ?? 100);
/** Sockets opened and closed first, so the "before" figures include warmed-up code and pools. */
const WARM_UP = 200;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const FILES = SOCKETS + 4096;
const topicsOf = (id: string) => [`presence:${id}`, `user:${id}`, `feed:${id}`];

if (process.argv.includes('--bare')) await bareServer();
else await main();

/** The baseline: Bun.serve; each socket subscribes to its three native topics and is told so. */
async function bareServer() {
  const server = Bun.serve<{ id: string }, never>({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request, bun) {
      if (new URL(request.url).pathname === '/gc') {
        Bun.gc(true);
        return new Response('collected');
      }
      const id = new URL(request.url).searchParams.get('id') ?? '';
      return bun.upgrade(request, { data: { id } }) ? undefined : new Response('upgrade', { status: 426 });
    },
    websocket: {
      perMessageDeflate: false,
      open(ws) {
        for (const topic of topicsOf(ws.data.id)) ws.subscribe(topic);
        ws.send(encodeFrame({ type: 'welcome' }));
      },
      message() {},
    },
  });
  process.stdout.write(`listening ${server.port}\n`);
  process.on('SIGTERM', () => {
    server.stop(true);
    process.exit(0);
  });
}

function raiseFileLimit(pid: number) {
  const result = Bun.spawnSync(['prlimit', `--pid=${pid}`, `--nofile=${FILES}:${FILES}`], { stderr: 'pipe' });
  if (result.exitCode !== 0)
    throw new Error(`prlimit --pid=${pid} --nofile=${FILES}:${FILES} failed (root or CAP_SYS_RESOURCE needed): ${result.stderr}`);
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  if (line === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(line[1]);
}

/** User + system CPU seconds the process has used. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Samples RSS every second until two samples 3 s apart differ by under 0.5%, or 60 s pass. */
async function settledRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 60; i++) {
    samples.push(rssKb(pid));
    const earlier = samples.at(-4);
    const now = samples.at(-1) as number;
    if (earlier !== undefined && Math.abs(now - earlier) / earlier < 0.005) return now;
    await Bun.sleep(1000);
  }
  return samples.at(-1) as number;
}

interface Client {
  ws: WebSocket;
  closed?: number;
}

/** Opens a socket and resolves once `ready` has seen as many frames as it wants. */
function openSocket(
  url: string,
  onOpen: (ws: WebSocket) => void,
  ready: (ws: WebSocket, frame: { type: string }) => boolean,
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const client: Client = { ws };
    const onMessage = (event: MessageEvent) => {
      const frame = decodeFrame(new Uint8Array(event.data as ArrayBuffer)) as { type: string };
      if (frame.type === 'error') reject(new Error(`error frame: ${JSON.stringify(frame)}`));
      else if (ready(ws, frame)) {
        ws.removeEventListener('message', onMessage);
        resolve(client);
      }
    };
    ws.addEventListener('message', onMessage);
    ws.addEventListener('open', () => onOpen(ws), { once: true });
    ws.addEventListener('error', () => reject(new Error(`socket to ${url} failed`)), { once: true });
    ws.addEventListener('close', (event) => {
      client.closed = event.code;
      reject(new Error(`socket to ${url} closed: ${event.code} ${event.reason}`));
    });
  });
}

async function openAll(count: number, open: (i: number) => Promise<Client>): Promise<Client[]> {
  const clients: Client[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) clients.push(await open(next++));
  };
  await Promise.all(Array.from({ length: OPENING }, lane));
  return clients;
}

async function main() {
  raiseFileLimit(process.pid);
  const database = await createTestDatabase('sockets');
  const dataDir = createTempDir('sockets');
  const namespace = uniqueName('sockets');
  const jwtKeys = newJwtKeys();
  const nodeId = 'sockets-node';
  const node = await spawnNode({
    DATABASE_URL: database.url,
    NATS_URL: services.natsUrl,
    REDIS_URL: services.redisUrl,
    CLUSTER_NAME: namespace,
    NODE_ID: nodeId,
    DATA_DIR: dataDir.path,
    AUTH_JWT_KEYS: jwtKeys,
    // The ops service's gc endpoint, for the figures after a full collection.
    OPS_GC: 'on',
    // Every socket comes from 127.0.0.1.
    WS_PENDING_SOCKETS_PER_ADDRESS: String(OPENING * 2),
  });
  const bare = Bun.spawn([process.execPath, import.meta.path, '--bare'], { stdout: 'pipe', stderr: 'inherit' });
  const bareLine = (await new Response(bare.stdout).body?.getReader().read())?.value;
  const barePort = Number(new TextDecoder().decode(bareLine).match(/listening (\d+)/)?.[1]);
  raiseFileLimit(node.process.pid);
  raiseFileLimit(bare.pid);
  const nc = await connect({ servers: services.natsUrl });
  const ops = async (endpoint: 'status' | 'gc') =>
    JSON.parse(
      new TextDecoder().decode((await nc.request(`${namespace}.ops.${endpoint}.${nodeId}`, undefined, { timeout: 30_000 })).data),
    ) as NodeStatus;
  const status = () => ops('status');
  const gatewayUrl = `${node.url.replace(/^http/, 'ws')}/ws`;
  const bareUrl = `ws://127.0.0.1:${barePort}/`;
  /** Both processes' RSS (settled) and the node's heap, after a full collection in each. */
  const collected = async () => {
    const heap = (await ops('gc')).heapBytes;
    await fetch(`http://127.0.0.1:${barePort}/gc`);
    return { node: await settledRss(node.process.pid), bare: await settledRss(bare.pid), heap };
  };

  try {
    let started = performance.now();
    const accounts = await seedAccounts(database.url, SOCKETS + WARM_UP);
    const sign = accessTokens(jwtKeys);
    const tokens = await Promise.all(accounts.map((account) => sign(account)));
    console.log(`seeded ${accounts.length} accounts and signed their tokens in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const toGateway = (i: number) => {
      const account = accounts[i] as (typeof accounts)[number];
      let replies = 0;
      return openSocket(
        gatewayUrl,
        (ws) => ws.send(encodeFrame({ type: 'hello', version: PROTOCOL_VERSION, token: tokens[i] as string, client: 'bench-sockets' })),
        (ws, frame) => {
          if (frame.type === 'welcome')
            for (const [index, topic] of topicsOf(account.id).entries()) ws.send(encodeFrame({ type: 'sub', ref: index + 1, topic }));
          return frame.type === 'reply' && ++replies === 3;
        },
      );
    };
    const toBare = (i: number) =>
      openSocket(
        `${bareUrl}?id=${(accounts[i] as (typeof accounts)[number]).id}`,
        () => undefined,
        (_ws, frame) => frame.type === 'welcome',
      );

    // Warm-up: code paths compiled, pools and caches filled, then closed again.
    const warm = await Promise.all([openAll(WARM_UP, (i) => toGateway(SOCKETS + i)), openAll(WARM_UP, (i) => toBare(SOCKETS + i))]);
    for (const client of warm.flat()) client.ws.close();
    await Bun.sleep(2000);
    const before = await collected();
    const warmActors = (await status()).actors.user ?? 0;

    started = performance.now();
    const gatewayClients = await openAll(SOCKETS, toGateway);
    const openSeconds = (performance.now() - started) / 1000;
    // Every user actor is active (activation gathers sockets for 250 ms, then publishes presence).
    const deadline = Date.now() + 120_000;
    while (((await status()).actors.user ?? 0) < warmActors + SOCKETS && Date.now() < deadline) await Bun.sleep(500);
    const nodeOpen = await settledRss(node.process.pid);

    started = performance.now();
    const bareClients = await openAll(SOCKETS, toBare);
    const bareOpenSeconds = (performance.now() - started) / 1000;
    const bareOpen = await settledRss(bare.pid);

    // Both idle: the CPU each uses over IDLE_SECONDS.
    const cpuBefore = { node: cpuSeconds(node.process.pid), bare: cpuSeconds(bare.pid) };
    await Bun.sleep(IDLE_SECONDS * 1000);
    const idleCpu = {
      node: ((cpuSeconds(node.process.pid) - cpuBefore.node) / IDLE_SECONDS) * 100,
      bare: ((cpuSeconds(bare.pid) - cpuBefore.bare) / IDLE_SECONDS) * 100,
    };
    const after = await collected();
    const afterStatus = await status();
    const perSocket = (kb: number) => kb / SOCKETS;
    const nodeKb = perSocket(after.node - before.node);
    const bareKb = perSocket(after.bare - before.bare);
    console.log(
      row(`gateway: ${SOCKETS} idle sockets`, {
        'KB/socket': nodeKb,
        'before GC': perSocket(nodeOpen - before.node),
        'heap KB/socket': perSocket((after.heap - before.heap) / 1024),
        'RSS MB': `${(before.node / 1024).toFixed(0)}→${(after.node / 1024).toFixed(0)}`,
        'opened/s': SOCKETS / openSeconds,
        'idle CPU %': idleCpu.node,
        open: gatewayClients.filter((client) => client.closed === undefined).length,
      }),
    );
    console.log(
      row(`bare Bun.serve: ${SOCKETS} sockets`, {
        'KB/socket': bareKb,
        'before GC': perSocket(bareOpen - before.bare),
        'RSS MB': `${(before.bare / 1024).toFixed(0)}→${(after.bare / 1024).toFixed(0)}`,
        'opened/s': SOCKETS / bareOpenSeconds,
        'idle CPU %': idleCpu.bare,
        open: bareClients.filter((client) => client.closed === undefined).length,
      }),
    );
    console.log(row('gateway / bare', { 'memory ratio': nodeKb / bareKb, 'target KB/socket': 10, met: nodeKb <= 10 ? 'yes' : 'no' }));
    console.log(
      row('node status', {
        sockets: afterStatus.sockets,
        'followed topics': afterStatus.followedTopics,
        'user actors': afterStatus.actors.user ?? 0,
      }),
    );
    for (const client of [...gatewayClients, ...bareClients]) client.ws.close();
  } finally {
    await nc.close();
    await node.stop();
    bare.kill('SIGTERM');
    await bare.exited;
    await database.drop();
    await dropNamespaceStreams(namespace);
    dataDir.remove();
  }
}
