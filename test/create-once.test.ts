// Creates a client may retry after an uncertain outcome (ACTOR_UNAVAILABLE, TIMEOUT, a dropped
// socket): posts.create, comments.add, pets.create and chats.createGroup take an idempotency key
// (`clientId`). A retry with the key answers what the first attempt made, concurrent attempts
// make one thing, the key is per user (someone else's key is theirs), and a deleted post's key
// answers NOT_FOUND instead of posting again.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rowsOf } from '../server/platform/db/rows.ts';
import { type AccountsEnv, startAccountsEnv } from './harness/accounts.ts';
import { befriend, memberPool } from './harness/social.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
beforeAll(async () => {
  env = await startAccountsEnv('create-once');
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const count = async (query: ReturnType<typeof sql>) =>
  Number((rowsOf(await env.node.platform.database.db.execute(query))[0] as { n: number | string }).n);

test('create once: posts.create retried with its clientId, even concurrently, answers the one post it made; a deleted one answers NOT_FOUND', async () => {
  const [ana, bruno] = await Promise.all([pool.member(), pool.member()]);
  const clientId = crypto.randomUUID();
  const first = await ana.call('posts.create', { text: 'Luna en la playa', visibility: 'public', clientId });
  const retries = await Promise.all(
    Array.from({ length: 4 }, () => ana.call('posts.create', { text: 'Luna en la playa', visibility: 'public', clientId })),
  );
  for (const retry of retries) expect(retry.id).toBe(first.id);
  expect(await count(sql`select count(*) as n from posts where author_id = ${ana.id}`)).toBe(1);
  // The key is the author's own: the same key from someone else makes their own post.
  const theirs = await bruno.call('posts.create', { text: 'Toby', visibility: 'public', clientId });
  expect(theirs.id).not.toBe(first.id);

  const concurrent = crypto.randomUUID();
  const racing = await Promise.all(
    Array.from({ length: 5 }, () => ana.call('posts.create', { text: 'Al parque', visibility: 'friends', clientId: concurrent })),
  );
  expect(new Set(racing.map((post) => post.id)).size).toBe(1);
  expect(await count(sql`select count(*) as n from posts where author_id = ${ana.id}`)).toBe(2);

  await ana.call('posts.delete', { postId: first.id });
  expect((await ana.refused('posts.create', { text: 'Luna en la playa', visibility: 'public', clientId })).code).toBe('NOT_FOUND');
  expect(await count(sql`select count(*) as n from posts where author_id = ${ana.id} and deleted_at is null`)).toBe(1);
  // Without a key every call posts.
  await ana.call('posts.create', { text: 'Otra', visibility: 'public' });
  await ana.call('posts.create', { text: 'Otra', visibility: 'public' });
  expect(await count(sql`select count(*) as n from posts where author_id = ${ana.id} and deleted_at is null`)).toBe(3);
});

test('create once: comments.add, pets.create and chats.createGroup retried at once with one clientId make one each', async () => {
  const [ana, bruno] = await Promise.all([pool.member(), pool.member()]);
  await befriend(env.node, ana, bruno);
  const post = await bruno.call('posts.create', { text: 'Mi perro', visibility: 'friends' });

  const commentKey = crypto.randomUUID();
  const comments = await Promise.all(
    Array.from({ length: 4 }, () => ana.call('comments.add', { postId: post.id, text: '¡Qué lindo!', clientId: commentKey })),
  );
  expect(new Set(comments.map((comment) => comment.id)).size).toBe(1);
  expect((await bruno.call('posts.get', { postId: post.id })).comments).toBe(1);

  const petKey = crypto.randomUUID();
  const pets = await Promise.all(
    Array.from({ length: 4 }, () => ana.call('pets.create', { name: 'Luna', species: 'dog', clientId: petKey })),
  );
  expect(new Set(pets.map((pet) => pet.id)).size).toBe(1);
  expect((await ana.call('pets.list', { ownerId: ana.id })).items).toHaveLength(1);

  const groupKey = crypto.randomUUID();
  const groups = await Promise.all(
    Array.from({ length: 4 }, () => ana.call('chats.createGroup', { name: 'Paseos', userIds: [bruno.id], clientId: groupKey })),
  );
  expect(new Set(groups.map((group) => group.id)).size).toBe(1);
  expect(await count(sql`select count(*) as n from conversations where created_by = ${ana.id}`)).toBe(1);
});

test('create once: a clientId that is not a UUID, or extra fields beside it, are INVALID_BODY and store nothing', async () => {
  const ana = await pool.member();
  expect(await ana.refused('posts.create', { text: 'x', visibility: 'public', clientId: 'not-a-uuid' })).toMatchObject({
    code: 'INVALID_BODY',
    details: { field: 'clientId' },
  });
  expect(
    await ana.refused('pets.create', { name: 'Luna', species: 'dog', clientId: crypto.randomUUID(), owner: { id: crypto.randomUUID() } }),
  ).toMatchObject({ code: 'INVALID_BODY', details: { field: 'owner' } });
  expect(await count(sql`select count(*) as n from posts where author_id = ${ana.id}`)).toBe(0);
  expect(await count(sql`select count(*) as n from pets where owner_id = ${ana.id}`)).toBe(0);
});
