// The messenger's own refusals (the shared ones, NOT_FOUND, MESSAGE_NOT_ALLOWED, …, are in
// server/errors.ts and actors/room.ts).
import { ConflictError } from '../errors.ts';

/** Plaintext (text, or an attachment not encrypted on the device) sent or edited into a conversation whose end-to-end encryption is on. */
export class E2eeRequiredError extends ConflictError {
  constructor(field: 'text' | 'attachments' | 'post') {
    super(
      'E2EE_REQUIRED',
      field === 'text'
        ? 'end-to-end encryption of this conversation is on: send encrypted content'
        : field === 'post'
          ? 'end-to-end encryption of this conversation is on: share a post as a link inside the encrypted content'
          : 'end-to-end encryption of this conversation is on: attach files encrypted on the device (blob media)',
      field,
    );
    this.name = 'E2eeRequiredError';
  }
}
