// The story viewer: a person's stories from their first unseen one, each shown one marked viewed
// once (never the user's own), on to the next person after the last and back to the previous
// one before the first; taps and arrows mirrored in right-to-left languages; holding pauses;
// overlays with mention links, the hashtag chip and a poll; the author's view count and viewer
// list (live) and deleting after confirming.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../../protocol/calls/media.ts';
import type { EventFrame } from '../../../../protocol/client.ts';
import { setLocale } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import type { Story } from '../../state/stories.ts';
import { baseStory } from '../../state/testing.ts';
import StoryViewer from './StoryViewer.tsx';

const ME = vi.hoisted(() => {
  const me = { id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', username: 'ana_luna', displayName: 'Ana' };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's', user: me }));
  return me;
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  setLocale('en');
});

const person = (username: string) => ({
  id: username === ME.username ? ME.id : `0192a1b2-0000-7000-8000-${username.padStart(12, '0').slice(-12)}`,
  username,
  displayName: username.toUpperCase(),
  avatarMediaId: null,
  verified: false,
  accountType: 'personal' as const,
  badges: [],
});
let made = 0;
const story = (username: string, overrides: Partial<Story> = {}): Story => {
  made += 1;
  const n = String(made).padStart(12, '0');
  return {
    ...baseStory,
    id: `0192a1b2-5555-7000-8000-${n}`,
    mediaId: `0192a1b2-6666-7000-8000-${n}`,
    author: person(username),
    overlays: [],
    mentions: [],
    hashtag: null,
    sticker: null,
    ...overrides,
  };
};

function serve(byAuthor: Record<string, Story[]>, start = 0, gone?: () => ReadonlySet<string>) {
  const views: string[] = [];
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const all = Object.values(byAuthor).flat();
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    if (op === 'stories.byAuthor')
      return { items: byAuthor[Object.keys(byAuthor).find((name) => person(name).id === body.userId) ?? ''] ?? [] };
    if (op === 'media.get') return { items: (body.ids as string[]).map((id) => ({ ...exampleMedia, id })) };
    if (op === 'stories.view') {
      views.push(body.storyId as string);
      return { seen: true };
    }
    if (op === 'stories.viewers')
      return { items: [{ viewer: person('bruno'), viewedAt: '2026-12-06T20:00:00.000Z' }], nextCursor: null, views: 1 };
    if (op === 'stories.delete') return {};
    if (op === 'stories.answers') {
      const poll = all.find((each) => each.id === body.storyId)?.sticker?.kind === 'poll';
      const [option, answer] = poll ? [0, null] : [null, 'Retiro'];
      return { items: [{ user: person('bruno'), option, answer, answeredAt: '2026-12-06T20:00:00.000Z' }], nextCursor: null };
    }
    if (op === 'people.summaries') return { items: (body.ids as string[]).map((id) => ({ ...person('carla'), id })) };
    if (op === 'stories.mute') return { muted: body.muted };
    if (op === 'stories.answer') {
      const shown = all.find((each) => each.id === body.storyId) as Story;
      if (shown.sticker?.kind === 'question') return { ...shown, seen: true, sticker: { ...shown.sticker, myAnswer: body.answer } };
      return { ...shown, seen: true, sticker: { ...(shown.sticker as object), myVote: body.option, votes: [3, 1] } };
    }
    if (op === 'stories.reply') return { id: 'reply' };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  const seen: string[] = [];
  const removed: string[] = [];
  const muted: string[] = [];
  const closed = vi.fn();
  render(() => (
    <MemoryRouter>
      <Route
        path="/"
        component={() => (
          <StoryViewer
            people={Object.keys(byAuthor).map(person)}
            start={start}
            gone={gone}
            onClose={closed}
            onSeen={(id) => seen.push(id)}
            onRemoved={(id) => removed.push(id)}
            onMuted={(id) => muted.push(id)}
          />
        )}
      />
    </MemoryRouter>
  ));
  return {
    call,
    views,
    seen,
    removed,
    muted,
    closed,
    tell: (name: string, body: unknown) => {
      for (const listener of [...listeners]) listener({ type: 'event', topic: `user:${ME.id}`, epoch: 'e', seq: 1, name, body });
    },
  };
}

const stage = () => document.querySelector('.story-stage') as HTMLElement;
/** Which story shows: its id, and how many bars there are. */
const shown = () => ({
  id: document.querySelector('.story-layer')?.getAttribute('data-testid')?.replace('story-', ''),
  bars: document.querySelectorAll('.story-bars li').length,
});
const key = (name: string) => fireEvent.keyDown(screen.getByTestId('story-viewer'), { key: name });

test('story viewer: from the first unseen story, each shown one viewed once; after the last, the next person; back before the first, the previous one; after everyone, it closes', async () => {
  const [b1, b2, c1] = [story('bruno', { seen: true }), story('bruno'), story('carla')];
  const server = serve({ bruno: [b1, b2], carla: [c1] });
  await waitFor(() => expect(shown()).toEqual({ id: b2.id, bars: 2 }));
  await waitFor(() => expect(server.views).toEqual([b2.id]));
  expect(server.seen).toEqual([person('bruno').id]);
  expect(screen.getByRole('heading', { name: 'Stories of \u2068BRUNO\u2069' })).toBeTruthy();

  key('ArrowRight');
  await waitFor(() => expect(shown()).toEqual({ id: c1.id, bars: 1 }));
  await waitFor(() => expect(server.views).toEqual([b2.id, c1.id]));
  key('ArrowLeft');
  await waitFor(() => expect(shown()).toEqual({ id: b2.id, bars: 2 }));
  key('ArrowLeft');
  expect(shown().id).toBe(b1.id);
  key('ArrowRight');
  key('ArrowRight');
  await waitFor(() => expect(shown().id).toBe(c1.id));
  key('ArrowRight');
  expect(server.closed).toHaveBeenCalled();
  // Nothing was counted twice, and b1 (seen before) not at all.
  expect(server.views).toEqual([b2.id, c1.id]);
});

test('story viewer: a tap on the right half goes forward, on the left back; in Arabic the left half and the left arrow go forward', async () => {
  const stories = [story('bruno'), story('bruno'), story('bruno')];
  serve({ bruno: stories });
  await waitFor(() => expect(shown().id).toBe(stories[0]?.id));
  const tap = (x: number) => {
    stage().getBoundingClientRect = () => ({
      left: 0,
      top: 0,
      width: 400,
      height: 700,
      right: 400,
      bottom: 700,
      x: 0,
      y: 0,
      toJSON: () => ({}),
    });
    fireEvent.pointerDown(stage(), { clientX: x, clientY: 300, pointerId: 1 });
    fireEvent.pointerUp(stage(), { clientX: x, clientY: 300, pointerId: 1 });
  };
  tap(350);
  expect(shown().id).toBe(stories[1]?.id);
  tap(50);
  expect(shown().id).toBe(stories[0]?.id);
  setLocale('ar');
  await waitFor(() => expect(document.querySelector('[aria-label="القصة التالية"]')).toBeTruthy());
  tap(50);
  expect(shown().id).toBe(stories[1]?.id);
  key('ArrowLeft');
  expect(shown().id).toBe(stories[2]?.id);
  key('ArrowRight');
  expect(shown().id).toBe(stories[1]?.id);
});

test('story viewer: held down it pauses (and says so); let go after a while it goes on without moving', async () => {
  const stories = [story('bruno'), story('bruno')];
  serve({ bruno: stories });
  await waitFor(() => expect(stage().dataset.paused).toBe('false'));
  const now = Date.now();
  fireEvent.pointerDown(stage(), { clientX: 350, clientY: 300, pointerId: 1 });
  expect(stage().dataset.paused).toBe('true');
  expect(screen.getByRole('status').textContent).toBe('Paused');
  vi.spyOn(Date, 'now').mockReturnValue(now + 1000);
  fireEvent.pointerUp(stage(), { clientX: 350, clientY: 300, pointerId: 1 });
  expect(stage().dataset.paused).toBe('false');
  expect(shown().id).toBe(stories[0]?.id);
});

test('story viewer: overlays at their place with mention links, the hashtag and linked-post chips, and a poll that shows the results once voted', async () => {
  const shownStory = story('bruno', {
    overlays: [{ text: 'Beach with @luna_y_sol and @nobody', x: 0.25, y: 0.8, color: 'yellow' }],
    mentions: [{ userId: person('luna_y_sol').id, username: 'luna_y_sol' }],
    hashtag: 'playa',
    linkPostId: '0192a1b2-4444-7000-8000-000000000001',
    sticker: { kind: 'poll', question: 'Again tomorrow?', options: ['Yes', 'No'], myVote: null, votes: null },
  });
  const server = serve({ bruno: [shownStory] });
  const overlay = await screen.findByTestId('story-overlay');
  expect(overlay.style.left).toBe('25%');
  expect(overlay.style.top).toBe('80%');
  expect(overlay.className).toContain('color-yellow');
  expect(overlay.getAttribute('dir')).toBe('auto');
  expect(within(overlay).getByRole('link', { name: '@luna_y_sol' }).getAttribute('href')).toBe('/u/luna_y_sol');
  expect(within(overlay).queryByRole('link', { name: '@nobody' })).toBeNull();
  expect(screen.getByTestId('story-hashtag').getAttribute('href')).toBe('/hashtags/playa');
  expect(screen.getByRole('link', { name: 'See the post' }).getAttribute('href')).toBe('/posts/0192a1b2-4444-7000-8000-000000000001');
  fireEvent.click(screen.getByRole('button', { name: 'Yes' }));
  await waitFor(() => expect(screen.getAllByTestId('story-poll-result')).toHaveLength(2));
  expect(server.call).toHaveBeenCalledWith('stories.answer', { storyId: shownStory.id, option: 0 });
  expect(screen.getByText('75%')).toBeTruthy();
  expect(screen.getByText('4 votes')).toBeTruthy();
});

test('story viewer: the author’s own story is not counted, shows its views and the viewer list (live), and is deleted after confirming', async () => {
  const mine = [story('ana_luna', { seen: true, views: 1 }), story('ana_luna', { seen: true, views: 0 })];
  const server = serve({ ana_luna: mine });
  const views = await screen.findByTestId('story-views');
  expect(views.textContent).toBe('1 view');
  expect(screen.queryByTestId('story-reply')).toBeNull();
  fireEvent.click(views);
  const list = await screen.findByTestId('story-viewers');
  await within(list).findByTestId('person-bruno');
  expect(stage().dataset.paused).toBe('true');
  server.tell('story.viewed', { storyId: mine[0]?.id, viewerId: person('carla').id, viewedAt: '2026-12-06T21:00:00.000Z', views: 2 });
  await within(list).findByTestId('person-carla');
  expect(screen.getByTestId('story-views').textContent).toBe('2 views');
  fireEvent.click(within(list).getByRole('button', { name: 'Close' }));
  await waitFor(() => expect(screen.queryByTestId('story-viewers')).toBeNull());

  fireEvent.click(screen.getByRole('button', { name: 'Delete story' }));
  const confirm = await screen.findByTestId('story-delete');
  fireEvent.click(within(confirm).getByRole('button', { name: 'Delete story' }));
  await waitFor(() => expect(server.removed).toEqual([ME.id]));
  expect(server.call).toHaveBeenCalledWith('stories.delete', { storyId: mine[0]?.id });
  await waitFor(() => expect(shown()).toEqual({ id: mine[1]?.id, bars: 1 }));
  expect(server.views).toEqual([]);
});

test('story viewer: on the author’s own poll “4 votes” opens each option’s votes and share and who voted for what; a vote arriving live joins the top and moves every count', async () => {
  const poll = { kind: 'poll' as const, question: 'Beach again?', options: ['Yes', 'No'], myVote: null, votes: [3, 1] };
  const mine = story('ana_luna', { seen: true, views: 4, sticker: poll });
  const server = serve({ ana_luna: [mine] });
  fireEvent.click(await screen.findByRole('button', { name: '4 votes' }));
  const list = await screen.findByTestId('story-answers');
  expect(server.call).toHaveBeenCalledWith('stories.answers', { storyId: mine.id, cursor: undefined });
  expect(within(list).getByRole('heading').textContent).toBe('4 votes');
  const results = () =>
    within(list)
      .getAllByTestId('story-poll-result')
      .map((row) => row.textContent);
  expect(results()).toEqual(['Yes3 votes · 75%', 'No1 vote · 25%']);
  const bar = () => within(list).getAllByTestId('story-poll-result')[1]?.querySelector<HTMLElement>('.story-result-bar')?.style.width;
  expect(bar()).toBe('25%');
  expect((await within(list).findByTestId('person-bruno')).textContent).toContain('Yes · ');
  expect(stage().dataset.paused).toBe('true');

  // Someone else's story answered: nothing here.
  server.tell('story.answered', {
    storyId: baseStory.id,
    userId: person('dora').id,
    option: 0,
    answer: null,
    answeredAt: '2026-12-06T20:30:00.000Z',
    votes: [9, 9],
    answers: null,
  });
  server.tell('story.answered', {
    storyId: mine.id,
    userId: person('carla').id,
    option: 1,
    answer: null,
    answeredAt: '2026-12-06T21:00:00.000Z',
    votes: [3, 2],
    answers: null,
  });
  await within(list).findByTestId('person-carla');
  expect(server.call).toHaveBeenCalledWith('people.summaries', { ids: [person('carla').id] });
  expect(server.call).not.toHaveBeenCalledWith('people.summaries', { ids: [person('dora').id] });
  expect(
    within(list)
      .getAllByRole('listitem')
      .map((row) => row.dataset.testid),
  ).toEqual(['person-carla', 'person-bruno']);
  expect(within(list).getByTestId('person-carla').textContent).toContain('No · ');
  expect(results()).toEqual(['Yes3 votes · 60%', 'No2 votes · 40%']);
  expect(bar()).toBe('40%');
  expect(within(list).getByRole('heading').textContent).toBe('5 votes');
  fireEvent.click(within(list).getByRole('button', { name: 'Close' }));
  await waitFor(() => expect(screen.queryByTestId('story-answers')).toBeNull());
  expect(screen.getByTestId('story-answers-open').textContent).toBe('5 votes');
  expect(
    within(screen.getByTestId('story-poll'))
      .getAllByTestId('story-poll-result')
      .map((row) => row.textContent),
  ).toEqual(['Yes60%', 'No40%']);
});

test('story viewer: on the author’s own question “1 answer” opens each person with their answer; one arriving live joins the top, once', async () => {
  const mine = story('ana_luna', { seen: true, views: 1, sticker: { kind: 'question', prompt: 'Best park?', myAnswer: null, answers: 1 } });
  const server = serve({ ana_luna: [mine] });
  fireEvent.click(await screen.findByRole('button', { name: '1 answer' }));
  const list = await screen.findByTestId('story-answers');
  expect(server.call).toHaveBeenCalledWith('stories.answers', { storyId: mine.id, cursor: undefined });
  const answer = within(await within(list).findByTestId('person-bruno')).getByText('Retiro');
  expect(answer.getAttribute('dir')).toBe('auto');
  const arrived = {
    storyId: mine.id,
    userId: person('carla').id,
    option: null,
    answer: 'El Capricho 🌳',
    answeredAt: '2026-12-06T21:00:00.000Z',
    votes: null,
    answers: 2,
  };
  server.tell('story.answered', arrived);
  await within(list).findByTestId('person-carla');
  expect(within(within(list).getByTestId('person-carla')).getByText('El Capricho 🌳').getAttribute('dir')).toBe('auto');
  expect(within(list).getByRole('heading').textContent).toBe('2 answers');
  expect(screen.getByTestId('story-answers-open').textContent).toBe('2 answers');
  expect(
    within(list)
      .getAllByRole('listitem')
      .map((row) => row.dataset.testid),
  ).toEqual(['person-carla', 'person-bruno']);
});

test('story viewer: a story posted as a pet names the pet (a link to it), by its owner', async () => {
  const petId = '0192a1b2-7777-7000-8000-000000000001';
  serve({ bruno: [story('bruno', { pet: { id: petId, name: 'Luna' } }), story('bruno')] });
  const pet = await screen.findByTestId('story-pet');
  expect(pet.getAttribute('href')).toBe(`/pets/${petId}`);
  expect(pet.textContent).toBe('B Lunaby \u2068BRUNO\u2069');
  key('ArrowRight');
  await waitFor(() => expect(screen.queryByTestId('story-pet')).toBeNull());
  expect(screen.getByRole('link', { name: 'BRUNO' }).getAttribute('href')).toBe('/u/bruno');
});

test('story viewer: the next person’s stories are read while the last story of this one plays', async () => {
  const [b1, c1] = [story('bruno'), story('carla')];
  const server = serve({ bruno: [b1], carla: [c1] });
  await waitFor(() => expect(shown().id).toBe(b1.id));
  await waitFor(() => expect(server.call).toHaveBeenCalledWith('stories.byAuthor', { userId: person('carla').id }));
  key('ArrowRight');
  await waitFor(() => expect(shown().id).toBe(c1.id));
  // Read once, ahead, and used.
  expect(
    server.call.mock.calls.filter(([op, body]) => op === 'stories.byAuthor' && (body as { userId?: string }).userId === person('carla').id),
  ).toHaveLength(1);
});

test('story viewer: muting someone takes them out of the tray, offers to undo, and goes on to the next person', async () => {
  const [b1, c1] = [story('bruno'), story('carla')];
  const server = serve({ bruno: [b1], carla: [c1] });
  await waitFor(() => expect(shown().id).toBe(b1.id));
  const toast = vi.spyOn(actions, 'toast');
  fireEvent.click(screen.getByRole('button', { name: 'Mute stories of \u2068BRUNO\u2069' }));
  await waitFor(() => expect(server.muted).toEqual([person('bruno').id]));
  expect(server.call).toHaveBeenCalledWith('stories.mute', { userId: person('bruno').id, muted: true });
  await waitFor(() => expect(shown().id).toBe(c1.id));
  const [text, kind, undo] = toast.mock.calls.at(-1) ?? [];
  expect([text, kind]).toEqual(['Stories of \u2068BRUNO\u2069 no longer show in your row.', 'info']);
  undo?.run();
  expect(server.call).toHaveBeenCalledWith('stories.mute', { userId: person('bruno').id, muted: false });
});

test('story viewer: a swipe down closes; a question is answered once, and the answer shows instead of the field', async () => {
  const asked = story('bruno', { sticker: { kind: 'question', prompt: 'Best park?', myAnswer: null, answers: null } });
  const server = serve({ bruno: [asked] });
  const field = await screen.findByRole('textbox', { name: 'Your answer' });
  fireEvent.focus(field);
  expect(stage().dataset.paused).toBe('true');
  fireEvent.input(field, { target: { value: 'Retiro' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Your answer' })).toBeNull());
  expect(server.call).toHaveBeenCalledWith('stories.answer', { storyId: asked.id, answer: 'Retiro' });
  expect(within(screen.getByTestId('story-question')).getByText('Retiro')).toBeTruthy();
  fireEvent.pointerDown(stage(), { clientX: 200, clientY: 100, pointerId: 1 });
  fireEvent.pointerUp(stage(), { clientX: 205, clientY: 300, pointerId: 1 });
  expect(server.closed).toHaveBeenCalled();
});

test('story viewer: a story leaves the open viewer at its expiresAt (the server sends nothing then); the one playing goes on where it was', async () => {
  const soon = new Date(Date.now() + 1500).toISOString();
  const [old, fresh] = [story('bruno', { seen: true, expiresAt: soon }), story('bruno', { expiresAt: '2099-01-01T00:00:00.000Z' })];
  serve({ bruno: [old, fresh] });
  await waitFor(() => expect(shown()).toEqual({ id: fresh.id, bars: 2 }));
  expect(stage().dataset.index).toBe('1');
  await waitFor(() => expect(shown()).toEqual({ id: fresh.id, bars: 1 }), { timeout: 4000 });
  expect(stage().dataset.index).toBe('0');
});

test('story viewer: a story deleted live (story.removed) leaves the open viewer; the last one going moves on to the next person', async () => {
  const [b1, b2, c1] = [story('bruno'), story('bruno'), story('carla')];
  const [gone, setGone] = createSignal<ReadonlySet<string>>(new Set());
  serve({ bruno: [b1, b2], carla: [c1] }, 0, gone);
  await waitFor(() => expect(shown()).toEqual({ id: b1.id, bars: 2 }));
  setGone(new Set([b1.id]));
  await waitFor(() => expect(shown()).toEqual({ id: b2.id, bars: 1 }));
  setGone(new Set([b1.id, b2.id]));
  await waitFor(() => expect(shown()).toEqual({ id: c1.id, bars: 1 }));
});

test('story viewer: the pause button (and Space) holds the story until pressed again, for as long as the viewer needs', async () => {
  const stories = [story('bruno'), story('bruno')];
  serve({ bruno: stories });
  await waitFor(() => expect(stage().dataset.paused).toBe('false'));
  const button = screen.getByRole('button', { name: 'Pause' });
  fireEvent.click(button);
  expect([button.getAttribute('aria-pressed'), stage().dataset.paused]).toEqual(['true', 'true']);
  fireEvent.click(button);
  expect([button.getAttribute('aria-pressed'), stage().dataset.paused]).toEqual(['false', 'false']);
  key(' ');
  expect(stage().dataset.paused).toBe('true');
  key(' ');
  expect(stage().dataset.paused).toBe('false');
  expect(shown().id).toBe(stories[0]?.id);
});

test('story viewer: someone else’s story has the reply field (not the author’s controls); typing into it holds the story', async () => {
  const shownStory = story('bruno');
  const server = serve({ bruno: [shownStory] });
  const field = await screen.findByRole('textbox', { name: 'Reply to \u2068BRUNO\u2069…' });
  expect(screen.queryByTestId('story-views')).toBeNull();
  await waitFor(() => expect(stage().dataset.paused).toBe('false'));
  fireEvent.focus(field);
  expect(stage().dataset.paused).toBe('true');
  fireEvent.blur(field);
  expect(stage().dataset.paused).toBe('false');
  server.call.mockClear();
  fireEvent.click(screen.getByRole('button', { name: 'React with 😍' }));
  await screen.findByText('Sent');
  expect(server.call).toHaveBeenCalledWith('stories.reply', { storyId: shownStory.id, emoji: '😍', clientId: expect.any(String) });
});
