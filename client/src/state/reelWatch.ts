// What the reels player watched, reported to the server (reels.watch) in batches: per reel, the
// milliseconds played (replays counted, pauses not: the player reports the time it saw go by),
// whether it reached its end, whether the viewer left it before REEL_LIMITS.viewAfterMs
// (skipped) and where it was shown. A batch goes every 10 s, when the player closes and when the
// page is hidden (a phone locked, a tab switched), at most REEL_LIMITS.watchBatch items (each reel
// once) and never more than REEL_LIMITS.watchItemMs per item. A batch the connection lost is kept
// for the next one; one the server refused is dropped (it would be refused again).
import { ProtocolError } from '../../../protocol/client.ts';
import { REEL_LIMITS, type REEL_SOURCES } from '../../../protocol/lists.ts';

export type ReelSource = (typeof REEL_SOURCES)[number];

export interface WatchItem {
  reelId: string;
  watchedMs: number;
  completed: boolean;
  skipped: boolean;
  source: ReelSource;
}

export const WATCH_EVERY_MS = 10_000;
/** Failures after which the batch is sent again with the next one: the server did not say no (DISCONNECTED may have recorded it; the server caps a viewer's total per reel, so a double costs little). */
const RETRIED = new Set(['DISCONNECTED', 'TIMEOUT', 'CLOSED', 'RATE_LIMITED']);

export function createReelWatch(options: {
  send: (items: WatchItem[]) => Promise<unknown>;
  /** A batch the server refused: nothing more is done with it. */
  onRefused?: (error: unknown) => void;
  everyMs?: number;
}) {
  /** Not reported yet, in the order first watched. */
  const pending = new Map<string, WatchItem>();
  /** The reel on screen now and how long this view of it has played (for `skipped`). */
  let viewing: { reelId: string; source: ReelSource; playedMs: number; completed: boolean } | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let sending: Promise<void> = Promise.resolve();

  const entry = (reelId: string, source: ReelSource): WatchItem => {
    let item = pending.get(reelId);
    if (item === undefined) {
      item = { reelId, watchedMs: 0, completed: false, skipped: false, source };
      pending.set(reelId, item);
    }
    return item;
  };

  /** Puts a batch back after a lost connection, under what was watched since. */
  const restore = (items: WatchItem[]) => {
    for (const item of items) {
      const now = pending.get(item.reelId);
      if (now === undefined) pending.set(item.reelId, item);
      else
        pending.set(item.reelId, {
          ...now,
          watchedMs: Math.min(REEL_LIMITS.watchItemMs, now.watchedMs + item.watchedMs),
          completed: now.completed || item.completed,
          skipped: now.skipped || item.skipped,
        });
    }
  };

  const sendBatch = async (items: WatchItem[]) => {
    try {
      await options.send(items);
    } catch (error) {
      if (error instanceof ProtocolError && !RETRIED.has(error.code)) options.onRefused?.(error);
      else restore(items);
    }
  };

  const watch = {
    /** A reel came on screen (the previous one, if any, was left). */
    view(reelId: string, source: ReelSource) {
      if (viewing?.reelId === reelId) return;
      watch.leave();
      viewing = { reelId, source, playedMs: 0, completed: false };
    },
    /** `ms` more of the reel on screen played. */
    played(ms: number) {
      if (viewing === undefined || !(ms > 0)) return;
      viewing.playedMs += ms;
      const item = entry(viewing.reelId, viewing.source);
      item.watchedMs = Math.min(REEL_LIMITS.watchItemMs, item.watchedMs + Math.round(ms));
    },
    /** The reel on screen reached its end (it starts again). */
    completed() {
      if (viewing === undefined) return;
      viewing.completed = true;
      entry(viewing.reelId, viewing.source).completed = true;
    },
    /** The viewer left the reel on screen (swiped on, closed the player): skipped when it played less than REEL_LIMITS.viewAfterMs. */
    leave() {
      const left = viewing;
      viewing = undefined;
      if (left === undefined) return;
      entry(left.reelId, left.source).skipped = !left.completed && left.playedMs < REEL_LIMITS.viewAfterMs;
    },
    /** Sends what is pending, in batches of at most REEL_LIMITS.watchBatch; resolves once they are answered. */
    flush(): Promise<void> {
      const items = [...pending.values()].filter((item) => item.watchedMs > 0 || item.completed || item.skipped);
      pending.clear();
      for (let start = 0; start < items.length; start += REEL_LIMITS.watchBatch) {
        const batch = items.slice(start, start + REEL_LIMITS.watchBatch).map((item) => ({ ...item }));
        sending = sending.then(() => sendBatch(batch));
      }
      return sending;
    },
    /** What would be sent now (for tests and the player's debugging). */
    pending: (): WatchItem[] => [...pending.values()].map((item) => ({ ...item })),
    /** Reports every 10 s and when the page is hidden, until `stop`. */
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => void watch.flush(), options.everyMs ?? WATCH_EVERY_MS);
      document.addEventListener('visibilitychange', onVisibility);
    },
    /** The player closes: the reel on screen is left and everything is sent. */
    stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      document.removeEventListener('visibilitychange', onVisibility);
      watch.leave();
      return watch.flush();
    },
  };
  function onVisibility() {
    if (document.visibilityState === 'hidden') void watch.flush();
  }
  return watch;
}
