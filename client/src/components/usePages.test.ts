// "Load more" follows the server's cursors to the end; a reload starts again from the first page;
// a failure is kept as text for the screen, and the items already shown stay.
import { createRoot } from 'solid-js';
import { expect, test } from 'vitest';
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
