// Media as screens show them, by id: one store for the app, filled by `media.get` (ids asked for
// in the same moment go in one call, 50 at most each) and by uploads in progress. Signed URLs last
// a few hours, so an item fetched more than an hour ago is fetched again when next shown. Ids the
// server leaves out (deleted, or not visible to this user) are remembered as missing, and asked
// again when shown after five minutes (a pets audience widened, a friend request accepted).
import { createStore } from 'solid-js/store';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { actions } from './store.ts';

export type MediaItem = CallResponse<'media.get'>['items'][number];

const BATCH = 50;
const FRESH_MS = 60 * 60_000;
const MISSING_MS = 5 * 60_000;

const [items, setItems] = createStore<Record<string, MediaItem | null>>({});
const fetchedAt = new Map<string, number>();
const queued = new Set<string>();
const inFlight = new Set<string>();
let flushing = false;

/** An item learnt elsewhere (an upload's progress, an event). */
export function remember(item: MediaItem): void {
  fetchedAt.set(item.id, Date.now());
  setItems(item.id, item);
}

async function flush(): Promise<void> {
  flushing = false;
  const ids = [...queued];
  queued.clear();
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH);
    for (const id of batch) inFlight.add(id);
    try {
      const { items: found } = await actions.call('media.get', { ids: batch });
      const seen = new Set(found.map((item) => item.id));
      for (const item of found) remember(item);
      for (const id of batch)
        if (!seen.has(id)) {
          fetchedAt.set(id, Date.now());
          setItems(id, null);
        }
    } catch {
      // Shown again later (a new screen, a scroll) asks again; nothing is marked missing.
      for (const id of batch) fetchedAt.delete(id);
    } finally {
      for (const id of batch) inFlight.delete(id);
    }
  }
}

/** The item (undefined while loading, null when it cannot be shown); asks the server when needed. */
export function mediaItem(id: string): MediaItem | null | undefined {
  const item = items[id];
  const age = Date.now() - (fetchedAt.get(id) ?? 0);
  const stale = item === undefined || (item === null ? age > MISSING_MS : item.status === 'ready' && age > FRESH_MS);
  if (stale && !inFlight.has(id) && !queued.has(id)) {
    queued.add(id);
    if (!flushing) {
      flushing = true;
      queueMicrotask(() => void flush());
    }
  }
  return item;
}
