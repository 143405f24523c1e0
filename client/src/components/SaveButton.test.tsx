// A post's Save button: a tap saves (the bookmark fills, pressed, "Saved"), a second tap unsaves;
// a refusal puts it back with the reason in a toast; on a card, `saved.changed` from the user's
// other devices moves it, for that post only.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, expect, test, vi } from 'vitest';
import { type EventFrame, ProtocolError } from '../../../protocol/client.ts';
import type { Post } from '../state/posts.ts';
import { actions, state } from '../state/store.ts';
import { PostCard } from './PostCard.tsx';
import { SaveButton } from './SaveButton.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderButton(send: (saved: boolean) => Promise<{ saved: boolean }>) {
  const [saved, setSaved] = createSignal(false);
  const sent: boolean[] = [];
  const done: boolean[] = [];
  render(() => (
    <SaveButton
      saved={saved()}
      onChange={setSaved}
      send={(next) => {
        sent.push(next);
        return send(next);
      }}
      onDone={(next) => done.push(next)}
    />
  ));
  return { saved, sent, done, button: () => screen.getByTestId('save') };
}

test('save button: a tap saves (pressed, filled, "Saved"), a second tap unsaves; each is told once the server took it', async () => {
  const { saved, sent, done, button } = renderButton(async (next) => ({ saved: next }));
  expect(button().getAttribute('aria-pressed')).toBe('false');
  expect(button().textContent).toBe('Save');
  fireEvent.click(button());
  expect(saved()).toBe(true);
  expect(button().getAttribute('aria-pressed')).toBe('true');
  expect(button().textContent).toBe('Saved');
  expect(button().querySelector('svg')?.getAttribute('fill')).toBe('currentColor');
  await waitFor(() => expect(done).toEqual([true]));
  fireEvent.click(button());
  expect(saved()).toBe(false);
  expect(button().querySelector('svg')?.getAttribute('fill')).toBe('none');
  await waitFor(() => expect(done).toEqual([true, false]));
  expect(sent).toEqual([true, false]);
});

test('save button: shown at once; a refusal puts it back and says why in a toast', async () => {
  let refuse: (error: unknown) => void = () => undefined;
  const { saved, done, button } = renderButton(
    () =>
      new Promise((_, reject) => {
        refuse = reject;
      }),
  );
  fireEvent.click(button());
  expect(saved()).toBe(true);
  refuse(new ProtocolError('TOO_MANY_SAVED_POSTS', 'at most 5000 saved posts', { limit: 5000 }));
  await waitFor(() => expect(saved()).toBe(false));
  expect(button().getAttribute('aria-pressed')).toBe('false');
  expect(state.toasts.at(-1)).toMatchObject({
    kind: 'error',
    text: 'You have saved as many posts as allowed. Remove some from Saved first.',
  });
  expect(done).toEqual([]);
});

const post: Post = {
  id: '0192a1b2-4444-7000-8000-000000000001',
  author: {
    id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a77',
    username: 'bruno',
    displayName: 'Bruno',
    avatarMediaId: null,
    verified: false,
    accountType: 'personal',
    badges: [],
  },
  pet: null,
  text: 'Max at the beach',
  entities: [],
  visibility: 'public',
  mediaIds: [],
  place: null,
  poll: null,
  reactions: { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 },
  comments: 0,
  shares: 0,
  myReaction: null,
  saved: false,
  createdAt: '2026-11-24T09:00:00.000Z',
  editedAt: null,
  shared: null,
};

test('save button on a card: it is the last of the action bar, saves through posts.save, and follows `saved.changed` for its post only', async () => {
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const call = vi.spyOn(actions, 'call').mockResolvedValue({ saved: true } as never);
  const tell = (body: { postId: string; saved: boolean }) => {
    for (const listener of listeners) listener({ type: 'event', topic: 'user:me', epoch: 'e', seq: 1, name: 'saved.changed', body });
  };
  render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <PostCard post={post} />} />
    </MemoryRouter>
  ));
  const card = screen.getByTestId(`post-${post.id}`);
  const bar = card.querySelector('.post-actions') as HTMLElement;
  const button = within(bar).getByRole('button', { name: 'Save' });
  expect(bar.lastElementChild).toBe(button);

  // Saved on another device: pressed here; another post's change leaves it alone.
  tell({ postId: post.id, saved: true });
  expect(button.getAttribute('aria-pressed')).toBe('true');
  tell({ postId: '0192a1b2-4444-7000-8000-000000000002', saved: false });
  expect(button.getAttribute('aria-pressed')).toBe('true');
  tell({ postId: post.id, saved: false });
  expect(button.getAttribute('aria-pressed')).toBe('false');

  fireEvent.click(button);
  expect(call).toHaveBeenCalledWith('posts.save', { postId: post.id, saved: true });
  await waitFor(() => expect(button.getAttribute('aria-pressed')).toBe('true'));
  cleanup();
  expect(listeners.size, 'the card stops listening when it goes').toBe(0);
});
