// `npm run monitor -- where user:<id>`: on real NATS with two real actor systems, the placement
// it reports is where the actor is (lease holder and its liveness), where an inactive actor will
// go (the node it then really activates on), and a dead holder shows as not heard from.
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type LeaseStore, leaseBucket, openJetStreamLeases } from '../../actors/leases.ts';
import { ActorSystem } from '../../actors/system.ts';
import { reply } from '../../actors/types.ts';
import { testLogger } from '../../test/harness/node.ts';
import { dropNamespaceStreams, services, uniqueName } from '../../test/harness/services.ts';
import type { Bus } from '../platform/bus/index.ts';
import { connectNatsBus } from '../platform/bus/nats.ts';
import { describePlacement, findPlacement, parseActor } from './placement.ts';

const namespace = uniqueName('placement');
const buses: Bus[] = [];
const leases: LeaseStore[] = [];
const systems: ActorSystem[] = [];
let nc: NatsConnection;

beforeAll(async () => {
  for (const node of ['p-a', 'p-b']) {
    const bus = await connectNatsBus({ servers: services.natsUrl, name: node, log: testLogger() });
    const store = await openJetStreamLeases(bus.natsConnection as NatsConnection, namespace, 60_000);
    buses.push(bus);
    leases.push(store);
    systems.push(
      await ActorSystem.start({
        bus,
        leases: store,
        node,
        namespace,
        log: testLogger(),
        heartbeatMs: 200,
        kinds: [{ name: 'user', create: async (_id, context) => ({ handle: async () => reply(context.node) }) }],
      }),
    );
  }
  nc = await connect({ servers: services.natsUrl });
  // Until each system has heard the other, both would place everything on themselves.
  while (systems.some((system) => system.liveNodes({ hostsOnly: true }).length < 2)) await Bun.sleep(50);
});
afterAll(async () => {
  for (const system of systems) await system.stop();
  for (const bus of buses) await bus.close();
  await nc.close();
  await dropNamespaceStreams(namespace);
});

const where = (actor: string) => findPlacement(nc, namespace, actor, { listenMs: 800 });

test('placement: an active actor is placed on the node holding its lease, which is alive', async () => {
  const host = (await systems[0]?.ask('user', 'active-1', {})) as string;
  const placement = await where('user:active-1');
  expect(placement).toMatchObject({
    key: 'user.active-1',
    bucket: leaseBucket(namespace, 'actors'),
    holder: host,
    holderAlive: true,
    next: undefined,
  });
  expect(placement.nodes).toEqual(['p-a', 'p-b']);
  expect(placement.hosts).toEqual(['p-a', 'p-b']);
  expect(describePlacement(placement)).toContain(`lease: held by ${host}`);
});

test('placement: for an actor nobody holds, the node it names is the one the next message activates it on', async () => {
  for (const id of ['idle-1', 'idle-2', 'idle-3', 'idle-4']) {
    const placement = await where(`user:${id}`);
    expect(placement.holder).toBeUndefined();
    expect(describePlacement(placement)).toContain('nobody holds it');
    const activatedOn = await systems[1]?.ask('user', id, {});
    expect(placement.next).toBe(activatedOn);
  }
});

test('placement: a holder that stopped sending heartbeats is reported not heard from, and the survivor is next', async () => {
  const host = (await systems[0]?.ask('user', 'orphan-1', {})) as string;
  const index = host === 'p-a' ? 0 : 1;
  systems[index]?.halt();
  const placement = await where('user:orphan-1');
  expect(placement.holder).toBe(host);
  expect(placement.holderAlive).toBe(false);
  expect(placement.nodes).toEqual([index === 0 ? 'p-b' : 'p-a']);
  expect(placement.next).toBe(index === 0 ? 'p-b' : 'p-a');
  expect(describePlacement(placement)).toContain('NOT heard from');
});

test('placement: looking at a namespace without actors creates nothing, and a malformed name is refused', async () => {
  const empty = uniqueName('placement_none');
  const placement = await findPlacement(nc, empty, 'room:abc', { listenMs: 200 });
  expect([placement.holder, placement.nodes, placement.next]).toEqual([undefined, [], undefined]);
  expect(describePlacement(placement)).toContain('activates it on the node that message is sent from');
  const jsm = await nc.jetstreamManager();
  await expect(jsm.streams.info(`KV_${leaseBucket(empty, 'actors')}`)).rejects.toThrow(/not found/i);
  expect(parseActor('user:>')).toBeUndefined();
  expect(parseActor('user.x')).toBeUndefined();
  await expect(findPlacement(nc, namespace, 'user:*', { listenMs: 10 })).rejects.toThrow(/is not <kind>:<id>/);
});
