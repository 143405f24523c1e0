// "Load more" follows the server's cursors to the end; a reload starts again from the first page;
// a failure is kept as text for the screen, and the items already shown stay.
import { createRoot } from 'solid-js';
import { expect, test, vi } from 'vitest';
import { ApiError } from '../api/http.ts';
import { usePages } from './usePages.ts';

test('pages: first page, more until the last, then a reload from the start; a failure keeps what is shown', async () => {
  const asked: (string | undefined)[] = [];
  let fail = false;
  const pages = createRoot(() =>
    usePages(async (cursor) => {
      asked.push(cursor);
      if (fail) throw new ApiError('NETWORK', 'down', 0);
      if (cursor === undefined) return { items: [1, 2], nextCursor: 'c2' };
      return { items: [3], nextCursor: null };
    }),
  );
  expect(pages.loaded()).toBe(false);
  await pages.reload();
  expect(pages.items()).toEqual([1, 2]);
  expect(pages.hasMore()).toBe(true);
  await pages.more();
  expect(pages.items()).toEqual([1, 2, 3]);
  expect(pages.hasMore()).toBe(false);
  await pages.reload();
  expect(pages.items()).toEqual([1, 2]);
  expect(asked).toEqual([undefined, 'c2', undefined]);
  fail = true;
  await pages.more();
  expect(pages.error()).toBe('The server cannot be reached. Check your connection.');
  expect(pages.items()).toEqual([1, 2]);
  expect(pages.loading()).toBe(false);
});

test('pages: a list left and come back to is restored as it was (its items and cursor), without asking; once, and not after five minutes', async () => {
  const { forgetLists, recallList, rememberList } = await import('../state/listMemory.ts');
  const asked: (string | undefined)[] = [];
  const open = () =>
    createRoot(() =>
      usePages(async (cursor) => {
        asked.push(cursor);
        return cursor === undefined ? { items: [1, 2], nextCursor: 'c2' } : { items: [3], nextCursor: null };
      }),
    );
  const first = open();
  await first.reload();
  rememberList('feed:test', first.snapshot(), 420);
  const back = recallList<number>('feed:test');
  expect(back?.scrollY).toBe(420);
  const second = open();
  second.restore((back as NonNullable<typeof back>).page);
  expect(second.items()).toEqual([1, 2]);
  expect(second.loaded()).toBe(true);
  await second.more();
  expect(second.items()).toEqual([1, 2, 3]);
  expect(asked).toEqual([undefined, 'c2']);
  // Taken once; a later visit fetches again.
  expect(recallList('feed:test')).toBeUndefined();
  vi.useFakeTimers();
  try {
    rememberList('feed:test', first.snapshot(), 0);
    vi.advanceTimersByTime(5 * 60_000 + 1);
    expect(recallList('feed:test')).toBeUndefined();
    rememberList('feed:test', first.snapshot(), 0);
    forgetLists();
    expect(recallList('feed:test')).toBeUndefined();
  } finally {
    vi.useRealTimers();
  }
});

test('pages: a kept list whose content changed while away comes back as it was, then its first page is read again and merged in front, the pages below kept', async () => {
  const { listChanged, recallList, rememberList } = await import('../state/listMemory.ts');
  type Chat = { id: string; unread: number };
  let first: Chat[] = [
    { id: 'a', unread: 2 },
    { id: 'b', unread: 0 },
  ];
  const asked: (string | undefined)[] = [];
  const pages = createRoot(() =>
    usePages<Chat>(async (cursor) => {
      asked.push(cursor);
      return cursor === undefined ? { items: first, nextCursor: 'c2' } : { items: [{ id: 'c', unread: 0 }], nextCursor: 'c3' };
    }),
  );
  await pages.reload();
  await pages.more();
  rememberList('chats:inbox', pages.snapshot(), 300);
  // Nothing changed: not marked.
  rememberList('chats:requests', pages.snapshot(), 0);
  expect(recallList('chats:requests')?.changed).toBe(false);
  listChanged('chats:');
  const back = recallList<Chat>('chats:inbox');
  expect(back?.changed).toBe(true);
  pages.restore((back as NonNullable<typeof back>).page);
  // b got a message and moved up; a was read.
  first = [
    { id: 'b', unread: 1 },
    { id: 'a', unread: 0 },
  ];
  await pages.refreshFirst();
  expect(pages.items()).toEqual([
    { id: 'b', unread: 1 },
    { id: 'a', unread: 0 },
    { id: 'c', unread: 0 },
  ]);
  // The cursor still follows the pages below.
  await pages.more();
  expect(asked).toEqual([undefined, 'c2', undefined, 'c3']);
  // Another kind of list is not marked by a change of chats.
  rememberList('feed:home', pages.snapshot(), 0);
  listChanged('chats:');
  expect(recallList('feed:home')?.changed).toBe(false);
});

test('pages: a "load more" while the first page is read again is kept, and so is the fresh first page', async () => {
  type Chat = { id: string };
  let answerFirst: (page: { items: Chat[]; nextCursor: string | null }) => void = () => undefined;
  let firstCalls = 0;
  const pages = createRoot(() =>
    usePages<Chat>(async (cursor) => {
      if (cursor === undefined) {
        firstCalls++;
        if (firstCalls === 1) return { items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c2' };
        return new Promise((resolve) => (answerFirst = resolve));
      }
      return { items: [{ id: 'c' }], nextCursor: null };
    }),
  );
  await pages.reload();
  const refreshing = pages.refreshFirst();
  await pages.more();
  answerFirst({ items: [{ id: 'z' }, { id: 'a' }], nextCursor: 'c2' });
  await refreshing;
  expect(pages.items().map((item) => item.id)).toEqual(['z', 'a', 'b', 'c']);
  expect(pages.hasMore()).toBe(false);
  expect(pages.loading()).toBe(false);
});
