// Highlights on a profile: the row of covers; someone else's has no "New", edit or "Arrange"; one
// opens the viewer on `stories.highlight` without counting views; on your own, "New" saves the
// stories in the order picked, an edit deletes only after confirming. The editor pages through the
// archive and keeps the highlight's stories not loaded yet, reorders the picked stories on its
// strip and sends the chosen cover; "Arrange" saves the new order of the highlights, put back when
// that fails.
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

const second = { ...highlight, id: '0192a1b2-c3d4-7e5f-8a9b-00000000b102', title: 'Nieve', cover: null };
const third = { ...highlight, id: '0192a1b2-c3d4-7e5f-8a9b-00000000b103', title: 'Parque', cover: null };

type Answer = (body: Record<string, unknown>) => unknown;

function serve(own: boolean, answers: Record<string, Answer> = {}) {
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    const answer = answers[op];
    if (answer !== undefined) return answer(body);
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
  expect(screen.queryByTestId('highlights-arrange')).toBeNull();
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
    coverStoryId: story(3).id,
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

/** The picked stories on the editor's strip, by their "remove" buttons' names. */
const strip = (editor: HTMLElement) =>
  within(editor)
    .queryAllByTestId('highlight-selected')
    .map((item) =>
      within(item)
        .getByRole('button', { name: /^Remove story/ })
        .getAttribute('aria-label'),
    );

test('highlight editor: the archive loads page by page with the cursor; a story from page 2 and one of the highlight on no loaded page are kept', async () => {
  const call = serve(true, {
    'stories.archive': (body) =>
      body.cursor === 'page-2' ? { items: [story(3)], nextCursor: null } : { items: [story(1), story(2)], nextCursor: 'page-2' },
    // Story 4 is in the highlight, further back in the archive than is loaded.
    'stories.highlight': () => ({ highlight, items: [story(4), story(1)] }),
  });
  fireEvent.click(await screen.findByRole('button', { name: /^Edit .?Playa.?$/ }));
  const editor = await screen.findByTestId('highlight-editor');
  await waitFor(() => expect(within(editor).getAllByRole('checkbox')).toHaveLength(2));
  await waitFor(() => expect(within(editor).getAllByTestId('highlight-selected')).toHaveLength(2));
  expect(call).toHaveBeenCalledWith('stories.archive', { cursor: undefined });
  fireEvent.click(within(editor).getByRole('button', { name: 'Load more' }));
  await waitFor(() => expect(within(editor).getAllByRole('checkbox')).toHaveLength(3));
  expect(call).toHaveBeenCalledWith('stories.archive', { cursor: 'page-2' });
  expect(within(editor).queryByRole('button', { name: 'Load more' })).toBeNull();
  fireEvent.click(within(editor).getAllByRole('checkbox')[2] as HTMLElement);
  expect(strip(editor)).toEqual(['Remove story 1', 'Remove story 2', 'Remove story 3']);
  fireEvent.click(within(editor).getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(screen.queryByTestId('highlight-editor')).toBeNull());
  expect(call).toHaveBeenCalledWith('stories.saveHighlight', {
    highlightId: highlight.id,
    title: 'Playa',
    storyIds: [story(4).id, story(1).id, story(3).id],
    coverStoryId: story(1).id,
  });
});

test('highlight editor: earlier / later (or dragging) reorder the picked stories, the cover is the first unless chosen, and follows its story', async () => {
  const call = serve(true);
  fireEvent.click(await screen.findByTestId('highlight-new'));
  const editor = await screen.findByTestId('highlight-editor');
  fireEvent.input(within(editor).getByLabelText('Title'), { target: { value: 'Parque' } });
  const picks = await within(editor).findAllByRole('checkbox');
  for (const pick of picks) fireEvent.click(pick);
  const covers = () =>
    within(editor)
      .getAllByRole('radio')
      .map((radio) => (radio as HTMLInputElement).checked);
  /** Where each archive story stands in the highlight. */
  const positions = () =>
    within(editor)
      .getAllByTestId('highlight-pick')
      .map((pick) => pick.textContent);
  expect(covers()).toEqual([true, false, false]);
  expect((within(editor).getByRole('button', { name: 'Move story 1 earlier' }) as HTMLButtonElement).disabled).toBe(true);
  expect((within(editor).getByRole('button', { name: 'Move story 3 later' }) as HTMLButtonElement).disabled).toBe(true);
  // Story 1 goes last, then the (new) last moves one earlier: 2, 1, 3.
  fireEvent.click(within(editor).getByRole('button', { name: 'Move story 1 later' }));
  fireEvent.click(within(editor).getByRole('button', { name: 'Move story 2 later' }));
  fireEvent.click(within(editor).getByRole('button', { name: 'Move story 3 earlier' }));
  expect(positions()).toEqual(['2', '1', '3']);
  expect(covers()).toEqual([true, false, false]);
  // The second picture (archive story 1) is chosen as the cover; it stays the cover as it moves.
  fireEvent.click(within(editor).getByRole('radio', { name: 'Cover: story 2' }));
  fireEvent.click(within(editor).getByRole('button', { name: 'Move story 2 earlier' }));
  expect(covers()).toEqual([true, false, false]);
  fireEvent.click(within(editor).getByRole('button', { name: 'Move story 1 later' }));
  expect(covers()).toEqual([false, true, false]);
  expect(positions()).toEqual(['2', '1', '3']);
  // A mouse drags the last one onto the first's place, and back.
  const dragged = (from: number, to: number) => {
    const items = within(editor).getAllByTestId('highlight-selected');
    fireEvent.dragStart(items[from] as HTMLElement);
    fireEvent.dragOver(items[to] as HTMLElement);
    fireEvent.drop(items[to] as HTMLElement);
  };
  dragged(2, 0);
  expect(positions()).toEqual(['3', '2', '1']);
  dragged(0, 2);
  expect(positions()).toEqual(['2', '1', '3']);
  fireEvent.click(within(editor).getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(screen.queryByTestId('highlight-editor')).toBeNull());
  expect(call).toHaveBeenCalledWith('stories.saveHighlight', {
    highlightId: undefined,
    title: 'Parque',
    storyIds: [story(2).id, story(1).id, story(3).id],
    coverStoryId: story(1).id,
  });
});

test('highlight editor: an existing highlight starts with its cover chosen; taking the cover out makes the first story the cover', async () => {
  const call = serve(true, {
    'stories.highlights': () => ({ items: [{ ...highlight, cover: { storyId: story(2).id, mediaId: story(2).mediaId } }] }),
  });
  fireEvent.click(await screen.findByRole('button', { name: /^Edit .?Playa.?$/ }));
  const editor = await screen.findByTestId('highlight-editor');
  await waitFor(() =>
    expect(
      within(editor)
        .getAllByRole('radio')
        .map((radio) => (radio as HTMLInputElement).checked),
    ).toEqual([false, true]),
  );
  fireEvent.click(within(editor).getByRole('button', { name: 'Remove story 2' }));
  expect(
    within(editor)
      .getAllByRole('radio')
      .map((radio) => (radio as HTMLInputElement).checked),
  ).toEqual([true]);
  expect(
    within(editor)
      .getAllByRole('checkbox')
      .map((box) => (box as HTMLInputElement).checked),
  ).toEqual([true, false, false]);
  fireEvent.click(within(editor).getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(screen.queryByTestId('highlight-editor')).toBeNull());
  expect(call).toHaveBeenCalledWith('stories.saveHighlight', {
    highlightId: highlight.id,
    title: 'Playa',
    storyIds: [story(1).id],
    coverStoryId: story(1).id,
  });
});

test('profile highlights: "Arrange" moves a highlight at once (buttons or dragging) and saves the whole order; a refused order is put back with a toast', async () => {
  let refuse = false;
  const call = serve(true, {
    'stories.highlights': () => ({ items: [highlight, second, third] }),
    'stories.orderHighlights': async () => {
      if (refuse) throw new Error('offline');
      return {};
    },
  });
  const toast = vi.spyOn(actions, 'toast').mockImplementation(() => {});
  const titles = () => screen.getAllByTestId('highlight').map((item) => item.textContent);
  await screen.findByTestId('highlights-arrange');
  expect(screen.getAllByTestId('highlight').map((item) => item.closest('li')?.getAttribute('draggable'))).toEqual([null, null, null]);
  fireEvent.click(screen.getByTestId('highlights-arrange'));
  expect(screen.queryByTestId('highlight-new')).toBeNull();
  expect(screen.queryByRole('button', { name: /^Edit/ })).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Move Playa later' }));
  expect(titles()).toEqual(['Nieve', 'Playa', 'Parque']);
  await waitFor(() => expect(call).toHaveBeenCalledWith('stories.orderHighlights', { highlightIds: [second.id, highlight.id, third.id] }));
  refuse = true;
  fireEvent.click(screen.getByRole('button', { name: 'Move Parque earlier' }));
  expect(titles()).toEqual(['Nieve', 'Parque', 'Playa']);
  await waitFor(() => expect(titles()).toEqual(['Nieve', 'Playa', 'Parque']));
  expect(call).toHaveBeenLastCalledWith('stories.orderHighlights', { highlightIds: [second.id, third.id, highlight.id] });
  expect(toast).toHaveBeenCalledWith(expect.stringContaining('The new order could not be saved.'), 'error');
  // Or dragged: the first onto the last's place.
  refuse = false;
  const items = screen.getAllByTestId('highlight').map((item) => item.closest('li') as HTMLElement);
  expect(items.map((item) => item.getAttribute('draggable'))).toEqual(['true', 'true', 'true']);
  fireEvent.dragStart(items[0] as HTMLElement);
  fireEvent.dragOver(items[2] as HTMLElement);
  fireEvent.drop(items[2] as HTMLElement);
  expect(titles()).toEqual(['Playa', 'Parque', 'Nieve']);
  await waitFor(() =>
    expect(call).toHaveBeenLastCalledWith('stories.orderHighlights', { highlightIds: [highlight.id, third.id, second.id] }),
  );
  fireEvent.click(screen.getByTestId('highlights-arrange'));
  expect(screen.getByTestId('highlight-new')).toBeTruthy();
  expect(screen.getAllByTestId('highlight').map((item) => item.closest('li')?.getAttribute('draggable'))).toEqual([null, null, null]);
});

test('profile highlights: no "Arrange" with a single highlight', async () => {
  serve(true);
  await screen.findByTestId('highlight');
  expect(screen.queryByTestId('highlights-arrange')).toBeNull();
});
