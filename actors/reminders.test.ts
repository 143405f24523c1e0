// Durable reminders against the real PostgreSQL: delivered after the actor was passivated,
// exactly once when several nodes poll, replaced by a reminder of the same name, and cancelled.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectMemoryBus } from '../server/platform/bus/memory.ts';
import type { DatabaseHandle } from '../server/platform/db/index.ts';
import { testLogger } from '../test/harness/node.ts';
import { openMigratedTestDatabase } from '../test/harness/services.ts';
import { createMemoryLeases } from './leases.ts';
import { Reminders } from './reminders.ts';
import { ActorSystem } from './system.ts';
import { type ActorKind, noReply, reply } from './types.ts';

let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;
let handle: DatabaseHandle;
beforeAll(async () => {
  database = await openMigratedTestDatabase('reminders');
  handle = database.handle;
});
afterAll(async () => {
  await database.close();
});

type Message =
  | { op: 'remind'; ms: number; n: number; name?: string }
  | { op: 'cancel'; name: string }
  | { op: 'add'; n: number }
  | { op: 'get' };

function kind(store: Map<string, number>, activations: string[]): ActorKind {
  return {
    name: 'pet',
    idleMs: 100,
    async create(id, context) {
      activations.push(`${id}@${context.node}`);
      return {
        async handle(raw) {
          const message = raw as Message;
          switch (message.op) {
            case 'remind':
              await context.remind(message.name ?? 'feed', message.ms, { op: 'add', n: message.n });
              return noReply;
            case 'cancel':
              await context.cancelReminder(message.name);
              return noReply;
            case 'add':
              store.set(id, (store.get(id) ?? 0) + message.n);
              return reply(store.get(id));
            case 'get':
              return reply(store.get(id) ?? 0);
          }
        },
      };
    },
  };
}

async function systems(count: number, store: Map<string, number>, activations: string[]) {
  const bus = connectMemoryBus();
  const leases = createMemoryLeases();
  const reminders = new Reminders(handle.db, testLogger());
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      ActorSystem.start({
        bus,
        leases,
        node: `r${i}`,
        namespace: 'rem',
        log: testLogger(),
        kinds: [kind(store, activations)],
        reminders,
        heartbeatMs: 100,
      }),
    ),
  );
}

const pending = async () =>
  ((await handle.db.execute(sql`select count(*)::int as n from actor_reminders`)) as unknown as { n: number }[])[0]?.n;

test('reminders: delivered after the actor was passivated, once, by one of two polling nodes, then gone', async () => {
  const store = new Map<string, number>();
  const activations: string[] = [];
  const [a, b] = await systems(2, store, activations);
  try {
    await a?.ask('pet', 'luna', { op: 'remind', ms: 600, n: 5 });
    await expect.poll(() => (a?.stats().actors.pet ?? 0) + (b?.stats().actors.pet ?? 0), { timeout: 3000 }).toBe(0);
    await expect.poll(() => store.get('luna'), { timeout: 5000 }).toBe(5);
    await Bun.sleep(800);
    expect(store.get('luna')).toBe(5);
    expect(activations.filter((entry) => entry.startsWith('luna@'))).toHaveLength(2);
    expect(await pending()).toBe(0);
  } finally {
    await a?.stop();
    await b?.stop();
  }
});

test('reminders: setting the same name replaces it; cancel removes it', async () => {
  const store = new Map<string, number>();
  const [system] = await systems(1, store, []);
  try {
    await system?.ask('pet', 'rex', { op: 'remind', ms: 300, n: 1 });
    await system?.ask('pet', 'rex', { op: 'remind', ms: 300, n: 10 });
    await system?.ask('pet', 'rex', { op: 'remind', ms: 300, n: 100, name: 'walk' });
    await system?.ask('pet', 'rex', { op: 'cancel', name: 'walk' });
    await expect.poll(() => store.get('rex'), { timeout: 5000 }).toBe(10);
    await Bun.sleep(600);
    expect(store.get('rex')).toBe(10);
  } finally {
    await system?.stop();
  }
});
