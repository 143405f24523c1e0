// The node's group commit of chat messages on a real PostgreSQL: what rooms hand over while a
// statement runs is stored by the next one, counters and pointers with it, and one room's
// conflict neither stores nor fails another room's messages.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openMigratedTestDatabase } from '../../test/harness/services.ts';
import type { Database, DatabaseHandle } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { type MessageInput, MessageWriter, STORE_MESSAGES } from './message-writer.ts';

let database: Awaited<ReturnType<typeof openMigratedTestDatabase>>;
let db: Database;
const userId = Bun.randomUUIDv7();

beforeAll(async () => {
  database = await openMigratedTestDatabase('writer');
  db = database.handle.db;
  await db.execute(sql`insert into users (id, email, username) values (${userId}, 'writer@example.com', 'writer')`);
});
afterAll(async () => {
  await database.close();
});

async function conversation(): Promise<string> {
  const id = Bun.randomUUIDv7();
  await db.execute(
    sql`insert into conversations (id, kind, name, member_count, last_activity_at, created_at) values (${id}, 'group', 'g', 1, now(), now())`,
  );
  await db.execute(
    sql`insert into conversation_members (conversation_id, user_id, role, state, joined_at) values (${id}, ${userId}, 'admin', 'active', now())`,
  );
  return id;
}

const message = (seq: number, clientId = crypto.randomUUID()): MessageInput => ({
  seq,
  id: Bun.randomUUIDv7(),
  senderId: userId,
  clientId,
  kind: 'text',
  text: `message ${seq}`,
  searchText: `message ${seq}`,
  encrypted: null,
  system: null,
  replyToSeq: null,
  attachments: [],
  story: null,
  postId: null,
  createdAt: new Date(),
});

/** The database, counting the statements that reach it. */
function counted() {
  const count = { statements: 0 };
  const prepared: DatabaseHandle['prepared'] = (text, params) => {
    count.statements++;
    return database.handle.prepared(text, params);
  };
  return { database: { prepared }, count };
}

async function stateOf(conversationId: string) {
  const [room] = rowsOf<{ last_seq: number; published_seq: number }>(
    await db.execute(sql`select last_seq, published_seq from conversations where id = ${conversationId}`),
  );
  const seqs = rowsOf<{ seq: number }>(
    await db.execute(sql`select seq from messages where conversation_id = ${conversationId} order by seq`),
  ).map((row) => row.seq);
  const [member] = rowsOf<{ read_seq: number; delivered_seq: number }>(
    await db.execute(sql`select read_seq, delivered_seq from conversation_members where conversation_id = ${conversationId}`),
  );
  return { ...room, seqs, ...member };
}

describe('message writer', () => {
  test('chats: writes handed over while a statement runs are stored together by the next one, counters and pointers with them', async () => {
    const { database: counting, count } = counted();
    const writer = new MessageWriter(counting);
    const rooms = await Promise.all(Array.from({ length: 5 }, conversation));
    // The first write goes at once; the ten after it, from five rooms, wait and go in one statement.
    const first = writer.write({ conversationId: rooms[0] as string, publishedSeq: 0, messages: [message(1)] });
    await Bun.sleep(0);
    const rest = rooms.flatMap((conversationId, i) => [
      writer.write({ conversationId, publishedSeq: 1, messages: i === 0 ? [message(2), message(3)] : [message(1), message(2)] }),
      writer.write({ conversationId, publishedSeq: 2, messages: i === 0 ? [message(4)] : [message(3)] }),
    ]);
    await Promise.all([first, ...rest]);
    expect(count.statements).toBe(2);
    expect(await stateOf(rooms[0] as string)).toEqual({ last_seq: 4, published_seq: 2, seqs: [1, 2, 3, 4], read_seq: 4, delivered_seq: 4 });
    for (const conversationId of rooms.slice(1))
      expect(await stateOf(conversationId)).toEqual({ last_seq: 3, published_seq: 2, seqs: [1, 2, 3], read_seq: 3, delivered_seq: 3 });
  });

  test('chats: a failed write of a room fails its later writes in the same statement (no gap in its seqs)', async () => {
    const writer = new MessageWriter(database.handle);
    const [taken, other] = [await conversation(), await conversation()];
    await writer.write({ conversationId: taken, publishedSeq: 0, messages: [message(1)] });
    const blocker = writer.write({ conversationId: other, publishedSeq: 0, messages: [message(1)] });
    await Bun.sleep(0);
    const results = await Promise.allSettled([
      writer.write({ conversationId: taken, publishedSeq: 1, messages: [message(1)] }),
      writer.write({ conversationId: taken, publishedSeq: 1, messages: [message(2)] }),
      writer.write({ conversationId: other, publishedSeq: 1, messages: [message(2)] }),
    ]);
    await blocker;
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((await stateOf(taken)).seqs).toEqual([1]);
    expect((await stateOf(other)).seqs).toEqual([1, 2]);
  });

  test('chats: a taken seq or clientId fails only its own room, which stores none of its messages', async () => {
    const writer = new MessageWriter(database.handle);
    const [taken, clean, reused] = [await conversation(), await conversation(), await conversation()];
    const clientId = crypto.randomUUID();
    await writer.write({ conversationId: taken, publishedSeq: 0, messages: [message(1)] });
    await writer.write({ conversationId: reused, publishedSeq: 0, messages: [message(1, clientId)] });
    const blocker = writer.write({ conversationId: clean, publishedSeq: 0, messages: [message(1)] });
    await Bun.sleep(0);
    const results = await Promise.allSettled([
      writer.write({ conversationId: taken, publishedSeq: 1, messages: [message(1), message(2)] }),
      writer.write({ conversationId: clean, publishedSeq: 1, messages: [message(2), message(3)] }),
      writer.write({ conversationId: reused, publishedSeq: 1, messages: [message(2), message(3, clientId)] }),
    ]);
    await blocker;
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect((await stateOf(taken)).seqs).toEqual([1]);
    expect((await stateOf(reused)).seqs).toEqual([1]);
    expect(await stateOf(clean)).toEqual({ last_seq: 3, published_seq: 1, seqs: [1, 2, 3], read_seq: 3, delivered_seq: 3 });
  });
});

test('writer: with thousands of conversations the statement reads only the rows it names, by index (no scan of either table)', async () => {
  await db.execute(
    sql`insert into conversations (id, kind, name, member_count, last_activity_at, created_at) select gen_random_uuid(), 'group', 'g', 1, now(), now() from generate_series(1, 3000)`,
  );
  await db.execute(
    sql`insert into conversation_members (conversation_id, user_id, role, state, joined_at) select id, ${userId}, 'member', 'active', now() from conversations where id not in (select conversation_id from conversation_members)`,
  );
  await db.execute(sql`analyze conversations`);
  await db.execute(sql`analyze conversation_members`);
  const id = await conversation();
  const rows = JSON.stringify([
    {
      conversation_id: id,
      published_seq: 0,
      seq: 1,
      id: Bun.randomUUIDv7(),
      sender_id: userId,
      client_id: crypto.randomUUID(),
      kind: 'text',
      text: 'hola',
      search_text: 'hola',
      encrypted: null,
      system: null,
      reply_to_seq: null,
      attachments: [],
      created_at: new Date().toISOString(),
    },
  ]);
  const plan = rowsOf(await db.execute(sql.raw(`explain ${STORE_MESSAGES.replace('$1::text', `'${rows.replaceAll("'", "''")}'::text`)}`)))
    .map((row) => String((row as Record<string, unknown>)['QUERY PLAN']))
    .join('\n');
  expect(plan).toContain('conversations_pkey');
  expect(plan).not.toMatch(/Seq Scan on conversations|Seq Scan on conversation_members/);
});
