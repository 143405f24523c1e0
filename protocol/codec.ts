// MessagePack framing: one binary WebSocket frame holds exactly one MessagePack value. Maps
// decode to plain objects; records and other msgpackr extensions are off on both sides, so any
// MessagePack library can speak the protocol. A `__proto__` key decodes as data, never as a
// prototype.
//
// Numbers: an integral number within ±(2⁵³−1) travels as a MessagePack integer in the smallest
// width (positive fixint, uint8/16/32/64 when ≥ 0; negative fixint, int8/16/32/64 when < 0);
// any other number as float64, never float32. msgpackr writes integers within 32 bits itself but
// wider ones as float64, so the encoder rewrites those in place as uint64/int64: the same 9
// bytes, so nothing moves. -0 travels as 0; NaN and ±Infinity as float64 (no field accepts them).
// A key whose value is undefined is left out of its map.
// Integers decode to JS numbers (a uint64/int64 beyond ±(2⁵³−1) loses precision).
import { Packr, Unpackr } from 'msgpackr';
import { type ScanFault, scanValue } from './scan.ts';

const options = { useRecords: false, mapsAsObjects: true, variableMapSize: true, moreTypes: false, bundleStrings: false } as const;
const packr = new Packr(options);
// msgpackr writes undefined as an extension (d4 00 00); the protocol has none, and an absent
// optional field is left out of its map. Leaving keys out costs a third more per object in
// msgpackr, so only a frame that holds an undefined is written again with this one.
// `skipValues` is documented in msgpackr's README but missing from its types.
const omittingUndefined = new Packr({ ...options, skipValues: [undefined] } as ConstructorParameters<typeof Packr>[0]);
const unpackr = new Unpackr({ ...options, int64AsType: 'number' });
// msgpackr builds a DataView over every buffer it has not seen before, reading its `.buffer`,
// which Bun's WebSocket messages create on first use: 29% of decoding a call in the gateway's
// profile (README, bench/gateway.ts). Client frames are
// therefore copied into one reused buffer whose view msgpackr keeps; the copy is a memcpy. Binary
// values are copied out of it (copyBuffers), so nothing decoded points into the reused buffer.
const clientUnpackr = new Unpackr({ ...options, int64AsType: 'number', copyBuffers: true });
// A plain Uint8Array, made on first use: this module also runs in browsers (no Buffer there), and
// only servers decode client frames.
let inbox: Uint8Array | undefined;
const INBOX_BYTES = 64 * 1024;

export function encodeFrame(value: unknown): Uint8Array {
  let bytes: Uint8Array = packr.pack(value);
  if (bytes.indexOf(0xd4) !== -1 && scanValue(bytes, undefinedFound) !== undefined) bytes = omittingUndefined.pack(value);
  // A float64 needs a 0xcb byte; most frames have none and skip the walk.
  if (bytes.indexOf(0xcb) !== -1) integersAsIntegers(bytes);
  if (reportFault !== undefined) checkIntegers(bytes, 'encoded');
  return bytes;
}

/** Decodes one frame; throws on anything that is not exactly one MessagePack value. */
export function decodeFrame(bytes: Uint8Array): unknown {
  const values = unpackr.unpackMultiple(bytes) as unknown[];
  if (values.length !== 1) throw new RangeError(`a frame holds one MessagePack value, found ${values.length}`);
  if (reportFault !== undefined) checkIntegers(bytes, 'decoded');
  return values[0];
}

/** Why a client's frame was not decoded. */
export type FrameFault = ScanFault | { reason: 'undecodable' };

/**
 * Decodes a frame from a client: the bytes are walked first, without recursion, so a frame
 * nested deeper than `maxDepth`, truncated, carrying an extension type or invalid UTF-8, or
 * holding more than one value is refused before msgpackr (which recurses) sees it.
 */
export function decodeClientFrame(bytes: Uint8Array, maxDepth: number): { ok: true; value: unknown } | { ok: false; fault: FrameFault } {
  const fault = scanValue(bytes, { maxDepth, refuseExtensions: true, checkUtf8: true });
  if (fault !== undefined) return { ok: false, fault };
  try {
    if (bytes.length > INBOX_BYTES) return { ok: true, value: clientUnpackr.unpack(bytes) };
    inbox ??= new Uint8Array(INBOX_BYTES);
    inbox.set(bytes);
    return { ok: true, value: clientUnpackr.unpack(inbox, { end: bytes.length }) };
  } catch {
    return { ok: false, fault: { reason: 'undecodable' } };
  }
}

/** UTF-8 of the keys `frameSeq` looks for. */
const TYPE_KEY = [0x74, 0x79, 0x70, 0x65];
const SEQ_KEY = [0x73, 0x65, 0x71];
const SIGNAL = [0x73, 0x69, 0x67, 0x6e, 0x61, 0x6c];

function equalAt(bytes: Uint8Array, at: number, length: number, expected: readonly number[]): boolean {
  if (length !== expected.length) return false;
  for (let i = 0; i < length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

/**
 * The seq of an event frame, or 0 for a signal, read from the first fields of its map without
 * decoding the rest: `encodeFrame` writes `type`, `topic`, `epoch`, then `seq`. A frame laid out
 * otherwise is decoded in full. A topic's listeners read every event this way (its body may be
 * large; NATS headers cost more to parse than these few bytes).
 */
export function frameSeq(frame: Uint8Array): number {
  const head = frame[0] as number;
  if (head >= 0x80 && head <= 0x8f) {
    let at = 1;
    for (let pair = 0; pair < (head & 0x0f); pair++) {
      const keyHead = frame[at] as number;
      if (keyHead < 0xa0 || keyHead > 0xbf) break;
      const keyLength = keyHead & 0x1f;
      const keyAt = at + 1;
      at = keyAt + keyLength;
      const value = frame[at] as number;
      if (equalAt(frame, keyAt, keyLength, SEQ_KEY)) {
        if (value <= 0x7f) return value;
        if (value === 0xcc) return frame[at + 1] as number;
        if (value === 0xcd) return ((frame[at + 1] as number) << 8) | (frame[at + 2] as number);
        if (value === 0xce)
          return (
            ((frame[at + 1] as number) * 2 ** 24 +
              (((frame[at + 2] as number) << 16) | ((frame[at + 3] as number) << 8) | (frame[at + 4] as number))) >>>
            0
          );
        break;
      }
      // Only string values come before the seq.
      let length: number;
      let start: number;
      if (value >= 0xa0 && value <= 0xbf) [length, start] = [value & 0x1f, at + 1];
      else if (value === 0xd9) [length, start] = [frame[at + 1] as number, at + 2];
      else if (value === 0xda) [length, start] = [((frame[at + 1] as number) << 8) | (frame[at + 2] as number), at + 3];
      else break;
      if (equalAt(frame, keyAt, keyLength, TYPE_KEY) && equalAt(frame, start, length, SIGNAL)) return 0;
      at = start + length;
    }
  }
  const decoded = decodeFrame(frame) as { seq?: unknown };
  return typeof decoded.seq === 'number' ? decoded.seq : 0;
}

// The 8 bytes after a float's type byte, read and written without a DataView over each frame.
const word = new DataView(new ArrayBuffer(8));

function readFloat(bytes: Uint8Array, at: number): number {
  if (bytes[at] === 0xca) {
    for (let i = 0; i < 4; i++) word.setUint8(i, bytes[at + 1 + i] as number);
    return word.getFloat32(0);
  }
  for (let i = 0; i < 8; i++) word.setUint8(i, bytes[at + 1 + i] as number);
  return word.getFloat64(0);
}

const integerInPlace = (bytes: Uint8Array, at: number): void => {
  if (bytes[at] !== 0xcb) return;
  const number = readFloat(bytes, at);
  // Integers within 32 bits never get here: msgpackr wrote them as integers already.
  if (!Number.isSafeInteger(number)) return;
  const high = Math.floor(number / 2 ** 32);
  word.setInt32(0, high);
  word.setUint32(4, number - high * 2 ** 32);
  bytes[at] = number < 0 ? 0xd3 : 0xcf;
  for (let i = 0; i < 8; i++) bytes[at + 1 + i] = word.getUint8(i);
};
const rewriteOptions = { onFloat: integerInPlace };
const undefinedFound = { refuseExtensions: true };

function integersAsIntegers(bytes: Uint8Array): void {
  scanValue(bytes, rewriteOptions);
}

let reportFault: ((fault: string) => void) | undefined;

/**
 * From now on every frame this process encodes or decodes is checked for an integer carried as a
 * float, NaN or ±Infinity, and extension types; each fault found is reported, then thrown. The test suite turns this on for every test
 * (test/setup/wire.ts), so both directions of all its traffic are checked. Returns the reporter
 * it replaces; undefined turns the check off.
 */
export function checkEveryFrame(report: ((fault: string) => void) | undefined): ((fault: string) => void) | undefined {
  const previous = reportFault;
  reportFault = report;
  return previous;
}

function checkIntegers(bytes: Uint8Array, direction: 'encoded' | 'decoded'): void {
  const faults: string[] = [];
  const fault = scanValue(bytes, {
    refuseExtensions: true,
    onFloat: (_, at) => {
      const number = readFloat(bytes, at);
      if (Number.isSafeInteger(number))
        faults.push(
          `a frame ${direction} carries the integer ${number} as float${bytes[at] === 0xcb ? 64 : 32} at byte ${at}: ${hexStart(bytes)}`,
        );
      else if (!Number.isFinite(number)) faults.push(`a frame ${direction} carries ${number}, which no field accepts: ${hexStart(bytes)}`);
    },
  });
  // msgpackr writes undefined and Date as extension types, which the protocol never uses.
  if (fault?.reason === 'extension type')
    faults.push(`a frame ${direction} carries an extension type (undefined or a Date?): ${hexStart(bytes)}`);
  if (faults.length === 0) return;
  for (const fault of faults) reportFault?.(fault);
  throw new TypeError(faults[0]);
}

function hexStart(bytes: Uint8Array): string {
  const hex = [...bytes.subarray(0, 64)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return bytes.length > 64 ? `${hex}…` : hex;
}
