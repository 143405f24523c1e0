// An open conversation against a fake socket: a live message that skips seqs fetches the gap,
// replays and overlaps show each seq once, a reset or a rejoin catches up, and a failed send is
// retried with the same clientId.
import { createRoot } from 'solid-js';
import { afterEach, expect, test, vi } from 'vitest';
import type { EventFrame, PetAmigosClient, SignalFrame } from '../../../protocol/client.ts';
import { ProtocolError } from '../../../protocol/client.ts';
import { createConversation } from './conversation.ts';
import type { ChatMessage } from './messageLog.ts';
import { actions } from './store.ts';
import { chatMessage } from './testing.ts';

afterEach(() => vi.restoreAllMocks());

const conversationId = '0192a1b2-c3d4-7e5f-8a9b-00000000c4a7';
const bruno = '0192a1b2-c3d4-7e5f-8a9b-00000000b000';
const message = (seq: number, overrides: Partial<ChatMessage> = {}) => chatMessage(seq, { conversationId, senderId: bruno, ...overrides });
const chat = {
  id: conversationId,
  kind: 'direct' as const,
  name: null,
  pictureMediaId: null,
  peer: null,
  memberCount: 2,
  lastSeq: 0,
  unread: 0,
  lastMessage: null,
  lastActivityAt: '2026-11-24T18:00:00.000Z',
  encrypted: false,
  me: { role: 'member' as const, state: 'active' as const, readSeq: 0, joinedSeq: 0, mutedUntil: null },
};

const brunoMember = {
  person: {
    id: bruno,
    username: 'bruno',
    displayName: 'Bruno',
    avatarMediaId: null,
    verified: false,
    accountType: 'personal' as const,
    badges: [],
  },
  role: 'member' as const,
  readSeq: 2,
  deliveredSeq: 3,
};

interface Room {
  onEvent: (event: EventFrame) => void;
  options: {
    onReset?: (at: { epoch: string; seq: number }) => void;
    onState?: (state: string) => void;
    onSignal?: (signal: SignalFrame) => void;
  };
}

/** A server holding `stored` messages: history pages of up to `page`, and the calls made. */
function serve(stored: ChatMessage[], page = 50) {
  const calls: { op: string; body: Record<string, unknown> }[] = [];
  let room: Room | undefined;
  let topicSeq = 0;
  const socket = {
    subscribe: (_topic: string, onEvent: Room['onEvent'], options: Room['options']) => {
      room = { onEvent, options };
      return { topic: _topic, state: 'joined', position: undefined, unsubscribe: async () => undefined };
    },
  } as unknown as PetAmigosClient;
  vi.spyOn(actions, 'socket').mockReturnValue(socket);
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    calls.push({ op, body });
    if (op === 'chats.get')
      return { chat: structuredClone(chat), members: [structuredClone(brunoMember)], e2eeAvailable: false, canSend: true };
    if (op === 'chats.history') {
      const sorted = [...stored].sort((a, b) => a.seq - b.seq);
      if (typeof body.after === 'number') {
        const after = sorted.filter((each) => each.seq > (body.after as number));
        return { items: after.slice(0, page), more: after.length > page };
      }
      const before = typeof body.before === 'number' ? sorted.filter((each) => each.seq < (body.before as number)) : sorted;
      return { items: before.slice(-page), more: before.length > page };
    }
    if (op === 'chats.delivered' || op === 'chats.read') return { deliveredSeq: 0, readSeq: 0, unread: 0 };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  return {
    calls,
    call,
    live: (each: ChatMessage) =>
      room?.onEvent({
        type: 'event',
        topic: `room:${conversationId}`,
        epoch: 'e',
        seq: ++topicSeq,
        name: 'message.new',
        body: { message: each },
      }),
    room: () => room as Room,
  };
}

const seqs = (messages: Record<number, ChatMessage>) => Object.values(messages).map((each) => each.seq);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('conversation: a live message past a hole fetches the missed ones; every seq shows once, in order', async () => {
  const stored = [1, 2, 3].map((seq) => message(seq));
  const server = serve(stored);
  const c = createRoot(() => createConversation(conversationId));
  c.start();
  await vi.waitFor(() => expect(c.conv.loaded).toBe(true));
  expect(seqs(c.conv.messages)).toEqual([1, 2, 3]);

  stored.push(message(4), message(5), message(6));
  server.live(message(6));
  await vi.waitFor(() => expect(seqs(c.conv.messages)).toEqual([1, 2, 3, 4, 5, 6]));
  expect(server.calls.filter((each) => each.op === 'chats.history').at(-1)?.body).toMatchObject({ after: 3 });

  // The same message again (a replay overlapping what came live) changes nothing.
  server.live(message(5));
  server.live(message(6));
  await settle();
  expect(seqs(c.conv.messages)).toEqual([1, 2, 3, 4, 5, 6]);
});

test('conversation: the newest page comes first; older pages join before it until there are no more', async () => {
  serve(Array.from({ length: 120 }, (_, index) => message(index + 1)));
  const c = createRoot(() => createConversation(conversationId));
  c.start();
  await vi.waitFor(() => expect(c.conv.loaded).toBe(true));
  expect(seqs(c.conv.messages)).toEqual(Array.from({ length: 50 }, (_, index) => index + 71));
  expect(c.conv.olderMore).toBe(true);
  await c.loadOlder();
  expect(seqs(c.conv.messages)[0]).toBe(21);
  expect(await c.reach(3)).toBe(true);
  expect(seqs(c.conv.messages)).toEqual(Array.from({ length: 120 }, (_, index) => index + 1));
  expect(c.conv.olderMore).toBe(false);
});

test('conversation: a reset and a rejoin after a reconnect read the history after the last seq, page after page', async () => {
  const stored = [1, 2].map((seq) => message(seq));
  const server = serve(stored, 2);
  const c = createRoot(() => createConversation(conversationId));
  c.start();
  server.room().options.onState?.('joined');
  await vi.waitFor(() => expect(c.conv.loaded).toBe(true));

  for (let seq = 3; seq <= 7; seq++) stored.push(message(seq));
  server.room().options.onState?.('joining');
  server.room().options.onState?.('joined');
  await vi.waitFor(() => expect(seqs(c.conv.messages)).toEqual([1, 2, 3, 4, 5, 6, 7]));
  const afters = server.calls.filter((each) => each.op === 'chats.history' && 'after' in each.body).map((each) => each.body.after);
  expect(afters).toEqual([2, 4, 6]);

  stored.push(message(8));
  server.room().options.onReset?.({ epoch: 'e2', seq: 0 });
  await vi.waitFor(() => expect(seqs(c.conv.messages)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]));
});

test('conversation: a send that drops is retried with the same clientId, and its pending copy leaves once stored', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  try {
    const server = serve([]);
    const c = createRoot(() => createConversation(conversationId));
    c.start();
    await vi.waitFor(() => expect(c.conv.loaded).toBe(true));
    const clientIds: string[] = [];
    const base = server.call.getMockImplementation() as typeof actions.call;
    server.call.mockImplementation((async (op: string, body: Record<string, unknown>) => {
      if (op !== 'chats.send') return base(op as never, body as never);
      clientIds.push(body.clientId as string);
      if (clientIds.length === 1) throw new ProtocolError('DISCONNECTED', 'the socket closed before the reply');
      return message(1, { senderId: null, clientId: body.clientId as string, text: body.text as string });
    }) as typeof actions.call);

    c.send('¿Paseo a las 6?');
    expect(c.conv.pending.map((each) => each.state)).toEqual(['sending']);
    await vi.advanceTimersByTimeAsync(1500);
    expect(clientIds).toHaveLength(2);
    expect(clientIds[1]).toBe(clientIds[0]);
    expect(seqs(c.conv.messages)).toEqual([1]);
    expect(c.conv.messages[1]?.text).toBe('¿Paseo a las 6?');
  } finally {
    vi.useRealTimers();
  }
});

test('conversation: once encryption is turned on (live), a message not encrypted is never sent; an encrypted one is', async () => {
  const server = serve([]);
  const c = createRoot(() => createConversation(conversationId));
  c.start();
  await vi.waitFor(() => expect(c.conv.loaded).toBe(true));
  const base = server.call.getMockImplementation() as typeof actions.call;
  server.call.mockImplementation((async (op: string, body: Record<string, unknown>) => {
    if (op !== 'chats.send') return base(op as never, body as never);
    server.calls.push({ op, body });
    return message(1, {
      senderId: null,
      clientId: body.clientId as string,
      kind: 'encrypted',
      text: '',
      encrypted: body.encrypted as never,
    });
  }) as typeof actions.call);
  server.room().onEvent({
    type: 'event',
    topic: `room:${conversationId}`,
    epoch: 'e',
    seq: 1,
    name: 'chat.changed',
    body: { conversationId, name: null, pictureMediaId: null, encrypted: true },
  });
  expect(c.conv.chat?.encrypted).toBe(true);

  expect(c.send('en claro')).toBe(false);
  expect(c.send('', undefined, undefined, ['0192a1b2-c3d4-7e5f-8a9b-0000000d1a00'])).toBe(false);
  await settle();
  expect(server.calls.filter((each) => each.op === 'chats.send')).toEqual([]);
  expect(c.conv.pending).toEqual([]);

  const sealed = {
    senderKeyId: '0192a1b2-c3d4-7e5f-8a9b-0000000000e1',
    recipientKeyId: '0192a1b2-c3d4-7e5f-8a9b-0000000000e2',
    iv: 'AAAAAAAAAAAAAAAA',
    ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA==',
  };
  expect(c.send('secreto', undefined, sealed)).toBe(true);
  await vi.waitFor(() => expect(server.calls.filter((each) => each.op === 'chats.send')).toHaveLength(1));
  const sent = server.calls.find((each) => each.op === 'chats.send')?.body;
  expect(sent).toMatchObject({ encrypted: sealed });
  expect(sent).not.toHaveProperty('text');
});

test('conversation: a refused send stays failed with the reason, MESSAGE_NOT_ALLOWED puts the notice in place of the composer, and retry sends it again with the same clientId', async () => {
  const server = serve([]);
  const c = createRoot(() => createConversation(conversationId));
  c.start();
  await vi.waitFor(() => expect(c.conv.loaded).toBe(true));
  const clientIds: string[] = [];
  const base = server.call.getMockImplementation() as typeof actions.call;
  server.call.mockImplementation((async (op: string, body: Record<string, unknown>) => {
    if (op !== 'chats.send') return base(op as never, body as never);
    clientIds.push(body.clientId as string);
    throw new ProtocolError('MESSAGE_NOT_ALLOWED', 'refused');
  }) as typeof actions.call);
  c.send('hola');
  await vi.waitFor(() => expect(c.conv.pending[0]?.state).toBe('failed'));
  expect(c.conv.pending[0]?.error).toBe('This person does not take messages from you.');
  // The refusal tells the conversation view to show why instead of the composer.
  expect(c.conv.canSend).toBe(false);
  c.retry(c.conv.pending[0]?.clientId as string);
  await vi.waitFor(() => expect(clientIds).toHaveLength(2));
  expect(new Set(clientIds).size).toBe(1);
});

test('conversation: typing shows the member for about 5 s; receipts and the member’s own messages move the pointers forward only', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  try {
    const server = serve([]);
    const c = createRoot(() => createConversation(conversationId));
    c.start();
    await vi.waitFor(() => expect(c.conv.loaded).toBe(true));
    const signal = (name: string, body: Record<string, unknown>) =>
      server.room().options.onSignal?.({ type: 'signal', topic: `room:${conversationId}`, name, body });
    signal('typing', { conversationId, userId: bruno });
    expect(c.typing()).toEqual([bruno]);
    await vi.advanceTimersByTimeAsync(5100);
    expect(c.typing()).toEqual([]);
    signal('receipt', { conversationId, userId: bruno, deliveredSeq: 5, readSeq: 1 });
    expect(c.conv.members[0]).toMatchObject({ deliveredSeq: 5, readSeq: 2 });
    // Bruno's own message says he has read up to it (the room moves his pointer without a signal).
    server.live(message(7));
    expect(c.conv.members[0]).toMatchObject({ deliveredSeq: 7, readSeq: 7 });
  } finally {
    vi.useRealTimers();
  }
});
