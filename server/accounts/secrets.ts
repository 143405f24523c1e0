// Opaque secrets handed to clients (refresh tokens, mailed tokens, recovery codes): random when
// made, and stored only as their SHA-256, so a database leak does not leak usable tokens.
import { createHash, randomBytes } from 'node:crypto';

export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A token as clients send it: base64url of 32 bytes. Anything else is rejected before any lookup. */
export function isOpaqueToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
