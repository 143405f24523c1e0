// End-to-end encryption of one-to-one messages, with WebCrypto only (browsers, Bun, Node): each
// device has an X25519 key pair whose private half never leaves it; both ends of a conversation
// derive the same AES-256-GCM key from their own private key and the other's public key
// (X25519, then HKDF-SHA-256 with the conversation id as salt), so the server, which stores public
// keys and ciphertext only, cannot read the text. See `Encrypted` in calls/chats.ts.

const INFO = new TextEncoder().encode('petamigos-e2ee-v1');

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

/** A new key pair; keep `privateKey` on the device (it can be stored in IndexedDB as it is). */
export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
}

/** The raw public key, base64, as `keys.publish` takes it. */
export async function exportPublicKey(key: CryptoKey): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', key)));
}

/** The conversation key both ends derive: from my private key and their published public key. */
export async function conversationKey(myPrivateKey: CryptoKey, theirPublicKey: string, conversationId: string): Promise<CryptoKey> {
  const theirs = await crypto.subtle.importKey('raw', fromBase64(theirPublicKey), { name: 'X25519' }, false, []);
  const shared = await crypto.subtle.deriveBits({ name: 'X25519', public: theirs }, myPrivateKey, 256);
  const material = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode(conversationId), info: INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function encryptText(key: CryptoKey, text: string): Promise<{ iv: string; ciphertext: string }> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text)));
  return { iv: toBase64(iv), ciphertext: toBase64(ciphertext) };
}

/** The text, or throws (OperationError) when the key is not the one it was encrypted with or it was altered. */
export async function decryptText(key: CryptoKey, encrypted: { iv: string; ciphertext: string }): Promise<string> {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(encrypted.iv) }, key, fromBase64(encrypted.ciphertext));
  return new TextDecoder().decode(plain);
}
