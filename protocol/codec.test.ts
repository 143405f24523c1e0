// Codec and frame checks: property tests (fast-check) for round trips and for decoding anything
// without crashing, and the exact bytes a native client must produce.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../server/gateway/limits.ts';
import { unchecked } from '../test/harness/wire.ts';
import { type CallName, Calls } from './catalogue.ts';
import { checkEveryFrame, decodeClientFrame, decodeFrame, encodeFrame, frameSeq } from './codec.ts';
import { catalogueNesting } from './doc.ts';
import { checkClientFrame } from './frames.ts';
import { scanValue } from './scan.ts';

// Values MessagePack carries losslessly between any two implementations.
const wireValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.string(),
    fc.uint8Array(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(
      fc.string().filter((key) => key !== '__proto__'),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

/** Binary decodes as a Buffer under Bun (a Uint8Array subclass): compare the bytes, not the class. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return [...value];
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

describe('codec', () => {
  test('codec: decode(encode(v)) equals v for every MessagePack value', () => {
    fc.assert(
      fc.property(wireValue, (value) => {
        expect(plain(decodeFrame(encodeFrame(value)))).toEqual(plain(value));
      }),
      { numRuns: 2000 },
    );
  });

  test('codec: any bytes either decode to one value or throw, never hang or crash', () => {
    unchecked(() =>
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
          try {
            decodeFrame(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
          }
        }),
        { numRuns: 5000 },
      ),
    );
  });

  test('codec: two values in one frame are refused', () => {
    expect(() => decodeFrame(new Uint8Array([0x01, 0x02]))).toThrow('one MessagePack value');
    expect(() => decodeFrame(new Uint8Array())).toThrow();
  });

  test('codec: a __proto__ key stays data and never becomes a prototype', () => {
    const decoded = decodeFrame(Buffer.from('81a95f5f70726f746f5f5f81a161a162', 'hex')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect((decoded as { a?: unknown }).a).toBeUndefined();
  });

  test('codec: a ping is encoded as the small map a native client writes by hand', () => {
    // 0x82 = map of 2; a4 "type"; a4 "ping"; a2 "ts"; 0x01
    expect(Buffer.from(encodeFrame({ type: 'ping', ts: 1 })).toString('hex')).toBe('82a474797065a470696e67a2747301');
  });
});

/** The MessagePack type byte of the smallest integer encoding of `n`, as the spec lists them. */
function smallestIntegerType(n: number): number {
  if (n >= 0) return n <= 0x7f ? n : n <= 0xff ? 0xcc : n <= 0xffff ? 0xcd : n <= 0xffffffff ? 0xce : 0xcf;
  return n >= -32 ? 0x100 + n : n >= -0x80 ? 0xd0 : n >= -0x8000 ? 0xd1 : n >= -0x80000000 ? 0xd2 : 0xd3;
}

/** Offsets and values of every float in an encoded value. */
function floatsIn(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  scanValue(bytes, { onFloat: (_, at) => found.push(bytes[at] === 0xcb ? view.getFloat64(at + 1) : view.getFloat32(at + 1)) });
  return found;
}

const floatInteger = (n: number) => {
  const bytes = new Uint8Array(9);
  bytes[0] = 0xcb;
  new DataView(bytes.buffer).setFloat64(1, n);
  return bytes;
};

describe('numbers on the wire', () => {
  test('numbers: every safe integer travels as an integer in its smallest width and decodes to itself', () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer()), (n) => {
        const bytes = encodeFrame(n);
        expect(bytes[0]).toBe(smallestIntegerType(n));
        expect(decodeFrame(bytes)).toBe(n);
      }),
      { numRuns: 5000 },
    );
  });

  test('numbers: a non-integral number travels as float64, never float32, and decodes exactly', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
        (n) => {
          const bytes = encodeFrame(n);
          expect(bytes[0]).toBe(0xcb);
          expect(bytes.length).toBe(9);
          expect(decodeFrame(bytes)).toBe(n);
        },
      ),
      { numRuns: 5000 },
    );
  });

  test('numbers: no frame, however nested, carries a safe integer as a float', () => {
    fc.assert(
      fc.property(wireValue, (value) => {
        expect(floatsIn(encodeFrame(value)).filter((n) => Number.isSafeInteger(n))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  test('numbers: Unix milliseconds in a welcome are uint64, a negative wide integer int64', () => {
    const hex = Buffer.from(encodeFrame({ tokenExpiresAt: 1795479300000, before: -1795479300000 })).toString('hex');
    // cf + 8 bytes big-endian; d3 + 8 bytes of two's complement.
    expect(hex).toBe(
      `82ae${Buffer.from('tokenExpiresAt').toString('hex')}cf000001a20ae7e7a0a6${Buffer.from('before').toString('hex')}d3fffffe5df5181860`,
    );
  });

  test('numbers: -0 travels as 0; NaN, ±Infinity and integers beyond 2⁵³ as float64', () => {
    expect([...encodeFrame(-0)]).toEqual([0x00]);
    // NaN and ±Infinity are refused by the suite-wide check, which is off for them here.
    unchecked(() => {
      for (const n of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, -(2 ** 64)]) {
        expect(encodeFrame(n)[0]).toBe(0xcb);
        expect(decodeFrame(encodeFrame(n))).toBe(n);
      }
    });
  });

  test('numbers: an integer another encoder wrote as a float is reported and refused while every frame is checked', () => {
    const seen: string[] = [];
    const previous = checkEveryFrame((fault) => seen.push(fault));
    try {
      expect(() => decodeFrame(floatInteger(1795479300000))).toThrow('integer 1795479300000 as float64');
      expect(decodeFrame(floatInteger(0.5))).toBe(0.5);
      expect(() => encodeFrame({ score: Number.NaN })).toThrow('NaN, which no field accepts');
    } finally {
      checkEveryFrame(previous);
    }
    expect(seen).toHaveLength(2);
    // Outside the check, a float-encoded integer from a client is read as the number it is.
    const off = checkEveryFrame(undefined);
    try {
      expect(decodeFrame(floatInteger(1795479300000))).toBe(1795479300000);
    } finally {
      checkEveryFrame(off);
    }
  });
});

describe('one encoding per value', () => {
  test('codec: a key whose value is undefined is left out of its map, never written as an extension', () => {
    const hex = (value: unknown) => Buffer.from(encodeFrame(value)).toString('hex');
    expect(hex({ a: undefined, b: 1 })).toBe('81a16201');
    // Left out at any depth, next to a wide integer rewritten as uint64.
    expect(hex({ n: { a: undefined }, t: 1795478400000 })).toBe('82a16e80a174cf000001a20ada2c00');
  });

  test('codec: an extension type (a Date, an undefined in an array) is reported while every frame is checked', () => {
    const seen: string[] = [];
    const previous = checkEveryFrame((fault) => seen.push(fault));
    try {
      expect(() => encodeFrame({ at: new Date(0) })).toThrow('extension type');
      expect(() => decodeFrame(Buffer.from('91d40000', 'hex'))).toThrow('extension type');
    } finally {
      checkEveryFrame(previous);
    }
    expect(seen).toHaveLength(2);
  });
});

/** An array nested `depth` deep around nil: 0x91 is an array of 1. */
function nested(depth: number): Uint8Array {
  const bytes = new Uint8Array(depth + 1).fill(0x91);
  bytes[depth] = 0xc0;
  return bytes;
}

describe('client frames', () => {
  test('client frames: nesting up to the limit decodes, one level more is refused without recursing', () => {
    expect(decodeClientFrame(nested(32), 32)).toMatchObject({ ok: true });
    expect(decodeClientFrame(nested(33), 32)).toEqual({ ok: false, fault: { reason: 'too deep', maxDepth: 32 } });
    expect(decodeClientFrame(nested(20_000), 32)).toEqual({ ok: false, fault: { reason: 'too deep', maxDepth: 32 } });
    // Maps count like arrays: {a: {a: … }}.
    const maps = new Uint8Array(33 * 3 + 1);
    for (let i = 0; i < 33; i++) maps.set([0x81, 0xa1, 0x61], i * 3);
    maps[99] = 0xc0;
    expect(decodeClientFrame(maps, 32)).toEqual({ ok: false, fault: { reason: 'too deep', maxDepth: 32 } });
    expect(decodeClientFrame(maps.subarray(3), 32)).toMatchObject({ ok: true });
  });

  test('client frames: a decoded frame keeps its values when later frames are decoded, binaries and long strings included', () => {
    const text = 'ü'.repeat(300);
    const first = decodeClientFrame(encodeFrame({ type: 'call', ref: 1, op: 'a', body: { bin: new Uint8Array([1, 2, 3]), text } }), 32);
    decodeClientFrame(encodeFrame({ type: 'call', ref: 2, op: 'b', body: { bin: new Uint8Array([9, 9, 9]), text: 'x'.repeat(600) } }), 32);
    const body = (first as { value: { body: { bin: Uint8Array; text: string } } }).value.body;
    expect([...body.bin]).toEqual([1, 2, 3]);
    expect(body.text).toBe(text);
    // A frame larger than the reused buffer decodes as well.
    const large = 'y'.repeat(70_000);
    expect(decodeClientFrame(encodeFrame({ type: 'call', ref: 3, op: 'c', body: { large } }), 32)).toEqual({
      ok: true,
      value: { type: 'call', ref: 3, op: 'c', body: { large } },
    });
  });

  test('client frames: the deepest call the catalogue defines nests well within limits.maxDepth', () => {
    const { client } = catalogueNesting();
    expect(client.depth).toBeGreaterThan(1);
    expect(client.depth * 2).toBeLessThanOrEqual(DEFAULT_LIMITS.maxDepth);
    const example = Calls[client.name as CallName].example.request;
    expect(decodeClientFrame(encodeFrame({ type: 'call', ref: 1, op: client.name, body: example }), DEFAULT_LIMITS.maxDepth)).toMatchObject(
      {
        ok: true,
      },
    );
  });

  test('client frames: garbage gets a reason, never an exception', () => {
    const refused = (hex: string) => {
      const result = decodeClientFrame(Buffer.from(hex, 'hex'), 32);
      return result.ok ? 'accepted' : result.fault.reason;
    };
    expect(refused('dd ffffffff 01 02'.replaceAll(' ', ''))).toBe('truncated');
    expect(refused('df ffffffff a161 01'.replaceAll(' ', ''))).toBe('truncated');
    expect(refused('dc ffff'.replaceAll(' ', ''))).toBe('truncated');
    expect(refused('db ffffffff 61'.replaceAll(' ', ''))).toBe('truncated');
    expect(refused('82a474797065a470696e67a2')).toBe('truncated');
    expect(refused('0102')).toBe('more than one value');
    expect(refused('')).toBe('truncated');
    expect(refused('c1')).toBe('reserved byte');
    expect(refused('d6ff0000000001')).toBe('extension type');
    expect(refused('c70101ff')).toBe('extension type');
    expect(refused('d40000')).toBe('extension type');
    expect(refused('a2fffe')).toBe('invalid UTF-8');
    expect(refused('81a2c328a161')).toBe('invalid UTF-8');
    expect(refused('a3e2')).toBe('truncated');
    expect(refused('819001')).toBe('container key');
    expect(refused('8281a16101018001')).toBe('container key');
    expect(refused('81a16181900190')).toBe('container key');
    expect(refused('81a1619190')).toBe('accepted');
    expect(refused('a3e282ac')).toBe('accepted');
  });

  test('client frames: whatever the bytes, refused with a reason or decoded as the codec decodes them', () => {
    const encoded = fc.oneof(
      wireValue.map((value) => encodeFrame(value)),
      fc.tuple(wireValue, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([value, at, byte]) => {
        const bytes = encodeFrame(value).slice();
        bytes[at % bytes.length] = byte;
        return bytes;
      }),
      fc.uint8Array({ maxLength: 64 }),
    );
    unchecked(() =>
      fc.assert(
        fc.property(encoded, (bytes) => {
          const result = decodeClientFrame(bytes, 8);
          if (result.ok) expect(plain(result.value)).toEqual(plain(decodeFrame(bytes)));
          else expect(typeof result.fault.reason).toBe('string');
          // The walk and msgpackr agree on what is one well-formed value.
          let decodes = true;
          try {
            decodeFrame(bytes);
          } catch {
            decodes = false;
          }
          if (scanValue(bytes, { refuseExtensions: true }) === undefined) expect(decodes).toBe(true);
        }),
        { numRuns: 5000 },
      ),
    );
  });
});

describe('frame checks', () => {
  test('frames: each kind of fault is told apart, with the field named', () => {
    expect(checkClientFrame([1, 2])).toMatchObject({ ok: false, code: 'MALFORMED_FRAME' });
    expect(checkClientFrame({ type: 'teleport' })).toMatchObject({ ok: false, code: 'MALFORMED_FRAME', field: 'type' });
    expect(checkClientFrame({ type: 'call', ref: 0, op: 'x' })).toMatchObject({ ok: false, code: 'INVALID_FRAME', field: 'ref' });
    expect(checkClientFrame({ type: 'call', ref: 1 })).toMatchObject({ ok: false, code: 'INVALID_FRAME', field: 'op' });
    expect(checkClientFrame({ type: 'sub', ref: 1, topic: 'system', since: { epoch: 'e', seq: -1 } })).toMatchObject({
      code: 'INVALID_FRAME',
      field: 'since.seq',
    });
    expect(checkClientFrame({ type: 'ping' })).toMatchObject({ ok: true });
  });

  test('frames: the checker never throws, whatever the value', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = checkClientFrame(value);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });
});

test('codec: frameSeq reads an event’s seq from its first fields, a signal’s as 0, and any other layout by decoding it', () => {
  const topic = 'room:0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
  for (const seq of [1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 31, 2 ** 32 - 1, 2 ** 40]) {
    const frame = encodeFrame({
      type: 'event',
      topic,
      epoch: 'a1b2c3d4e5f6a7b8',
      seq,
      name: 'message.new',
      body: { text: 'x'.repeat(300) },
    });
    expect(frameSeq(frame)).toBe(seq);
  }
  expect(frameSeq(encodeFrame({ type: 'signal', topic, name: 'typing', body: { userId: 'u' } }))).toBe(0);
  expect(frameSeq(encodeFrame({ seq: 9, type: 'event' }))).toBe(9);
  // The body first: found by decoding.
  expect(frameSeq(encodeFrame({ body: { seq: 1 }, type: 'event', seq: 12 }))).toBe(12);
  expect(frameSeq(encodeFrame({ type: 'event', topic: 't'.repeat(300), epoch: 'e', seq: 70_000, name: 'n', body: {} }))).toBe(70_000);
  fc.assert(
    fc.property(
      fc.string(),
      fc.string({ maxLength: 70_000 }),
      fc.string(),
      fc.maxSafeNat(),
      fc.jsonValue(),
      (t, topicText, epoch, seq, body) => {
        expect(frameSeq(encodeFrame({ type: t === 'signal' ? 'event' : t, topic: topicText, epoch, seq, name: 'n', body }))).toBe(seq);
      },
    ),
    { numRuns: 300 },
  );
});
