// The conformance vectors are what the generator computes, and the project's own codec, frame
// check and JSON Schema agree with every one of them: the bytes decode to the meaning, the
// meaning encodes to the bytes, valid frames validate, malformed ones are refused.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/gateway/limits.ts';
import { schemaValidator } from '../../test/harness/json-schema.ts';
import { unchecked } from '../../test/harness/wire.ts';
import { decodeFrame, encodeFrame } from '../codec.ts';
import { checkClientFrame } from '../frames.ts';
import { readClientFrame } from '../inbound.ts';
import { protocolJsonSchema } from '../json-schema.ts';
import { fromJson, toJson, type VectorFile, vectorsText } from './vectors.ts';

const committed = readFileSync(new URL('./vectors.json', import.meta.url), 'utf8');
const vectors = JSON.parse(committed) as VectorFile;
const bytesOf = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const valid = schemaValidator(protocolJsonSchema().document);

test('vectors: vectors.json is exactly what the generator computes (run `bun run protocol:vectors` after changing the protocol)', () => {
  expect(committed).toBe(vectorsText());
});

describe('frames', () => {
  test('vectors: every frame decodes to its meaning, and every canonical one encodes back to exactly its bytes', () => {
    const kinds = new Set(vectors.frames.map((vector) => vector.canonical));
    expect(kinds).toEqual(new Set([true, false]));
    for (const vector of vectors.frames) {
      expect(toJson(decodeFrame(bytesOf(vector.hex))), vector.name).toEqual(vector.json);
      if (vector.canonical) expect(hexOf(encodeFrame(fromJson(vector.json))), vector.name).toBe(vector.hex);
      else expect(hexOf(encodeFrame(fromJson(vector.json))), vector.name).not.toBe(vector.hex);
    }
  });

  test('vectors: every frame validates against the JSON Schema, as a frame of its direction and as its named definition', () => {
    for (const vector of vectors.frames) {
      const frame = toJson(decodeFrame(bytesOf(vector.hex)));
      for (const name of [vector.direction === 'client->server' ? 'ClientFrame' : 'ServerFrame', vector.schema]) {
        const validate = valid(name);
        expect(validate(frame), `${vector.name} as ${name}: ${valid.errorsOf(validate)}`).toBe(true);
      }
      if (vector.direction === 'client->server') expect(checkClientFrame(frame).ok, vector.name).toBe(true);
    }
  });

  test('vectors: the frames cover every frame type, error code the issue names, resume and reset', () => {
    const types = new Set(vectors.frames.map((vector) => (vector.json as { type: string }).type));
    for (const type of [
      'hello',
      'auth',
      'ping',
      'call',
      'sub',
      'unsub',
      'welcome',
      'reply',
      'error',
      'event',
      'signal',
      'reset',
      'revoked',
      'pong',
    ])
      expect(types).toContain(type);
    const codes = new Set(vectors.frames.map((vector) => (vector.json as { code?: string }).code));
    for (const code of ['INVALID_BODY', 'UNKNOWN_CALL', 'MALFORMED_FRAME', 'RATE_LIMITED', 'INVALID_FRAME', 'UNAUTHENTICATED'])
      expect(codes).toContain(code);
    expect(vectors.frames.some((vector) => (vector.json as { since?: unknown }).since !== undefined)).toBe(true);
  });
});

describe('malformed', () => {
  test('vectors: every malformed input is refused by the reader the gateway uses, with the code and details it expects, and by the schema', () => {
    expect(vectors.malformed.length).toBeGreaterThanOrEqual(10);
    for (const vector of vectors.malformed) {
      const { code, details } = vector.expect as { code: string; details?: Record<string, unknown> };
      const read = readClientFrame(bytesOf(vector.hex), DEFAULT_LIMITS.maxDepth);
      expect(read.ok, vector.name).toBe(false);
      if (!read.ok) expect({ code: read.refusal.code, details: read.refusal.details }, vector.name).toEqual({ code, details });
      // What a lenient decoder makes of the bytes is no valid frame either.
      let value: unknown;
      try {
        value = unchecked(() => decodeFrame(bytesOf(vector.hex)));
      } catch {
        expect(code, vector.name).toBe('MALFORMED_FRAME');
        continue;
      }
      // Depth is the one rule JSON Schema cannot state: the generic call frame takes any body.
      if (details?.reason !== 'too deep') expect(valid('ClientFrame')(toJson(value)), vector.name).toBe(false);
    }
  });
});
