// Memory per authenticated idle socket on one node, next to a bare Bun.serve holding as many
// sockets in the same run. BENCH_SOCKETS sockets (20,000 by default), each of its own seeded
// account (bench/accounts.ts), do what the web client does when it starts: hello, then follow
// `presence:<id>` and `user:<id>` (client/src/state/store.ts) and `feed:<id>` (the home page).
// The gateway tells each user's actor (presence, session facts, its lease) as it does for every
// socket. Then all stay idle. The bare server (this file run with --bare) subscribes each socket
// to three native topics and nothing else. One server at a time: open every socket, let them
// settle, BENCH_IDLE_SECONDS idle, a full collection (the node's ops `gc` endpoint, OPS_GC=on;
// the bare server's GET /gc), then close them all. Printed for each: RSS growth per socket after
// the collection (VmRSS from /proc, once steady) and before it, the node's JavaScript heap growth
// per socket and where the growth is (the heap's blocks, mimalloc's allocations and what it holds:
// the gc answer), sockets opened per second and CPU used while idle; then the ratio, the target
// (≤ 10 KB per socket on the node, issue 17), the live objects each socket added by type, and the
// node's warnings and errors, counted by message.
//
// File descriptors: the node (or bare server) and this process each hold BENCH_SOCKETS sockets,
// one server at a time. The benchmark raises their limits itself with `prlimit --pid` (util-linux);
// above the hard limit that needs CAP_SYS_RESOURCE. Where it cannot (a container without that
// capability), it measures with as many sockets as the hard limit leaves room for and says so.
// Ephemeral ports 32768–60999 are enough for 20,000 to each of the two server ports.
//
// Needs the PostgreSQL, Redis and NATS the tests use. `bun bench/sockets.ts`
import { readFileSync } from 'node:fs';
import { connect } from 'nats';
import { decodeFrame, encodeFrame } from '../protocol/codec.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import type { GcStatus, NodeStatus } from '../server/ops/service.ts';
import { spawnNode } from '../test/harness/processes.ts';
import { createTempDir, createTestDatabase, dropNamespaceStreams, services, uniqueName } from '../test/harness/services.ts';
import { accessTokens, newJwtKeys, seedAccounts } from './accounts.ts';
import { cpuSeconds, objectsGained, row } from './stats.ts';

const WANTED = Number(process.env.BENCH_SOCKETS ?? 20_000);
/** Sockets opening at once. */
const OPENING = Number(process.env.BENCH_OPENING ?? 100);
/** Sockets opened and closed first, so the "before" figures include warmed-up code and pools. */
const WARM_UP = 200;
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
/** File descriptors a process needs beside its sockets (services, pipes, files). */
const SPARE_FILES = 512;
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

/** Raises the process's open-file limit to `files`; returns the soft limit it has after. */
function raiseFileLimit(pid: number, files: number): number {
  Bun.spawnSync(['prlimit', `--pid=${pid}`, `--nofile=${files}:${files}`], { stderr: 'pipe' });
  const limit = readFileSync(`/proc/${pid}/limits`, 'utf8').match(/^Max open files\s+(\d+)\s+(\d+)/m);
  const [soft, hard] = [Number(limit?.[1]), Number(limit?.[2])];
  if (soft >= files) return soft;
  // Above the hard limit needs CAP_SYS_RESOURCE: take the hard limit at least.
  Bun.spawnSync(['prlimit', `--pid=${pid}`, `--nofile=${hard}:${hard}`], { stderr: 'pipe' });
  return hard;
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  if (line === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(line[1]);
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

interface Phase {
  /** RSS growth per socket after a full collection, and before it (KB). */
  kb: number;
  kbBeforeGc: number;
  heapKb: number | undefined;
  /** Where the node's growth per socket is, after the collection (KB): JavaScript heap blocks, native allocations, native memory held. */
  heapCapacityKb: number | undefined;
  mallocKb: number | undefined;
  mallocCommittedKb: number | undefined;
  /** The live objects each socket added, by type, most first. */
  objectsPerSocket: [string, number][];
  rssMb: string;
  openedPerSecond: number;
  idleCpu: number;
  open: number;
}

/**
 * Opens `count` sockets with `open` to the server process `pid`, lets them settle and idle, and
 * measures; `collect` makes the server run a full collection and returns its memory, if known.
 */
async function phase(
  pid: number,
  count: number,
  open: (i: number) => Promise<Client>,
  collect: () => Promise<GcStatus | undefined>,
  settled: () => Promise<void>,
): Promise<Phase> {
  const heapBefore = await collect();
  const before = await settledRss(pid);
  const started = performance.now();
  const clients = await openAll(count, open);
  const openSeconds = (performance.now() - started) / 1000;
  await settled();
  const beforeGc = await settledRss(pid);
  const cpuBefore = cpuSeconds(pid);
  await Bun.sleep(IDLE_SECONDS * 1000);
  const idleCpu = ((cpuSeconds(pid) - cpuBefore) / IDLE_SECONDS) * 100;
  const heapAfter = await collect();
  const after = await settledRss(pid);
  const stillOpen = clients.filter((client) => client.closed === undefined).length;
  for (const client of clients) client.ws.close();
  // Their descriptors are free again before the next phase opens as many.
  const deadline = Date.now() + 60_000;
  while (clients.some((client) => client.closed === undefined) && Date.now() < deadline) await Bun.sleep(100);
  const perSocket = (field: 'heapBytes' | 'heapCapacityBytes' | 'mallocBytes' | 'mallocCommittedBytes') =>
    heapBefore === undefined || heapAfter === undefined ? undefined : (heapAfter[field] - heapBefore[field]) / 1024 / count;
  return {
    kb: (after - before) / count,
    kbBeforeGc: (beforeGc - before) / count,
    heapKb: perSocket('heapBytes'),
    heapCapacityKb: perSocket('heapCapacityBytes'),
    mallocKb: perSocket('mallocBytes'),
    mallocCommittedKb: perSocket('mallocCommittedBytes'),
    objectsPerSocket:
      heapBefore === undefined || heapAfter === undefined
        ? []
        : objectsGained(heapBefore.objectTypes, heapAfter.objectTypes)
            .map(([type, gained]): [string, number] => [type, gained / count])
            .filter(([, n]) => n >= 0.5),
    rssMb: `${(before / 1024).toFixed(0)}→${(after / 1024).toFixed(0)}`,
    openedPerSecond: count / openSeconds,
    idleCpu,
    open: stillOpen,
  };
}

async function main() {
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
    // Passed on to measure with longer leases (fewer renewals): 20,000 user actors renew 6,000
    // times a second at the default 10 s.
    ...(process.env.ACTOR_LEASE_TTL_MS === undefined ? {} : { ACTOR_LEASE_TTL_MS: process.env.ACTOR_LEASE_TTL_MS }),
  });
  const bare = Bun.spawn([process.execPath, import.meta.path, '--bare'], { stdout: 'pipe', stderr: 'inherit' });
  const bareLine = (await new Response(bare.stdout).body?.getReader().read())?.value;
  const barePort = Number(new TextDecoder().decode(bareLine).match(/listening (\d+)/)?.[1]);
  const files = Math.min(...[process.pid, node.process.pid, bare.pid].map((pid) => raiseFileLimit(pid, WANTED + SPARE_FILES)));
  const sockets = Math.min(WANTED, files - SPARE_FILES);
  if (sockets < WANTED)
    console.log(`open files are limited to ${files} here (no CAP_SYS_RESOURCE to raise it): measuring ${sockets} sockets, not ${WANTED}`);
  const nc = await connect({ servers: services.natsUrl });
  const ops = async (endpoint: 'status' | 'gc') =>
    JSON.parse(
      new TextDecoder().decode((await nc.request(`${namespace}.ops.${endpoint}.${nodeId}`, undefined, { timeout: 30_000 })).data),
    ) as NodeStatus;
  const status = () => ops('status');
  const gatewayUrl = `${node.url.replace(/^http/, 'ws')}/ws`;
  const bareUrl = `ws://127.0.0.1:${barePort}/`;

  try {
    const started = performance.now();
    const accounts = await seedAccounts(database.url, sockets + WARM_UP);
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
    const warm = await Promise.all([openAll(WARM_UP, (i) => toGateway(sockets + i)), openAll(WARM_UP, (i) => toBare(sockets + i))]);
    for (const client of warm.flat()) client.ws.close();
    await Bun.sleep(2000);
    const warmActors = (await status()).actors.user ?? 0;
    let withSockets: NodeStatus | undefined;

    const gateway = await phase(
      node.process.pid,
      sockets,
      toGateway,
      () => ops('gc') as Promise<GcStatus>,
      async () => {
        // Every user actor is active (activation gathers sockets for 250 ms, then publishes presence).
        const deadline = Date.now() + 120_000;
        while (((await status()).actors.user ?? 0) < warmActors + sockets && Date.now() < deadline) await Bun.sleep(500);
        withSockets = await status();
      },
    );
    const baseline = await phase(
      bare.pid,
      sockets,
      toBare,
      async () => {
        await fetch(`http://127.0.0.1:${barePort}/gc`);
        return undefined;
      },
      async () => undefined,
    );
    const figures = (measured: Phase) => ({
      'KB/socket': measured.kb,
      'before GC': measured.kbBeforeGc,
      ...(measured.heapKb === undefined
        ? {}
        : {
            'heap KB/socket': measured.heapKb,
            'heap blocks KB': measured.heapCapacityKb,
            'malloc KB': measured.mallocKb,
            'malloc held KB': measured.mallocCommittedKb,
          }),
      'RSS MB': measured.rssMb,
      'opened/s': measured.openedPerSecond,
      'idle CPU %': measured.idleCpu,
      open: measured.open,
    });
    console.log(row(`gateway: ${sockets} idle sockets`, figures(gateway)));
    console.log(row(`bare Bun.serve: ${sockets} sockets`, figures(baseline)));
    console.log(
      row('gateway / bare', { 'memory ratio': gateway.kb / baseline.kb, 'target KB/socket': 10, met: gateway.kb <= 10 ? 'yes' : 'no' }),
    );
    console.log(`gateway: live objects per socket: ${gateway.objectsPerSocket.map(([type, n]) => `${type} ${n.toFixed(1)}`).join(', ')}`);
    console.log(
      row('node with the sockets open', {
        sockets: withSockets?.sockets ?? 0,
        'followed topics': withSockets?.followedTopics ?? 0,
        'user actors': withSockets?.actors.user ?? 0,
      }),
    );
    // What went wrong on the node, if anything: warnings and errors by message.
    const problems = new Map<string, number>();
    for (const line of node.logs) {
      if (line.level < 40) continue;
      const what = line.msg.replace(/ \[.*$/, '');
      problems.set(what, (problems.get(what) ?? 0) + 1);
    }
    for (const [what, count] of problems) console.log(row(`node log: ${what}`, { lines: count }));
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
