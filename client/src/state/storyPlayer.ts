// The clock of the story viewer, apart from what it shows so it can be tested alone: which story
// of the current person plays, how far it is (a fraction per progress bar), and why it is paused
// (held down, the pause button, a menu or a field open, the media still loading). It moves on by itself at the end
// of a story and says so when the person's last one ends; taps and arrows go forward and back,
// mirrored for right-to-left languages.
import { createMemo, createSignal } from 'solid-js';
import type { MediaItem } from './media.ts';
import type { Story } from './stories.ts';

/** How long a photo stays. */
export const IMAGE_MS = 5000;

/** How long a story plays: a photo 5 s, a clip its range, a video its length. */
export function durationOf(story: Pick<Story, 'kind' | 'clip'>, media: Pick<MediaItem, 'durationMs'> | null | undefined): number {
  if (story.kind === 'image') return IMAGE_MS;
  if (story.clip !== null) return Math.max(1, story.clip.endMs - story.clip.startMs);
  return Math.max(1, media?.durationMs ?? IMAGE_MS);
}

export type Step = 'forward' | 'back';

/** Which way a tap at `x` (from the left edge of a `width` wide area) goes: the far half goes forward, the left one in right-to-left text. */
export function stepOfTap(x: number, width: number, dir: 'ltr' | 'rtl'): Step {
  const right = x >= width / 2;
  return right === (dir === 'ltr') ? 'forward' : 'back';
}

/** Which way an arrow key goes, mirrored for right-to-left text; undefined for other keys. */
export function stepOfKey(key: string, dir: 'ltr' | 'rtl'): Step | undefined {
  if (key !== 'ArrowRight' && key !== 'ArrowLeft') return undefined;
  return (key === 'ArrowRight') === (dir === 'ltr') ? 'forward' : 'back';
}

export type PauseReason = 'hold' | 'button' | 'menu' | 'loading' | 'typing';

export function createStoryPlayer(options: {
  /** The duration of each story of the current person, in order. */
  durations: () => number[];
  /** After the last story: the next person, or close. */
  onEnd: () => void;
  /** Back from the first story: the previous person, or the first story again. */
  onBeforeStart: () => void;
}) {
  const [index, setIndex] = createSignal(0);
  const [elapsed, setElapsed] = createSignal(0);
  const [reasons, setReasons] = createSignal<ReadonlySet<PauseReason>>(new Set());
  const paused = createMemo(() => reasons().size > 0);
  const duration = () => options.durations()[index()] ?? IMAGE_MS;

  const go = (at: number) => {
    setIndex(at);
    setElapsed(0);
  };
  const next = () => {
    if (index() < options.durations().length - 1) go(index() + 1);
    else options.onEnd();
  };
  const previous = () => {
    if (index() > 0) go(index() - 1);
    else options.onBeforeStart();
  };

  return {
    index,
    paused,
    /** Why it is paused (the view shows "paused" while held). */
    isPausedFor: (reason: PauseReason) => reasons().has(reason),
    /** How much of story `at` has played, 0 to 1. */
    progress(at: number): number {
      if (at < index()) return 1;
      if (at > index()) return 0;
      return Math.min(1, elapsed() / duration());
    },
    /** Time passed (a photo's timer); ignored while paused. */
    advance(ms: number) {
      if (paused()) return;
      setElapsed((now) => now + ms);
      if (elapsed() >= duration()) next();
    },
    /** Where a video is, from its clock. */
    playedTo(ms: number) {
      setElapsed(Math.max(0, ms));
      if (elapsed() >= duration()) next();
    },
    step(which: Step) {
      if (which === 'forward') next();
      else previous();
    },
    /** The same story at another place in the list (one before it went), still playing where it was. */
    reindex(at: number) {
      setIndex(Math.max(0, Math.min(at, options.durations().length - 1)));
    },
    /** Starts the person's stories at `at` (their first unseen one). */
    start(at: number) {
      go(Math.max(0, Math.min(at, options.durations().length - 1)));
    },
    pause(reason: PauseReason, on: boolean) {
      setReasons((now) => {
        if (now.has(reason) === on) return now;
        const changed = new Set(now);
        if (on) changed.add(reason);
        else changed.delete(reason);
        return changed;
      });
    },
  };
}
