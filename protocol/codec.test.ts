// Codec and frame checks: property tests (fast-check) for round trips and for decoding anything
// without crashing, and the exact bytes a native client must produce.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame } from './codec.ts';
import { checkClientFrame } from './frames.ts';

// Values MessagePack carries losslessly between any two implementations.
const wireValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true }).filter((n) => !Object.is(n, -0)),
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
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          decodeFrame(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 5000 },
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
