// Help and support: the reader's messages and the team's answers in order, each once; sending
// sends the text with an idempotency key and clears the draft; an agent's answer arriving live
// (`support.message`) shows with the agent's name, isolated for bidi; a Pro conversation says
// priority; a closing arriving live says the next message opens another; without a helpdesk the
// screen says so and offers no form.
import { cleanup, fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import type { EventFrame } from '../../../../protocol/client.ts';
import { renderScreen } from '../../components/testing.tsx';
import { en } from '../../i18n/messages/en.ts';
import { actions } from '../../state/store.ts';
import Support from './Support.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

type History = CallResponse<'support.history'>;
type Message = History['page']['items'][number];
const conversation = {
  id: '0192a1b2-6666-7000-8000-0000000000c1',
  status: 'open' as const,
  priority: false,
  createdAt: '2026-12-07T10:00:00.000Z',
  closedAt: null,
};
const message = (id: string, fields: Partial<Message> = {}): Message => ({
  id: `0192a1b2-6666-7000-8000-0000000000${id}`,
  conversationId: conversation.id,
  author: 'user',
  agentName: null,
  text: 'Hello',
  createdAt: '2026-12-07T10:00:00.000Z',
  ...fields,
});

function serve(history: History) {
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: { text: string }) => {
    if (op === 'support.history') return history;
    if (op === 'support.send') return { conversation, message: message('d9', { text: body.text }) };
    if (op === 'support.close') return { conversation: { ...conversation, status: 'closed', closedAt: '2026-12-07T11:00:00.000Z' } };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  const emit = (name: string, body: unknown) => {
    for (const listener of listeners) listener({ type: 'event', topic: 'user:me', seq: 1, name, body } as EventFrame);
  };
  return { call, emit };
}

const texts = () => screen.queryAllByTestId('support-message').map((item) => item.querySelector('.text')?.textContent);

test('support: the history shows oldest first; a message sent goes with a clientId, shows once even when its event arrives too, and the draft clears', async () => {
  const { call, emit } = serve({
    conversation,
    available: true,
    page: { items: [message('d2', { author: 'agent', agentName: 'Lucía', text: 'How can we help?' }), message('d1')], nextCursor: null },
  });
  renderScreen(Support);
  await waitFor(() => expect(texts()).toEqual(['Hello', 'How can we help?']));
  const box = screen.getByLabelText(en['support.message']) as HTMLTextAreaElement;
  fireEvent.input(box, { target: { value: '  My photos do not upload  ' } });
  fireEvent.click(screen.getByRole('button', { name: en['support.send'] }));
  await waitFor(() =>
    expect(call).toHaveBeenCalledWith('support.send', {
      text: 'My photos do not upload',
      clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    }),
  );
  await waitFor(() => expect(texts()).toEqual(['Hello', 'How can we help?', 'My photos do not upload']));
  expect(box.value).toBe('');
  emit('support.message', { message: message('d9', { text: 'My photos do not upload' }) });
  expect(texts()).toHaveLength(3);
});

test('support: an agent’s answer arriving live shows with the agent’s name, its text isolated for bidi', async () => {
  const { emit } = serve({ conversation, available: true, page: { items: [message('d1')], nextCursor: null } });
  renderScreen(Support);
  await waitFor(() => expect(texts()).toEqual(['Hello']));
  emit('support.message', { message: message('d3', { author: 'agent', agentName: 'سارة', text: 'مرحبا! كيف نساعدك؟' }) });
  await waitFor(() => expect(texts()).toEqual(['Hello', 'مرحبا! كيف نساعدك؟']));
  const answer = screen.getAllByTestId('support-message')[1] as HTMLElement;
  expect(answer.dataset.author).toBe('agent');
  expect(answer.querySelector('.text')?.getAttribute('dir')).toBe('auto');
  expect(answer.querySelector('.sender')?.textContent).toContain('سارة');
});

test('support: a Pro conversation says priority; closing it (here or from the team) says the next message opens another', async () => {
  const { call } = serve({
    conversation: { ...conversation, priority: true },
    available: true,
    page: { items: [message('d1')], nextCursor: null },
  });
  renderScreen(Support);
  expect((await screen.findByTestId('support-priority')).textContent).toContain(en['support.priority']);
  fireEvent.click(screen.getByRole('button', { name: en['support.close'] }));
  await waitFor(() => expect(call).toHaveBeenCalledWith('support.close', {}));
  expect((await screen.findByTestId('support-closed')).textContent).toBe(en['support.closed']);
  expect(screen.queryByTestId('support-priority')).toBeNull();
  expect(screen.queryByRole('button', { name: en['support.close'] })).toBeNull();
  cleanup();

  const live = serve({ conversation, available: true, page: { items: [message('d1')], nextCursor: null } });
  renderScreen(Support);
  await screen.findByRole('button', { name: en['support.close'] });
  live.emit('support.closed', { conversation: { ...conversation, status: 'closed', closedAt: '2026-12-07T11:00:00.000Z' } });
  expect((await screen.findByTestId('support-closed')).textContent).toBe(en['support.closed']);
});

test('support: without a helpdesk the screen says so and has no form', async () => {
  serve({ conversation: null, available: false, page: { items: [], nextCursor: null } });
  renderScreen(Support);
  expect((await screen.findByTestId('support-unavailable')).textContent).toBe(en['support.unavailable']);
  expect(screen.queryByLabelText(en['support.message'])).toBeNull();
  expect(screen.queryByRole('button', { name: en['support.send'] })).toBeNull();
});
