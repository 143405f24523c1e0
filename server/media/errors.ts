// Refusals of the media uploads, each with a stable code (PROTOCOL.md, "Media"). A refused
// upload changes nothing: no row, no object.
import { InvalidInputError, ServerError } from '../errors.ts';

/** The content does not match what the pipeline accepts for the kind announced. */
export class UnsupportedMediaError extends InvalidInputError {
  /** The numbers of the refusal (TOO_MANY_PIXELS: maxPixels, width, height). */
  readonly limits: Record<string, number | string>;
  constructor(message: string, options: { code?: string; cause?: unknown; limits?: Record<string, number | string> } = {}) {
    super(message, { field: 'file', code: options.code ?? 'UNSUPPORTED_MEDIA', cause: options.cause });
    this.name = 'UnsupportedMediaError';
    this.limits = options.limits ?? {};
  }
  override details() {
    return { field: 'file', ...this.limits };
  }
}

/**
 * The user already has as many uploads in this state as allowed: `uploading` (started, not
 * completed) at start, `processing` at complete (the upload stays; complete it again later).
 */
export class TooManyUploadsError extends ServerError {
  readonly code = 'TOO_MANY_UPLOADS';
  readonly status = 429;
  readonly state: 'uploading' | 'processing';
  readonly limit: number;
  constructor(state: 'uploading' | 'processing', limit: number) {
    super(
      state === 'uploading'
        ? `you already have ${limit} unfinished uploads; complete or cancel one first`
        : `${limit} of your media are being processed; complete this upload again once one is ready`,
    );
    this.name = 'TooManyUploadsError';
    this.state = state;
    this.limit = limit;
  }
  override details() {
    return { state: this.state, limit: this.limit };
  }
}

/** The upload would take the user's stored media past their quota. */
export class QuotaExceededError extends ServerError {
  readonly code = 'QUOTA_EXCEEDED';
  readonly status = 413;
  readonly usedBytes: number;
  readonly quotaBytes: number;
  constructor(usedBytes: number, quotaBytes: number, size: number) {
    super(`${size} more bytes would pass your storage quota (${usedBytes} of ${quotaBytes} bytes used)`);
    this.name = 'QuotaExceededError';
    this.usedBytes = usedBytes;
    this.quotaBytes = quotaBytes;
  }
  override details() {
    return { usedBytes: this.usedBytes, quotaBytes: this.quotaBytes };
  }
}

/** What still shows a media, by kind: the owner removes it from there before deleting it. */
export type MediaUse = 'post' | 'pet' | 'profile' | 'conversation' | 'message' | 'story';

/** The media is still shown somewhere (`usedBy` names where); deleting it would leave a hole there. */
export class MediaInUseError extends ServerError {
  readonly code = 'MEDIA_IN_USE';
  readonly status = 409;
  readonly usedBy: MediaUse[];
  constructor(usedBy: MediaUse[]) {
    super(`the media is still shown by: ${usedBy.join(', ')}; remove it from there first`);
    this.name = 'MediaInUseError';
    this.usedBy = usedBy;
  }
  override details() {
    return { usedBy: this.usedBy };
  }
}
