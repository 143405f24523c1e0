// The media jobs' failures, one class each with a stable `code`. Every one is a PoisonFileError:
// the file itself is the problem (it cannot be read, it is not what it claims, it asks for more
// work than an upload may), so retrying cannot help; the job gives up at once and the media ends
// FAILED with the error's message as its reason, its code and its numbers (`details()`, for
// clients to word the reason in the user's language); the log keeps the cause.
import { PermanentJobError } from './queue.ts';

export class PoisonFileError extends PermanentJobError {
  readonly code: string = 'POISON_FILE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoisonFileError';
  }
  /** The numbers of the refusal (the limit, what was found), safe to show to the owner. */
  details(): Record<string, number | string> {
    return {};
  }
}

/** ffmpeg's own reading of the file is not the container its bytes were found to be (a polyglot:
 * an MP3 that is also an HLS playlist, say). */
export class ContainerMismatchError extends PoisonFileError {
  override readonly code = 'CONTAINER_MISMATCH';
  constructor(format: string, options?: { cause?: unknown }) {
    super(`the file is not a plain ${format} file`, options);
    this.name = 'ContainerMismatchError';
  }
}

/** An ffmpeg or ffprobe run went past its time limit and was killed (it is gone by now). */
export class ToolTimeoutError extends PoisonFileError {
  override readonly code = 'MEDIA_TIMEOUT';
  readonly pid: number;
  readonly timeoutMs: number;
  constructor(program: string, timeoutMs: number, pid: number) {
    super(`processing took longer than ${formatSeconds(timeoutMs)} (${program})`);
    this.name = 'ToolTimeoutError';
    this.pid = pid;
    this.timeoutMs = timeoutMs;
  }
  override details() {
    return { timeoutMs: this.timeoutMs };
  }
}

/**
 * A tool run was killed because its job was stopped (its node is shutting down): not the file's
 * fault, so not a PoisonFileError; the job is handed back to the queue, to run again.
 */
export class ToolStoppedError extends Error {
  readonly pid: number;
  constructor(program: string, pid: number) {
    super(`${program} was stopped: the media job was stopped`);
    this.name = 'ToolStoppedError';
    this.pid = pid;
  }
}

/** An image whose header announces more pixels than the limit: refused before it is decoded. */
export class TooManyPixelsError extends PoisonFileError {
  override readonly code = 'TOO_MANY_PIXELS';
  readonly maxPixels: number;
  readonly width: number;
  readonly height: number;
  constructor(width: number, height: number, maxPixels: number) {
    super(`the image is ${width}×${height} pixels; at most ${(maxPixels / 1_000_000).toFixed(1)} megapixels are accepted`);
    this.name = 'TooManyPixelsError';
    this.maxPixels = maxPixels;
    this.width = width;
    this.height = height;
  }
  override details() {
    return { maxPixels: this.maxPixels, width: this.width, height: this.height };
  }
}

/** A video or voice note longer than its kind allows. */
export class MediaTooLongError extends PoisonFileError {
  override readonly code = 'TOO_LONG';
  readonly maxDurationMs: number;
  constructor(message: string, maxDurationMs: number) {
    super(message);
    this.name = 'MediaTooLongError';
    this.maxDurationMs = maxDurationMs;
  }
  override details() {
    return { maxDurationMs: this.maxDurationMs };
  }
}

export function formatSeconds(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}
