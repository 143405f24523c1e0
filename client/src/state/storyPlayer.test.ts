// The story viewer's clock: how long each story plays, which way taps and arrows go (mirrored in
// right-to-left languages), moving on at the end of a story and of a person, and pausing.
import { createRoot } from 'solid-js';
import { expect, test } from 'vitest';
import { createStoryPlayer, durationOf, IMAGE_MS, stepOfKey, stepOfTap } from './storyPlayer.ts';

function player(durations: number[]) {
  const events: string[] = [];
  const made = createRoot(() =>
    createStoryPlayer({ durations: () => durations, onEnd: () => events.push('end'), onBeforeStart: () => events.push('before') }),
  );
  return { player: made, events };
}

test('story player: a photo plays 5 s, a clip its range, a video its length', () => {
  expect(durationOf({ kind: 'image', clip: null }, undefined)).toBe(IMAGE_MS);
  expect(durationOf({ kind: 'video', clip: { startMs: 60_000, endMs: 95_000 } }, { durationMs: 95_000 })).toBe(35_000);
  expect(durationOf({ kind: 'video', clip: null }, { durationMs: 12_500 })).toBe(12_500);
  expect(durationOf({ kind: 'video', clip: null }, undefined)).toBe(IMAGE_MS);
});

test('story player: the far half goes forward and the near half back; in right-to-left text the left half goes forward, and the arrows swap', () => {
  expect(stepOfTap(300, 400, 'ltr')).toBe('forward');
  expect(stepOfTap(100, 400, 'ltr')).toBe('back');
  expect(stepOfTap(100, 400, 'rtl')).toBe('forward');
  expect(stepOfTap(300, 400, 'rtl')).toBe('back');
  expect(stepOfKey('ArrowRight', 'ltr')).toBe('forward');
  expect(stepOfKey('ArrowLeft', 'ltr')).toBe('back');
  expect(stepOfKey('ArrowLeft', 'rtl')).toBe('forward');
  expect(stepOfKey('ArrowRight', 'rtl')).toBe('back');
  expect(stepOfKey('Enter', 'ltr')).toBeUndefined();
});

test('story player: time fills the current bar, the next story starts at the end of one, and the last one ends the person', () => {
  const { player: play, events } = player([1000, 2000]);
  play.advance(250);
  expect([play.index(), play.progress(0), play.progress(1)]).toEqual([0, 0.25, 0]);
  play.advance(750);
  expect([play.index(), play.progress(0), play.progress(1)]).toEqual([1, 1, 0]);
  play.advance(1000);
  expect(play.progress(1)).toBe(0.5);
  play.advance(1000);
  expect(events).toEqual(['end']);
});

test('story player: held down, a menu open or the media loading, nothing moves; each reason lifts on its own', () => {
  const { player: play } = player([1000, 1000]);
  play.pause('hold', true);
  play.pause('loading', true);
  play.advance(5000);
  expect([play.index(), play.progress(0), play.paused()]).toEqual([0, 0, true]);
  play.pause('hold', false);
  expect(play.paused()).toBe(true);
  play.pause('loading', false);
  play.advance(500);
  expect([play.paused(), play.progress(0)]).toEqual([false, 0.5]);
  // Taps still move while paused (a tap is a short hold).
  play.pause('hold', true);
  play.step('forward');
  expect(play.index()).toBe(1);
});

test('story player: back goes to the previous story, and from the first one to the previous person; a video reports its own time', () => {
  const { player: play, events } = player([1000, 1000, 1000]);
  play.start(2);
  play.step('back');
  expect(play.index()).toBe(1);
  play.step('back');
  play.step('back');
  expect([play.index(), events]).toEqual([0, ['before']]);
  play.playedTo(400);
  expect(play.progress(0)).toBe(0.4);
  play.playedTo(1000);
  expect(play.index()).toBe(1);
});
