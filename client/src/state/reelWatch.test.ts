// Watch reporting of the reels player: time played adds up per reel (replays too), a reel left
// before 2 s is skipped, one played to its end is completed; batches go every 10 s, when the page
// is hidden and when the player stops, each reel once, at most 50 items and 10 min an item; a
// batch lost with the connection comes again with the next one, one refused does not.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { ProtocolError } from '../../../protocol/client.ts';
import { REEL_LIMITS } from '../../../protocol/lists.ts';
import { createReelWatch, WATCH_EVERY_MS, type WatchItem } from './reelWatch.ts';

const id = (n: number) => `0192a1b2-7777-7000-8000-${String(n).padStart(12, '0')}`;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function watcher(send: (items: WatchItem[]) => Promise<unknown> = async () => ({ counted: [], ignored: [] })) {
  const batches: WatchItem[][] = [];
  const refused: unknown[] = [];
  const watch = createReelWatch({
    send: (items) => {
      batches.push(items);
      return send(items);
    },
    onRefused: (error) => refused.push(error),
  });
  return { watch, batches, refused };
}

test('reel watch: played time adds up per reel, replays included; completed once it reached its end; sent every 10 s', async () => {
  const { watch, batches } = watcher();
  watch.start();
  watch.view(id(1), 'for_you');
  watch.played(3000);
  watch.played(2500);
  watch.completed();
  // Looping: the second play counts too.
  watch.played(1500);
  expect(batches).toEqual([]);
  await vi.advanceTimersByTimeAsync(WATCH_EVERY_MS);
  expect(batches).toEqual([[{ reelId: id(1), watchedMs: 7000, completed: true, skipped: false, source: 'for_you' }]]);
  // Nothing new: nothing sent.
  await vi.advanceTimersByTimeAsync(WATCH_EVERY_MS);
  expect(batches).toHaveLength(1);
  watch.played(400);
  await vi.advanceTimersByTimeAsync(WATCH_EVERY_MS);
  expect(batches[1]).toEqual([{ reelId: id(1), watchedMs: 400, completed: false, skipped: false, source: 'for_you' }]);
  await watch.stop();
});

test('reel watch: a reel left before 2 s is skipped, one left after is not; pauses add nothing; each reel once per batch with its source', async () => {
  const { watch, batches } = watcher();
  watch.start();
  watch.view(id(1), 'following');
  watch.played(1200);
  watch.view(id(2), 'following');
  watch.played(REEL_LIMITS.viewAfterMs + 500);
  // Paused for a while: the player reports no time.
  await vi.advanceTimersByTimeAsync(3000);
  watch.view(id(1), 'following');
  watch.played(300);
  await vi.advanceTimersByTimeAsync(WATCH_EVERY_MS);
  expect(batches).toEqual([
    [
      { reelId: id(1), watchedMs: 1500, completed: false, skipped: true, source: 'following' },
      { reelId: id(2), watchedMs: 2500, completed: false, skipped: false, source: 'following' },
    ],
  ]);
  // Leaving the one on screen (still under 2 s this time) is reported when the player stops.
  await watch.stop();
  expect(batches[1]).toEqual([{ reelId: id(1), watchedMs: 0, completed: false, skipped: true, source: 'following' }]);
});

test('reel watch: sent when the page is hidden, and on stop; never more than 50 items a batch nor 10 min an item', async () => {
  const { watch, batches } = watcher();
  watch.start();
  watch.view(id(0), 'profile');
  watch.played(REEL_LIMITS.watchItemMs + 60_000);
  for (let n = 1; n <= 60; n += 1) {
    watch.view(id(n), 'sound');
    watch.played(2500);
  }
  const hidden = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
  document.dispatchEvent(new Event('visibilitychange'));
  hidden.mockRestore();
  await vi.advanceTimersByTimeAsync(0);
  expect(batches.map((batch) => batch.length)).toEqual([REEL_LIMITS.watchBatch, 11]);
  expect(batches[0]?.[0]).toEqual({
    reelId: id(0),
    watchedMs: REEL_LIMITS.watchItemMs,
    completed: false,
    skipped: false,
    source: 'profile',
  });
  for (const batch of batches) expect(new Set(batch.map((item) => item.reelId)).size).toBe(batch.length);
  watch.played(900);
  await watch.stop();
  expect(batches[2]).toEqual([{ reelId: id(60), watchedMs: 900, completed: false, skipped: false, source: 'sound' }]);
  // Stopped: no more timer, no more listener.
  watch.view(id(61), 'link');
  watch.played(5000);
  await vi.advanceTimersByTimeAsync(WATCH_EVERY_MS * 2);
  document.dispatchEvent(new Event('visibilitychange'));
  expect(batches).toHaveLength(3);
});

test('reel watch: a batch lost with the connection comes again with the next one; one the server refused does not', async () => {
  let failure: Error | undefined = new ProtocolError('DISCONNECTED', 'gone');
  const { watch, batches, refused } = watcher(async () => {
    if (failure !== undefined) throw failure;
    return { counted: [], ignored: [] };
  });
  watch.start();
  watch.view(id(1), 'link');
  watch.played(2000);
  await vi.advanceTimersByTimeAsync(WATCH_EVERY_MS);
  failure = undefined;
  watch.played(1000);
  await vi.advanceTimersByTimeAsync(WATCH_EVERY_MS);
  expect(batches[1]).toEqual([{ reelId: id(1), watchedMs: 3000, completed: false, skipped: false, source: 'link' }]);
  failure = new ProtocolError('INVALID_INPUT', 'no');
  watch.played(500);
  await vi.advanceTimersByTimeAsync(WATCH_EVERY_MS);
  failure = undefined;
  await vi.advanceTimersByTimeAsync(WATCH_EVERY_MS);
  expect(batches).toHaveLength(3);
  expect(refused).toHaveLength(1);
  await watch.stop();
});
