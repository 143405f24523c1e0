// What this device trusts in an end-to-end encrypted conversation, and what the composer may do.
// The peer's public key is remembered per user and conversation the first time it is seen (trust
// on first use); a newer key (a new device, a reinstall, or someone in between) is `changed` until
// the user accepts it, after comparing the safety number. `sendMode` is the one place that decides
// how a message goes out: in an encrypted conversation it is encrypted or it waits, never in clear.

/** The part of Web Storage this needs (localStorage in the app, a map in tests). */
export type KeyStore = Pick<Storage, 'getItem' | 'setItem'>;

export type PeerKeyState = 'trusted' | 'changed';

export function createKeyTrust(store: KeyStore, me: string) {
  const name = (conversationId: string) => `petamigos.e2ee.peerKey.${me}.${conversationId}`;
  return {
    /** The peer key this device last accepted for the conversation, if any. */
    remembered: (conversationId: string): string | null => store.getItem(name(conversationId)),
    /** `trusted` when the key is the one remembered, or the first one seen (then remembered); else `changed`. */
    check(conversationId: string, peerKey: string): PeerKeyState {
      const known = store.getItem(name(conversationId));
      if (known === null) {
        store.setItem(name(conversationId), peerKey);
        return 'trusted';
      }
      return known === peerKey ? 'trusted' : 'changed';
    },
    /** The user compared (or chose to go on with) the new key. */
    accept(conversationId: string, peerKey: string): void {
      store.setItem(name(conversationId), peerKey);
    },
  };
}

/** Why a message cannot go out encrypted now; the draft stays in the composer. */
export type Held = 'loading' | 'unsupported' | 'noPeerKey' | 'keyChanged';

type SendMode = { mode: 'plain' } | { mode: 'encrypted' } | { mode: 'held'; reason: Held };

/**
 * How a message goes out. In a conversation whose encryption is off: in clear. Once it is on:
 * encrypted when the keys are ready and the peer's key is trusted, else held with the reason.
 */
export function sendMode(facts: {
  encrypted: boolean;
  cipher: 'loading' | 'failed' | 'noPeerKey' | 'ready';
  peerKey: PeerKeyState | undefined;
}): SendMode {
  if (!facts.encrypted) return { mode: 'plain' };
  if (facts.cipher === 'loading') return { mode: 'held', reason: 'loading' };
  if (facts.cipher === 'failed') return { mode: 'held', reason: 'unsupported' };
  if (facts.cipher === 'noPeerKey') return { mode: 'held', reason: 'noPeerKey' };
  if (facts.peerKey !== 'trusted') return { mode: 'held', reason: facts.peerKey === 'changed' ? 'keyChanged' : 'loading' };
  return { mode: 'encrypted' };
}
