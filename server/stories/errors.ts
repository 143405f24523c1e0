// Refusals of the stories module that carry numbers: a video too long for a story, and the
// "hide my story from" list at its limit.
import { ServerError } from '../errors.ts';

/** A video longer than a story plays (60 s), not split, or too long even split; nothing was stored. */
export class StoryTooLongError extends ServerError {
  readonly code = 'STORY_TOO_LONG';
  readonly status = 422;
  readonly durationMs: number;
  readonly maxDurationMs: number;
  constructor(durationMs: number, maxDurationMs: number) {
    super(`a video story plays at most ${maxDurationMs / 1000} s; this one is ${Math.round(durationMs / 1000)} s`);
    this.name = 'StoryTooLongError';
    this.durationMs = durationMs;
    this.maxDurationMs = maxDurationMs;
  }
  override details() {
    return { durationMs: this.durationMs, maxDurationMs: this.maxDurationMs };
  }
}

/** The owner already hides their stories from the most people allowed; nothing changed. */
export class TooManyHiddenError extends ServerError {
  readonly code = 'TOO_MANY_HIDDEN';
  readonly status = 403;
  readonly limit: number;
  constructor(limit: number) {
    super(`stories are hidden from at most ${limit} people`);
    this.name = 'TooManyHiddenError';
    this.limit = limit;
  }
  override details() {
    return { limit: this.limit };
  }
}
