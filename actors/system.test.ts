// The actor runtime: one message at a time, bounded mailboxes, activation and passivation with
// state kept, timers, and across three nodes (three systems with their own NATS connections on
// the real server, and again on the in-process bus): one activation per actor, forwarding,
// lease hand-over on clean stop, and takeover after a node dies.
import { afterEach, describe, expect, test } from 'vitest';
import type { Bus } from '../server/platform/bus/index.ts';
import { connectMemoryBus } from '../server/platform/bus/memory.ts';
import { connectNatsBus } from '../server/platform/bus/nats.ts';
import { testLogger } from '../test/harness/node.ts';
import { dropNamespaceStreams, services, uniqueName } from '../test/harness/services.ts';
import { ActorUnavailableError, MailboxFullError, NoPlacementError } from './errors.ts';
import { createMemoryLeases, type LeaseStore, openJetStreamLeases } from './leases.ts';
import { ActorSystem, rendezvous } from './system.ts';
import { type ActorKind, noReply, reply } from './types.ts';

type Message =
  | { op: 'add'; n: number }
  | { op: 'set'; n: number }
  | { op: 'get' }
  | { op: 'slow'; ms: number }
  | { op: 'whoami' }
  | { op: 'stop' }
  | { op: 'remind'; ms: number };

/** A counter persisted in `store` (the stand-in for PostgreSQL), written through on every add. */
function counterKind(
  store: Map<string, number>,
  events: { activations: string[]; passivations: string[] },
  options: { idleMs?: number; mailbox?: number; placement?: ActorKind['placement'] } = {},
): ActorKind {
  return {
    name: 'counter',
    ...options,
    async create(id, context) {
      events.activations.push(`${id}@${context.node}`);
      let value = store.get(id) ?? 0;
      let inside = false;
      return {
        async handle(raw) {
          const message = raw as Message;
          if (inside) throw new Error('two messages at once');
          inside = true;
          try {
            switch (message.op) {
              case 'add':
                value += message.n;
                store.set(id, value);
                return reply(value);
              case 'set':
                value = message.n;
                store.set(id, value);
                return reply(value);
              case 'get':
                return reply(value);
              case 'slow':
                await Bun.sleep(message.ms);
                return reply(value);
              case 'whoami':
                return reply(context.node);
              case 'remind':
                context.timer('remind', message.ms, { op: 'add', n: 100 });
                return noReply;
              case 'stop':
                return { stop: true, reply: 'bye' };
            }
          } finally {
            inside = false;
          }
        },
        passivate() {
          events.passivations.push(`${id}@${context.node}`);
        },
      };
    },
  };
}

interface Cluster {
  namespace: string;
  /** A bus of its own on the same transport (for playing a broken node). */
  bus(): Promise<Bus>;
  systems: ActorSystem[];
  store: Map<string, number>;
  events: { activations: string[]; passivations: string[] };
}

const running: { systems: ActorSystem[]; buses: Bus[]; leases: LeaseStore[]; namespace: string }[] = [];
afterEach(async () => {
  for (const group of running.splice(0)) {
    for (const system of group.systems) await system.stop();
    for (const bus of group.buses) await bus.close();
    if (group.buses.length > 0) await dropNamespaceStreams(group.namespace);
  }
});

const transports = {
  nats: async (namespace: string, ttlMs: number) => {
    const bus = await connectNatsBus({ servers: services.natsUrl, name: namespace, log: testLogger() });
    const nc = bus.natsConnection;
    if (nc === undefined) throw new Error('no NATS connection');
    return { bus, leases: await openJetStreamLeases(nc, namespace, ttlMs) };
  },
  memory: (() => {
    const shared = new Map<number, { bus: Bus; leases: LeaseStore }>();
    return async (_namespace: string, ttlMs: number) => {
      const one = shared.get(ttlMs) ?? { bus: connectMemoryBus(), leases: createMemoryLeases(ttlMs) };
      shared.set(ttlMs, one);
      return one;
    };
  })(),
};

async function cluster(
  transport: keyof typeof transports,
  nodes: number,
  kindOptions: { idleMs?: number; mailbox?: number; placement?: 'local' } = {},
  askTimeoutMs?: number,
  ttlMs = 1500,
  options: { fencing?: boolean } = {},
): Promise<Cluster> {
  const namespace = uniqueName('actors');
  const store = new Map<string, number>();
  const events = { activations: [] as string[], passivations: [] as string[] };
  const group = { systems: [] as ActorSystem[], buses: [] as Bus[], leases: [] as LeaseStore[], namespace };
  running.push(group);
  for (let i = 0; i < nodes; i++) {
    const { bus, leases: opened } =
      transport === 'nats' ? await transports.nats(namespace, ttlMs) : await transports.memory(namespace, ttlMs);
    if (transport === 'nats') group.buses.push(bus);
    // Without fencing (the lease store unreachable when a node fell silent), only the TTL frees a dead node's leases.
    const leases: LeaseStore = options.fencing === false ? { ...opened, fence: async () => 'renewing' as const } : opened;
    const system = await ActorSystem.start({
      bus,
      leases,
      node: `n${i}`,
      namespace,
      log: testLogger(),
      kinds: [counterKind(store, events, kindOptions)],
      heartbeatMs: 200,
      ...(askTimeoutMs === undefined ? {} : { askTimeoutMs }),
    });
    group.systems.push(system);
  }
  await Bun.sleep(300);
  const bus = async () => {
    const { bus } = transport === 'nats' ? await transports.nats(namespace, ttlMs) : await transports.memory(namespace, ttlMs);
    if (transport === 'nats') group.buses.push(bus);
    return bus;
  };
  return { namespace, bus, systems: group.systems, store, events };
}

/** One node on the in-process bus whose actor key renewals each take `renewMs` (key TTL 3 s, so renewal rounds every 1 s). */
async function withSlowRenewals(renewMs: number) {
  const inner = createMemoryLeases(3000, 3000);
  return oneNode({
    ...inner,
    async renew(lease) {
      await Bun.sleep(renewMs);
      return inner.renew(lease);
    },
  });
}

/** One node `n0` on the in-process bus with these leases, hosting counters. */
async function oneNode(leases: LeaseStore) {
  const events = { activations: [] as string[], passivations: [] as string[] };
  const system = await ActorSystem.start({
    bus: connectMemoryBus(),
    leases,
    node: 'n0',
    namespace: uniqueName('actors'),
    log: testLogger(),
    kinds: [counterKind(new Map(), events)],
    heartbeatMs: 200,
  });
  running.push({ systems: [system], buses: [], leases: [], namespace: 'unused' });
  return { system, events };
}

describe('one node', () => {
  test('actors: messages are handled one at a time, in order, with replies', async () => {
    const { systems } = await cluster('memory', 1);
    const node = systems[0] as ActorSystem;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => node.ask('counter', 'a', { op: 'add', n: i + 1 })));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => ((i + 1) * (i + 2)) / 2));
  });

  test('actors: a full mailbox answers MailboxFullError instead of queueing without bound', async () => {
    const { systems } = await cluster('memory', 1, { mailbox: 3 });
    const node = systems[0] as ActorSystem;
    const asks = Array.from({ length: 8 }, () =>
      node.ask('counter', 'busy', { op: 'slow', ms: 50 }).then(
        () => 'ok',
        (error: unknown) => error,
      ),
    );
    const outcomes = await Promise.all(asks);
    expect(outcomes.filter((outcome) => outcome instanceof MailboxFullError).length).toBeGreaterThan(0);
    expect((outcomes.find((outcome) => outcome instanceof MailboxFullError) as MailboxFullError).code).toBe('MAILBOX_FULL');
    expect(outcomes.filter((outcome) => outcome === 'ok').length).toBeGreaterThanOrEqual(3);
  });

  test('actors: an idle actor is passivated, and its state is back when it is reactivated', async () => {
    const { systems, events } = await cluster('memory', 1, { idleMs: 200 });
    const node = systems[0] as ActorSystem;
    await node.ask('counter', 'idle', { op: 'add', n: 7 });
    await expect.poll(() => events.passivations.length, { timeout: 3000 }).toBe(1);
    expect(node.stats().actors.counter ?? 0).toBe(0);
    expect(await node.ask('counter', 'idle', { op: 'get' })).toBe(7);
    expect(events.activations.filter((entry) => entry.startsWith('idle@'))).toHaveLength(2);
  });

  test('actors: a lease renewal slower than the renewal interval is not overlapped by the next round, and the actor keeps its lease', async () => {
    // Renewals every 1 s (TTL/3); each takes 1.5 s. A second round started meanwhile would renew
    // on the revision the first is still replacing, fail, and take the lease for lost.
    const { system, events } = await withSlowRenewals(1500);
    await system.ask('counter', 'slow-renewal', { op: 'add', n: 5 });
    await Bun.sleep(5000);
    expect(system.stats().actors.counter ?? 0).toBe(1);
    expect(await system.ask('counter', 'slow-renewal', { op: 'get' })).toBe(5);
    expect(events.activations).toEqual(['slow-renewal@n0']);
  });

  test('actors: leases are renewed several at a time, so a node keeps many actors whose renewals one after another would outlast the TTL', async () => {
    // 30 actors, a renewal takes 200 ms: one after another a round takes 6 s, twice the TTL.
    const { system, events } = await withSlowRenewals(200);
    const ids = Array.from({ length: 30 }, (_, i) => `many-${i}`);
    await Promise.all(ids.map((id) => system.ask('counter', id, { op: 'add', n: 1 })));
    await Bun.sleep(7000);
    expect(system.stats().actors.counter ?? 0).toBe(30);
    expect(events.activations).toHaveLength(30);
  });

  test('actors: a node whose leases lapsed (silent past the TTL) stops every actor it held; the next message activates it afresh', async () => {
    const inner = createMemoryLeases(1000);
    let stall = false;
    const { system, events } = await oneNode({
      ...inner,
      async keepAlive(node) {
        if (stall) {
          stall = false;
          await Bun.sleep(1500);
        }
        return inner.keepAlive(node);
      },
    });
    await system.ask('counter', 'lapse', { op: 'add', n: 3 });
    stall = true;
    const deadline = Date.now() + 5000;
    while ((system.stats().actors.counter ?? 0) > 0 && Date.now() < deadline) await Bun.sleep(50);
    expect(system.stats().actors.counter ?? 0).toBe(0);
    expect(await system.ask('counter', 'lapse', { op: 'get' })).toBe(3);
    expect(events.activations).toEqual(['lapse@n0', 'lapse@n0']);
  });

  test('actors: a lease is renewed while the actor is being created, so a factory slower than the lease TTL keeps it', async () => {
    const system = await ActorSystem.start({
      bus: connectMemoryBus(),
      leases: createMemoryLeases(1500),
      node: 'n0',
      namespace: uniqueName('actors'),
      log: testLogger(),
      kinds: [
        {
          name: 'slow',
          async create() {
            await Bun.sleep(3000);
            return { handle: () => reply('here') };
          },
        },
      ],
      heartbeatMs: 200,
    });
    running.push({ systems: [system], buses: [], leases: [], namespace: 'unused' });
    expect(await system.ask('slow', 'a', {}, { timeoutMs: 10_000 })).toBe('here');
    await Bun.sleep(1000);
    expect(system.stats().actors.slow ?? 0).toBe(1);
    expect(await system.ask('slow', 'a', {})).toBe('here');
  });

  test('actors: a timer delivers its message later; a stop outcome ends the activation', async () => {
    const { systems, events } = await cluster('memory', 1);
    const node = systems[0] as ActorSystem;
    await node.ask('counter', 't', { op: 'remind', ms: 100 });
    await expect.poll(() => node.ask('counter', 't', { op: 'get' }), { timeout: 3000 }).toBe(100);
    expect(await node.ask('counter', 't', { op: 'stop' })).toBe('bye');
    expect(events.passivations).toContain('t@n0');
    expect(node.stats().actors.counter ?? 0).toBe(0);
  });
});

describe.each(['nats', 'memory'] as const)('three nodes (%s)', (transport) => {
  test('actors: concurrent first messages from all nodes activate the actor exactly once', async () => {
    const { systems, events } = await cluster(transport, 3);
    const owners = await Promise.all(
      systems.flatMap((system) => Array.from({ length: 10 }, () => system.ask('counter', 'hot', { op: 'whoami' }))),
    );
    expect(new Set(owners).size).toBe(1);
    expect(events.activations.filter((entry) => entry.startsWith('hot@'))).toHaveLength(1);
    const total = await Promise.all(
      systems.flatMap((system) => Array.from({ length: 10 }, () => system.ask('counter', 'hot', { op: 'add', n: 1 }))),
    );
    expect(Math.max(...(total as number[]))).toBe(30);
  });

  test('actors: tellMany delivers each message once to actors spread over the nodes, in one bus message per node', async () => {
    const { namespace, bus, systems, store } = await cluster(transport, 3);
    const ids = Array.from({ length: 60 }, (_, i) => `many-${i}`);
    const spy = await bus();
    const seen = { single: 0, batched: 0 };
    if (transport === 'nats') {
      spy.subscribe(`${namespace}.actors.node.n1`, () => seen.single++);
      spy.subscribe(`${namespace}.actors.node.n1.many`, () => seen.batched++);
      await spy.flush();
    }
    (systems[0] as ActorSystem).tellMany(
      'counter',
      ids.map((id) => ({ id, message: { op: 'add', n: 5 } })),
    );
    await expect.poll(() => ids.every((id) => store.get(id) === 5)).toBe(true);
    await Bun.sleep(200);
    expect(ids.map((id) => store.get(id))).toEqual(ids.map(() => 5));
    const placed = ids.map((id) => rendezvous(`counter.${id}`, ['n0', 'n1', 'n2']));
    expect(new Set(placed).size).toBe(3);
    if (transport === 'nats') expect(seen).toEqual({ single: 0, batched: 1 });
  });

  test('actors: tellMany calls within a few milliseconds share one bus message per node, and one actor gets its messages in order', async () => {
    const { namespace, bus, systems, store } = await cluster(transport, 3);
    const ids = Array.from({ length: 30 }, (_, i) => `shared-${i}`).filter(
      (id) => rendezvous(`counter.${id}`, ['n0', 'n1', 'n2']) === 'n1',
    );
    const spy = await bus();
    let batched = 0;
    if (transport === 'nats') {
      spy.subscribe(`${namespace}.actors.node.n1.many`, () => batched++);
      await spy.flush();
    }
    // As rooms do: each tells on its own, one after another.
    for (const n of [1, 2, 3, 4])
      for (const id of ids) (systems[0] as ActorSystem).tellMany('counter', [{ id, message: { op: 'set', n } }]);
    await expect.poll(() => ids.every((id) => store.get(id) === 4)).toBe(true);
    await Bun.sleep(200);
    expect(ids.map((id) => store.get(id))).toEqual(ids.map(() => 4));
    if (transport === 'nats') expect(batched).toBe(1);
  });

  test('actors: tellMany to a node that died is told again one by one, and every actor still gets its message', async () => {
    const { systems, store } = await cluster(transport, 3);
    const ids = Array.from({ length: 30 }, (_, i) => `orphan-${i}`);
    (systems[2] as ActorSystem).halt();
    (systems[0] as ActorSystem).tellMany(
      'counter',
      ids.map((id) => ({ id, message: { op: 'add', n: 1 } })),
    );
    expect(ids.some((id) => rendezvous(`counter.${id}`, ['n0', 'n1', 'n2']) === 'n2')).toBe(true);
    await expect.poll(() => ids.every((id) => store.get(id) === 1), { timeout: 8000 }).toBe(true);
  });

  test('actors: placement follows rendezvous hashing over the live nodes', async () => {
    const { systems } = await cluster(transport, 3);
    for (const id of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']) {
      const expected = rendezvous(`counter.${id}`, ['n0', 'n1', 'n2']);
      expect(await (systems[1] as ActorSystem).ask('counter', id, { op: 'whoami' })).toBe(expected);
    }
  });

  test('actors: a clean stop passivates and releases; the next message activates elsewhere with the state', async () => {
    const { systems, events } = await cluster(transport, 3);
    const owner = (await (systems[0] as ActorSystem).ask('counter', 'move', { op: 'add', n: 5 })) as number;
    expect(owner).toBe(5);
    const host = (await (systems[0] as ActorSystem).ask('counter', 'move', { op: 'whoami' })) as string;
    const hostSystem = systems.find((system) => system.node === host) as ActorSystem;
    await hostSystem.stop();
    const other = systems.find((system) => system.node !== host) as ActorSystem;
    expect(await other.ask('counter', 'move', { op: 'add', n: 1 })).toBe(6);
    expect(await other.ask('counter', 'move', { op: 'whoami' })).not.toBe(host);
    expect(events.passivations).toContain(`move@${host}`);
  });

  test('actors: after a node dies without releasing, its actors come back elsewhere once the lease expires, with no acknowledged write lost', async () => {
    const { systems, store } = await cluster(transport, 3);
    const acknowledged: number[] = [];
    for (let i = 0; i < 10; i++)
      acknowledged.push((await (systems[0] as ActorSystem).ask('counter', 'crash', { op: 'add', n: 1 })) as number);
    const host = (await (systems[0] as ActorSystem).ask('counter', 'crash', { op: 'whoami' })) as string;
    (systems.find((system) => system.node === host) as ActorSystem).halt();
    const survivor = systems.find((system) => system.node !== host) as ActorSystem;
    const started = Date.now();
    const after = (await survivor.ask('counter', 'crash', { op: 'add', n: 1 }, { timeoutMs: 10_000 })) as number;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(after).toBe(Math.max(...acknowledged) + 1);
    expect(store.get('crash')).toBe(11);
    expect(await survivor.ask('counter', 'crash', { op: 'whoami' })).not.toBe(host);
  });

  test('actors: a kind placed locally is activated on the node that sends first, found there by the others, and after its node dies on the next sender’s', async () => {
    const { systems, store, events } = await cluster(transport, 3, { placement: 'local' });
    const [n0, n1, n2] = systems as [ActorSystem, ActorSystem, ActorSystem];
    for (const id of ['l1', 'l2', 'l3']) {
      expect(await n1.ask('counter', id, { op: 'whoami' })).toBe('n1');
      expect(await n2.ask('counter', id, { op: 'whoami' })).toBe('n1');
      expect(await n0.ask('counter', id, { op: 'add', n: 2 })).toBe(2);
      expect(await n2.ask('counter', id, { op: 'add', n: 3 })).toBe(5);
    }
    expect(events.activations.filter((entry) => entry.startsWith('l'))).toEqual(['l1@n1', 'l2@n1', 'l3@n1']);
    n1.halt();
    expect(await n2.ask('counter', 'l1', { op: 'add', n: 1 }, { timeoutMs: 10_000 })).toBe(6);
    expect(await n0.ask('counter', 'l1', { op: 'whoami' })).toBe('n2');
    expect(store.get('l1')).toBe(6);
  });

  test('actors: a kind placed on the SFU goes to the least-loaded node reporting one, stays there, and fails NO_PLACEMENT when none does', async () => {
    const namespace = uniqueName('actors');
    const store = new Map<string, number>();
    const events = { activations: [] as string[], passivations: [] as string[] };
    const group = { systems: [] as ActorSystem[], buses: [] as Bus[], leases: [] as LeaseStore[], namespace };
    running.push(group);
    /** Each node's SFU load as its heartbeat says it: n0 has no SFU. */
    const loads: Record<string, number | undefined> = { n0: undefined, n1: 5, n2: 1 };
    for (const node of ['n0', 'n1', 'n2']) {
      const { bus, leases } = transport === 'nats' ? await transports.nats(namespace, 1500) : await transports.memory(namespace, 1500);
      if (transport === 'nats') group.buses.push(bus);
      group.systems.push(
        await ActorSystem.start({
          bus,
          leases,
          node,
          namespace,
          log: testLogger(),
          kinds: [counterKind(store, events, { placement: 'sfu' })],
          heartbeatMs: 100,
          sfuLoad: () => loads[node],
        }),
      );
    }
    await Bun.sleep(300);
    const [n0, n1] = group.systems as [ActorSystem, ActorSystem, ActorSystem];
    expect(await n0.ask('counter', 'call-1', { op: 'whoami' })).toBe('n2');
    expect(await n1.ask('counter', 'call-2', { op: 'whoami' })).toBe('n2');
    loads.n2 = 9;
    await Bun.sleep(350);
    expect(await n0.ask('counter', 'call-3', { op: 'whoami' })).toBe('n1');
    // An actor stays where it was placed while it lives.
    expect(await n0.ask('counter', 'call-1', { op: 'whoami' })).toBe('n2');
    loads.n1 = undefined;
    loads.n2 = undefined;
    await Bun.sleep(350);
    await expect(n0.ask('counter', 'call-4', { op: 'whoami' })).rejects.toBeInstanceOf(NoPlacementError);
    expect(events.activations.filter((entry) => entry.startsWith('call-4'))).toEqual([]);
  });

  test('actors: a node that falls silent is fenced by those that notice: its actors answer from another node long before its lease would have lapsed', async () => {
    const { systems, store } = await cluster(transport, 3, {}, undefined, 60_000);
    const host = (await (systems[0] as ActorSystem).ask('counter', 'fenced', { op: 'whoami' })) as string;
    await (systems[0] as ActorSystem).ask('counter', 'fenced', { op: 'add', n: 1 });
    (systems.find((system) => system.node === host) as ActorSystem).halt();
    const survivor = systems.find((system) => system.node !== host) as ActorSystem;
    // The lease TTL is a minute: only the fence can free the actor within the poll.
    await expect
      .poll(async () => survivor.ask('counter', 'fenced', { op: 'whoami' }, { timeoutMs: 500 }).catch(() => host), {
        timeout: 10_000,
        interval: 100,
      })
      .not.toBe(host);
    expect(await survivor.ask('counter', 'fenced', { op: 'add', n: 1 })).toBe(2);
    expect(store.get('fenced')).toBe(2);
  });

  test('actors: an ask whose deadline passes while the actor’s node is dead (not fenced: the lease store was unreachable) fails ACTOR_UNAVAILABLE (retryable), not a timeout', async () => {
    const { systems } = await cluster(transport, 3, {}, undefined, 4000, { fencing: false });
    const host = (await (systems[0] as ActorSystem).ask('counter', 'moving', { op: 'whoami' })) as string;
    (systems.find((system) => system.node === host) as ActorSystem).halt();
    const survivor = systems.find((system) => system.node !== host) as ActorSystem;
    // Once the survivor takes the host for dead (a request sent before that may just go
    // unanswered), asks are tried again until the deadline: the lease (4 s) outlives it.
    await expect.poll(() => survivor.liveNodes()).not.toContain(host);
    await expect(survivor.ask('counter', 'moving', { op: 'add', n: 1 }, { timeoutMs: 600 })).rejects.toBeInstanceOf(ActorUnavailableError);
  });

  test('actors: a tell sent while the actor’s node is dead arrives once the lease has expired, even when asks time out sooner', async () => {
    const { systems, store } = await cluster(transport, 3, {}, 500);
    const host = (await (systems[0] as ActorSystem).ask('counter', 'later', { op: 'whoami' })) as string;
    await (systems[0] as ActorSystem).ask('counter', 'later', { op: 'add', n: 1 });
    (systems.find((system) => system.node === host) as ActorSystem).halt();
    const survivor = systems.find((system) => system.node !== host) as ActorSystem;
    survivor.tell('counter', 'later', { op: 'add', n: 10 });
    await expect.poll(() => store.get('later'), { timeout: 6000, interval: 100 }).toBe(11);
    expect(await survivor.ask('counter', 'later', { op: 'whoami' })).not.toBe(host);
  });

  test('actors: a message that reaches a dead node without a no-responders (its subscription outlived it) is sent again once the node falls silent', async () => {
    // What the NATS server does between a node's death and dropping its subscription (a request
    // arriving in that window, or a node cut off without its connection closing): it delivers
    // to a subscription that nobody answers, so the sender sees neither a reply nor no-responders.
    const { namespace, bus, systems, store } = await cluster(transport, 3);
    const host = (await (systems[0] as ActorSystem).ask('counter', 'mute', { op: 'whoami' })) as string;
    const senders = systems.filter((system) => system.node !== host);
    // Both survivors have sent through the host, so both know where the actor lives.
    for (const sender of senders) await sender.ask('counter', 'mute', { op: 'add', n: 1 });
    (systems.find((system) => system.node === host) as ActorSystem).halt();
    const blackHole = await bus();
    const mute = blackHole.subscribe(`${namespace}.actors.node.${host}`, () => undefined);
    await blackHole.flush();
    const after = await Promise.all(senders.map((sender) => sender.ask('counter', 'mute', { op: 'add', n: 1 }, { timeoutMs: 10_000 })));
    mute.unsubscribe();
    expect(after.sort()).toEqual([3, 4]);
    expect(store.get('mute')).toBe(4);
    expect(await (senders[0] as ActorSystem).ask('counter', 'mute', { op: 'whoami' })).not.toBe(host);
  });
});
