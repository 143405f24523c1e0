// Two-factor sign-in primitives: TOTP codes (RFC 6238 over HOTP, RFC 4226), the otpauth:// enrolment URL and its QR code,
// and the recovery codes that stand in for a lost authenticator. Pure functions with no storage or HTTP, so the account
// flows own persistence (encrypting the secret, storing lastUsedStep, hashing recovery codes) and this file can be
// checked against the RFC test vectors alone.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HMAC_NAMES: Record<TotpAlgorithm, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };
const DEFAULT_DIGITS = 6;
const DEFAULT_PERIOD_SECONDS = 30;
const DEFAULT_WINDOW = 1;
// RFC 4226 §4 asks for at least 128 bits and recommends 160: 20 bytes is also what authenticator apps expect for SHA1.
const SECRET_BYTES = 20;
// No 0/o, 1/i/l: recovery codes are read off paper and typed by hand.
const RECOVERY_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const RECOVERY_HALF_LENGTH = 5;
const DEFAULT_RECOVERY_COUNT = 10;

/** RFC 4648 base32 without padding: the form authenticator apps accept in otpauth:// URLs. */
export function base32Encode(bytes: Uint8Array): string {
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      output += BASE32_ALPHABET.charAt((buffer >>> bits) & 0x1f);
    }
  }
  if (bits > 0) output += BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 0x1f);
  return output;
}

/**
 * Decodes RFC 4648 base32, tolerating what people paste: lower case, spaces between groups and '=' padding.
 * Bits left over after the last whole byte are dropped, as every decoder does for unpadded input.
 */
export function base32Decode(text: string): Uint8Array {
  const cleaned = text.replace(/[ =]/g, '').toUpperCase();
  const output = new Uint8Array(Math.floor((cleaned.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let length = 0;
  for (const char of cleaned) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value === -1) throw new TypeError(`Invalid base32 character ${JSON.stringify(char)}`);
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      output[length++] = (buffer >>> bits) & 0xff;
    }
  }
  return output;
}

/** A new shared secret for enrolment, base32 so it can go straight into otpauth:// and the database. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

function checkDigits(digits: number): void {
  if (digits !== 6 && digits !== 8) throw new RangeError(`TOTP digits must be 6 or 8, got ${digits}`);
}

/** RFC 4226 HOTP: HMAC of the 8-byte big-endian counter, dynamic truncation, zero-padded decimal. */
export function hotp(secret: Uint8Array, counter: number, options: { digits?: 6 | 8; algorithm?: TotpAlgorithm } = {}): string {
  const digits = options.digits ?? DEFAULT_DIGITS;
  checkDigits(digits);
  if (!Number.isSafeInteger(counter) || counter < 0)
    throw new RangeError(`HOTP counter must be a non-negative safe integer, got ${counter}`);
  const message = Buffer.alloc(8);
  // BigInt because time steps pass 2^32 and plain bit operators would silently keep only the low 32 bits.
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac(HMAC_NAMES[options.algorithm ?? 'SHA1'], secret)
    .update(message)
    .digest();
  const offset = digest.readUInt8(digest.length - 1) & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The RFC 6238 time step T = floor((time - T0) / X) with T0 = 0. */
export function timeStep(timeMs: number, periodSeconds: number = DEFAULT_PERIOD_SECONDS): number {
  if (!Number.isFinite(periodSeconds) || periodSeconds <= 0) throw new RangeError(`TOTP period must be positive, got ${periodSeconds}`);
  // One division rather than two, so a time exactly on a step boundary cannot round down into the previous step.
  return Math.floor(timeMs / (periodSeconds * 1000));
}

export function totp(
  secret: Uint8Array,
  timeMs: number,
  options: { digits?: 6 | 8; algorithm?: TotpAlgorithm; periodSeconds?: number } = {},
): string {
  return hotp(secret, timeStep(timeMs, options.periodSeconds), { digits: options.digits, algorithm: options.algorithm });
}

/**
 * Verifies a user-entered code. Accepts codes of the time steps within ±window (default 1) of timeMs.
 * Refuses any step <= lastUsedStep (replay protection: a code, or an older one, cannot be used twice).
 * The code must be exactly `digits` ASCII digits (spaces inside are stripped first); anything else → null.
 * Compares with crypto.timingSafeEqual. Returns the matched step (the caller stores it as the new lastUsedStep) or null.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  options: {
    timeMs: number;
    window?: number;
    lastUsedStep?: number | null;
    digits?: 6 | 8;
    algorithm?: TotpAlgorithm;
    periodSeconds?: number;
  },
): number | null {
  const digits = options.digits ?? DEFAULT_DIGITS;
  checkDigits(digits);
  const window = options.window ?? DEFAULT_WINDOW;
  if (!Number.isSafeInteger(window) || window < 0) throw new RangeError(`TOTP window must be a non-negative integer, got ${window}`);
  // Authenticator apps show "123 456" and pasting often brings a stray space or newline along.
  const candidate = code.replace(/\s/g, '');
  if (candidate.length !== digits || !/^[0-9]+$/.test(candidate)) return null;
  const given = Buffer.from(candidate, 'ascii');
  const current = timeStep(options.timeMs, options.periodSeconds);
  const lastUsedStep = options.lastUsedStep ?? null;
  let matched: number | null = null;
  // Every step in the window is computed and compared, so the time taken does not reveal which one matched.
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0 || (lastUsedStep !== null && step <= lastUsedStep)) continue;
    const expected = Buffer.from(hotp(secret, step, { digits, algorithm: options.algorithm }), 'ascii');
    if (timingSafeEqual(expected, given) && matched === null) matched = step;
  }
  return matched;
}

/**
 * otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30 with label and params
 * percent-encoded (Google Authenticator Key Uri Format). The issuer is repeated as a parameter because some apps read only one of the two.
 */
export function otpauthUrl(options: { secret: string; accountName: string; issuer: string }): string {
  const issuer = encodeURIComponent(options.issuer);
  const label = `${issuer}:${encodeURIComponent(options.accountName)}`;
  const secret = encodeURIComponent(options.secret);
  const format = `algorithm=SHA1&digits=${DEFAULT_DIGITS}&period=${DEFAULT_PERIOD_SECONDS}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${issuer}&${format}`;
}

/** A PNG QR code of `text` as a data: URL, sized for an enrolment page and readable by phone cameras at arm's length. */
export async function qrCodeDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 256 });
}

/** `count` (default 10) distinct single-use recovery codes shown as xxxxx-xxxxx; randomInt samples without modulo bias. */
export function generateRecoveryCodes(count: number = DEFAULT_RECOVERY_COUNT): string[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`Recovery code count must be a non-negative integer, got ${count}`);
  const codes = new Set<string>();
  while (codes.size < count) {
    let raw = '';
    for (let i = 0; i < RECOVERY_HALF_LENGTH * 2; i++) raw += RECOVERY_ALPHABET.charAt(randomInt(RECOVERY_ALPHABET.length));
    codes.add(`${raw.slice(0, RECOVERY_HALF_LENGTH)}-${raw.slice(RECOVERY_HALF_LENGTH)}`);
  }
  return [...codes];
}

/** Lower-cases and removes spaces and dashes, so "ABCDE-FGHJK" and "abcdefghjk" compare equal; the caller hashes the normalized form. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}
