// The stories tray's state: rings, a live `story.added` put first among the unseen, a
// `story.removed` taking a story (and the item with its last) out, a story watched here turning
// the ring grey, and an item leaving by itself at its expiresAt (the server sends nothing then).
import { createRoot } from 'solid-js';
import { afterEach, expect, test, vi } from 'vitest';
import type { EventFrame } from '../../../protocol/client.ts';
import { added, createTray, itemOf, removed, replaced, ringOf, type Story, seen, type TrayItem } from './stories.ts';
import { baseStory } from './testing.ts';

afterEach(() => {
  vi.useRealTimers();
});

const ME = '0192a1b2-0000-7000-8000-000000000001';
const item = (id: string, overrides: Partial<TrayItem> = {}): TrayItem => ({
  author: {
    id,
    username: `user_${id.slice(-2)}`,
    displayName: '',
    avatarMediaId: null,
    verified: false,
    accountType: 'personal',
    badges: [],
  },
  stories: 1,
  unseen: 1,
  closeFriends: false,
  latestAt: '2026-12-06T20:00:00.000Z',
  expiresAt: '2026-12-07T20:00:00.000Z',
  ...overrides,
});
const ids = (items: TrayItem[]) => items.map((each) => each.author.id.slice(-2));
const frame = (name: string, body: unknown): EventFrame => ({ type: 'event', topic: `feed:${ME}`, epoch: 'e', seq: 1, name, body });

test('stories tray: green when a story is for close friends, the gradient while something is unseen, grey otherwise (PROTOCOL.md)', () => {
  expect(ringOf({ unseen: 2, closeFriends: false })).toBe('unseen');
  expect(ringOf({ unseen: 1, closeFriends: true })).toBe('close');
  expect(ringOf({ unseen: 0, closeFriends: true })).toBe('close');
  expect(ringOf({ unseen: 0, closeFriends: false })).toBe('seen');
});

test('stories tray: a new story puts its author first among the unseen, after the user, replacing their old item', () => {
  const mine = item(ME, { unseen: 0 });
  const list = [mine, item('…a2'), item('…a3', { unseen: 0 })];
  expect(ids(added(list, item('…a3', { stories: 2 }), ME))).toEqual(['01', 'a3', 'a2']);
  expect(ids(added(list.slice(1), item('…a4'), ME))).toEqual(['a4', 'a2', 'a3']);
  expect(added(list, item('…a3', { stories: 2 }), ME)[1]?.stories).toBe(2);
});

test('stories tray: a ring read again stays where it was, or leaves when nothing is left to see', () => {
  const list = [item('…a2'), item('…a3'), item('…a4')];
  expect(replaced(list, '…a3', item('…a3', { stories: 3 })).map((each) => [each.author.id.slice(-2), each.stories])).toEqual([
    ['a2', 1],
    ['a3', 3],
    ['a4', 1],
  ]);
  expect(ids(replaced(list, '…a3', undefined))).toEqual(['a2', 'a4']);
});

test('stories tray: a removed story takes the item with its last; a watched one turns the ring grey with the last unseen', () => {
  const list = [item('…a2', { stories: 2, unseen: 2 }), item('…a3')];
  expect(ids(removed(list, '…a3'))).toEqual(['a2']);
  expect(removed(list, '…a2')[0]).toMatchObject({ stories: 1, unseen: 1 });
  const once = seen(list, '…a2');
  expect(ringOf(once[0] as TrayItem)).toBe('unseen');
  expect(ringOf(seen(once, '…a2')[0] as TrayItem)).toBe('seen');
});

const story = (authorId: string, overrides: Partial<Story> = {}): Story => ({
  ...baseStory,
  author: item(authorId).author,
  ...overrides,
});

test('stories tray: a person’s item from their stories: counts, unseen, close friends, newest post and first expiry', () => {
  expect(itemOf([])).toBeUndefined();
  const one = story('…a2', { seen: true, createdAt: '2026-12-06T08:00:00.000Z', expiresAt: '2026-12-07T08:00:00.000Z' });
  const two = story('…a2', { audience: 'close_friends', createdAt: '2026-12-06T09:00:00.000Z', expiresAt: '2026-12-07T09:00:00.000Z' });
  expect(itemOf([one, two])).toEqual({
    author: item('…a2').author,
    stories: 2,
    unseen: 1,
    closeFriends: true,
    latestAt: '2026-12-06T09:00:00.000Z',
    expiresAt: '2026-12-07T08:00:00.000Z',
  });
});

test('stories tray: live events change the loaded tray; an item leaves at its expiresAt, or its person’s ring is read again in place when more stories remain', async () => {
  vi.useFakeTimers({ now: new Date('2026-12-07T10:00:00.000Z') });
  const soon = '2026-12-07T10:00:05.000Z';
  const later = '2026-12-07T10:00:09.000Z';
  const server = [item('…a2', { expiresAt: soon }), item('…a3', { stories: 2, expiresAt: later })];
  const load = vi.fn(async () => server);
  const author = vi.fn(async (userId: string) => {
    if (userId === '…a4') return [story('…a4', { expiresAt: '2026-12-08T09:00:00.000Z' })];
    if (userId === '…a3') return [story('…a3', { expiresAt: '2026-12-07T11:00:00.000Z' })];
    return [];
  });
  await createRoot(async () => {
    const tray = createTray({ tray: load, author });
    await tray.reload();
    expect(ids(tray.items())).toEqual(['a2', 'a3']);

    // The event names the author only: their stories are read, and they go first.
    tray.onFeedEvent(frame('story.added', { authorId: '…a4', storyId: 'x' }), ME);
    await vi.waitFor(() => expect(ids(tray.items())).toEqual(['a4', 'a2', 'a3']));
    expect(author).toHaveBeenCalledWith('…a4');
    tray.onFeedEvent(frame('feed.post', { postId: 'p', authorId: '…a4' }), ME);
    tray.onFeedEvent(frame('story.removed', { authorId: '…a4', storyId: 'x' }), ME);
    expect(ids(tray.items())).toEqual(['a2', 'a3']);

    await vi.advanceTimersByTimeAsync(5000);
    expect(ids(tray.items())).toEqual(['a3']);
    expect(load).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(4000);
    expect(author).toHaveBeenLastCalledWith('…a3');
    expect(load).toHaveBeenCalledTimes(1);
    expect(tray.items()).toMatchObject([{ stories: 1, expiresAt: '2026-12-07T11:00:00.000Z' }]);
  });
});
