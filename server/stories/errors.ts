// Refusals of the stories module that carry numbers: a video too long for a story, and the
// "hide my story from" and "mute" lists at their limits.
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

/** A list of people (hidden from, muted) at its limit; nothing changed. */
export class ListFullError extends ServerError {
  readonly code: 'TOO_MANY_HIDDEN' | 'TOO_MANY_MUTED';
  readonly status = 403;
  readonly limit: number;
  constructor(code: 'TOO_MANY_HIDDEN' | 'TOO_MANY_MUTED', limit: number) {
    super(`${code === 'TOO_MANY_HIDDEN' ? 'stories are hidden from' : 'stories are muted for'} at most ${limit} people`);
    this.name = 'ListFullError';
    this.code = code;
    this.limit = limit;
  }
  override details() {
    return { limit: this.limit };
  }
}
