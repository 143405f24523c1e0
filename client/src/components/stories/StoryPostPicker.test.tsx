// A new story posted as one of the user's pets ("Post as", from pets.list) and linking one of
// their posts (picked from posts.byAuthor, each shown by its picture and text; removable): the
// exact stories.create body. The photo is taken as already uploaded.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../../protocol/calls/media.ts';
import { actions } from '../../state/store.ts';
import { baseStory } from '../../state/testing.ts';
import StoryCreate from './StoryCreate.tsx';

const { ME, PHOTO } = vi.hoisted(() => {
  const me = { id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', username: 'ana_luna', displayName: 'Ana' };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's', user: me }));
  return { ME: me, PHOTO: '0192a1b2-6666-7000-8000-0000000000aa' };
});

// The photo picked is ready at once: what is sent is the subject here, not the upload.
vi.mock('../../state/uploads.ts', () => {
  const ready = { state: { phase: 'ready', media: { id: PHOTO } }, kind: 'image', name: 'beach.jpg', cancel: () => undefined };
  return {
    createUploadList: () => ({
      uploads: () => [ready],
      add: () => undefined,
      remove: () => undefined,
      clear: () => undefined,
      busy: () => false,
    }),
  };
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const LUNA = '0192a1b2-7777-7000-8000-000000000001';
const post = (n: number, text: string, mediaIds: string[] = []) => ({
  id: `0192a1b2-4444-7000-8000-00000000000${n}`,
  author: baseStory.author,
  text,
  mediaIds,
  createdAt: '2026-12-06T20:00:00.000Z',
});
const posts = [post(1, 'Luna met Kiwi at the park 🐕', [PHOTO]), post(2, '')];

function open(pets: { id: string; name: string }[]) {
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    if (op === 'pets.list') return { items: pets, nextCursor: null };
    if (op === 'posts.byAuthor') return { items: posts, nextCursor: null };
    if (op === 'media.get')
      return { items: (body.ids as string[]).map((id) => ({ ...exampleMedia, id, urls: { 'small.jpg': `/${id}.jpg` } })) };
    if (op === 'stories.create') return { stories: [{ ...baseStory, id: 'new' }] };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  const shared = vi.fn();
  render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <StoryCreate onClose={() => undefined} onShared={shared} />} />
    </MemoryRouter>
  ));
  return { call, shared };
}
const share = () => fireEvent.click(screen.getByRole('button', { name: 'Share to your story' }));

test('new story: posted as a pet and linking a post picked from the user’s own, the story carries asPetId and linkPostId', async () => {
  const server = open([{ id: LUNA, name: 'Luna' }]);
  const postAs = (await screen.findByLabelText('Post as')) as HTMLSelectElement;
  expect(server.call).toHaveBeenCalledWith('pets.list', { ownerId: ME.id });
  expect([...postAs.options].map((option) => option.textContent)).toEqual(['Myself', 'Luna']);
  fireEvent.change(postAs, { target: { value: LUNA } });

  fireEvent.click(screen.getByRole('button', { name: 'Link a post' }));
  const picker = await screen.findByTestId('story-post-picker');
  expect(server.call).toHaveBeenCalledWith('posts.byAuthor', { userId: ME.id, cursor: undefined });
  const choices = await within(picker).findAllByTestId('story-post-choice');
  expect(choices.map((choice) => choice.textContent)).toEqual([
    expect.stringContaining('Luna met Kiwi at the park 🐕'),
    expect.stringContaining('Post without text'),
  ]);
  expect(
    within(choices[0] as HTMLElement)
      .getByText('Luna met Kiwi at the park 🐕')
      .getAttribute('dir'),
  ).toBe('auto');
  await waitFor(() => expect(choices[0]?.querySelector('img.story-post-thumb')?.getAttribute('src')).toBe(`/${PHOTO}.jpg`));
  fireEvent.click(choices[0] as HTMLElement);
  await waitFor(() => expect(screen.queryByTestId('story-post-picker')).toBeNull());
  expect(screen.getByTestId('story-linked-post').textContent).toContain('Luna met Kiwi at the park 🐕');

  share();
  await waitFor(() => expect(server.shared).toHaveBeenCalled());
  expect(server.call).toHaveBeenCalledWith('stories.create', {
    mediaId: PHOTO,
    audience: 'friends',
    clientId: expect.any(String),
    asPetId: LUNA,
    linkPostId: posts[0]?.id,
  });
});

test('new story: a linked post taken off again, and "Myself" chosen back, send neither; without pets there is no "Post as"', async () => {
  const server = open([{ id: LUNA, name: 'Luna' }]);
  const postAs = await screen.findByLabelText('Post as');
  fireEvent.change(postAs, { target: { value: LUNA } });
  fireEvent.change(postAs, { target: { value: '' } });
  fireEvent.click(screen.getByRole('button', { name: 'Link a post' }));
  fireEvent.click((await screen.findAllByTestId('story-post-choice'))[1] as HTMLElement);
  const linked = await screen.findByTestId('story-linked-post');
  expect(linked.textContent).toContain('Post without text');
  fireEvent.click(within(linked).getByRole('button', { name: 'Remove the linked post' }));
  expect(screen.queryByTestId('story-linked-post')).toBeNull();
  share();
  await waitFor(() => expect(server.shared).toHaveBeenCalled());
  expect(server.call).toHaveBeenCalledWith('stories.create', { mediaId: PHOTO, audience: 'friends', clientId: expect.any(String) });
  cleanup();

  open([]);
  await screen.findByRole('button', { name: 'Link a post' });
  await waitFor(() => expect(vi.mocked(actions.call)).toHaveBeenCalledWith('pets.list', { ownerId: ME.id }));
  expect(screen.queryByLabelText('Post as')).toBeNull();
});
