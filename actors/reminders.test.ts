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

test('reminders: a delivery that keeps failing is retried after 1 s, then twice as long each time up to 30 s, and given up after 20 failures', async () => {
  const reminders = new Reminders(handle.db, testLogger());
  const actorId = `failing-${crypto.randomUUID()}`;
  await reminders.set('pet', actorId, 'feed', 0, { op: 'add', n: 1 });
  const row = async () =>
    (
      (await handle.db.execute(
        sql`select attempts, extract(epoch from due_at - now()) * 1000 as wait from actor_reminders where actor_id = ${actorId}`,
      )) as unknown as { attempts: number; wait: number }[]
    )[0];
  const delivered: string[] = [];
  const failing = async (_kind: string, id: string) => {
    if (id === actorId) {
      delivered.push(id);
      throw new Error('the actor is failing');
    }
  };
  const waits: number[] = [];
  for (let attempt = 1; attempt <= 20; attempt++) {
    await reminders.deliverDue(failing);
    const now = await row();
    if (attempt === 20) {
      expect(now).toBeUndefined();
      break;
    }
    expect(Number(now?.attempts)).toBe(attempt);
    waits.push(Number(now?.wait));
    // Due again now, to try the next attempt at once.
    await handle.db.execute(sql`update actor_reminders set due_at = now() - interval '1 second' where actor_id = ${actorId}`);
  }
  expect(delivered).toHaveLength(20);
  // 1, 2, 4, 8, 16 s, then 30 s (each a little less by the time it is read).
  const expected = [1, 2, 4, 8, 16, 30, 30].map((seconds) => seconds * 1000);
  waits.slice(0, expected.length).forEach((wait, i) => {
    expect(wait).toBeLessThanOrEqual(expected[i] as number);
    expect(wait).toBeGreaterThan((expected[i] as number) - 2000);
  });
  // A new set of the same name starts counting again.
  await reminders.set('pet', actorId, 'feed', 0, { op: 'add', n: 1 });
  await reminders.deliverDue(failing);
  expect(Number((await row())?.attempts)).toBe(1);
  await reminders.cancel('pet', actorId, 'feed');
});
