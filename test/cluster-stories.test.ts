// The stories cleanup on two node processes sharing one database: each expired story kept nowhere
// is deleted once, by whichever node claimed the round, and the round moves on; a round claimed by
// a node that was SIGKILLed is left alone while its claim lasts, then run by the survivor.
import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Cluster, client, register, startCluster } from './harness/cluster.ts';
import type { NodeProcess } from './harness/processes.ts';

let cluster: Cluster;
let sql: postgres.Sql;
beforeAll(async () => {
  cluster = await startCluster(2, { STORY_CLEANUP_EVERY_MS: '1500' }, { nodeIdPrefix: 'story' });
  sql = postgres(cluster.database.url, { max: 2, onnotice: () => undefined });
}, 60_000);
afterAll(async () => {
  await sql.end();
  await cluster.stop();
});

/** `count` image stories of the user, on ready media rows made for them (the pipeline is not what is tested). */
async function stories(node: NodeProcess, user: { id: string; token: string }, count: number): Promise<string[]> {
  const device = client(node, user.token);
  await device.connect();
  const ids: string[] = [];
  try {
    await device.call('stories.settings', { archive: false });
    for (let i = 0; i < count; i++) {
      const mediaId = Bun.randomUUIDv7();
      await sql`insert into media (id, owner_id, kind, status, size, received, created_at, updated_at)
        values (${mediaId}, ${user.id}, 'image', 'ready', 100, 100, now(), now())`;
      const made = (await device.call('stories.create', { mediaId, audience: 'friends' })) as { stories: { id: string }[] };
      ids.push(...made.stories.map((story) => story.id));
    }
  } finally {
    device.close();
  }
  return ids;
}

const left = async (ids: string[]) => (await sql`select id from stories where id in ${sql(ids)}`).length;
const deletedByLogs = (node: NodeProcess) =>
  node.logs
    .map((line) => /^stories\.cleanup\(\) \| deleted (\d+) stories/.exec(String(line.msg))?.[1])
    .reduce((sum, n) => sum + (n === undefined ? 0 : Number(n)), 0);

test('cluster stories: each expired story is deleted once by one of the nodes; a round a killed node claimed waits for its claim, then the survivor runs it', async () => {
  const [survivor, victim] = cluster.nodes as [NodeProcess, NodeProcess];
  const author = await register(survivor);
  const first = await stories(survivor, author, 20);
  await sql`update stories set expires_at = now() - interval '1 second' where id in ${sql(first)}`;
  await expect.poll(() => left(first), { timeout: 15_000, interval: 200 }).toBe(0);
  // Media nobody else shows went with them.
  await expect
    .poll(async () => (await sql`select id from media where owner_id = ${author.id}`).length, { timeout: 10_000, interval: 200 })
    .toBe(0);
  await expect.poll(() => deletedByLogs(survivor) + deletedByLogs(victim), { timeout: 5000 }).toBe(20);
  const [round] = await sql`select claimed_by from periodic_jobs where name = 'stories.cleanup'`;
  expect(round?.claimed_by ?? null).toBeNull();

  // The victim claims the next round and dies in it (as far as the database can tell).
  await victim.stop('SIGKILL');
  const second = await stories(survivor, author, 5);
  await sql`update stories set expires_at = now() - interval '1 second' where id in ${sql(second)}`;
  await sql`update periodic_jobs set next_run_at = now() - interval '1 second', claimed_by = 'story1', claimed_until = now() + interval '3 seconds' where name = 'stories.cleanup'`;
  await Bun.sleep(1500);
  expect(await left(second), 'the claim still holds: nobody runs the round').toBe(5);
  await expect.poll(() => left(second), { timeout: 10_000, interval: 200 }).toBe(0);
  await expect.poll(() => deletedByLogs(survivor) + deletedByLogs(victim), { timeout: 5000 }).toBe(25);
}, 90_000);
