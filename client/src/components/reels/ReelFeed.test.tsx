// The reels player as people use it: only the reel on screen and its neighbours hold a video
// (three at most, however far one goes), the page at least 60 % visible is the one on screen and
// is announced; the keyboard moves, pauses and mutes; the first tap only turns sound on, then a
// tap pauses; a double tap likes once (never takes the like back) with a heart; "not interested"
// takes the reel away; what was watched is reported when the player closes; empty and failed
// feeds say so, and a failure can be retried.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../../protocol/calls/media.ts';
import { examplePost } from '../../../../protocol/calls/posts.ts';
import { en } from '../../i18n/messages/en.ts';
import { type Reel, type ReelPage, setSoundOn } from '../../state/reels.ts';
import { actions } from '../../state/store.ts';
import { ReelFeed } from './ReelFeed.tsx';

vi.hoisted(() => {
  const me = { id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', username: 'ana_luna', displayName: 'Ana' };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's', user: me }));
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  setSoundOn(false);
});

const zero = { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 };
const reel = (n: number, overrides: Partial<Reel> = {}): Reel => {
  const id = `0192a1b2-8888-7000-8000-${String(n).padStart(12, '0')}`;
  const mediaId = `0192a1b2-9999-7000-8000-${String(n).padStart(12, '0')}`;
  return {
    post: {
      ...examplePost,
      id,
      author: {
        ...examplePost.author,
        id: `0192a1b2-7777-7000-8000-${String(n).padStart(12, '0')}`,
        username: `bruno${n}`,
        displayName: `Bruno ${n}`,
      },
      text: `Reel number ${n} #perros`,
      entities: [{ type: 'hashtag', start: 15, end: 22, value: 'perros' }],
      visibility: 'public',
      mediaIds: [mediaId],
      reactions: { ...zero },
      myReaction: null,
      comments: n,
      shares: 0,
    } as Reel['post'],
    mediaId,
    durationMs: 20_000,
    coverMs: 0,
    language: 'en',
    allowDuet: true,
    allowStitch: true,
    views: 10 * n,
    sound: null,
    remix: null,
    filter: null,
    ...overrides,
  };
};

function serve(pages: (ReelPage | Error)[], startId?: string) {
  const calls: { op: string; body: Record<string, unknown> }[] = [];
  let read = 0;
  const load = vi.fn(async (_cursor: string | undefined) => {
    const page = pages[Math.min(read, pages.length - 1)] as ReelPage | Error;
    read += 1;
    if (page instanceof Error) throw page;
    return page;
  });
  vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    calls.push({ op, body });
    if (op === 'media.get')
      return {
        items: (body.ids as string[]).map((id) => ({
          ...exampleMedia,
          id,
          kind: 'reel',
          width: 1080,
          height: 1920,
          durationMs: 20_000,
          urls: { 'master.m3u8': `https://media.test/${id}/master.m3u8`, 'thumb.jpg': `https://media.test/${id}/thumb.jpg` },
        })),
      };
    if (op === 'posts.react') return { reactions: { ...zero, like: body.kind === 'like' ? 1 : 0 }, myReaction: body.kind ?? null };
    if (op === 'reels.notInterested') return { notInterested: true };
    if (op === 'profile.get')
      return {
        id: body.userId,
        canFollow: true,
        relation: { state: 'none', closeFriend: false, following: false, followedBy: false, blocked: false },
      };
    if (op === 'follows.follow')
      return { relation: { state: 'none', closeFriend: false, following: true, followedBy: false, blocked: false } };
    if (op === 'reels.watch') return { counted: [], ignored: [] };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  vi.spyOn(actions, 'socket').mockReturnValue(undefined);
  const view = render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <ReelFeed load={load} startId={startId} />} />
      <Route path="/u/:username" component={() => <p data-testid="profile-page">profile</p>} />
    </MemoryRouter>
  ));
  return { calls, load, view };
}

const page = (from: number, to: number, nextCursor: string | null = null): ReelPage => ({
  items: Array.from({ length: to - from + 1 }, (_, at) => ({ reel: reel(from + at), source: 'for_you' as const })),
  nextCursor,
});
const videos = () => [...document.querySelectorAll('video')];
const currentPage = () => document.querySelector('.reel-page[data-current="true"]') as HTMLElement;
const key = (name: string) => fireEvent.keyDown(document.body, { key: name });
const stage = () => currentPage().querySelector('.reel-stage') as HTMLElement;
const tap = (x = 100, y = 300) => {
  fireEvent.pointerDown(stage(), { clientX: x, clientY: y, pointerId: 1 });
  fireEvent.pointerUp(stage(), { clientX: x, clientY: y, pointerId: 1 });
};

test('reels player: only the reel on screen and its neighbours have a video, at most three however far one goes; the rest keep their place', async () => {
  serve([page(1, 8)]);
  await waitFor(() => expect(videos()).toHaveLength(2));
  expect(document.querySelectorAll('.reel-page')).toHaveLength(8);
  expect(document.querySelectorAll('[data-testid="reel-placeholder"]')).toHaveLength(6);
  expect(currentPage().dataset.index).toBe('0');
  expect(screen.getByTestId('reels-announce').textContent).toBe('Reel by \u2068Bruno 1\u2069: \u2068Reel number 1 #perros\u2069');
  for (const [press, index] of [
    ['ArrowDown', 1],
    ['j', 2],
    ['j', 3],
    ['k', 2],
    ['ArrowUp', 1],
  ] as const) {
    key(press);
    await waitFor(() => expect(currentPage().dataset.index).toBe(String(index)));
    expect(videos().length).toBeLessThanOrEqual(3);
    expect(videos().map((video) => video.closest('.reel-page')?.getAttribute('data-index'))).toEqual(
      [index - 1, index, index + 1].filter((at) => at >= 0).map(String),
    );
  }
  // Only the one on screen is for assistive technology; the neighbours wait, paused and muted.
  expect(document.querySelectorAll('.reel-page:not([aria-hidden])')).toHaveLength(1);
  for (const video of videos()) expect(video.muted).toBe(true);
});

test('reels player: the page 60 % visible is the one on screen; nearing the end loads the next page', async () => {
  const observers: { callback: IntersectionObserverCallback; targets: Element[] }[] = [];
  vi.stubGlobal(
    'IntersectionObserver',
    class {
      targets: Element[] = [];
      constructor(callback: IntersectionObserverCallback) {
        observers.push({ callback, targets: this.targets });
      }
      observe(target: Element) {
        this.targets.push(target);
      }
      unobserve() {}
      disconnect() {}
    },
  );
  const { load } = serve([page(1, 4, 'next'), page(5, 8)]);
  await waitFor(() => expect(videos()).toHaveLength(2));
  const feed = observers.find((each) => each.targets.length === 4);
  const show = (index: number, ratio: number) =>
    feed?.callback(
      [{ target: feed.targets[index] as Element, intersectionRatio: ratio, isIntersecting: true } as unknown as IntersectionObserverEntry],
      {} as IntersectionObserver,
    );
  show(1, 0.4);
  expect(currentPage().dataset.index).toBe('0');
  show(1, 0.75);
  expect(currentPage().dataset.index).toBe('1');
  await waitFor(() => expect(load).toHaveBeenCalledTimes(2));
  expect(load).toHaveBeenLastCalledWith('next');
  await waitFor(() => expect(document.querySelectorAll('.reel-page')).toHaveLength(8));
});

test('reels player: the first tap only turns sound on; then a tap pauses and plays; Space pauses, m mutes', async () => {
  serve([page(1, 3)]);
  await waitFor(() => expect(videos()).toHaveLength(2));
  const sound = screen.getByTestId('reels-sound');
  expect(sound.getAttribute('aria-label')).toBe(en['reels.unmute']);
  tap();
  await waitFor(() => expect(sound.getAttribute('aria-label')).toBe(en['reels.mute']));
  for (const video of videos()) expect(video.muted).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(currentPage().querySelector('.reel-paused')).toBeNull();
  tap();
  await waitFor(() => expect(currentPage().querySelector('.reel-paused')).not.toBeNull());
  key(' ');
  expect(currentPage().querySelector('.reel-paused')).toBeNull();
  key(' ');
  expect(currentPage().querySelector('.reel-paused')).not.toBeNull();
  key('m');
  expect(sound.getAttribute('aria-label')).toBe(en['reels.unmute']);
  expect(videos().every((video) => video.muted)).toBe(true);
});

test('reels player: a double tap likes the reel once, with a heart, and never takes the like back; it does not pause', async () => {
  const { calls } = serve([page(1, 2)]);
  await waitFor(() => expect(videos()).toHaveLength(2));
  setSoundOn(true);
  tap(120, 200);
  tap(122, 202);
  await waitFor(() =>
    expect(calls.filter((call) => call.op === 'posts.react')).toEqual([
      { op: 'posts.react', body: { postId: reel(1).post.id, kind: 'like' } },
    ]),
  );
  expect(currentPage().querySelectorAll('[data-testid="reel-heart"]').length).toBeGreaterThan(0);
  const react = within(currentPage()).getByTestId('react');
  await waitFor(() => expect(react.getAttribute('aria-pressed')).toBe('true'));
  expect(react.textContent).toContain('1');
  await new Promise((resolve) => setTimeout(resolve, 400));
  tap(120, 200);
  tap(121, 201);
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(calls.filter((call) => call.op === 'posts.react')).toHaveLength(1);
  expect(react.getAttribute('aria-pressed')).toBe('true');
  expect(currentPage().querySelector('.reel-paused')).toBeNull();
});

test('reels player: the author of the reel on screen can be followed from its + (asked once per person), which then goes', async () => {
  // People no other test showed (the answer is kept for the session).
  const { calls } = serve([page(41, 42)]);
  await waitFor(() => expect(videos()).toHaveLength(2));
  const follow = await within(currentPage()).findByTestId('reel-follow');
  expect(follow.getAttribute('aria-label')).toBe(`${en['relation.follow']} · Bruno 41`);
  fireEvent.click(follow);
  await waitFor(() => expect(within(currentPage()).queryByTestId('reel-follow')).toBeNull());
  const author = reel(41).post.author.id;
  expect(calls.filter((call) => call.op === 'follows.follow').map((call) => call.body)).toEqual([{ userId: author }]);
  expect(calls.filter((call) => call.op === 'profile.get')).toHaveLength(1);
});

test('reels player: a swipe toward the start opens the author’s profile', async () => {
  serve([page(1, 2)]);
  await waitFor(() => expect(videos()).toHaveLength(2));
  fireEvent.pointerDown(stage(), { clientX: 300, clientY: 300, pointerId: 1 });
  fireEvent.pointerUp(stage(), { clientX: 150, clientY: 310, pointerId: 1 });
  await screen.findByTestId('profile-page');
});

test('reels player: "not interested" tells the server and the reel slides away; the next takes its place', async () => {
  const { calls } = serve([page(1, 3)]);
  await waitFor(() => expect(videos()).toHaveLength(2));
  fireEvent.click(within(currentPage()).getByTestId('reel-not-interested'));
  await waitFor(() => expect(document.querySelectorAll('.reel-page')).toHaveLength(2));
  expect(calls.find((call) => call.op === 'reels.notInterested')?.body).toEqual({ reelId: reel(1).post.id });
  expect(currentPage().dataset.testid).toBe(`reel-${reel(2).post.id}`);
});

test('reels player: the menu offers a duet and a stitch of a public reel whose author allows them, neither otherwise', async () => {
  serve([
    {
      items: [
        { reel: reel(1), source: 'for_you' as const },
        { reel: reel(2, { allowDuet: false }), source: 'for_you' as const },
        { reel: reel(3, { allowDuet: false, allowStitch: false }), source: 'for_you' as const },
      ],
      nextCursor: null,
    },
  ]);
  await waitFor(() => expect(videos()).toHaveLength(2));
  const links = (page: HTMLElement) =>
    ['reel-duet', 'reel-stitch'].map((id) => within(page).queryByTestId(id)?.getAttribute('href') ?? null);
  const pages = [...document.querySelectorAll<HTMLElement>('.reel-page')];
  expect(pages.map(links)).toEqual([
    [`/create/reel?duet=${reel(1).post.id}`, `/create/reel?stitch=${reel(1).post.id}`],
    [null, `/create/reel?stitch=${reel(2).post.id}`],
    [null, null],
  ]);
});

test('reels player: what was watched is reported when it closes: time played, and a reel left before 2 s as skipped', async () => {
  const { calls, view } = serve([page(1, 3)]);
  await waitFor(() => expect(videos()).toHaveLength(2));
  const played = (seconds: number) => {
    const video = currentPage().querySelector('video') as HTMLVideoElement;
    video.currentTime = seconds;
    fireEvent.timeUpdate(video);
  };
  played(1);
  played(2);
  played(3.2);
  key('ArrowDown');
  await waitFor(() => expect(currentPage().dataset.index).toBe('1'));
  played(0.5);
  key('ArrowDown');
  await waitFor(() => expect(currentPage().dataset.index).toBe('2'));
  view.unmount();
  await waitFor(() => expect(calls.some((call) => call.op === 'reels.watch')).toBe(true));
  expect(calls.find((call) => call.op === 'reels.watch')?.body).toEqual({
    items: [
      { reelId: reel(1).post.id, watchedMs: 3200, completed: false, skipped: false, source: 'for_you' },
      { reelId: reel(2).post.id, watchedMs: 500, completed: false, skipped: true, source: 'for_you' },
      { reelId: reel(3).post.id, watchedMs: 0, completed: false, skipped: true, source: 'for_you' },
    ],
  });
});

test('reels player: opened at a reel further down, it starts there', async () => {
  serve([page(1, 5)], reel(4).post.id);
  await waitFor(() => expect(currentPage().dataset.index).toBe('3'));
  expect(videos().map((video) => video.closest('.reel-page')?.getAttribute('data-index'))).toEqual(['2', '3', '4']);
});

test('reels player: an empty feed says so with a way to make one; a failure can be retried; the end of the feed is marked', async () => {
  serve([{ items: [], nextCursor: null }]);
  await screen.findByText(en['reels.empty']);
  expect(screen.getByTestId('reels-create').getAttribute('href')).toBe('/create');
  cleanup();
  const { load } = serve([new Error('boom'), page(1, 1)]);
  const retry = await screen.findByRole('button', { name: en['reels.retry'] });
  fireEvent.click(retry);
  await waitFor(() => expect(videos()).toHaveLength(1));
  expect(load).toHaveBeenCalledTimes(2);
  expect(screen.getByTestId('reels-end').textContent).toBe(en['reels.end']);
});
