// The author edits a post (text with the composer's counter, visibility) and deletes it after
// confirming; both show at once and are put back when the server refuses, an edit's refusal on
// the field it names, a delete's in a toast. Other people's posts offer neither.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { ProtocolError } from '../../../protocol/client.ts';
import type { Post } from '../state/posts.ts';
import { actions, state } from '../state/store.ts';
import { PostCard } from './PostCard.tsx';

const ME = vi.hoisted(() => {
  const me = { id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', username: 'ana_luna', displayName: 'Ana' };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's', user: me }));
  return me;
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const person = (id: string, username: string) => ({
  id,
  username,
  displayName: '',
  avatarMediaId: null,
  verified: false,
  accountType: 'personal' as const,
  badges: [],
});
const zero = { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 };
const post = (overrides: Partial<Post> = {}): Post => ({
  id: '0192a1b2-4444-7000-8000-000000000001',
  author: person(ME.id, ME.username),
  pet: null,
  text: 'Sunny day at the #playa',
  entities: [{ type: 'hashtag', start: 17, end: 23, value: 'playa' }],
  visibility: 'friends',
  mediaIds: [],
  place: null,
  poll: null,
  reactions: zero,
  comments: 0,
  shares: 0,
  myReaction: null,
  saved: false,
  createdAt: '2026-11-24T09:00:00.000Z',
  editedAt: null,
  shared: null,
  ...overrides,
});

function renderCard(initial: Post) {
  const gone = vi.fn();
  render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <PostCard post={initial} onGone={gone} />} />
    </MemoryRouter>
  ));
  return { gone, card: () => screen.getByTestId(`post-${initial.id}`) };
}

/** A call that answers when told to. */
function deferred<T>() {
  let settle: { resolve: (value: T) => void; reject: (error: unknown) => void } = { resolve: () => undefined, reject: () => undefined };
  const promise = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return { promise, ...settle };
}

const menuEntry = (name: string) => screen.queryByRole('button', { name });

test('post card: only the author is offered to edit and delete', () => {
  expect(state.user?.id).toBe(ME.id);
  renderCard(post({ author: person('0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a77', 'bruno') }));
  expect(menuEntry('Edit post')).toBeNull();
  expect(menuEntry('Delete post')).toBeNull();
  cleanup();
  renderCard(post());
  expect(menuEntry('Edit post')).toBeTruthy();
  expect(menuEntry('Delete post')).toBeTruthy();
});

test('post card: an edit shows at once with the counter, then the server’s post; a refusal goes back and names the field', async () => {
  const answer = deferred<Post>();
  const call = vi.spyOn(actions, 'call').mockReturnValueOnce(answer.promise as never);
  const { card } = renderCard(post());
  fireEvent.click(screen.getByRole('button', { name: 'Edit post' }));
  const dialog = screen.getByRole('dialog', { name: 'Edit your post' });
  const text = screen.getByLabelText('Text') as HTMLTextAreaElement;
  expect(text.value).toBe('Sunny day at the #playa');
  expect(screen.getByText('23 of 5000 characters')).toBeTruthy();
  fireEvent.input(text, { target: { value: 'Sunny day at the #playa with Luna' } });
  expect(screen.getByText('33 of 5000 characters')).toBeTruthy();
  fireEvent.change(screen.getByLabelText('Who can see it'), { target: { value: 'public' } });
  fireEvent.submit(dialog.querySelector('form') as HTMLFormElement);
  expect(call).toHaveBeenCalledWith('posts.edit', {
    postId: post().id,
    text: 'Sunny day at the #playa with Luna',
    visibility: 'public',
  });
  await waitFor(() => expect(card().textContent).toContain('with Luna'));
  expect(card().querySelector('[aria-label="Public"]')).toBeTruthy();
  const edited = post({
    text: 'Sunny day at the #playa with Luna',
    visibility: 'public',
    editedAt: '2026-11-24T09:10:00.000Z',
  });
  answer.resolve(edited);
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  expect(card().querySelector('a[href="/hashtags/playa"]')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'edited' })).toBeTruthy();

  // Refused: the card goes back to what it was, and the text field says why.
  call.mockRejectedValueOnce(new ProtocolError('INVALID_INPUT', 'a post needs text, media or a poll', { field: 'text' }));
  fireEvent.click(screen.getByRole('button', { name: 'Edit post' }));
  fireEvent.input(screen.getByLabelText('Text'), { target: { value: '' } });
  fireEvent.submit(screen.getByRole('dialog', { name: 'Edit your post' }).querySelector('form') as HTMLFormElement);
  await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Please check the text field.'));
  expect(screen.getByLabelText('Text').getAttribute('aria-invalid')).toBe('true');
  expect(screen.getByLabelText('Text').getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
  expect(card().textContent).toContain('Sunny day at the #playa with Luna');
  expect(card().querySelector('a[href="/hashtags/playa"]')).toBeTruthy();
  expect(screen.getByRole('dialog', { name: 'Edit your post' })).toBeTruthy();
});

test('post card: delete asks first; it hides the card at once, and a refusal brings it back with a toast', async () => {
  const answer = deferred<Record<string, never>>();
  const call = vi.spyOn(actions, 'call').mockReturnValueOnce(answer.promise as never);
  const { card, gone } = renderCard(post());

  // Cancelling the confirmation does nothing.
  fireEvent.click(screen.getByRole('button', { name: 'Delete post' }));
  screen.getByRole('dialog', { name: 'Delete this post?' });
  fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(screen.queryByRole('dialog')).toBeNull();
  expect(call).not.toHaveBeenCalled();

  // Refused: hidden while asked, then back.
  fireEvent.click(screen.getByRole('button', { name: 'Delete post' }));
  const confirm = screen.getByRole('dialog', { name: 'Delete this post?' });
  fireEvent.click(confirm.querySelector('button.danger') as HTMLButtonElement);
  expect(call).toHaveBeenCalledWith('posts.delete', { postId: post().id });
  expect(card().hidden).toBe(true);
  answer.reject(new ProtocolError('FORBIDDEN', 'not yours'));
  await waitFor(() => expect(card().hidden).toBe(false));
  expect(state.toasts.at(-1)).toMatchObject({ kind: 'error', text: 'You are not allowed to do that.' });
  expect(gone).not.toHaveBeenCalled();

  // Done: the card is gone for whoever shows it.
  call.mockResolvedValueOnce({} as never);
  fireEvent.click(screen.getByRole('button', { name: 'Delete post' }));
  fireEvent.click(screen.getByRole('dialog', { name: 'Delete this post?' }).querySelector('button.danger') as HTMLButtonElement);
  await waitFor(() => expect(gone).toHaveBeenCalledOnce());
  expect(state.toasts.at(-1)).toMatchObject({ kind: 'info', text: 'Post deleted.' });
});
