// The media jobs' failures, one class each with a stable `code`. Every one is a PoisonFileError:
// the file itself is the problem (it cannot be read, it is not what it claims, it asks for more
// work than an upload may), so retrying cannot help; the job gives up at once and the media ends
// FAILED with the error's message as its reason (the log keeps the cause).
import { PermanentJobError } from './queue.ts';

export class PoisonFileError extends PermanentJobError {
  readonly code: string = 'POISON_FILE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoisonFileError';
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
  constructor(program: string, timeoutMs: number, pid: number) {
    super(`processing took longer than ${formatSeconds(timeoutMs)} (${program})`);
    this.name = 'ToolTimeoutError';
    this.pid = pid;
  }
}

/** An image whose header announces more pixels than the limit: refused before it is decoded. */
export class TooManyPixelsError extends PoisonFileError {
  override readonly code = 'TOO_MANY_PIXELS';
  readonly maxPixels: number;
  constructor(width: number, height: number, maxPixels: number) {
    super(`the image is ${width}×${height} pixels; at most ${(maxPixels / 1_000_000).toFixed(1)} megapixels are accepted`);
    this.name = 'TooManyPixelsError';
    this.maxPixels = maxPixels;
  }
}

/** A video or voice note longer than its kind allows. */
export class MediaTooLongError extends PoisonFileError {
  override readonly code = 'TOO_LONG';
  constructor(message: string) {
    super(message);
    this.name = 'MediaTooLongError';
  }
}

function formatSeconds(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}
