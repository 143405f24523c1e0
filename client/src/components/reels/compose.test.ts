// What follows from a reel's choices without the server: a range keeps within its bounds by
// stopping the thumb that moved, the result lasts as the server computes it (a duet the shorter of
// the two, a stitch its part plus the clip), the least a recording must last, and the exact
// reels.compose request (none for a clip posted as it is).
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { MEDIA_LIMITS, REEL_LIMITS } from '../../../../protocol/lists.ts';
import {
  type Choices,
  clampRange,
  composeRequest,
  firstStitch,
  lengthProblem,
  minimumClipMs,
  ownSound,
  resultMs,
  timeText,
} from './compose.ts';

const CLIP = '0192a1b2-c3d4-7e5f-8a9b-0000000e1a07';
const REEL = '0192a1b2-4444-7000-8000-0000000000e1';
const SOUND = '0192a1b2-4444-7000-8000-0000000005d1';
const base: Choices = { clipMs: 20_000, trim: { startMs: 0, endMs: 20_000 }, filter: 'none' };

test('reel trim: a range stays within the clip and at least the minimum long; only the moved thumb stops', () => {
  const bounds = { totalMs: 20_000, minMs: REEL_LIMITS.trimMinMs };
  expect(clampRange({ startMs: 19_500, endMs: 20_000 }, bounds, 'start')).toEqual({ startMs: 19_000, endMs: 20_000 });
  expect(clampRange({ startMs: 5_000, endMs: 5_200 }, bounds, 'end')).toEqual({ startMs: 5_000, endMs: 6_000 });
  expect(clampRange({ startMs: -300, endMs: 8_000 }, bounds, 'start')).toEqual({ startMs: 0, endMs: 8_000 });
  expect(clampRange({ startMs: 2_000, endMs: 25_000 }, bounds, 'end')).toEqual({ startMs: 2_000, endMs: 20_000 });
  // A stitch: 1 to 5 s of the original.
  const stitch = { totalMs: 30_000, minMs: REEL_LIMITS.stitchMinMs, maxMs: REEL_LIMITS.stitchMaxMs };
  expect(clampRange({ startMs: 0, endMs: 9_000 }, stitch, 'end')).toEqual({ startMs: 0, endMs: 5_000 });
  expect(clampRange({ startMs: 1_000, endMs: 10_000 }, stitch, 'start')).toEqual({ startMs: 5_000, endMs: 10_000 });
  expect(firstStitch(30_000)).toEqual({ startMs: 0, endMs: 5_000 });
  expect(firstStitch(3_000)).toEqual({ startMs: 0, endMs: 3_000 });
});

test('reel trim: whatever is asked, the range is within 0..total and its length within min..max (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2_000, max: 600_000 }),
      fc.integer({ min: -10_000, max: 700_000 }),
      fc.integer({ min: -10_000, max: 700_000 }),
      fc.constantFrom('start' as const, 'end' as const),
      fc.boolean(),
      (totalMs, startMs, endMs, moved, capped) => {
        const maxMs = capped ? REEL_LIMITS.stitchMaxMs : undefined;
        const range = clampRange({ startMs, endMs }, { totalMs, minMs: REEL_LIMITS.trimMinMs, maxMs }, moved);
        expect(range.startMs).toBeGreaterThanOrEqual(0);
        expect(range.endMs).toBeLessThanOrEqual(totalMs);
        expect(range.endMs - range.startMs).toBeGreaterThanOrEqual(REEL_LIMITS.trimMinMs);
        if (maxMs !== undefined) expect(range.endMs - range.startMs).toBeLessThanOrEqual(maxMs);
      },
    ),
  );
});

test('reel length: the result lasts as the server computes it, and must be 15 s to 10 min', () => {
  expect(resultMs({ ...base, trim: { startMs: 2_000, endMs: 18_000 } })).toBe(16_000);
  expect(resultMs({ ...base, duet: { reelId: REEL, durationMs: 12_000, clipVolume: 100 } })).toBe(12_000);
  expect(
    resultMs({ ...base, clipMs: 11_000, trim: { startMs: 0, endMs: 11_000 }, stitch: { reelId: REEL, startMs: 1_000, endMs: 5_000 } }),
  ).toBe(15_000);
  expect(lengthProblem({ ...base, trim: { startMs: 6_000, endMs: 20_000 } })).toBe('short');
  expect(lengthProblem(base)).toBeUndefined();
  expect(lengthProblem({ ...base, clipMs: 700_000, trim: { startMs: 0, endMs: 700_000 } })).toBe('long');
  // A recording must reach 15 s, less what a stitch adds.
  expect(minimumClipMs(undefined)).toBe(MEDIA_LIMITS.reel.minDurationMs);
  expect(minimumClipMs({ startMs: 0, endMs: 5_000 })).toBe(10_000);
  expect(timeText(3_200)).toBe('0:03.2');
  expect(timeText(65_000)).toBe('1:05.0');
});

test('reel compose: nothing to make for a clip as it is; otherwise exactly the trim, filter, sound, duet or stitch chosen', () => {
  expect(composeRequest(base, CLIP)).toBeUndefined();
  expect(composeRequest({ ...base, filter: 'warm', trim: { startMs: 1_000, endMs: 19_000 } }, CLIP)).toEqual({
    clipMediaId: CLIP,
    trim: { startMs: 1_000, endMs: 19_000 },
    filter: 'warm',
  });
  expect(composeRequest({ ...base, sound: { soundId: SOUND, volume: 80, clipVolume: 20 } }, CLIP)).toEqual({
    clipMediaId: CLIP,
    sound: { soundId: SOUND, volume: 80, clipVolume: 20 },
  });
  expect(composeRequest({ ...base, filter: 'mono', duet: { reelId: REEL, durationMs: 30_000, clipVolume: 60 } }, CLIP)).toEqual({
    clipMediaId: CLIP,
    filter: 'mono',
    duet: { reelId: REEL, clipVolume: 60 },
  });
  expect(composeRequest({ ...base, stitch: { reelId: REEL, startMs: 2_000, endMs: 4_500 } }, CLIP)).toEqual({
    clipMediaId: CLIP,
    stitch: { reelId: REEL, startMs: 2_000, endMs: 4_500 },
  });
  // The reel's audio is its own (an original sound that may be titled) only without a sound or a duet.
  expect(ownSound(base)).toBe(true);
  expect(ownSound({ ...base, sound: { soundId: SOUND, volume: 100, clipVolume: 0 } })).toBe(false);
  expect(ownSound({ ...base, duet: { reelId: REEL, durationMs: 30_000, clipVolume: 100 } })).toBe(false);
  expect(ownSound({ ...base, stitch: { reelId: REEL, startMs: 0, endMs: 3_000 } })).toBe(true);
});
