// What the codec learns from MessagePack bytes without building any value: one iterative pass
// over the tokens, so a frame nested 20,000 deep costs a loop, never a recursion (msgpackr, and
// anything that walks a decoded value, recurses). The gateway uses it to refuse client garbage
// before decoding; the encoder uses it to rewrite integral float64s as integers.

/** Why bytes are not one acceptable MessagePack value. */
export type ScanFault =
  | { reason: 'truncated' }
  | { reason: 'more than one value' }
  | { reason: 'too deep'; maxDepth: number }
  | { reason: 'extension type' }
  | { reason: 'reserved byte' }
  | { reason: 'invalid UTF-8' }
  /** A map key that is itself a map or an array: no field name is. */
  | { reason: 'container key' };

export interface ScanOptions {
  /** Containers (maps and arrays) nested deeper than this are a fault; the outermost is depth 1. */
  maxDepth?: number;
  /** Extension types (timestamps included) are a fault rather than skipped. */
  refuseExtensions?: boolean;
  /** Every `str` must be valid UTF-8. */
  checkUtf8?: boolean;
  /** Called with the offset of the type byte of every float32 (0xca) and float64 (0xcb). */
  onFloat?: (bytes: Uint8Array, at: number) => void;
}

/**
 * Walks exactly one MessagePack value from the start of `bytes`. Returns the fault, or undefined
 * when the bytes are one value and nothing after it. Nothing is allocated for a declared length:
 * every item takes at least one byte, so a huge declared map or array with little data is
 * `truncated` after one pass over the bytes present.
 */
export function scanValue(bytes: Uint8Array, options: ScanOptions = {}): ScanFault | undefined {
  const { maxDepth = Number.POSITIVE_INFINITY, refuseExtensions = false, checkUtf8 = false, onFloat } = options;
  const length = bytes.length;
  // Items still to read in each open container, innermost last; a map counts keys and values.
  const open: number[] = [];
  // Whether each open container is a map, innermost last; `inMap` is the innermost's.
  const maps: boolean[] = [];
  let inMap = false;
  let at = 0;
  let left = 1;
  for (;;) {
    if (at >= length) return { reason: 'truncated' };
    const type = bytes[at] as number;
    // In a map of n pairs, `left` counts down from 2n: an even count means a key comes next.
    const key = inMap && left % 2 === 0;
    let items = -1;
    let skip = 0;
    if (type <= 0x7f || type >= 0xe0) at += 1;
    else if (type <= 0x8f) {
      items = (type & 0x0f) * 2;
      at += 1;
    } else if (type <= 0x9f) {
      items = type & 0x0f;
      at += 1;
    } else if (type <= 0xbf) {
      skip = type & 0x1f;
      at += 1;
      if (at + skip > length) return { reason: 'truncated' };
      if (checkUtf8 && !validUtf8(bytes, at, at + skip)) return { reason: 'invalid UTF-8' };
    } else
      switch (type) {
        case 0xc0:
        case 0xc2:
        case 0xc3:
          at += 1;
          break;
        case 0xc1:
          return { reason: 'reserved byte' };
        case 0xc4:
        case 0xc5:
        case 0xc6:
        case 0xd9:
        case 0xda:
        case 0xdb: {
          const width = type === 0xc4 || type === 0xd9 ? 1 : type === 0xc5 || type === 0xda ? 2 : 4;
          if (at + 1 + width > length) return { reason: 'truncated' };
          skip = readLength(bytes, at + 1, width);
          at += 1 + width;
          if (checkUtf8 && type >= 0xd9 && at + skip <= length && !validUtf8(bytes, at, at + skip)) return { reason: 'invalid UTF-8' };
          break;
        }
        case 0xc7:
        case 0xc8:
        case 0xc9: {
          if (refuseExtensions) return { reason: 'extension type' };
          const width = type === 0xc7 ? 1 : type === 0xc8 ? 2 : 4;
          if (at + 2 + width > length) return { reason: 'truncated' };
          skip = readLength(bytes, at + 1, width);
          at += 2 + width;
          break;
        }
        case 0xca:
        case 0xcb: {
          const size = type === 0xca ? 5 : 9;
          if (at + size > length) return { reason: 'truncated' };
          onFloat?.(bytes, at);
          at += size;
          break;
        }
        case 0xcc:
        case 0xd0:
          at += 2;
          break;
        case 0xcd:
        case 0xd1:
          at += 3;
          break;
        case 0xce:
        case 0xd2:
          at += 5;
          break;
        case 0xcf:
        case 0xd3:
          at += 9;
          break;
        case 0xd4:
        case 0xd5:
        case 0xd6:
        case 0xd7:
        case 0xd8:
          if (refuseExtensions) return { reason: 'extension type' };
          at += 2 + (1 << (type - 0xd4));
          break;
        case 0xdc:
        case 0xde:
          if (at + 3 > length) return { reason: 'truncated' };
          items = readLength(bytes, at + 1, 2) * (type === 0xde ? 2 : 1);
          at += 3;
          break;
        case 0xdd:
        case 0xdf:
          if (at + 5 > length) return { reason: 'truncated' };
          items = readLength(bytes, at + 1, 4) * (type === 0xdf ? 2 : 1);
          at += 5;
          break;
      }
    at += skip;
    if (at > length) return { reason: 'truncated' };
    if (key && items >= 0) return { reason: 'container key' };
    left--;
    if (items > 0) {
      if (open.length + 1 > maxDepth) return { reason: 'too deep', maxDepth };
      open.push(left);
      maps.push(inMap);
      inMap = isMapType(type);
      left = items;
      continue;
    }
    if (items === 0 && open.length + 1 > maxDepth) return { reason: 'too deep', maxDepth };
    while (left === 0) {
      const outer = open.pop();
      if (outer === undefined) return at === length ? undefined : { reason: 'more than one value' };
      left = outer;
      inMap = maps.pop() ?? false;
    }
  }
}

const isMapType = (type: number) => (type >= 0x80 && type <= 0x8f) || type === 0xde || type === 0xdf;

function readLength(bytes: Uint8Array, at: number, width: number): number {
  if (width === 1) return bytes[at] as number;
  if (width === 2) return ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
  return (
    (((bytes[at] as number) << 24) >>> 0) +
    (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number))
  );
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function validUtf8(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++)
    if ((bytes[i] as number) >= 0x80) {
      try {
        strictUtf8.decode(bytes.subarray(i, to));
        return true;
      } catch {
        return false;
      }
    }
  return true;
}
