// A post's reaction button: a tap likes, a second tap takes the reaction back; the toggle opens the
// six reactions, choosing one closes them and the button then shows it; Escape and a tap elsewhere
// close them; a refusal puts everything back.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, expect, test } from 'vitest';
import { ProtocolError } from '../../../protocol/client.ts';
import type { ReactionCounts, ReactionKind } from '../state/posts.ts';
import { ReactionButton } from './ReactionButton.tsx';

afterEach(cleanup);

const zero: ReactionCounts = { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 };
const LABEL = 'Reactions to the post by Ana';

function renderButton(send: (kind: ReactionKind | null) => Promise<{ reactions: ReactionCounts; myReaction: ReactionKind | null }>) {
  const [counts, setCounts] = createSignal<ReactionCounts>({ ...zero, love: 1 });
  const [mine, setMine] = createSignal<ReactionKind | null>(null);
  const sent: (ReactionKind | null)[] = [];
  render(() => (
    <ReactionButton
      label={LABEL}
      counts={counts()}
      mine={mine()}
      onChange={(next, kind) => {
        setCounts(next);
        setMine(kind);
      }}
      send={(kind) => {
        sent.push(kind);
        return send(kind);
      }}
    />
  ));
  return { counts, mine, sent };
}

const echo = (counts: () => ReactionCounts) => async (kind: ReactionKind | null) => ({ reactions: counts(), myReaction: kind });
const tray = () => screen.getByTestId('reaction-tray');

test('reaction button: a tap likes, a second tap takes it back', async () => {
  let current = (): ReactionCounts => zero;
  const { counts, mine, sent } = renderButton((kind) => echo(current)(kind));
  current = counts;
  fireEvent.click(screen.getByTestId('react'));
  expect(mine()).toBe('like');
  expect(counts()).toEqual({ ...zero, like: 1, love: 1 });
  expect(screen.getByTestId('react').getAttribute('aria-pressed')).toBe('true');
  await waitFor(() => expect(sent).toEqual(['like']));
  fireEvent.click(screen.getByTestId('react'));
  await waitFor(() => expect(sent).toEqual(['like', null]));
  expect(mine()).toBeNull();
  expect(tray().hidden).toBe(true);
});

test('reaction button: the toggle opens the six; choosing one closes them and the button shows it; Escape and a tap elsewhere close them', async () => {
  let current = (): ReactionCounts => zero;
  const { counts, mine } = renderButton((kind) => echo(current)(kind));
  current = counts;
  const toggle = screen.getByRole('button', { name: LABEL });
  expect(toggle.getAttribute('aria-expanded')).toBe('false');
  fireEvent.click(toggle);
  expect(tray().hidden).toBe(false);
  expect(toggle.getAttribute('aria-expanded')).toBe('true');
  expect(tray().querySelectorAll('button.reaction')).toHaveLength(6);
  fireEvent.click(tray().querySelector('[data-kind="haha"]') as HTMLElement);
  expect(tray().hidden).toBe(true);
  expect(mine()).toBe('haha');
  expect(screen.getByTestId('react').textContent).toContain('Haha');
  fireEvent.click(toggle);
  fireEvent.keyDown(document, { key: 'Escape' });
  expect(tray().hidden).toBe(true);
  fireEvent.click(toggle);
  fireEvent.pointerDown(document.body);
  expect(tray().hidden).toBe(true);
});

test('reaction button: a refused like goes back', async () => {
  const { counts, mine } = renderButton(async () => {
    throw new ProtocolError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 3 });
  });
  fireEvent.click(screen.getByTestId('react'));
  await waitFor(() => expect(mine()).toBeNull());
  expect(counts()).toEqual({ ...zero, love: 1 });
});
