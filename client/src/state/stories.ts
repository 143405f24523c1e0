// The stories tray of the home feed: one item per person with active stories the user may see,
// in the server's order (the user first, then unseen, then seen). It changes live from the
// `feed:<me>` events the feed already follows (`story.added` puts the person first among the
// unseen, `story.removed` takes a story out), from what the user watches here (a ring goes grey),
// and by itself at each item's `expiresAt`, since the server sends nothing when a story expires.
import { createSignal, getOwner, onCleanup } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import type { EventFrame } from '../../../protocol/client.ts';
import { actions, errorText } from './store.ts';

export type Story = CallResponse<'stories.byAuthor'>['items'][number];
export type TrayItem = CallResponse<'stories.tray'>['items'][number];
export type Ring = 'unseen' | 'close' | 'seen';

const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** As PROTOCOL.md draws them: green when one of the stories is for close friends, the gradient while something is unseen, grey otherwise. */
export function ringOf(item: Pick<TrayItem, 'unseen' | 'closeFriends'>): Ring {
  if (item.closeFriends) return 'close';
  return item.unseen > 0 ? 'unseen' : 'seen';
}

/** `item` first among the unseen: after the user's own item, before everyone else; replaces the person's old item. */
export function added(items: readonly TrayItem[], item: TrayItem, me: string | undefined): TrayItem[] {
  const others = items.filter((each) => each.author.id !== item.author.id);
  const at = item.author.id === me ? 0 : others[0]?.author.id === me ? 1 : 0;
  return [...others.slice(0, at), item, ...others.slice(at)];
}

/** The person's item replaced where it is (or taken out, when nothing of theirs is left to see). */
export function replaced(items: readonly TrayItem[], authorId: string, item: TrayItem | undefined): TrayItem[] {
  return items.flatMap((each) => (each.author.id !== authorId ? [each] : item === undefined ? [] : [item]));
}

/** One story of `authorId` fewer; the item goes with the last. */
export function removed(items: readonly TrayItem[], authorId: string): TrayItem[] {
  return items.flatMap((item) => {
    if (item.author.id !== authorId) return [item];
    const stories = item.stories - 1;
    return stories <= 0 ? [] : [{ ...item, stories, unseen: Math.min(item.unseen, stories) }];
  });
}

/** One story of `authorId` seen: the ring turns grey with the last. */
export function seen(items: readonly TrayItem[], authorId: string): TrayItem[] {
  return items.map((item) => (item.author.id === authorId && item.unseen > 0 ? { ...item, unseen: item.unseen - 1 } : item));
}

/** A person's tray item from their active stories (as `stories.byAuthor` gives them); none without stories. */
export function itemOf(stories: readonly Story[]): TrayItem | undefined {
  const first = stories[0];
  if (first === undefined) return undefined;
  const times = (pick: (story: Story) => string) => stories.map((story) => pick(story)).sort();
  return {
    author: first.author,
    stories: stories.length,
    unseen: stories.filter((story) => !story.seen).length,
    closeFriends: stories.some((story) => story.audience === 'close_friends'),
    latestAt: times((story) => story.createdAt).at(-1) as string,
    expiresAt: times((story) => story.expiresAt)[0] as string,
  };
}

/** The author's story after a `story.answered`: its poll's votes, or its question's answers, as the event gives the totals now. */
export function answered(story: Story, totals: { votes: number[] | null; answers: number | null }): Story {
  const sticker = story.sticker;
  if (sticker?.kind === 'poll' && totals.votes !== null) return { ...story, sticker: { ...sticker, votes: totals.votes } };
  if (sticker?.kind === 'question' && totals.answers !== null) return { ...story, sticker: { ...sticker, answers: totals.answers } };
  return story;
}

interface TrayLoaders {
  tray: () => Promise<TrayItem[]>;
  author: (userId: string) => Promise<Story[]>;
}
const serverLoaders: TrayLoaders = {
  tray: async () => (await actions.call('stories.tray', {})).items,
  author: async (userId) => (await actions.call('stories.byAuthor', { userId })).items,
};

/** The tray's items, read from the server and kept live; create it inside a component. */
export function createTray(loaders: TrayLoaders = serverLoaders) {
  const load = loaders.tray;
  const [items, setItems] = createSignal<TrayItem[]>([]);
  const [loading, setLoading] = createSignal(true);
  const [error, setError] = createSignal<string | undefined>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Stories taken away live (deleted, or hidden from the user), for an open viewer to drop. */
  const [gone, setGone] = createSignal<ReadonlySet<string>>(new Set());
  let generation = 0;

  const reload = async () => {
    const mine = ++generation;
    setLoading(true);
    try {
      const fresh = await load();
      if (mine !== generation) return;
      setError(undefined);
      set(fresh);
    } catch (failure) {
      if (mine === generation) setError(errorText(failure));
    } finally {
      if (mine === generation) setLoading(false);
    }
  };

  /** At an item's expiresAt its oldest story leaves: the item with it when it was the last, else the person's ring is read again. */
  const schedule = (list: readonly TrayItem[]) => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    for (const item of list) {
      const wait = Math.max(0, new Date(item.expiresAt).getTime() - Date.now());
      // Stories last a day; a date beyond what a timer can wait (about 24 days) is not one to watch.
      if (wait > LONGEST_TIMER_MS) continue;
      timers.set(
        item.author.id,
        setTimeout(() => {
          timers.delete(item.author.id);
          const now = items().find((each) => each.author.id === item.author.id);
          if (now === undefined || now.expiresAt !== item.expiresAt) return;
          if (now.stories <= 1) set(items().filter((each) => each !== now));
          else void readAuthor(item.author.id, 'in place');
        }, wait),
      );
    }
  };
  /**
   * A person's ring read again: after they posted, first among the unseen (`me` says where that
   * is); after one of their stories went, where it was. Out when nothing is left to see.
   */
  const readAuthor = async (authorId: string, where: { me: string | undefined } | 'in place') => {
    const mine = generation;
    try {
      const item = itemOf(await loaders.author(authorId));
      if (mine !== generation) return;
      set(where === 'in place' || item === undefined ? replaced(items(), authorId, item) : added(items(), item, where.me));
    } catch (failure) {
      actions.toast(errorText(failure), 'error');
    }
  };
  const set = (list: TrayItem[]) => {
    setItems(list);
    schedule(list);
  };
  if (getOwner() !== null)
    onCleanup(() => {
      generation++;
      for (const timer of timers.values()) clearTimeout(timer);
    });

  return {
    items,
    loading,
    error,
    reload,
    gone,
    /** A `feed:<me>` event; others are ignored. */
    onFeedEvent(event: EventFrame, me: string | undefined) {
      if (event.name === 'story.added') void readAuthor((event.body as { authorId: string }).authorId, { me });
      if (event.name === 'story.removed') {
        const { authorId, storyId } = event.body as { authorId: string; storyId: string };
        setGone((ids) => new Set([...ids, storyId]));
        const before = items().find((item) => item.author.id === authorId);
        set(removed(items(), authorId));
        // Which story went (seen or not, the oldest or not) only the server knows: read the ring again.
        if (before !== undefined && before.stories > 1) void readAuthor(authorId, 'in place');
      }
    },
    seen(authorId: string) {
      set(seen(items(), authorId));
    },
    /** One story of the person was deleted here. */
    removed(authorId: string) {
      set(removed(items(), authorId));
    },
    /** The person's item leaves (muted, or none of their stories is left). */
    drop(authorId: string) {
      set(items().filter((item) => item.author.id !== authorId));
    },
  };
}

export type Tray = ReturnType<typeof createTray>;
