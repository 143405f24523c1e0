// Highlights on a profile: the row of covers; someone else's has no "New" or edit; one opens the
// viewer on `stories.highlight` without counting views; on your own, "New" saves the stories in
// the order picked, and an edit deletes only after confirming.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../../protocol/calls/media.ts';
import { actions } from '../../state/store.ts';
import type { Story } from '../../state/stories.ts';
import { baseStory } from '../../state/testing.ts';
import { ProfileHighlights } from './ProfileHighlights.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const author = baseStory.author;
const story = (n: number): Story => ({
  ...baseStory,
  id: `0192a1b2-5555-7000-8000-00000000000${n}`,
  mediaId: `0192a1b2-6666-7000-8000-00000000000${n}`,
  overlays: [],
  mentions: [],
  hashtag: null,
  sticker: null,
  seen: false,
});
const highlight = {
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000b101',
  title: 'Playa',
  cover: { storyId: story(1).id, mediaId: story(1).mediaId },
  stories: 2,
  updatedAt: '2026-11-26T10:00:00.000Z',
};

function serve(own: boolean) {
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    if (op === 'stories.highlights') return { items: [highlight] };
    if (op === 'stories.highlight') return { highlight, items: [story(1), story(2)] };
    if (op === 'stories.archive') return { items: [story(1), story(2), story(3)], nextCursor: null };
    if (op === 'stories.saveHighlight') return { ...highlight, title: body.title };
    if (op === 'stories.deleteHighlight') return {};
    if (op === 'media.get')
      return { items: (body.ids as string[]).map((id) => ({ ...exampleMedia, id, urls: { 'small.jpg': `/${id}.jpg` } })) };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  vi.spyOn(actions, 'onUserEvent').mockImplementation(() => () => {});
  render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <ProfileHighlights person={author} own={own} />} />
    </MemoryRouter>
  ));
  return call;
}

test('profile highlights: someone else’s row has no "New" or edit; a highlight plays its stories in the viewer, not counted as views', async () => {
  const call = serve(false);
  const cover = await screen.findByTestId('highlight');
  expect(cover.textContent).toBe('Playa');
  expect(screen.queryByTestId('highlight-new')).toBeNull();
  expect(screen.queryByRole('button', { name: /^Edit/ })).toBeNull();
  fireEvent.click(cover);
  const viewer = await screen.findByTestId('story-viewer');
  await waitFor(() => expect(viewer.querySelectorAll('.story-bars li').length).toBe(2));
  expect(call).toHaveBeenCalledWith('stories.highlight', { highlightId: highlight.id });
  expect(call.mock.calls.map(([op]) => op)).not.toContain('stories.view');
  expect(within(viewer).queryByTestId('story-reply')).toBeNull();
});

test('profile highlights: "New" saves the archive stories in the order picked; an edit deletes after confirming', async () => {
  const call = serve(true);
  fireEvent.click(await screen.findByTestId('highlight-new'));
  const editor = await screen.findByTestId('highlight-editor');
  fireEvent.input(within(editor).getByLabelText('Title'), { target: { value: 'Parque' } });
  const picks = await within(editor).findAllByRole('checkbox');
  fireEvent.click(picks[2] as HTMLElement);
  fireEvent.click(picks[0] as HTMLElement);
  expect(
    within(editor)
      .getAllByTestId('highlight-pick')
      .map((pick) => pick.textContent),
  ).toEqual(['2', '', '1']);
  fireEvent.click(within(editor).getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(screen.queryByTestId('highlight-editor')).toBeNull());
  expect(call).toHaveBeenCalledWith('stories.saveHighlight', {
    highlightId: undefined,
    title: 'Parque',
    storyIds: [story(3).id, story(1).id],
  });

  fireEvent.click(screen.getByRole('button', { name: /^Edit .?Playa.?$/ }));
  const editing = await screen.findByTestId('highlight-editor');
  await waitFor(() =>
    expect(
      within(editing)
        .getAllByRole('checkbox')
        .map((box) => (box as HTMLInputElement).checked),
    ).toEqual([true, true, false]),
  );
  fireEvent.click(within(editing).getByRole('button', { name: 'Delete highlight' }));
  expect(call.mock.calls.map(([op]) => op)).not.toContain('stories.deleteHighlight');
  const buttons = within(editing).getAllByRole('button', { name: 'Delete highlight' });
  fireEvent.click(buttons[buttons.length - 1] as HTMLElement);
  await waitFor(() => expect(call).toHaveBeenCalledWith('stories.deleteHighlight', { highlightId: highlight.id }));
});
