// The actor runtime's hot paths, each next to its baseline in the same run:
//  1. cross-node ask (node A asks an actor hosted on node B, two NATS connections) next to a bare
//     NATS request/reply between two connections doing the same work (decode the request, encode
//     a reply): latency p50/p99 and throughput with 64 in flight;
//  2. activations per second (lease claim in JetStream KV + factory), sequential and 32 at once;
//  3. memory per idle actor (10,000 activations of a small actor, RSS and heap growth after GC).
// Needs the NATS server the tests use. `bun bench/actors.ts`
import { connect } from 'nats';
import pino from 'pino';
import { createMemoryLeases, openJetStreamLeases } from '../actors/leases.ts';
import { ActorSystem, rendezvous } from '../actors/system.ts';
import { type ActorKind, reply } from '../actors/types.ts';
import { connectMemoryBus } from '../server/platform/bus/memory.ts';
import { connectNatsBus } from '../server/platform/bus/nats.ts';
import { dropNamespaceStreams, services, uniqueName } from '../test/harness/services.ts';
import { measureConcurrent, measureSequential, row } from './stats.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const ACTIVATIONS = Number(process.env.BENCH_ACTIVATIONS ?? 1000);
const IDLE_ACTORS = Number(process.env.BENCH_IDLE_ACTORS ?? 10_000);
const IN_FLIGHT = 64;
const log = pino({ level: 'silent' });
const payload = { op: 'echo', text: 'x'.repeat(150) };

// A small actor: a counter of handled messages as its state, the message as its reply.
const echo: ActorKind = {
  name: 'echo',
  async create() {
    const state = { handled: 0 };
    return {
      handle(message) {
        state.handled++;
        return reply(message);
      },
    };
  },
};

async function node(namespace: string, id: string) {
  const bus = await connectNatsBus({ servers: services.natsUrl, name: id, log });
  const leases = await openJetStreamLeases(bus.natsConnection as NonNullable<typeof bus.natsConnection>, namespace);
  const system = await ActorSystem.start({ bus, leases, node: id, namespace, log, kinds: [echo], heartbeatMs: 200 });
  return { bus, system };
}

const namespace = uniqueName('bench_actors');
const a = await node(namespace, 'A');
const b = await node(namespace, 'B');
await Bun.sleep(800);
try {
  // An actor that rendezvous places on B, asked from A.
  let id = 0;
  while (rendezvous(`echo.${id}`, ['A', 'B']) !== 'B') id++;
  const target = String(id);
  for (let i = 0; i < 500; i++) await a.system.ask('echo', target, payload);

  const bare = await connect({ servers: services.natsUrl });
  const responder = await connect({ servers: services.natsUrl });
  const { decodeFrame, encodeFrame } = await import('../protocol/codec.ts');
  // The same work as an ask: the request is decoded to be handled, and the reply encoded.
  responder.subscribe(`${namespace}.bare.echo`, {
    callback: (_error, message) => message.respond(encodeFrame({ ok: true, value: decodeFrame(message.data) })),
  });
  await responder.flush();
  const bytes = encodeFrame(payload);
  for (let i = 0; i < 500; i++) await bare.request(`${namespace}.bare.echo`, bytes);

  console.log(
    `actors: ${CALLS} sequential asks, ${CALLS * 4} with ${IN_FLIGHT} in flight, ${ACTIVATIONS} activations, ${IDLE_ACTORS} idle actors`,
  );
  const bareSeq = await measureSequential(CALLS, () => bare.request(`${namespace}.bare.echo`, bytes));
  const askSeq = await measureSequential(CALLS, () => a.system.ask('echo', target, payload));
  const bareRate = await measureConcurrent(CALLS * 4, IN_FLIGHT, () => bare.request(`${namespace}.bare.echo`, bytes));
  const askRate = await measureConcurrent(CALLS * 4, IN_FLIGHT, () => a.system.ask('echo', target, payload));
  console.log(
    row('request/reply: bare NATS (baseline)', {
      'p50 µs': bareSeq.p50us,
      'p99 µs': bareSeq.p99us,
      'seq/s': bareSeq.perSecond,
      [`×${IN_FLIGHT}/s`]: bareRate,
    }),
  );
  console.log(
    row('ask across nodes', { 'p50 µs': askSeq.p50us, 'p99 µs': askSeq.p99us, 'seq/s': askSeq.perSecond, [`×${IN_FLIGHT}/s`]: askRate }),
  );
  console.log(row('ask / bare (target ≤ 2)', { 'p50 ratio': askSeq.p50us / bareSeq.p50us, 'throughput ratio': bareRate / askRate }));
  await bare.close();
  await responder.close();

  let next = 0;
  const sequential = await measureSequential(ACTIVATIONS, () => b.system.ask('echo', `act-${next++}`, payload));
  const concurrent = await measureConcurrent(ACTIVATIONS, 32, () => b.system.ask('echo', `act-${next++}`, payload));
  console.log(row('activations (KV lease + factory)', { 'seq/s': sequential.perSecond, 'p50 µs': sequential.p50us, '×32/s': concurrent }));
} finally {
  await a.system.stop();
  await b.system.stop();
  await a.bus.close();
  await b.bus.close();
  await dropNamespaceStreams(namespace);
}

// Memory per idle actor, on the in-process bus and memory leases so only actors are counted.
const local = await ActorSystem.start({
  bus: connectMemoryBus(),
  leases: createMemoryLeases(),
  node: 'M',
  namespace: 'mem',
  log,
  kinds: [echo],
});
Bun.gc(true);
const before = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
for (let i = 0; i < IDLE_ACTORS; i++) await local.ask('echo', `idle-${i}`, { op: 'hi' });
Bun.gc(true);
const after = { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
console.log(
  row(`memory per idle actor (${IDLE_ACTORS})`, {
    'heap bytes': (after.heap - before.heap) / IDLE_ACTORS,
    'rss bytes': (after.rss - before.rss) / IDLE_ACTORS,
  }),
);
await local.stop();
