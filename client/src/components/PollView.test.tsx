// A poll votes, changes and withdraws at once, one choice or several as it allows; a closed poll
// only shows results; a refusal puts the votes back.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, expect, test } from 'vitest';
import { ProtocolError } from '../../../protocol/client.ts';
import { choose, type Poll, voted } from '../state/posts.ts';
import { state } from '../state/store.ts';
import { PollView } from './PollView.tsx';

afterEach(cleanup);

const poll = (overrides: Partial<Poll> = {}): Poll => ({
  multiple: false,
  closesAt: null,
  closed: false,
  options: [
    { text: 'Park', votes: 3 },
    { text: 'Beach', votes: 1 },
  ],
  voters: 4,
  myVotes: [],
  ...overrides,
});

function renderPoll(initial: Poll, send: (positions: number[]) => Promise<Poll>) {
  const [current, setCurrent] = createSignal(initial);
  render(() => <PollView postId="p-1" poll={current()} onChange={setCurrent} send={send} />);
  return current;
}

test('poll: the guess of a vote, a change and a withdrawal; several choices only when multiple', () => {
  const first = voted(poll(), [1]);
  expect(first).toMatchObject({ voters: 5, myVotes: [1], options: [{ votes: 3 }, { votes: 2 }] });
  expect(voted(first, [0])).toMatchObject({ voters: 5, myVotes: [0], options: [{ votes: 4 }, { votes: 1 }] });
  expect(voted(first, [])).toMatchObject({ voters: 4, myVotes: [], options: [{ votes: 3 }, { votes: 1 }] });
  expect(choose(poll({ myVotes: [0] }), 1)).toEqual([1]);
  expect(choose(poll({ myVotes: [0] }), 0)).toEqual([]);
  expect(choose(poll({ multiple: true, myVotes: [1] }), 0)).toEqual([0, 1]);
  expect(choose(poll({ multiple: true, myVotes: [0, 1] }), 1)).toEqual([0]);
});

test('poll: one choice as radios; voting moves the bars at once, then shows the server’s count; withdraw', async () => {
  const sent: number[][] = [];
  const current = renderPoll(poll(), async (positions) => {
    sent.push(positions);
    return { ...voted(poll(), positions), voters: 9 };
  });
  expect(screen.getAllByRole('radio')).toHaveLength(2);
  fireEvent.click(screen.getByRole('radio', { name: /Beach/ }));
  expect(current().myVotes).toEqual([1]);
  expect(screen.getByText('2 votes · 40%')).toBeTruthy();
  await waitFor(() => expect(screen.getByText('9 people voted')).toBeTruthy());
  expect((screen.getByRole('radio', { name: /Beach/ }) as HTMLInputElement).checked).toBe(true);
  fireEvent.click(screen.getByRole('button', { name: 'Withdraw my vote' }));
  await waitFor(() => expect(sent).toEqual([[1], []]));
  expect(current().myVotes).toEqual([]);
});

test('poll: multiple choice as checkboxes; a closed poll cannot be voted in', () => {
  renderPoll(poll({ multiple: true }), async () => poll());
  expect(screen.getAllByRole('checkbox')).toHaveLength(2);
  expect(screen.getByRole('group', { name: 'Poll: choose one or more' })).toBeTruthy();
  cleanup();
  renderPoll(poll({ closed: true, myVotes: [0] }), async () => poll());
  for (const radio of screen.getAllByRole('radio')) expect((radio as HTMLInputElement).disabled).toBe(true);
  expect(screen.queryByRole('button', { name: 'Withdraw my vote' })).toBeNull();
  expect(screen.getByText(/closed/)).toBeTruthy();
});

test('poll: a refusal puts the votes back, with the reason in a toast', async () => {
  const current = renderPoll(poll({ myVotes: [0] }), () => Promise.reject(new ProtocolError('POLL_CLOSED', 'the poll is closed')));
  fireEvent.click(screen.getByRole('radio', { name: /Beach/ }));
  expect(current().myVotes).toEqual([1]);
  await waitFor(() => expect(current().myVotes).toEqual([0]));
  expect(current().options.map((option) => option.votes)).toEqual([3, 1]);
  expect(state.toasts.at(-1)).toMatchObject({ kind: 'error', text: 'This poll is closed.' });
});
