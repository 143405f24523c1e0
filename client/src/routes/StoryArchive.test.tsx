// The story archive: the user's stories newest first as the server pages them (the next page asked
// with its cursor), each with its date, its views and a mark while it is still up; one opens the
// viewer on the loaded archive from that story, past ones included, and a story deleted there
// leaves the grid; with no stories, the empty state.
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../protocol/calls/media.ts';
import { renderScreen } from '../components/testing.tsx';
import { en } from '../i18n/messages/en.ts';
import { actions } from '../state/store.ts';
import type { Story } from '../state/stories.ts';
import { baseStory } from '../state/testing.ts';
import StoryArchive from './StoryArchive.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const story = (n: number, overrides: Partial<Story> = {}): Story => ({
  ...baseStory,
  id: `0192a1b2-5555-7000-8000-00000000000${n}`,
  mediaId: `0192a1b2-6666-7000-8000-00000000000${n}`,
  createdAt: `2026-11-2${n}T18:00:00.000Z`,
  expiresAt: `2026-11-2${n + 1}T18:00:00.000Z`,
  expired: true,
  seen: true,
  views: n * 10,
  ...overrides,
});
const newest = story(3, { expired: false, expiresAt: '2099-01-01T00:00:00.000Z' });
const first = [newest, story(2)];
const second = [story(1)];

function serve(pages: Record<string, Story[]>) {
  vi.spyOn(actions, 'onUserEvent').mockImplementation(() => () => {});
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    if (op === 'stories.archive') {
      const cursor = (body.cursor as string | undefined) ?? 'start';
      return { items: pages[cursor] ?? [], nextCursor: cursor === 'start' && pages.next !== undefined ? 'next' : null };
    }
    if (op === 'stories.delete') return {};
    if (op === 'media.get')
      return { items: (body.ids as string[]).map((id) => ({ ...exampleMedia, id, urls: { 'small.jpg': `/${id}.jpg` } })) };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  renderScreen(StoryArchive);
  return call;
}

const tiles = () => screen.queryAllByTestId('archive-story').map((tile) => tile.getAttribute('data-story-id'));

test('story archive: newest first with date, views and the active mark; the next page is asked with its cursor', async () => {
  const call = serve({ start: first, next: second });
  await waitFor(() => expect(tiles()).toEqual([newest.id, story(2).id]));
  expect(call).toHaveBeenCalledWith('stories.archive', { cursor: undefined });
  const [up, past] = screen.getAllByTestId('archive-story') as [HTMLElement, HTMLElement];
  expect(within(up).getByText(en['storyArchive.active'])).toBeTruthy();
  expect(within(past).queryByText(en['storyArchive.active'])).toBeNull();
  expect(within(up).getByText('30 views')).toBeTruthy();
  expect(within(past).getByText('20 views')).toBeTruthy();
  expect(past.querySelector('time')?.getAttribute('datetime')).toBe(story(2).createdAt);
  expect(past.querySelector('time')?.textContent).toBe('Nov 22, 2026');
  await waitFor(() => expect(past.querySelector('img')?.getAttribute('src')).toBe(`/${story(2).mediaId}.jpg`));

  fireEvent.click(screen.getByRole('button', { name: en['list.loadMore'] }));
  await waitFor(() => expect(tiles()).toEqual([newest.id, story(2).id, story(1).id]));
  expect(call).toHaveBeenCalledWith('stories.archive', { cursor: 'next' });
  expect(screen.queryByRole('button', { name: en['list.loadMore'] })).toBeNull();
});

test('story archive: a tile opens the viewer on the archive from that story, past ones included; deleting it there takes it out of the grid', async () => {
  const call = serve({ start: first });
  await waitFor(() => expect(tiles()).toHaveLength(2));
  fireEvent.click(screen.getAllByTestId('archive-story')[1] as HTMLElement);
  const viewer = await screen.findByTestId('story-viewer', {}, { timeout: 5000 });
  await waitFor(() => expect(viewer.querySelectorAll('.story-bars li').length).toBe(2));
  await waitFor(() => expect(viewer.querySelector('.story-layer')?.getAttribute('data-testid')).toBe(`story-${story(2).id}`));
  const ops = call.mock.calls.map(([op]) => op);
  expect(ops).not.toContain('stories.byAuthor');
  expect(ops).not.toContain('stories.view');

  fireEvent.click(within(viewer).getByRole('button', { name: en['stories.delete'] }));
  const confirm = await screen.findByTestId('story-delete');
  fireEvent.click(within(confirm).getByRole('button', { name: en['stories.delete'] }));
  await waitFor(() => expect(call).toHaveBeenCalledWith('stories.delete', { storyId: story(2).id }));
  await waitFor(() => expect(tiles()).toEqual([newest.id]));
});

test('story archive: with no stories, the empty state', async () => {
  serve({ start: [] });
  expect(await screen.findByText(en['highlights.noArchive'])).toBeTruthy();
  expect(tiles()).toEqual([]);
});
