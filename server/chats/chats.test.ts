// The messenger through the protocol, on two nodes: one-to-one conversations and message
// requests, idempotent sends, history, edits, tombstones, replies, reactions, search, typing,
// receipts and unread counts, groups and their management, blocks and the send rate limit.
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  conversationKey,
  decryptFile,
  decryptText,
  encryptFile,
  encryptText,
  exportPublicKey,
  generateKeyPair,
  sealEnvelope,
} from '../../protocol/e2ee.ts';
import { MEDIA_LIMITS } from '../../protocol/lists.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { mediaRow } from '../../test/harness/media-rows.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';
import type { RunningNode } from '../node.ts';
import { rowsOf } from '../platform/db/rows.ts';

let env: AccountsEnv;
let nodeB: RunningNode;
let pool: ReturnType<typeof memberPool>;
const RATE = 30;

beforeAll(async () => {
  env = await startAccountsEnv('chats', { NODE_ID: 'chats-a', CHAT_MESSAGES_PER_MINUTE: String(RATE) });
  pool = memberPool(env);
  nodeB = await env.peer('chats-b');
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const member = (node?: RunningNode) => pool.member(node);
const id = () => crypto.randomUUID();

async function friends(): Promise<[Member, Member]> {
  const [ana, bruno] = await Promise.all([member(env.node), member(nodeB)]);
  await befriend(env.node, ana, bruno);
  return [ana, bruno];
}

describe('messenger: one-to-one', () => {
  test('chats: the first message creates the conversation; the friend on the other node gets it live once, even when the send is retried', async () => {
    const [ana, bruno] = await friends();
    expect(await ana.call('chats.direct', { userId: bruno.id })).toEqual({ conversationId: null });
    const clientId = id();
    const sent = await ana.call('chats.send', { to: bruno.id, clientId, text: '¿Paseo a las 6?' });
    expect(sent).toMatchObject({ seq: 1, senderId: ana.id, kind: 'text', text: '¿Paseo a las 6?', clientId });
    const conversationId = sent.conversationId;
    expect(await ana.call('chats.direct', { userId: bruno.id })).toEqual({ conversationId });
    expect(await bruno.event('chats.unread', (body) => body.conversationId === conversationId)).toMatchObject({
      unread: 1,
      conversations: 1,
    });
    await bruno.follow(`room:${conversationId}`);

    const again = await ana.call('chats.send', { conversationId, clientId, text: '¿Paseo a las 6?' });
    expect(again).toEqual(sent);
    const second = await ana.call('chats.send', { conversationId, clientId: id(), text: 'Llevo la pelota', replyTo: 1 });
    expect(second).toMatchObject({ seq: 2, replyTo: { seq: 1, senderId: ana.id, preview: '¿Paseo a las 6?' } });
    const live = await bruno.event('message.new');
    expect(live).toEqual({ message: second });
    await expect(bruno.event('message.new', undefined, 300)).rejects.toThrow(/no matching frame/);

    const history = await bruno.call('chats.history', { conversationId });
    expect(history.items.map((message) => message.seq)).toEqual([1, 2]);
    expect(history.more).toBe(false);
    expect((await bruno.call('chats.history', { conversationId, after: 1 })).items.map((message) => message.seq)).toEqual([2]);
    const [chat] = (await bruno.call('chats.list', {})).items;
    expect(chat).toMatchObject({
      id: conversationId,
      kind: 'direct',
      peer: { id: ana.id },
      unread: 2,
      lastSeq: 2,
      lastMessage: { seq: 2 },
    });
    expect(await bruno.call('chats.unread', {})).toEqual({ conversations: 1, requests: 0 });
  });

  test('chats: a stranger’s first message is refused by default, and lands in requests when the recipient takes messages from everyone', async () => {
    const [ana, carla] = await Promise.all([member(env.node), member(nodeB)]);
    expect((await ana.refused('chats.send', { to: carla.id, clientId: id(), text: 'hola' })).code).toBe('MESSAGE_NOT_ALLOWED');
    expect(await ana.call('chats.direct', { userId: carla.id })).toEqual({ conversationId: null });

    await carla.call('privacy.update', { messages: 'everyone' });
    const sent = await ana.call('chats.send', { to: carla.id, clientId: id(), text: '¿Adoptaste a Toby?' });
    expect(await carla.event('chats.unread', (body) => body.conversationId === sent.conversationId)).toMatchObject({
      unread: 1,
      conversations: 0,
      requests: 1,
    });
    expect((await carla.call('chats.list', {})).items).toEqual([]);
    const [request] = (await carla.call('chats.list', { folder: 'requests' })).items;
    expect(request).toMatchObject({ id: sent.conversationId, me: { state: 'request' }, peer: { id: ana.id } });
    // Until accepted, the sender sees no read pointer.
    await carla.call('chats.read', { conversationId: sent.conversationId, seq: 1 });
    const seenByAna = await ana.call('chats.get', { conversationId: sent.conversationId });
    expect(seenByAna.members.find((m) => m.person.id === carla.id)?.readSeq).toBe(0);

    await carla.call('chats.decline', { conversationId: sent.conversationId });
    expect((await ana.refused('chats.send', { conversationId: sent.conversationId, clientId: id(), text: '¿?' })).code).toBe(
      'MESSAGE_NOT_ALLOWED',
    );
    expect((await carla.refused('chats.history', { conversationId: sent.conversationId })).code).toBe('NOT_FOUND');
  });

  test('chats: accepting a request moves it to the inbox and shows receipts; a block stops messages both ways', async () => {
    const [ana, dora] = await Promise.all([member(env.node), member(nodeB)]);
    await dora.call('privacy.update', { messages: 'everyone' });
    const sent = await ana.call('chats.send', { to: dora.id, clientId: id(), text: 'Hola Dora' });
    const conversationId = sent.conversationId;
    const accepted = await dora.call('chats.accept', { conversationId });
    expect(accepted.me.state).toBe('active');
    await ana.follow(`room:${conversationId}`);
    await dora.call('chats.read', { conversationId, seq: 1 });
    expect(await ana.signal('receipt', (body) => body.userId === dora.id)).toEqual({
      conversationId,
      userId: dora.id,
      deliveredSeq: 1,
      readSeq: 1,
    });

    const named = await ana.call('people.summaries', { ids: [dora.id, crypto.randomUUID()] });
    expect(named.items.map((person) => person.id)).toEqual([dora.id]);
    await dora.call('blocks.block', { userId: ana.id });
    // Across a block, people.summaries leaves the other out, like every other read.
    expect((await ana.call('people.summaries', { ids: [dora.id] })).items).toEqual([]);
    expect((await ana.refused('chats.send', { conversationId, clientId: id(), text: '?' })).code).toBe('MESSAGE_NOT_ALLOWED');
    expect((await dora.refused('chats.send', { conversationId, clientId: id(), text: '?' })).code).toBe('MESSAGE_NOT_ALLOWED');
    expect((await ana.refused('chats.send', { to: dora.id, clientId: id(), text: '?' })).code).toBe('MESSAGE_NOT_ALLOWED');
  });

  test("chats: the recipient's current messages setting applies to every send in an existing one-to-one: after nobody, a stranger's send, reply, edit and reaction are refused and store nothing, their typing is dropped; everyone again re-allows", async () => {
    const [ana, carla] = await Promise.all([member(env.node), member(nodeB)]);
    await carla.call('privacy.update', { messages: 'everyone' });
    const first = await ana.call('chats.send', { to: carla.id, clientId: id(), text: '¿Adoptaste a Toby?' });
    const conversationId = first.conversationId;
    await carla.call('chats.accept', { conversationId });
    // Ana started it, so Carla may answer although Ana takes messages from friends only.
    await carla.call('chats.send', { conversationId, clientId: id(), text: 'Sí, ayer' });
    expect((await ana.call('chats.get', { conversationId })).canSend).toBe(true);

    await carla.call('privacy.update', { messages: 'nobody' });
    const refusals = await Promise.all([
      ana.refused('chats.send', { conversationId, clientId: id(), text: '¿Y cómo está?' }),
      ana.refused('chats.send', { conversationId, clientId: id(), text: '¡Qué bien!', replyTo: 2 }),
      ana.refused('chats.edit', { conversationId, seq: 1, text: '¿Adoptaste a Toby, el beagle?' }),
      ana.refused('chats.react', { conversationId, seq: 2, emoji: '❤️' }),
      ana.refused('chats.send', { to: carla.id, clientId: id(), text: '¿Hola?' }),
    ]);
    expect(refusals.map((refusal) => refusal.code)).toEqual(Array(5).fill('MESSAGE_NOT_ALLOWED'));
    const history = await carla.call('chats.history', { conversationId });
    expect(history.items.map((message) => [message.seq, message.text, message.editedAt, message.reactions])).toEqual([
      [1, '¿Adoptaste a Toby?', null, []],
      [2, 'Sí, ayer', null, []],
    ]);
    expect((await ana.call('chats.get', { conversationId })).canSend).toBe(false);
    // Ana's typing is dropped: Carla's own, signalled by the room after it, arrives with none before.
    await carla.follow(`room:${conversationId}`);
    await ana.call('chats.typing', { conversationId });
    await carla.call('chats.typing', { conversationId });
    await carla.signal('typing', (body) => body.userId === carla.id);
    expect(carla.socket.frames.some((frame) => frame.name === 'typing' && (frame.body as { userId: string }).userId === ana.id)).toBe(
      false,
    );

    // `friends` keeps a stranger out too; `everyone` lets them write again.
    await carla.call('privacy.update', { messages: 'friends' });
    expect((await ana.refused('chats.send', { conversationId, clientId: id(), text: '?' })).code).toBe('MESSAGE_NOT_ALLOWED');
    await carla.call('privacy.update', { messages: 'everyone' });
    expect((await ana.call('chats.send', { conversationId, clientId: id(), text: 'Me alegro' })).seq).toBe(3);
    expect((await ana.call('chats.get', { conversationId })).canSend).toBe(true);
  });

  test("chats: a friend writes while the recipient takes messages from friends, and is refused once it is nobody; the one who started a conversation can't be answered once they take messages from nobody", async () => {
    const [bruno, dora] = await friends();
    const first = await bruno.call('chats.send', { to: dora.id, clientId: id(), text: 'Hola Dora' });
    const conversationId = first.conversationId;
    await dora.call('privacy.update', { messages: 'friends' });
    expect((await bruno.call('chats.send', { conversationId, clientId: id(), text: '¿Vamos al parque?' })).seq).toBe(2);
    await dora.call('privacy.update', { messages: 'nobody' });
    expect((await bruno.refused('chats.send', { conversationId, clientId: id(), text: '?' })).code).toBe('MESSAGE_NOT_ALLOWED');
    expect((await bruno.call('chats.get', { conversationId })).canSend).toBe(false);
    // Dora's own messages obey Bruno's settings, not hers.
    expect((await dora.call('chats.send', { conversationId, clientId: id(), text: 'Hoy no' })).seq).toBe(3);
    await bruno.call('privacy.update', { messages: 'nobody' });
    expect((await dora.refused('chats.send', { conversationId, clientId: id(), text: '?' })).code).toBe('MESSAGE_NOT_ALLOWED');
  });

  test('chats: during a steady stream of messages the others’ unread counts keep coming, not only once it pauses', async () => {
    const [ana, bruno] = await friends();
    const first = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'uno' });
    const conversationId = first.conversationId;
    // A message every ~60 ms for over a second: never a 100 ms pause.
    const stream = (async () => {
      for (let i = 0; i < 20; i++) {
        await ana.call('chats.send', { conversationId, clientId: id(), text: `${i}` });
        await Bun.sleep(60);
      }
      return Date.now();
    })();
    await bruno.event('chats.unread', (body) => body.conversationId === conversationId && (body.unread as number) >= 5, 5000);
    const countArrived = Date.now();
    expect(countArrived).toBeLessThan(await stream);
  });

  test('chats: edit within the window, tombstone, reactions, search, typing, read pointers and unread counts', async () => {
    const [ana, bruno] = await friends();
    const first = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'El parque está cerrado mañana' });
    const conversationId = first.conversationId;
    await bruno.follow(`room:${conversationId}`);
    await ana.follow(`room:${conversationId}`);
    await ana.call('chats.send', { conversationId, clientId: id(), text: 'Vamos a la playa con Luna' });
    // Sending reads: the sender's pointers move to the message, which says so itself (no receipt follows).
    expect(await bruno.event('message.new', (body) => (body.message as { seq: number }).seq === 2)).toBeDefined();
    const seenByBruno = await bruno.call('chats.get', { conversationId });
    expect(seenByBruno.members.find((m) => m.person.id === ana.id)).toMatchObject({ readSeq: 2, deliveredSeq: 2 });
    await expect(bruno.signal('receipt', (body) => body.userId === ana.id, 300)).rejects.toThrow(/no matching frame/);

    const edited = await ana.call('chats.edit', { conversationId, seq: 1, text: 'El parque está abierto mañana' });
    expect(edited.editedAt).not.toBeNull();
    expect(await bruno.event('message.changed')).toEqual({ message: edited });
    expect((await bruno.refused('chats.edit', { conversationId, seq: 1, text: 'mío' })).code).toBe('NOT_FOUND');

    const reacted = await bruno.call('chats.react', { conversationId, seq: 2, emoji: '🐶' });
    expect(reacted).toEqual({ reactions: [{ emoji: '🐶', count: 1 }], myReaction: '🐶' });
    expect(await ana.event('message.reacted')).toMatchObject({ seq: 2, userId: bruno.id, emoji: '🐶' });
    await ana.call('chats.react', { conversationId, seq: 2, emoji: '❤️' });
    expect((await bruno.call('chats.react', { conversationId, seq: 2, emoji: '❤️' })).reactions).toEqual([{ emoji: '❤️', count: 2 }]);
    expect((await bruno.refused('chats.react', { conversationId, seq: 2, emoji: 'no' })).code).toBe('INVALID_INPUT');

    const found = await bruno.call('chats.search', { conversationId, query: 'PLAYA luna' });
    expect(found.items.map((message) => message.seq)).toEqual([2]);
    expect(found.items[0]?.myReaction).toBe('❤️');
    expect((await bruno.call('chats.search', { conversationId, query: 'parque abierto' })).items.map((m) => m.seq)).toEqual([1]);

    const removed = await ana.call('chats.delete', { conversationId, seq: 2 });
    expect(removed).toMatchObject({ text: '', reactions: [], deletedAt: expect.any(String) });
    expect((await bruno.event('message.changed', (body) => (body.message as { seq: number }).seq === 2)).message).toEqual(removed);
    expect((await bruno.call('chats.search', { conversationId, query: 'playa' })).items).toEqual([]);
    expect((await bruno.refused('chats.delete', { conversationId, seq: 1 })).code).toBe('NOT_FOUND');

    await bruno.call('chats.typing', { conversationId });
    expect(await ana.signal('typing')).toEqual({ conversationId, userId: bruno.id });
    // A second typing within 2 s is dropped.
    await bruno.call('chats.typing', { conversationId });
    await expect(ana.signal('typing', undefined, 300)).rejects.toThrow(/no matching frame/);

    expect(await bruno.call('chats.unread', {})).toEqual({ conversations: 1, requests: 0 });
    expect(await bruno.call('chats.read', { conversationId, seq: 2 })).toEqual({ readSeq: 2, unread: 0 });
    expect(await bruno.event('chats.unread', (body) => body.unread === 0)).toMatchObject({ conversationId, conversations: 0 });
    expect(await ana.signal('receipt', (body) => body.userId === bruno.id && body.readSeq === 2)).toMatchObject({ deliveredSeq: 2 });
    // Pointers never move back.
    expect(await bruno.call('chats.read', { conversationId, seq: 1 })).toEqual({ readSeq: 2, unread: 0 });
    await bruno.call('chats.mute', { conversationId, muted: true, minutes: 60 });
    await ana.call('chats.send', { conversationId, clientId: id(), text: '¿Vienes?' });
    expect(await bruno.event('chats.unread', (body) => body.unread === 1)).toMatchObject({ conversations: 0 });
  });

  test('chats: bad input is refused with typed errors and stores nothing', async () => {
    const [ana, bruno] = await friends();
    expect((await ana.refused('chats.send', { to: bruno.id, clientId: id() })).code).toBe('INVALID_INPUT');
    expect((await ana.refused('chats.send', { to: bruno.id, clientId: id(), text: '   ' })).code).toBe('INVALID_INPUT');
    expect((await ana.refused('chats.send', { to: bruno.id, clientId: 'nope', text: 'x' })).code).toBe('INVALID_BODY');
    expect((await ana.refused('chats.send', { to: bruno.id, clientId: id(), text: 'x'.repeat(4001) })).code).toBe('INVALID_BODY');
    expect((await ana.refused('chats.send', { to: bruno.id, clientId: id(), text: 'a\u0000b' })).code).toBe('INVALID_INPUT');
    expect((await ana.refused('chats.send', { to: ana.id, clientId: id(), text: 'yo' })).code).toBe('INVALID_INPUT');
    const rooms = () => [env.node, nodeB].reduce((sum, node) => sum + (node.actors.stats().actors.room ?? 0), 0);
    const before = rooms();
    expect((await ana.refused('chats.send', { conversationId: id(), clientId: id(), text: 'x' })).code).toBe('NOT_FOUND');
    expect((await ana.refused('chats.typing', { conversationId: id() })).code).toBe('NOT_FOUND');
    // Ids that lead nowhere do not keep room actors alive.
    expect(rooms()).toBe(before);
    expect(await ana.call('chats.direct', { userId: bruno.id })).toEqual({ conversationId: null });
    const sent = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'ok' });
    expect((await ana.refused('chats.send', { conversationId: sent.conversationId, clientId: id(), text: 'r', replyTo: 9 })).code).toBe(
      'NOT_FOUND',
    );
    expect((await ana.call('chats.history', { conversationId: sent.conversationId })).items).toHaveLength(1);
  });

  test('chats: sending is rate limited per user, and a retry of a stored message is still answered', async () => {
    const [ana, bruno] = await friends();
    const first = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: '1' });
    for (let i = 2; i <= RATE; i++) await ana.call('chats.send', { conversationId: first.conversationId, clientId: id(), text: String(i) });
    const refused = await ana.refused('chats.send', { conversationId: first.conversationId, clientId: id(), text: 'one too many' });
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await ana.call('chats.send', { conversationId: first.conversationId, clientId: first.clientId as string, text: '1' })).toEqual(
      first,
    );
  });

  test('chats: a retry after the room has forgotten the send (a minute on) is answered with the stored message, alone or in a batch, and stores nothing', async () => {
    const [ana, bruno] = await friends();
    const first = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'hola' });
    const conversationId = first.conversationId;
    // A minute later, as the room sees it: the next send makes it forget the first.
    const realNow = Date.now;
    const later = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 61_000);
    try {
      await ana.call('chats.send', { conversationId, clientId: id(), text: 'sigo aquí' });
    } finally {
      later.mockRestore();
    }
    const again = { conversationId, clientId: first.clientId as string, text: 'hola' };
    expect(await ana.call('chats.send', again)).toEqual(first);
    // With a new send in the same batch: the unique key tells the retry apart, the new one is stored.
    const [retried, fresh] = await Promise.all([
      ana.call('chats.send', again),
      ana.call('chats.send', { conversationId, clientId: id(), text: 'nuevo' }),
    ]);
    expect(retried).toEqual(first);
    expect(fresh.seq).toBe(first.seq + 2);
    const stored = rowsOf<{ seq: number }>(
      await env.node.platform.database.db.execute(sql`select seq from messages where conversation_id = ${conversationId} order by seq`),
    );
    expect(stored.map((row) => row.seq)).toEqual([first.seq, first.seq + 1, first.seq + 2]);
  });

  test('chats: sends that arrive together are counted together: exactly the limit is stored, the rest refused and not stored', async () => {
    const [ana, bruno] = await friends();
    const first = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: '0' });
    const conversationId = first.conversationId;
    const burst = await Promise.all(
      Array.from({ length: RATE + 1 }, (_, i) =>
        ana.socket.request({ type: 'call', op: 'chats.send', body: { conversationId, clientId: id(), text: String(i + 1) } }),
      ),
    );
    expect(burst.filter((frame) => frame.type === 'reply')).toHaveLength(RATE - 1);
    expect(burst.filter((frame) => frame.type === 'error').map((frame) => frame.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    const history = await bruno.call('chats.history', { conversationId });
    expect(history.items.map((message) => message.seq)).toEqual(Array.from({ length: RATE }, (_, i) => i + 1));
  });
});

describe('messenger: end-to-end encryption', () => {
  test('e2ee: the server stores public keys and ciphertext only; the recipient decrypts, anything built from what the server holds cannot', async () => {
    const [ana, bruno] = await friends();
    const first = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'Hola' });
    const conversationId = first.conversationId;
    expect((await ana.call('chats.get', { conversationId })).e2eeAvailable).toBe(false);
    const [anaKeys, brunoKeys] = await Promise.all([generateKeyPair(), generateKeyPair()]);
    const anaKey = await ana.call('keys.publish', { publicKey: await exportPublicKey(anaKeys.publicKey) });
    const brunoKey = await bruno.call('keys.publish', { publicKey: await exportPublicKey(brunoKeys.publicKey) });
    expect((await bruno.call('chats.get', { conversationId })).e2eeAvailable).toBe(true);

    const secret = 'La llave está bajo la maceta';
    const [brunoPublic] = (await ana.call('keys.get', { userId: bruno.id })).keys;
    const sealed = await encryptText(await conversationKey(anaKeys.privateKey, brunoPublic?.publicKey as string, conversationId), secret);
    await bruno.follow(`room:${conversationId}`);
    const sent = await ana.call('chats.send', {
      conversationId,
      clientId: id(),
      encrypted: { senderKeyId: anaKey.keyId, recipientKeyId: brunoKey.keyId, ...sealed },
    });
    expect(sent).toMatchObject({ kind: 'encrypted', text: '' });
    const received = (await bruno.event('message.new')).message as typeof sent;
    const [anaPublic] = (await bruno.call('keys.get', { userId: ana.id })).keys;
    const opened = await decryptText(
      await conversationKey(brunoKeys.privateKey, anaPublic?.publicKey as string, conversationId),
      received.encrypted as NonNullable<typeof sent.encrypted>,
    );
    expect(opened).toBe(secret);

    // Everything the server holds about it: no plaintext anywhere.
    const db = env.node.platform.database.db;
    const stored = JSON.stringify(rowsOf(await db.execute(sql`select * from messages where conversation_id = ${conversationId}`)));
    const keys = JSON.stringify(rowsOf(await db.execute(sql`select * from chat_keys where user_id in (${ana.id}, ${bruno.id})`)));
    for (const word of ['llave', 'maceta']) expect(`${stored}${keys}`).not.toContain(word);
    // With only public keys, the best the server can do is a key pair of its own: it does not open the message.
    const outsider = await generateKeyPair();
    for (const publicKey of [anaPublic?.publicKey as string, brunoPublic?.publicKey as string])
      await expect(decryptText(await conversationKey(outsider.privateKey, publicKey, conversationId), sealed)).rejects.toThrow();
    expect(stored).toContain(sealed.ciphertext);

    expect((await ana.refused('keys.publish', { publicKey: 'AAAA' })).code).toBe('INVALID_INPUT');
    const group = await ana.call('chats.createGroup', { name: 'Cifrado', userIds: [bruno.id] });
    const groupRefusal = await ana.refused('chats.send', {
      conversationId: group.id,
      clientId: id(),
      encrypted: { senderKeyId: anaKey.keyId, recipientKeyId: brunoKey.keyId, ...sealed },
    });
    expect(groupRefusal).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'encrypted' } });
  });
});

describe('messenger: end-to-end encrypted conversations', () => {
  /** A one-to-one between friends with both keys published, and the sealing of a text from Ana to Bruno. */
  async function keyedPair() {
    const [ana, bruno] = await friends();
    const { conversationId } = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'Hola' });
    const [anaKeys, brunoKeys] = await Promise.all([generateKeyPair(), generateKeyPair()]);
    const anaKey = await ana.call('keys.publish', { publicKey: await exportPublicKey(anaKeys.publicKey) });
    const brunoKey = await bruno.call('keys.publish', { publicKey: await exportPublicKey(brunoKeys.publicKey) });
    const key = await conversationKey(anaKeys.privateKey, await exportPublicKey(brunoKeys.publicKey), conversationId);
    const seal = async (plaintext: string) => ({
      senderKeyId: anaKey.keyId,
      recipientKeyId: brunoKey.keyId,
      ...(await encryptText(key, plaintext)),
    });
    return { ana, bruno, conversationId, seal };
  }

  async function uploadBlob(owner: Member, bytes: Uint8Array) {
    const form = new FormData();
    form.set('kind', 'blob');
    form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), 'blob');
    const response = await env.client().request<{ media: { id: string; status: string; kind: string } }>('POST', '/media', {
      raw: form,
      token: owner.user.tokens.accessToken,
    });
    expect(response.status).toBe(201);
    return response.body.media;
  }

  test('e2ee: a shared post is metadata in clear, so it is refused with E2EE_REQUIRED once encryption is on (even with encrypted content), and nothing is stored', async () => {
    const { ana, bruno, conversationId, seal } = await keyedPair();
    const post = await bruno.call('posts.create', { text: 'Luna en la playa', visibility: 'public' });
    await ana.call('chats.encryption', { conversationId, encrypted: true });
    const before = (await ana.call('chats.history', { conversationId })).items.length;
    const refused = await ana.refused('chats.send', { conversationId, clientId: id(), encrypted: await seal('mira'), post: post.id });
    expect(refused).toMatchObject({ code: 'E2EE_REQUIRED', details: { field: 'post' } });
    expect((await ana.call('chats.history', { conversationId })).items).toHaveLength(before);
  });

  test('e2ee: once encryption is on, a plaintext send or edit is refused with E2EE_REQUIRED and stores nothing; turning it off is a visible message', async () => {
    const { ana, bruno, conversationId, seal } = await keyedPair();
    expect((await ana.call('chats.get', { conversationId })).chat.encrypted).toBe(false);
    await bruno.follow(`room:${conversationId}`);
    const on = await ana.call('chats.encryption', { conversationId, encrypted: true });
    expect(on).toMatchObject({ id: conversationId, encrypted: true });
    expect((await bruno.event('message.new')).message).toMatchObject({ kind: 'system', system: { action: 'encrypted', actorId: ana.id } });
    expect(await bruno.event('chat.changed')).toEqual({ conversationId, name: null, pictureMediaId: null, atSeq: 2, encrypted: true });
    expect((await bruno.call('chats.get', { conversationId })).chat.encrypted).toBe(true);
    // Turning it on again changes nothing (no second message).
    await ana.call('chats.encryption', { conversationId, encrypted: true });
    const before = (await ana.call('chats.history', { conversationId })).items;
    expect(before.map((message) => message.kind)).toEqual(['text', 'system']);

    for (const sender of [ana, bruno]) {
      const refused = await sender.refused('chats.send', { conversationId, clientId: id(), text: 'en claro' });
      expect(refused).toMatchObject({ code: 'E2EE_REQUIRED', details: { field: 'text' } });
    }
    expect((await ana.refused('chats.edit', { conversationId, seq: 1, text: 'editado en claro' })).code).toBe('E2EE_REQUIRED');
    const db = env.node.platform.database.db;
    const stored = JSON.stringify(rowsOf(await db.execute(sql`select * from messages where conversation_id = ${conversationId}`)));
    expect(stored).not.toContain('en claro');
    expect((await ana.call('chats.history', { conversationId })).items).toEqual(before);

    const sent = await ana.call('chats.send', { conversationId, clientId: id(), encrypted: await seal('cifrado') });
    expect(sent).toMatchObject({ seq: 3, kind: 'encrypted', text: '' });

    // Off: either person, explicitly, and both see it; plaintext is taken again.
    await bruno.call('chats.encryption', { conversationId, encrypted: false });
    const off = (await ana.call('chats.history', { conversationId })).items.at(-1);
    expect(off).toMatchObject({ seq: 4, kind: 'system', system: { action: 'unencrypted', actorId: bruno.id } });
    expect(await bruno.call('chats.send', { conversationId, clientId: id(), text: 'en claro otra vez' })).toMatchObject({ seq: 5 });

    const group = await ana.call('chats.createGroup', { name: 'Sin cifrado', userIds: [bruno.id] });
    expect((await ana.refused('chats.encryption', { conversationId: group.id, encrypted: true })).code).toBe('INVALID_INPUT');
    const stranger = await member(env.node);
    expect((await stranger.refused('chats.encryption', { conversationId, encrypted: true })).code).toBe('NOT_FOUND');
    // Across a block, turning it on writes nothing either.
    await bruno.call('blocks.block', { userId: ana.id });
    expect((await ana.refused('chats.encryption', { conversationId, encrypted: true })).code).toBe('MESSAGE_NOT_ALLOWED');
    expect((await ana.call('chats.history', { conversationId })).items.at(-1)?.seq).toBe(5);
  });

  test('e2ee: an attachment is an opaque blob stored as uploaded (not the file), only with encrypted messages of an encrypted conversation', async () => {
    const { ana, bruno, conversationId, seal } = await keyedPair();
    const photo = new TextEncoder().encode('\x89PNG pretend this is a photo of Luna');
    const sealed = await encryptFile(photo);
    const blob = await uploadBlob(ana, sealed.ciphertext);
    // Ready at once: nothing decodes or transcodes it.
    expect(blob).toMatchObject({ kind: 'blob', status: 'ready' });
    const tooLarge = await env.client().request<{ error: { code: string } }>('POST', '/media/uploads', {
      body: { kind: 'blob', size: MEDIA_LIMITS.blob.bytes + 1 },
      token: ana.user.tokens.accessToken,
    });
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([400, 'TOO_LARGE']);

    // Not in a conversation whose encryption is off, not even with encrypted content.
    const plainRefusal = await ana.refused('chats.send', {
      conversationId,
      clientId: id(),
      encrypted: await seal('foto'),
      attachments: [blob.id],
    });
    expect(plainRefusal).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'attachments' } });
    // Nor on a post or a profile (only messages take blobs).
    expect((await ana.refused('posts.create', { text: 'Luna', visibility: 'public', mediaIds: [blob.id] })).code).toBe('NOT_FOUND');

    await ana.call('chats.encryption', { conversationId, encrypted: true });
    const envelope = sealEnvelope({
      text: 'Luna',
      files: [{ mediaId: blob.id, key: sealed.key, iv: sealed.iv, type: 'image/png', name: 'luna.png', size: photo.byteLength }],
    });
    const sent = await ana.call('chats.send', { conversationId, clientId: id(), encrypted: await seal(envelope), attachments: [blob.id] });
    expect(sent.attachments).toEqual([{ id: blob.id, kind: 'blob' }]);

    // Bruno reads the blob through its signed URL: the ciphertext uploaded, which his key opens.
    const [seen] = (await bruno.call('media.get', { ids: [blob.id] })).items;
    const url = seen?.urls?.blob as string;
    const downloaded = new Uint8Array(await (await fetch(`${env.node.url}${url}`)).arrayBuffer());
    expect(downloaded).toEqual(sealed.ciphertext);
    expect(await decryptFile(downloaded, sealed)).toEqual(photo);
    // What storage holds is not the file.
    const object = await env.node.platform.storage.get(`media/${ana.id}/${blob.id}/out/blob`);
    expect(Buffer.from(object).includes(Buffer.from('photo of Luna'))).toBe(false);
    expect(new Uint8Array(object)).toEqual(sealed.ciphertext);

    // A photo the pipeline can read is plaintext to the server: refused, even with encrypted content.
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c0ffee' } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.set('kind', 'image');
    form.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'luna.png');
    const image = (
      await env.client().request<{ media: { id: string } }>('POST', '/media', { raw: form, token: ana.user.tokens.accessToken })
    ).body.media;
    await ana.event(
      'media.changed',
      (body) => (body.media as { id: string; status: string }).id === image.id && (body.media as { status: string }).status === 'ready',
      30_000,
    );
    const clear = await ana.refused('chats.send', {
      conversationId,
      clientId: id(),
      encrypted: await seal('foto'),
      attachments: [image.id],
    });
    expect(clear).toMatchObject({ code: 'E2EE_REQUIRED', details: { field: 'attachments' } });

    // A blob alone without encrypted content is plaintext: refused.
    const second = await uploadBlob(ana, (await encryptFile(photo)).ciphertext);
    const bare = await ana.refused('chats.send', { conversationId, clientId: id(), attachments: [second.id] });
    expect(bare).toMatchObject({ code: 'E2EE_REQUIRED', details: { field: 'text' } });
  });
});

describe('messenger: shared posts', () => {
  test('share: a post the sender may see goes as its id (alone or with text), in the event and in history; each reader opens it under their own access; a tombstone drops it', async () => {
    const [ana, bruno] = await friends();
    const carla = await member();
    await befriend(env.node, ana, carla);
    const friendsOnly = await carla.call('posts.create', { text: 'Solo amigos', visibility: 'friends' });
    const { conversationId } = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'Hola' });
    await bruno.follow(`room:${conversationId}`);
    const sent = await ana.call('chats.send', { conversationId, clientId: id(), post: friendsOnly.id });
    expect(sent).toMatchObject({ postId: friendsOnly.id, text: '', attachments: [] });
    expect((await bruno.event('message.new')).message).toMatchObject({ seq: sent.seq, postId: friendsOnly.id });
    const withText = await ana.call('chats.send', { conversationId, clientId: id(), text: 'mira esto', post: friendsOnly.id });
    expect(withText).toMatchObject({ postId: friendsOnly.id, text: 'mira esto' });
    expect((await bruno.call('chats.history', { conversationId })).items.map((message) => message.postId)).toEqual([
      null,
      friendsOnly.id,
      friendsOnly.id,
    ]);
    // The message names the post; Bruno is not Carla's friend, so opening it tells him nothing more.
    expect((await bruno.refused('posts.get', { postId: friendsOnly.id })).code).toBe('NOT_FOUND');
    expect((await ana.call('posts.get', { postId: friendsOnly.id })).id).toBe(friendsOnly.id);
    await ana.call('chats.delete', { conversationId, seq: sent.seq });
    expect((await bruno.call('chats.history', { conversationId })).items.find((message) => message.seq === sent.seq)?.postId).toBeNull();
  });

  test('share: a post the sender may not see (another audience, a block, made up) is NOT_FOUND and sends nothing; extra fields are refused by the schema', async () => {
    const [ana, bruno] = await friends();
    const carla = await member();
    const friendsOnly = await carla.call('posts.create', { text: 'Solo amigos', visibility: 'friends' });
    const open = await carla.call('posts.create', { text: 'Para todos', visibility: 'public' });
    await carla.call('blocks.block', { userId: ana.id });
    const { conversationId } = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'Hola' });
    for (const post of [friendsOnly.id, open.id, id()])
      expect((await ana.refused('chats.send', { conversationId, clientId: id(), post })).code).toBe('NOT_FOUND');
    expect((await ana.refused('chats.send', { conversationId, clientId: id(), post: open.id, postText: 'x' })).code).toBe('INVALID_BODY');
    expect((await ana.call('chats.history', { conversationId })).items).toHaveLength(1);
  });

  test('share: a reel shared in a chat is one share in its log, however often the send is retried; the author sharing their own is none', async () => {
    const [ana, bruno] = await friends();
    const carla = await member();
    await befriend(env.node, ana, carla);
    const reel = await carla.call('reels.create', {
      mediaId: await mediaRow(env.node.platform.database.db, carla.id, 'reel', { durationMs: 20_000 }),
      audience: 'public',
    });
    const clientId = id();
    const first = await ana.call('chats.send', { to: bruno.id, clientId, post: reel.post.id });
    const again = await ana.call('chats.send', { to: bruno.id, clientId, post: reel.post.id });
    expect(again.id).toBe(first.id);
    await carla.call('chats.send', { to: ana.id, clientId: id(), post: reel.post.id });
    const shares = rowsOf<{ user_id: string }>(
      await env.node.platform.database.db.execute(
        sql`select user_id from reel_interactions where reel_id = ${reel.post.id} and kind = 'share'`,
      ),
    );
    expect(shares.map((row) => row.user_id)).toEqual([ana.id]);
  });
});

describe('messenger: recovery', () => {
  test('room: a message stored but never published (its node died in between) is published when the room comes back, once, before new ones', async () => {
    const [ana, bruno] = await friends();
    const group = await ana.call('chats.createGroup', { name: 'Recovery', userIds: [bruno.id] });
    const conversationId = group.id;
    // What a node killed between commit and publish leaves behind: seq 2 stored, published up to 1.
    const clientId = id();
    await env.node.platform.database.db.execute(
      sql`insert into messages (conversation_id, seq, id, sender_id, client_id, kind, text, created_at) values (${conversationId}, 2, ${id()}, ${ana.id}, ${clientId}, 'text', 'lost in flight', now())`,
    );
    await env.node.platform.database.db.execute(sql`update conversations set last_seq = 2, published_seq = 1 where id = ${conversationId}`);
    await bruno.follow(`room:${conversationId}`);
    // The sender's retry reaches the room, which activates, republishes seq 2, and answers it.
    const retried = await ana.call('chats.send', { conversationId, clientId, text: 'lost in flight' });
    expect(retried.seq).toBe(2);
    expect(((await bruno.event('message.new')).message as { seq: number }).seq).toBe(2);
    await ana.call('chats.send', { conversationId, clientId: id(), text: 'next' });
    expect(((await bruno.event('message.new')).message as { seq: number }).seq).toBe(3);
    await expect(bruno.event('message.new', undefined, 300)).rejects.toThrow(/no matching frame/);
  });
});

describe('messenger: groups', () => {
  test("groups: a member of many groups written to at once gets each one's count, and the badge counts them all", async () => {
    const [ana, bruno] = await friends();
    const groups = await Promise.all(
      Array.from({ length: 12 }, (_, i) => ana.call('chats.createGroup', { name: `Grupo ${i}`, userIds: [bruno.id] })),
    );
    await Promise.all(groups.map((group) => ana.call('chats.send', { conversationId: group.id, clientId: id(), text: 'hola' })));
    // Each group: its system message and Ana's, unread by Bruno.
    await expect.poll(async () => (await bruno.call('chats.unread', {})).conversations, { timeout: 5000 }).toBe(12);
    const latest = new Map<string, number>();
    const deadline = Date.now() + 5000;
    while (latest.size < 12 || [...latest.values()].some((unread) => unread !== 2)) {
      const event = await bruno.event('chats.unread', undefined, Math.max(1, deadline - Date.now()));
      latest.set(event.conversationId as string, event.unread as number);
    }
    expect([...latest.keys()].sort()).toEqual(groups.map((group) => group.id).sort());
  });

  test("groups: a member's counts from groups written to one after another are logged at most every 100 ms, each entry holding each conversation once with its latest count", async () => {
    const [ana, bruno] = await friends();
    const groups = await Promise.all(
      Array.from({ length: 12 }, (_, i) => ana.call('chats.createGroup', { name: `Turno ${i}`, userIds: [bruno.id] })),
    );
    await expect.poll(async () => (await bruno.call('chats.unread', {})).conversations, { timeout: 5000 }).toBe(12);
    await Bun.sleep(150);
    // Every write of Bruno's counts to his topic log, on either node, with when it was made.
    const writes: { at: number; ids: string[] }[] = [];
    const spies = [env.node, nodeB].map((node) => {
      const topics = node.platform.topics;
      const publishMany = topics.publishMany.bind(topics);
      return vi.spyOn(topics, 'publishMany').mockImplementation((topic, events, options) => {
        if (topic === `user:${bruno.id}` && events.some((event) => event.name === 'chats.unread'))
          writes.push({ at: Date.now(), ids: events.map((event) => (event.body as { conversationId: string }).conversationId) });
        return publishMany(topic, events, options);
      });
    });
    try {
      // One group after another, 20 ms apart: each room tells its count on its own.
      for (const group of groups) {
        await ana.call('chats.send', { conversationId: group.id, clientId: id(), text: 'hola' });
        await Bun.sleep(20);
      }
      const latest = new Map<string, number>();
      const deadline = Date.now() + 5000;
      while ([...groups].some((group) => latest.get(group.id) !== 2)) {
        const event = await bruno.event('chats.unread', undefined, Math.max(1, deadline - Date.now()));
        latest.set(event.conversationId as string, event.unread as number);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(new Set(writes.flatMap((write) => write.ids))).toEqual(new Set(groups.map((group) => group.id)));
    for (const write of writes) expect(new Set(write.ids).size).toBe(write.ids.length);
    for (let i = 1; i < writes.length; i++)
      expect((writes[i] as (typeof writes)[0]).at - (writes[i - 1] as (typeof writes)[0]).at).toBeGreaterThanOrEqual(99);
    expect(writes.length).toBeLessThan(groups.length);
  });

  test('groups: sends that arrive together are stored and published together; each gets its own seq, and every member sees each once, in order', async () => {
    const [ana, bruno] = await friends();
    const [carla, dora] = await Promise.all([member(env.node), member(nodeB)]);
    await Promise.all([befriend(env.node, ana, carla), befriend(env.node, ana, dora)]);
    const group = await ana.call('chats.createGroup', { name: 'Ráfaga', userIds: [bruno.id, carla.id, dora.id] });
    const conversationId = group.id;
    const senders = [ana, bruno, carla, dora];
    await Promise.all(senders.map((sender) => sender.follow(`room:${conversationId}`)));
    // Eight at once from each, and one of Ana's sent twice with the same clientId.
    const repeated = id();
    const sends = senders.flatMap((sender) =>
      Array.from({ length: 8 }, (_, i) => ({ sender, clientId: sender === ana && i === 7 ? repeated : id(), text: `${i}` })),
    );
    sends[6] = { sender: ana, clientId: repeated, text: '7' };
    const answers = await Promise.all(
      sends.map(({ sender, clientId, text }) => sender.call('chats.send', { conversationId, clientId, text })),
    );
    expect(answers[6]).toEqual(answers[7]);
    const seqs = [...new Set(answers.map((answer) => answer.seq))].sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 31 }, (_, i) => i + 2));
    for (const [i, answer] of answers.entries())
      expect(answer).toMatchObject({
        senderId: (sends[i] as (typeof sends)[0]).sender.id,
        clientId: (sends[i] as (typeof sends)[0]).clientId,
      });
    for (const reader of senders) {
      const received: number[] = [];
      for (let i = 0; i < 31; i++) received.push(((await reader.event('message.new')).message as { seq: number }).seq);
      expect(received).toEqual(seqs);
      await expect(reader.event('message.new', undefined, 200)).rejects.toThrow(/no matching frame/);
    }
    const stored = rowsOf<{ seq: number }>(
      await env.node.platform.database.db.execute(sql`select seq from messages where conversation_id = ${conversationId} order by seq`),
    );
    expect(stored.map((row) => row.seq)).toEqual([1, ...seqs]);
    expect((await bruno.call('chats.history', { conversationId })).items.map((message) => message.seq)).toEqual([1, ...seqs]);
  });

  test('groups: create, add, rename, pin; a removed member loses the topic; the last admin leaving hands the role on', async () => {
    const [ana, bruno] = await friends();
    const [carla, dora] = await Promise.all([member(env.node), member(nodeB)]);
    await befriend(env.node, ana, carla);
    const stranger = await member(env.node);
    expect((await ana.refused('chats.createGroup', { name: 'Paseos', userIds: [stranger.id] })).code).toBe('NOT_FOUND');

    const group = await ana.call('chats.createGroup', { name: 'Paseos del parque', userIds: [bruno.id, carla.id] });
    expect(group).toMatchObject({ kind: 'group', name: 'Paseos del parque', memberCount: 3, me: { role: 'admin' }, lastSeq: 1 });
    const conversationId = group.id;
    expect(await bruno.event('chats.unread', (body) => body.conversationId === conversationId)).toMatchObject({ unread: 1 });
    await Promise.all([bruno.follow(`room:${conversationId}`), carla.follow(`room:${conversationId}`)]);
    expect((await dora.refused('chats.history', { conversationId })).code).toBe('NOT_FOUND');
    expect((await dora.socket.request({ type: 'sub', topic: `room:${conversationId}` })).code).toBe('FORBIDDEN');
    expect((await bruno.refused('chats.addMembers', { conversationId, userIds: [dora.id] })).code).toBe('FORBIDDEN');

    await ana.call('chats.send', { conversationId, clientId: id(), text: 'Mañana a las 8' });
    await befriend(env.node, ana, dora);
    expect(await ana.call('chats.addMembers', { conversationId, userIds: [dora.id] })).toEqual({ memberCount: 4 });
    const added = await bruno.event('message.new', (body) => (body.message as { kind: string }).kind === 'system');
    expect(added.message).toMatchObject({ seq: 3, system: { action: 'added', actorId: ana.id, userIds: [dora.id] } });
    expect(await bruno.event('member.changed', (body) => body.userId === dora.id)).toMatchObject({
      memberCount: 4,
      member: { role: 'member' },
    });
    // Dora sees what came after she joined, not before.
    expect((await dora.call('chats.history', { conversationId })).items.map((message) => message.seq)).toEqual([3]);

    const renamed = await ana.call('chats.update', { conversationId, name: 'Paseos 🐾' });
    expect(renamed.name).toBe('Paseos 🐾');
    expect(await bruno.event('chat.changed')).toEqual({
      conversationId,
      name: 'Paseos 🐾',
      pictureMediaId: null,
      atSeq: 4,
      encrypted: false,
    });
    expect((await ana.call('chats.pin', { conversationId, seq: 2, pinned: true })).pinned).toBe(true);
    expect((await bruno.call('chats.pins', { conversationId })).items.map((message) => message.seq)).toEqual([2]);
    expect((await bruno.refused('chats.pin', { conversationId, seq: 2, pinned: false })).code).toBe('FORBIDDEN');

    await ana.call('chats.removeMember', { conversationId, userId: carla.id });
    expect(await carla.socket.next((frame) => frame.type === 'revoked')).toMatchObject({ topic: `room:${conversationId}` });
    expect((await carla.refused('chats.send', { conversationId, clientId: id(), text: '¿?' })).code).toBe('NOT_FOUND');

    expect((await ana.refused('chats.setAdmin', { conversationId, userId: ana.id, admin: false })).code).toBe('LAST_ADMIN');
    await ana.call('chats.leave', { conversationId });
    const detail = await bruno.call('chats.get', { conversationId });
    expect(detail.chat.memberCount).toBe(2);
    // Bruno joined first of those left: he is the admin now.
    expect(detail.members.map((m) => [m.person.id, m.role])).toEqual([
      [bruno.id, 'admin'],
      [dora.id, 'member'],
    ]);
    expect((await ana.refused('chats.get', { conversationId })).code).toBe('NOT_FOUND');
  });
});

describe('messenger: replay', () => {
  const roomEvents = (who: Member, topic: string) => who.socket.frames.filter((frame) => frame.type === 'event' && frame.topic === topic);

  test('replay: a resume from seq 0 gives a member nothing from before they joined, no deleted text and no pre-edit text; quotes of the past stay empty', async () => {
    const [ana, bruno] = await friends();
    const carla = await member(nodeB);
    await befriend(env.node, ana, carla);
    const group = await ana.call('chats.createGroup', { name: 'Replay', userIds: [bruno.id] });
    const conversationId = group.id;
    const topic = `room:${conversationId}`;
    const secret = await ana.call('chats.send', { conversationId, clientId: id(), text: 'before carla: secret' });
    const doomed = await ana.call('chats.send', { conversationId, clientId: id(), text: 'to be deleted' });
    const edited = await ana.call('chats.send', { conversationId, clientId: id(), text: 'original wording' });
    await ana.call('chats.edit', { conversationId, seq: edited.seq, text: 'second wording' });
    await ana.call('chats.delete', { conversationId, seq: doomed.seq });
    await ana.call('chats.addMembers', { conversationId, userIds: [carla.id] });
    const quote = await ana.call('chats.send', { conversationId, clientId: id(), text: 'as I said', replyTo: secret.seq });
    const epoch = env.node.platform.topics.epoch;

    // Carla joined after the secret: replaying from 0 is a reset, never the old frames.
    const resumed = await carla.socket.request({ type: 'sub', topic, since: { epoch, seq: 0 } });
    expect(resumed.type).toBe('reply');
    await carla.socket.next((frame) => frame.type === 'reset' && frame.topic === topic);
    await ana.call('chats.send', { conversationId, clientId: id(), text: 'live after the resume' });
    await carla.event('message.new', (body) => (body.message as { text: string }).text === 'live after the resume');
    const carlaSaw = JSON.stringify(carla.socket.frames);
    for (const hidden of ['before carla: secret', 'to be deleted', 'original wording']) expect(carlaSaw).not.toContain(hidden);
    // Her history starts at her join, and the quote of the secret is empty for her too.
    const history = await carla.call('chats.history', { conversationId });
    expect(history.items[0]?.system?.action).toBe('added');
    expect(history.items.find((message) => message.seq === quote.seq)?.replyTo).toEqual({ seq: secret.seq, senderId: null, preview: '' });
    expect(JSON.stringify(history)).not.toContain('secret');
    // The live event of the quote went to Carla too, so it quoted nothing.
    expect(quote.replyTo).toEqual({ seq: secret.seq, senderId: null, preview: '' });

    // Bruno was there from the start: his replay has every seq, each message as it is now.
    await bruno.follow(topic);
    const before = roomEvents(bruno, topic).length;
    const upTo = ((await bruno.socket.request({ type: 'sub', topic, since: { epoch, seq: 0 } })).body as { seq: number }).seq;
    await expect.poll(() => roomEvents(bruno, topic).length - before, { timeout: 5000 }).toBe(upTo);
    const replayed = roomEvents(bruno, topic).slice(before);
    expect(replayed.map((frame) => frame.seq)).toEqual(Array.from({ length: upTo }, (_, index) => index + 1));
    const brunoSaw = JSON.stringify(replayed);
    expect(brunoSaw).toContain('before carla: secret');
    expect(brunoSaw).toContain('second wording');
    expect(brunoSaw).not.toContain('original wording');
    expect(brunoSaw).not.toContain('to be deleted');
    expect(bruno.socket.frames.some((frame) => frame.type === 'reset' && frame.topic === topic)).toBe(false);
  });
});
