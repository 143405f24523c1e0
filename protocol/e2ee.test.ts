// The parts of end-to-end encryption both ends must agree on: the safety number (the same for
// both people, another one when either key changes), the message envelope and file encryption.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decryptFile,
  encryptFile,
  exportPublicKey,
  generateKeyPair,
  openEnvelope,
  safetyGroups,
  safetyNumber,
  sealEnvelope,
} from './e2ee.ts';

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toBase64);
const party = fc.record({ userId: fc.uuid(), publicKey: key32 });

describe('e2ee: safety number', () => {
  test('e2ee: both people compute the same 60 digits, whichever order they give the parties', async () => {
    await fc.assert(
      fc.asyncProperty(party, party, async (a, b) => {
        const mine = await safetyNumber(a, b);
        expect(mine).toMatch(/^\d{60}$/);
        expect(await safetyNumber(b, a)).toBe(mine);
        expect(safetyGroups(mine)).toHaveLength(12);
      }),
      { numRuns: 8 },
    );
  });

  test('e2ee: the safety number changes when either person’s key changes', async () => {
    await fc.assert(
      fc.asyncProperty(party, party, key32, fc.boolean(), async (a, b, other, changeA) => {
        fc.pre(other !== (changeA ? a.publicKey : b.publicKey));
        const before = await safetyNumber(a, b);
        const after = changeA ? await safetyNumber({ ...a, publicKey: other }, b) : await safetyNumber(a, { ...b, publicKey: other });
        expect(after).not.toBe(before);
        // The half of the person whose key stayed is the same; only the other half moves.
        const kept = (changeA ? b.userId : a.userId) < (changeA ? a.userId : b.userId) ? [0, 30] : [30, 60];
        expect(after.slice(...kept)).toBe(before.slice(...kept));
      }),
      { numRuns: 8 },
    );
  });

  test('e2ee: a fixed vector guards the construction; real X25519 keys give 60 digits', async () => {
    const zero = { userId: '00000000-0000-7000-8000-000000000001', publicKey: toBase64(new Uint8Array(32)) };
    const one = { userId: '00000000-0000-7000-8000-000000000002', publicKey: toBase64(new Uint8Array(32).fill(1)) };
    // Computed once from this construction: a change to it (iterations, byte order, digit
    // extraction) changes what people compare, and must be a new version.
    expect(await safetyNumber(one, zero)).toBe('105531850874234965393148444337339710306668842294113604121905');
    const pair = await generateKeyPair();
    const real = { userId: zero.userId, publicKey: await exportPublicKey(pair.publicKey) };
    expect(await safetyNumber(real, one)).toMatch(/^\d{60}$/);
  });
});

describe('e2ee: envelope and files', () => {
  test('e2ee: an envelope opens to what was sealed; a format-1 text (even one that looks like JSON) opens as text', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.record({ mediaId: fc.uuid(), key: key32, iv: fc.string(), type: fc.string(), name: fc.string(), size: fc.nat() }), {
          maxLength: 3,
        }),
        (text, files) => {
          expect(openEnvelope(sealEnvelope({ text, files }))).toEqual({ text, files });
          if (!text.startsWith('{"v":')) expect(openEnvelope(text)).toEqual({ text, files: [] });
        },
      ),
    );
    expect(openEnvelope('{"v": broken')).toEqual({ text: '{"v": broken', files: [] });
    expect(openEnvelope('{"v":2,"text":1,"files":[]}')).toEqual({ text: '{"v":2,"text":1,"files":[]}', files: [] });
  });

  test('e2ee: a file encrypts under a fresh key, opens with its key and nonce, and not with another or once altered', async () => {
    const bytes = new TextEncoder().encode('a photo of Luna');
    const first = await encryptFile(bytes);
    const second = await encryptFile(bytes);
    expect(first.key).not.toBe(second.key);
    expect(Buffer.from(first.ciphertext).includes(Buffer.from('Luna'))).toBe(false);
    expect(await decryptFile(first.ciphertext, first)).toEqual(bytes);
    await expect(decryptFile(first.ciphertext, second)).rejects.toThrow();
    const altered = first.ciphertext.slice();
    altered[0] = (altered[0] as number) ^ 1;
    await expect(decryptFile(altered, first)).rejects.toThrow();
  });
});
