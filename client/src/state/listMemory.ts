// Lists the user left for another page and may come back to (Back, or the same tab again): the
// feed, a profile's posts and the chat list. What was loaded and how far down the window was are
// kept for a few minutes, so coming back shows the same place without fetching the list again.
// Live events go on updating what is shown once it is back (posts follow their topics; the feed's
// "new posts" pill appears for what came meanwhile only while the feed is open, so after
// FRESH_FOR_MS the list is fetched again). A list whose content is known to have changed while it
// was away (`listChanged`: a chat got a message or was read) is put back as it was, then its first
// page is read again and merged in, so the place is kept and the news shows.
import { onCleanup } from 'solid-js';
import type { PageOf } from '../components/usePages.ts';

const FRESH_FOR_MS = 5 * 60_000;

interface Remembered {
  page: PageOf<unknown>;
  scrollY: number;
  at: number;
}

const remembered = new Map<string, Remembered>();
/** When lists whose key starts with each prefix last changed while nobody showed them. */
const changedAt = new Map<string, number>();

/** What the lists under keys starting with `prefix` show changed (a new message, a read). */
export function listChanged(prefix: string): void {
  changedAt.set(prefix, Date.now());
}

export function rememberList<T>(key: string, page: PageOf<T>, scrollY: number): void {
  remembered.set(key, { page: page as PageOf<unknown>, scrollY, at: Date.now() });
}

/** The list left under `key` if it is recent enough (taken: a second visit fetches again). */
export function recallList<T>(key: string): { page: PageOf<T>; scrollY: number; changed: boolean } | undefined {
  const entry = remembered.get(key);
  remembered.delete(key);
  if (entry === undefined || Date.now() - entry.at > FRESH_FOR_MS) return undefined;
  let changed = false;
  for (const [prefix, at] of changedAt) if (key.startsWith(prefix) && at >= entry.at) changed = true;
  return { page: entry.page as PageOf<T>, scrollY: entry.scrollY, changed };
}

/** Signing out forgets every list. */
export function forgetLists(): void {
  remembered.clear();
  changedAt.clear();
}

interface Pages<T> {
  loaded(): boolean;
  reload(): Promise<void>;
  /** Reads the first page again and merges it in front of what is loaded (see usePages). */
  refreshFirst(): Promise<void>;
  snapshot(): PageOf<T>;
  restore(page: PageOf<T>): void;
}

/**
 * For a list screen, called when it mounts: puts back the list left under `key` (and scrolls to
 * where the window was) or loads its first page; remembers it when the screen goes. The scroll is
 * followed as the user scrolls: by the time the screen goes, the router may have scrolled.
 */
export function keepList<T>(key: () => string, pages: Pages<T>): void {
  const back = recallList<T>(key());
  if (back === undefined) void pages.reload();
  else {
    pages.restore(back.page);
    requestAnimationFrame(() => window.scrollTo(0, back.scrollY));
    if (back.changed) void pages.refreshFirst();
  }
  let scrollY = back?.scrollY ?? 0;
  const onScroll = () => {
    scrollY = window.scrollY;
  };
  window.addEventListener('scroll', onScroll, { passive: true });
  onCleanup(() => {
    window.removeEventListener('scroll', onScroll);
    if (pages.loaded()) rememberList(key(), pages.snapshot(), scrollY);
  });
}
