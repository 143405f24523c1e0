// The conversations list: names (the other person, or the group's), the last message as a
// preview ("You: …", a system line, an encrypted one), unread counts, and a conversation that gets
// a message moves to the top at once.
import { MemoryRouter, Route } from '@solidjs/router';
import { render, screen, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { EventFrame } from '../../../protocol/client.ts';
import type { Chat, ChatMessage } from '../state/messageLog.ts';
import { actions } from '../state/store.ts';
import { chatMessage } from '../state/testing.ts';
import Chats from './Chats.tsx';

afterEach(() => vi.restoreAllMocks());

const bruno = {
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000b000',
  username: 'bruno',
  displayName: 'Bruno',
  avatarMediaId: null,
  verified: false,
  accountType: 'personal' as const,
  badges: [],
};
const last = (overrides: Partial<ChatMessage>) =>
  chatMessage(3, { conversationId: 'c', id: 'm', senderId: bruno.id, clientId: null, text: '¿Paseo a las 6?', ...overrides });
const chat = (id: string, overrides: Partial<Chat>): Chat => ({
  id,
  kind: 'direct',
  name: null,
  pictureMediaId: null,
  peer: bruno,
  memberCount: 2,
  lastSeq: 3,
  unread: 0,
  lastMessage: null,
  lastActivityAt: '2026-11-24T18:00:00.000Z',
  encrypted: false,
  me: { role: 'member', state: 'active', readSeq: 3, joinedSeq: 0, mutedUntil: null },
  ...overrides,
});

test('chats: the list names each conversation, previews its last message, shows unread counts, and reorders live', async () => {
  const items = [
    chat('c-direct', { unread: 2, lastMessage: last({}) }),
    chat('c-group', {
      kind: 'group',
      name: 'Paseos del parque',
      peer: null,
      memberCount: 3,
      lastMessage: last({
        kind: 'system',
        senderId: null,
        text: '',
        system: { action: 'created', actorId: bruno.id, userIds: [], name: null, call: null },
      }),
    }),
    chat('c-secret', { lastMessage: last({ kind: 'encrypted', text: '' }) }),
  ];
  vi.spyOn(actions, 'call').mockImplementation((async (op: string) => {
    if (op === 'chats.list') return { items, nextCursor: null };
    if (op === 'chats.delivered') return { deliveredSeq: 3 };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  let listener: ((event: EventFrame) => void) | undefined;
  vi.spyOn(actions, 'onUserEvent').mockImplementation((each) => {
    listener = each;
    return () => undefined;
  });
  render(() => (
    <MemoryRouter>
      <Route path="/" component={Chats} />
    </MemoryRouter>
  ));
  const direct = await screen.findByTestId('chat-c-direct');
  expect(within(direct).getByRole('link').textContent).toBe('Bruno');
  expect(direct.textContent).toContain('¿Paseo a las 6?');
  expect(within(direct).getByRole('img', { name: '2 unread' }).textContent).toBe('2');
  const group = screen.getByTestId('chat-c-group');
  expect(within(group).getByRole('link').textContent).toBe('Paseos del parque');
  // The list does not know a group's members: the actor of a system line is "Someone" there.
  expect(group.textContent).toContain('\u2068Someone\u2069 created the group');
  expect(screen.getByTestId('chat-c-secret').textContent).toContain('🔒 Encrypted message');
  expect(within(group).queryByTestId('chat-unread')).toBeNull();

  listener?.({
    type: 'event',
    topic: 'user:me',
    epoch: 'e',
    seq: 1,
    name: 'chats.unread',
    body: { conversationId: 'c-secret', unread: 1, conversations: 2, requests: 0 },
  });
  const order = () => screen.getAllByRole('listitem').map((item) => item.dataset.testid);
  expect(order()).toEqual(['chat-c-secret', 'chat-c-direct', 'chat-c-group']);
});
