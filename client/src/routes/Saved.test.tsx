// The saved posts screen: the list as the server gives it, skeletons while it loads, the
// illustrated empty state; unsaving takes the card out with Undo, which saves it again in its
// place; saves and unsaves from the user's other devices arrive live.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { EventFrame } from '../../../protocol/client.ts';
import type { Post } from '../state/posts.ts';
import { actions, state } from '../state/store.ts';
import Saved from './Saved.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const post = (n: number, text: string): Post => ({
  id: `0192a1b2-4444-7000-8000-00000000000${n}`,
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
  text,
  entities: [],
  visibility: 'public',
  mediaIds: [],
  place: null,
  poll: null,
  reactions: { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 },
  comments: 0,
  shares: 0,
  myReaction: null,
  saved: true,
  createdAt: '2026-11-24T09:00:00.000Z',
  editedAt: null,
  shared: null,
});

type Page = { items: Post[]; nextCursor: string | null };

/** The server, as far as the screen asks it: its saved list, posts.get, posts.save; and the user's topic. */
function serve(saved: Post[] | (() => Promise<Page>), others: Post[] = []) {
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const page = typeof saved === 'function' ? saved : async () => ({ items: saved, nextCursor: null });
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: { postId: string; saved: boolean }) => {
    if (op === 'posts.saved') return page();
    if (op === 'posts.save') return { saved: body.saved };
    if (op === 'posts.get') return others.find((each) => each.id === body.postId);
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  render(() => (
    <MemoryRouter>
      <Route path="/" component={Saved} />
    </MemoryRouter>
  ));
  return {
    call,
    tell(body: { postId: string; saved: boolean }) {
      for (const listener of [...listeners]) listener({ type: 'event', topic: 'user:me', epoch: 'e', seq: 1, name: 'saved.changed', body });
    },
  };
}

const shown = () =>
  within(screen.getByRole('list', { name: 'Saved' }))
    .queryAllByRole('article')
    .map((card) => card.dataset.testid);

test('saved: the saved posts in the order the server gives them, under the title, each with its bookmark pressed', async () => {
  const [first, second] = [post(1, 'Luna at the park'), post(2, 'Max at the beach')];
  const { call } = serve([first, second]);
  expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Saved');
  await waitFor(() => expect(shown()).toEqual([`post-${first.id}`, `post-${second.id}`]));
  expect(call).toHaveBeenCalledWith('posts.saved', { cursor: undefined });
  for (const button of screen.getAllByTestId('save')) expect(button.getAttribute('aria-pressed')).toBe('true');
  expect(screen.queryByText('Nothing saved yet')).toBeNull();
});

test('saved: skeletons while the first page loads; nothing saved shows the illustrated empty state with its hint', async () => {
  let resolve: (page: Page) => void = () => undefined;
  serve(
    () =>
      new Promise((settle) => {
        resolve = settle;
      }),
  );
  expect(screen.getAllByTestId('skeleton').length).toBeGreaterThan(0);
  resolve({ items: [], nextCursor: null });
  await screen.findByText('Nothing saved yet');
  expect(screen.getByText('Tap the bookmark on a post to keep it here for later. Only you can see what you save.')).toBeTruthy();
  expect(document.querySelector('.ui-empty-art')).not.toBeNull();
  expect(screen.queryAllByTestId('skeleton')).toEqual([]);
});

test('saved: unsaving takes the card out with Undo in the toast; Undo saves it again in its place', async () => {
  const posts = [post(1, 'one'), post(2, 'two'), post(3, 'three')];
  const { call } = serve(posts);
  await waitFor(() => expect(shown()).toHaveLength(3));
  const second = screen.getByTestId(`post-${posts[1]?.id}`);
  fireEvent.click(within(second).getByTestId('save'));
  expect(call).toHaveBeenCalledWith('posts.save', { postId: posts[1]?.id, saved: false });
  await waitFor(() => expect(shown()).toEqual([`post-${posts[0]?.id}`, `post-${posts[2]?.id}`]));
  const toast = state.toasts.at(-1);
  expect(toast).toMatchObject({ kind: 'info', text: 'Removed from your saved posts.', action: { label: 'Undo' } });
  toast?.action?.run();
  expect(shown()).toEqual(posts.map((each) => `post-${each.id}`));
  expect(call).toHaveBeenLastCalledWith('posts.save', { postId: posts[1]?.id, saved: true });
  expect(
    within(screen.getByTestId(`post-${posts[1]?.id}`))
      .getByTestId('save')
      .getAttribute('aria-pressed'),
  ).toBe('true');
});

test("saved: the user's other devices: an unsaved post leaves, a newly saved one goes on top, once", async () => {
  const posts = [post(1, 'one'), post(2, 'two')];
  const fresh = post(3, 'saved on the phone');
  const { call, tell } = serve(posts, [fresh]);
  await waitFor(() => expect(shown()).toHaveLength(2));
  tell({ postId: posts[0]?.id as string, saved: false });
  expect(shown()).toEqual([`post-${posts[1]?.id}`]);
  tell({ postId: fresh.id, saved: true });
  await waitFor(() => expect(shown()).toEqual([`post-${fresh.id}`, `post-${posts[1]?.id}`]));
  tell({ postId: fresh.id, saved: true });
  expect(call.mock.calls.filter(([op]) => op === 'posts.get')).toHaveLength(1);
  expect(shown()).toHaveLength(2);
});
