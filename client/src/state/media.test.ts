// The media store: an id the server leaves out is missing, not asked again at once, and asked
// again once five minutes have passed.
import { afterEach, expect, test, vi } from 'vitest';
import { mediaItem } from './media.ts';
import { actions } from './store.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

test('media store: a missing id is asked again only after five minutes', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const missing = '0192a1b2-c3d4-7e5f-8a9b-888888888888';
  const call = vi.spyOn(actions, 'call').mockResolvedValue({ items: [] } as never);
  expect(mediaItem(missing)).toBeUndefined();
  await vi.waitFor(() => expect(mediaItem(missing)).toBeNull());
  expect(call).toHaveBeenCalledTimes(1);

  vi.setSystemTime(Date.now() + 4 * 60_000);
  mediaItem(missing);
  await Promise.resolve();
  expect(call).toHaveBeenCalledTimes(1);

  vi.setSystemTime(Date.now() + 2 * 60_000);
  mediaItem(missing);
  await vi.waitFor(() => expect(call).toHaveBeenCalledTimes(2));
  expect(call).toHaveBeenLastCalledWith('media.get', { ids: [missing] });
});
