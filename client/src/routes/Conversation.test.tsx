// The conversation view's foot: the composer while the other person takes messages from the user,
// and in its place the reason when they do not (chats.get `canSend`, or a refused send).
import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { PetAmigosClient } from '../../../protocol/client.ts';
import { actions } from '../state/store.ts';
import Conversation from './Conversation.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const conversationId = '0192a1b2-c3d4-7e5f-8a9b-00000000c4a7';
const bruno = {
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000b000',
  username: 'bruno',
  displayName: 'Bruno',
  avatarMediaId: null,
  verified: false,
  accountType: 'personal' as const,
  badges: [],
};
const chat = {
  id: conversationId,
  kind: 'direct' as const,
  name: null,
  pictureMediaId: null,
  peer: bruno,
  memberCount: 2,
  lastSeq: 0,
  unread: 0,
  lastMessage: null,
  lastActivityAt: '2026-11-24T18:00:00.000Z',
  me: { role: 'member' as const, state: 'active' as const, readSeq: 0, joinedSeq: 0, mutedUntil: null },
};

function open(canSend: boolean) {
  const socket = {
    subscribe: (topic: string) => ({ topic, state: 'joined', position: undefined, unsubscribe: async () => undefined }),
  } as unknown as PetAmigosClient;
  vi.spyOn(actions, 'socket').mockReturnValue(socket);
  vi.spyOn(actions, 'call').mockImplementation((async (op: string) => {
    if (op === 'chats.get')
      return { chat, members: [{ person: bruno, role: 'member', readSeq: 0, deliveredSeq: 0 }], e2eeAvailable: false, canSend };
    if (op === 'chats.history') return { items: [], more: false };
    if (op === 'chats.delivered' || op === 'chats.read') return { deliveredSeq: 0, readSeq: 0, unread: 0 };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  const history = createMemoryHistory();
  history.set({ value: `/chats/${conversationId}` });
  render(() => (
    <MemoryRouter history={history}>
      <Route path="/chats/:conversationId" component={Conversation} />
    </MemoryRouter>
  ));
}

test('conversation view: when Bruno does not take messages from the user, "Bruno doesn’t accept messages from you." replaces the composer', async () => {
  open(false);
  expect((await screen.findByTestId('not-accepting')).textContent).toBe('\u2068Bruno\u2069 doesn’t accept messages from you.');
  expect(screen.queryByRole('textbox')).toBeNull();
});

test('conversation view: while Bruno takes messages from the user, the composer shows and the notice does not', async () => {
  open(true);
  expect(await screen.findByRole('textbox')).toBeTruthy();
  expect(screen.queryByTestId('not-accepting')).toBeNull();
});
