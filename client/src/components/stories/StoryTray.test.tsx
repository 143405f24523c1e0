// The stories row on home: "Your story" first (it opens the create flow while the user has no
// story), then the people in the server's order, each ring as their stories are; a story posted
// live puts its author first among the unseen, and a removed last story takes the item out.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { EventFrame } from '../../../../protocol/client.ts';
import { actions } from '../../state/store.ts';
import { createTray, type Story, type Tray, type TrayItem } from '../../state/stories.ts';
import { baseStory } from '../../state/testing.ts';
import { StoryTray } from './StoryTray.tsx';

const ME = vi.hoisted(() => {
  const me = { id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', username: 'ana_luna', displayName: 'Ana' };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's', user: me }));
  return me;
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const person = (id: string, username: string, displayName = '') => ({
  id,
  username,
  displayName,
  avatarMediaId: null,
  verified: false,
  accountType: 'personal' as const,
  badges: [],
});
const item = (username: string, overrides: Partial<TrayItem> = {}): TrayItem => ({
  author: person(
    username === ME.username ? ME.id : `0192a1b2-0000-7000-8000-${username.padStart(12, '0').slice(-12)}`,
    username,
    username.toUpperCase(),
  ),
  stories: 1,
  unseen: 1,
  closeFriends: false,
  latestAt: '2026-12-06T20:00:00.000Z',
  expiresAt: '2099-12-07T20:00:00.000Z',
  ...overrides,
});

/** One active story of each item's person, as many unseen as it says. */
const storiesOf = (of: TrayItem): Story[] =>
  Array.from({ length: of.stories }, (_, at) => ({
    ...baseStory,
    author: of.author,
    audience: of.closeFriends ? 'close_friends' : 'friends',
    seen: at >= of.unseen,
    expiresAt: of.expiresAt,
  }));

function serve(items: TrayItem[], later: TrayItem[] = []) {
  vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: { userId?: string }) => {
    if (op === 'stories.tray') return { items };
    if (op === 'stories.byAuthor') {
      const found = later.find((each) => each.author.id === body.userId);
      return { items: found === undefined ? [] : storiesOf(found) };
    }
    if (op === 'people.summaries') return { items: [person(ME.id, ME.username, ME.displayName)] };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  let tray: Tray | undefined;
  render(() => (
    <MemoryRouter>
      <Route
        path="/"
        component={() => {
          tray = createTray();
          void tray.reload();
          return <StoryTray tray={tray} />;
        }}
      />
    </MemoryRouter>
  ));
  return {
    tray: () => tray as Tray,
    tell: (name: string, body: unknown) =>
      tray?.onFeedEvent({ type: 'event', topic: `feed:${ME.id}`, epoch: 'e', seq: 1, name, body } as EventFrame, ME.id),
  };
}

const row = () =>
  screen.getAllByRole('button').flatMap((button) => {
    const id = button.dataset.testid;
    return id?.startsWith('story-item-') ? [`${id.replace('story-item-', '')}:${button.dataset.ring}`] : [];
  });

test('story tray: your story first, then the people in the server’s order with their rings; names are isolated', async () => {
  serve([
    item('bruno'),
    item('carla', { closeFriends: true }),
    item('dora', { unseen: 0 }),
    item('eli', { unseen: 0, closeFriends: true }),
  ]);
  await waitFor(() => expect(row()).toHaveLength(5));
  expect(row()).toEqual(['ana_luna:none', 'bruno:unseen', 'carla:close', 'dora:seen', 'eli:close']);
  expect(screen.getByRole('navigation', { name: 'Stories' })).toBeTruthy();
  expect(screen.getByRole('button', { name: 'BRUNO New stories' })).toBeTruthy();
  expect(screen.getByRole('button', { name: 'CARLA New story for close friends' })).toBeTruthy();
  expect(screen.getByText('BRUNO').tagName).toBe('BDI');
  // "Your story" creates while the user has none, as its + does.
  expect(screen.getByRole('button', { name: 'Your story' })).toBeTruthy();
  expect(screen.getByTestId('story-add').getAttribute('aria-label')).toBe('Add to your story');
});

test('story tray: the user’s own stories come first from the server and play from their avatar; the + still creates', async () => {
  serve([item('ana_luna', { unseen: 0 }), item('bruno')]);
  await waitFor(() => expect(row()).toEqual(['ana_luna:seen', 'bruno:unseen']));
  expect(screen.getByRole('button', { name: 'Your story' }).dataset.ring).toBe('seen');
  expect(screen.getByTestId('story-add').getAttribute('aria-label')).toBe('Add to your story');
});

test('story tray: live, a new story puts its author first among the unseen; a removed last story takes the item out', async () => {
  const { tell } = serve(
    [item('ana_luna', { unseen: 0 }), item('bruno'), item('dora', { unseen: 0 })],
    [item('dora', { stories: 2, unseen: 1 }), item('fede', { closeFriends: true })],
  );
  await waitFor(() => expect(row()).toHaveLength(3));
  tell('story.added', { authorId: item('dora').author.id, storyId: 's1' });
  await waitFor(() => expect(row()).toEqual(['ana_luna:seen', 'dora:unseen', 'bruno:unseen']));
  tell('story.added', { authorId: item('fede').author.id, storyId: 's2' });
  await waitFor(() => expect(row()).toEqual(['ana_luna:seen', 'fede:close', 'dora:unseen', 'bruno:unseen']));
  tell('story.removed', { authorId: item('bruno').author.id, storyId: 's0' });
  expect(row()).toEqual(['ana_luna:seen', 'fede:close', 'dora:unseen']);
});

test('story tray: placeholders while it loads, then a line when nobody has stories', async () => {
  let answer: (value: { items: TrayItem[] }) => void = () => undefined;
  vi.spyOn(actions, 'call').mockImplementation((async (op: string) => {
    if (op === 'stories.tray') return new Promise((resolve) => (answer = resolve));
    return { items: [] };
  }) as typeof actions.call);
  render(() => {
    const tray = createTray();
    void tray.reload();
    return (
      <MemoryRouter>
        <Route path="/" component={() => <StoryTray tray={tray} />} />
      </MemoryRouter>
    );
  });
  await waitFor(() => expect(screen.getAllByTestId('story-skeleton')).toHaveLength(4));
  answer({ items: [] });
  await waitFor(() => expect(screen.getByTestId('story-empty').textContent).toBe('No stories from your friends right now.'));
  expect(screen.queryAllByTestId('story-skeleton')).toHaveLength(0);
});
