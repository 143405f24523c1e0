// The trust in a peer's key (remembered on first use, `changed` until accepted) and the send
// decision: in an encrypted conversation a message goes encrypted or waits, never in clear.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createKeyTrust, type KeyStore, sendMode } from './e2eeTrust.ts';

const memoryStore = (): KeyStore & { size: () => number } => {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), size: () => items.size };
};

test('e2ee trust: the first key seen is trusted and remembered; a new one is changed until accepted; per user and conversation', () => {
  const store = memoryStore();
  const ana = createKeyTrust(store, 'ana');
  expect(ana.remembered('c1')).toBeNull();
  expect(ana.check('c1', 'key-1')).toBe('trusted');
  expect(ana.remembered('c1')).toBe('key-1');
  expect(ana.check('c1', 'key-1')).toBe('trusted');
  expect(ana.check('c1', 'key-2')).toBe('changed');
  // Seeing it again does not make it trusted: only accepting does.
  expect(ana.check('c1', 'key-2')).toBe('changed');
  ana.accept('c1', 'key-2');
  expect(ana.check('c1', 'key-2')).toBe('trusted');
  expect(ana.check('c1', 'key-1')).toBe('changed');
  // Another conversation, or another user on the same browser, starts on its own.
  expect(ana.check('c2', 'key-9')).toBe('trusted');
  expect(createKeyTrust(store, 'carla').check('c1', 'key-7')).toBe('trusted');
  expect(ana.remembered('c1')).toBe('key-2');
});

test('e2ee send: an encrypted conversation never sends in clear, whatever the state of its keys', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('loading', 'failed', 'noPeerKey', 'ready') as fc.Arbitrary<'loading' | 'failed' | 'noPeerKey' | 'ready'>,
      fc.constantFrom('trusted', 'changed', undefined) as fc.Arbitrary<'trusted' | 'changed' | undefined>,
      (cipher, peerKey) => {
        const decided = sendMode({ encrypted: true, cipher, peerKey });
        expect(decided.mode).not.toBe('plain');
        expect(sendMode({ encrypted: false, cipher, peerKey })).toEqual({ mode: 'plain' });
      },
    ),
  );
  expect(sendMode({ encrypted: true, cipher: 'ready', peerKey: 'trusted' })).toEqual({ mode: 'encrypted' });
  expect(sendMode({ encrypted: true, cipher: 'ready', peerKey: 'changed' })).toEqual({ mode: 'held', reason: 'keyChanged' });
  expect(sendMode({ encrypted: true, cipher: 'noPeerKey', peerKey: undefined })).toEqual({ mode: 'held', reason: 'noPeerKey' });
  expect(sendMode({ encrypted: true, cipher: 'loading', peerKey: undefined })).toEqual({ mode: 'held', reason: 'loading' });
  expect(sendMode({ encrypted: true, cipher: 'failed', peerKey: undefined })).toEqual({ mode: 'held', reason: 'unsupported' });
});
