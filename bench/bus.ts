// The bus is under every cross-node call the actors make. This measures request/reply and
// publish through the project's Bus on NATS, next to the bare nats.js client doing the same
// work in the same run (the limit), and the in-process bus of embedded mode.
//   bun bench/bus.ts            (NATS_URL defaults to nats://127.0.0.1:4222)
import { connect } from 'nats';
import pino from 'pino';
import type { Bus } from '../server/platform/bus/index.ts';
import { connectMemoryBus } from '../server/platform/bus/memory.ts';
import { connectNatsBus } from '../server/platform/bus/nats.ts';
import { measureConcurrent, measureSequential, row } from './stats.ts';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const PUBLISHES = Number(process.env.BENCH_PUBLISHES ?? 200_000);
const IN_FLIGHT = 64;
const payload = new Uint8Array(200).fill(7);

/** The operations measured, so the project's Bus and bare nats.js run the same loop. */
interface Messaging {
  serve(subject: string): void;
  count(subject: string): () => number;
  request(subject: string): Promise<unknown>;
  publish(subject: string): void;
  flush(): Promise<void>;
}

async function measure(label: string, messaging: Messaging) {
  const subject = `bench.${label}.${process.pid}`;
  messaging.serve(`${subject}.echo`);
  const received = messaging.count(`${subject}.sink`);
  await messaging.flush();
  for (let i = 0; i < 500; i++) await messaging.request(`${subject}.echo`); // warm-up
  const sequential = await measureSequential(REQUESTS, () => messaging.request(`${subject}.echo`));
  const concurrent = await measureConcurrent(REQUESTS * 4, IN_FLIGHT, () => messaging.request(`${subject}.echo`));
  const began = performance.now();
  for (let i = 0; i < PUBLISHES; i++) messaging.publish(`${subject}.sink`);
  await messaging.flush();
  while (received() < PUBLISHES && performance.now() - began < 30_000) await Bun.sleep(1);
  const publishRate = received() / ((performance.now() - began) / 1000);
  return { sequential, concurrent, publishRate };
}

function viaBus(bus: Bus): Messaging {
  return {
    serve: (subject) => bus.subscribe(subject, (message) => message.respond(message.data)),
    count: (subject) => {
      let n = 0;
      bus.subscribe(subject, () => {
        n++;
      });
      return () => n;
    },
    request: (subject) => bus.request(subject, payload),
    publish: (subject) => bus.publish(subject, payload),
    flush: () => bus.flush(),
  };
}

async function benchBareNats() {
  const nc = await connect({ servers: NATS_URL });
  const result = await measure('bare', {
    serve: (subject) => nc.subscribe(subject, { callback: (_error, msg) => msg.respond(msg.data) }),
    count: (subject) => {
      let n = 0;
      nc.subscribe(subject, {
        callback: () => {
          n++;
        },
      });
      return () => n;
    },
    request: (subject) => nc.request(subject, payload),
    publish: (subject) => nc.publish(subject, payload),
    flush: () => nc.flush(),
  });
  await nc.drain();
  return result;
}

const benchBus = (label: string, bus: Bus) => measure(label, viaBus(bus));

type Result = Awaited<ReturnType<typeof benchBareNats>>;
const print = (label: string, result: Result) =>
  console.log(
    row(label, {
      'req/s seq': result.sequential.perSecond,
      'p50 µs': result.sequential.p50us,
      'p99 µs': result.sequential.p99us,
      [`req/s ×${IN_FLIGHT}`]: result.concurrent,
      'publish msg/s': result.publishRate,
    }),
  );

console.log(`bus: ${REQUESTS} sequential requests, ${REQUESTS * 4} with ${IN_FLIGHT} in flight, ${PUBLISHES} publishes of 200 bytes`);
// Alternating rounds, best of each, so neither side gains from running first on a shared machine.
const best = (a: Result | undefined, b: Result): Result => (a === undefined || b.concurrent > a.concurrent ? b : a);
let bare: Result | undefined;
let ours: Result | undefined;
for (let round = 0; round < 3; round++) {
  bare = best(bare, await benchBareNats());
  const natsBus = await connectNatsBus({ servers: NATS_URL, name: 'bench', log: pino({ level: 'silent' }) });
  ours = best(ours, await benchBus(`nats${round}`, natsBus));
  await natsBus.close();
}
if (bare === undefined || ours === undefined) throw new Error('no rounds ran');
print('bare nats.js (baseline)', bare);
print('Bus on NATS', ours);
const memoryBus = connectMemoryBus();
print('Bus in-process (embedded)', await benchBus('memory', memoryBus));
await memoryBus.close();
console.log(
  row('Bus on NATS / bare nats.js', {
    'p50 ratio': ours.sequential.p50us / bare.sequential.p50us,
    'req/s ratio': ours.concurrent / bare.concurrent,
    'publish msg/s ratio': ours.publishRate / bare.publishRate,
  }),
);
