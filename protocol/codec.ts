// MessagePack framing: one binary WebSocket frame holds exactly one MessagePack value. Maps
// decode to plain objects; records and other msgpackr extensions are off on both sides, so any
// MessagePack library can speak the protocol. A `__proto__` key decodes as data, never as a
// prototype.
import { Packr, Unpackr } from 'msgpackr';

const options = { useRecords: false, mapsAsObjects: true, variableMapSize: true, moreTypes: false, bundleStrings: false } as const;
const packr = new Packr(options);
const unpackr = new Unpackr({ ...options, int64AsType: 'number' });

export function encodeFrame(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Decodes one frame; throws on anything that is not exactly one MessagePack value. */
export function decodeFrame(bytes: Uint8Array): unknown {
  const values = unpackr.unpackMultiple(bytes) as unknown[];
  if (values.length !== 1) throw new RangeError(`a frame holds one MessagePack value, found ${values.length}`);
  return values[0];
}
