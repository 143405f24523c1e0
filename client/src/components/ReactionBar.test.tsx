// Reactions change at once: choose, change, take back; the server's answer replaces the guess,
// and a refusal puts the counts back and says why in a toast.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, expect, test } from 'vitest';
import { ProtocolError } from '../../../protocol/client.ts';
import { type ReactionCounts, type ReactionKind, reacted } from '../state/posts.ts';
import { state } from '../state/store.ts';
import { ReactionBar } from './ReactionBar.tsx';

afterEach(cleanup);

const zero: ReactionCounts = { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 };

function renderBar(send: (kind: ReactionKind | null) => Promise<{ reactions: ReactionCounts; myReaction: ReactionKind | null }>) {
  const [counts, setCounts] = createSignal<ReactionCounts>({ ...zero, like: 2 });
  const [mine, setMine] = createSignal<ReactionKind | null>(null);
  const seen: [ReactionCounts, ReactionKind | null][] = [];
  render(() => (
    <ReactionBar
      label="Reactions to the post by Ana"
      counts={counts()}
      mine={mine()}
      onChange={(next, kind) => {
        seen.push([next, kind]);
        setCounts(next);
        setMine(kind);
      }}
      send={send}
    />
  ));
  return { counts, mine, seen };
}

const button = (name: string) => screen.getByRole('button', { name });

test('reactions: the guess of each change', () => {
  expect(reacted({ ...zero, like: 2 }, null, 'love')).toEqual({ ...zero, like: 2, love: 1 });
  expect(reacted({ ...zero, like: 2, love: 1 }, 'love', 'like')).toEqual({ ...zero, like: 3 });
  expect(reacted({ ...zero, like: 1 }, 'like', null)).toEqual(zero);
  expect(reacted(zero, 'sad', null)).toEqual(zero);
});

test('reactions: a choice shows at once, then the server’s counts; tapping it again takes it back', async () => {
  let answer: (value: { reactions: ReactionCounts; myReaction: ReactionKind | null }) => void = () => undefined;
  const sent: (ReactionKind | null)[] = [];
  const { counts, mine } = renderBar((kind) => {
    sent.push(kind);
    return new Promise((resolve) => {
      answer = resolve;
    });
  });
  expect(screen.getByRole('group', { name: 'Reactions to the post by Ana' })).toBeTruthy();
  fireEvent.click(button('Love (0)'));
  expect(button('Love (1)').getAttribute('aria-pressed')).toBe('true');
  expect(counts()).toEqual({ ...zero, like: 2, love: 1 });
  answer({ reactions: { ...zero, like: 3, love: 1 }, myReaction: 'love' });
  await waitFor(() => expect(counts().like).toBe(3));

  fireEvent.click(button('Love (1)'));
  expect(mine()).toBeNull();
  expect(sent).toEqual(['love', null]);
});

test('reactions: a refusal puts the counts and the choice back, with a toast', async () => {
  const { counts, mine, seen } = renderBar(() => Promise.reject(new ProtocolError('NOT_FOUND', 'post gone')));
  fireEvent.click(button('Haha (0)'));
  expect(seen[0]).toEqual([{ ...zero, like: 2, haha: 1 }, 'haha']);
  await waitFor(() => expect(seen.length).toBe(2));
  expect(counts()).toEqual({ ...zero, like: 2 });
  expect(mine()).toBeNull();
  expect(button('Haha (0)').getAttribute('aria-pressed')).toBe('false');
  expect(state.toasts.at(-1)).toMatchObject({ kind: 'error', text: 'This is no longer available.' });
});
