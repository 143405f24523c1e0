// What the user chose for a reel, and what follows from it without a server: the bounds of a range
// (a trim, the part of a stitch), how long the result lasts (the server's rule is on the result:
// a duet lasts as long as the shorter of the two, a stitch adds its part of the original), and
// the reels.compose request, or none when nothing needs making (a plain clip is posted as it is).
import type { CallRequest } from '../../../../protocol/catalogue.ts';
import { MEDIA_LIMITS, REEL_LIMITS } from '../../../../protocol/lists.ts';
import type { FilterChoice } from './filters.ts';

export interface Range {
  startMs: number;
  endMs: number;
}

export interface Choices {
  /** How long the recorded or picked clip lasts. */
  clipMs: number;
  /** The part of the clip kept; all of it when untouched. */
  trim: Range;
  filter: FilterChoice;
  sound?: { soundId: string; volume: number; clipVolume: number };
  duet?: { reelId: string; durationMs: number; clipVolume: number };
  stitch?: { reelId: string; startMs: number; endMs: number };
}

export type ComposeRequest = CallRequest<'reels.compose'>;

/** Keeps a range within 0..totalMs and its length within min..max, moving only the thumb that moved. */
export function clampRange(range: Range, bounds: { totalMs: number; minMs: number; maxMs?: number }, moved: 'start' | 'end'): Range {
  const total = Math.max(0, Math.round(bounds.totalMs));
  const min = Math.min(bounds.minMs, total);
  const max = Math.max(min, Math.min(bounds.maxMs ?? total, total));
  let startMs = Math.round(Math.min(Math.max(range.startMs, 0), total));
  let endMs = Math.round(Math.min(Math.max(range.endMs, 0), total));
  if (moved === 'start') {
    startMs = Math.min(Math.max(startMs, endMs - max), endMs - min);
    if (startMs < 0) {
      startMs = 0;
      endMs = Math.min(total, Math.max(endMs, min));
    }
  } else {
    endMs = Math.max(Math.min(endMs, startMs + max), startMs + min);
    if (endMs > total) {
      endMs = total;
      startMs = Math.max(0, Math.min(startMs, total - min));
    }
  }
  return { startMs, endMs };
}

/** The first part of an original a stitch offers: from its start, as long as allowed. */
export const firstStitch = (originalMs: number): Range => ({ startMs: 0, endMs: Math.min(originalMs, REEL_LIMITS.stitchMaxMs) });

const trimLength = (choices: Choices) => choices.trim.endMs - choices.trim.startMs;

const isTrimmed = (choices: Choices) => choices.trim.startMs > 0 || choices.trim.endMs < choices.clipMs;

/** How long the reel will last, as the server computes it. */
export function resultMs(choices: Choices): number {
  const clip = trimLength(choices);
  if (choices.duet !== undefined) return Math.min(clip, choices.duet.durationMs);
  if (choices.stitch !== undefined) return choices.stitch.endMs - choices.stitch.startMs + clip;
  return clip;
}

/** The least a recording must last for the result to be long enough. */
export function minimumClipMs(stitch: Range | undefined): number {
  return Math.max(REEL_LIMITS.trimMinMs, MEDIA_LIMITS.reel.minDurationMs - (stitch === undefined ? 0 : stitch.endMs - stitch.startMs));
}

/** Why the result cannot be posted: too short or too long; undefined when it can. */
export function lengthProblem(choices: Choices): 'short' | 'long' | undefined {
  const length = resultMs(choices);
  if (length < MEDIA_LIMITS.reel.minDurationMs) return 'short';
  if (length > MEDIA_LIMITS.reel.maxDurationMs) return 'long';
  return undefined;
}

/** The reels.compose request of the choices (without its clientId), or undefined when the clip is posted as it is. */
export function composeRequest(choices: Choices, clipMediaId: string): Omit<ComposeRequest, 'clientId'> | undefined {
  const request: Omit<ComposeRequest, 'clientId'> = {
    clipMediaId,
    ...(isTrimmed(choices) ? { trim: { startMs: choices.trim.startMs, endMs: choices.trim.endMs } } : {}),
    ...(choices.filter === 'none' ? {} : { filter: choices.filter }),
    ...(choices.duet === undefined ? {} : { duet: { reelId: choices.duet.reelId, clipVolume: choices.duet.clipVolume } }),
    ...(choices.stitch === undefined ? {} : { stitch: { ...choices.stitch } }),
    ...(choices.sound === undefined || choices.duet !== undefined || choices.stitch !== undefined ? {} : { sound: { ...choices.sound } }),
  };
  return Object.keys(request).length === 1 ? undefined : request;
}

/** Whether the reel's audio will be the clip's own, so it becomes an original sound that may be titled. */
export const ownSound = (choices: Choices) => choices.sound === undefined && choices.duet === undefined;

/** "0:03.2" for 3 200 ms: a range's ends, where tenths of a second matter. */
export function timeText(ms: number): string {
  const tenths = Math.max(0, Math.round(ms / 100));
  const seconds = (tenths % 600) / 10;
  return `${Math.floor(tenths / 600)}:${seconds.toFixed(1).padStart(4, '0')}`;
}
