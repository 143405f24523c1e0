// A cursor-paginated list: the first page, "load more" for the next, a reload from the start;
// the items can be changed in place for optimistic updates, and a list left and come back to can
// be restored as it was (`snapshot`, `restore`) instead of fetched again.
import { createSignal } from 'solid-js';
import { errorText } from '../state/store.ts';

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * `idOf` names an item, for `refreshFirst` (which merges a fresh first page into what is loaded);
 * lists given none are compared by `id`.
 */
export function usePages<T>(
  load: (cursor: string | undefined) => Promise<PageOf<T>>,
  idOf: (item: T) => string = (item) => (item as { id: string }).id,
) {
  const [items, setItems] = createSignal<T[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  let generation = 0;
  let refreshes = 0;
  const fetchPage = async (fromStart: boolean) => {
    const mine = ++generation;
    setLoading(true);
    setError(undefined);
    try {
      const page = await load(fromStart ? undefined : (next() ?? undefined));
      // A reload started meanwhile wins.
      if (mine !== generation) return;
      setItems((before) => (fromStart ? page.items : [...before, ...page.items]));
      setNext(page.nextCursor);
      setLoaded(true);
    } catch (failure) {
      if (mine === generation) setError(errorText(failure));
    } finally {
      if (mine === generation) setLoading(false);
    }
  };
  return {
    items,
    setItems,
    /** What is loaded, to put back later with `restore`. */
    snapshot: (): PageOf<T> => ({ items: items(), nextCursor: next() }),
    restore(page: PageOf<T>) {
      generation++;
      setItems(page.items);
      setNext(page.nextCursor);
      setError(undefined);
      setLoading(false);
      setLoaded(true);
    },
    loading,
    loaded,
    error,
    hasMore: () => next() !== null,
    more: () => fetchPage(false),
    reload: () => fetchPage(true),
    /**
     * Reads the first page again without emptying the list: its items come first, followed by the
     * loaded ones it does not hold (the pages further down stay, and so does the scroll).
     */
    async refreshFirst() {
      // Its own count, not `generation`: a "load more" or a reload meanwhile goes on, and the
      // fresh first page is merged into whatever the list holds when it comes.
      const mine = ++refreshes;
      try {
        const page = await load(undefined);
        if (mine !== refreshes) return;
        const fresh = new Set(page.items.map(idOf));
        setItems((before) => [...page.items, ...before.filter((item) => !fresh.has(idOf(item)))]);
        if (items().length === page.items.length) setNext(page.nextCursor);
        setLoaded(true);
      } catch (failure) {
        if (mine === refreshes) setError(errorText(failure));
      }
    },
  };
}
