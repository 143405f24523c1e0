// End-to-end encryption of one-to-one messages, with WebCrypto only (browsers, Bun, Node): each
// device has an X25519 key pair whose private half never leaves it; both ends of a conversation
// derive the same AES-256-GCM key from their own private key and the other's public key
// (X25519, then HKDF-SHA-256 with the conversation id as salt), so the server, which stores public
// keys and ciphertext only, cannot read the text. Attachments are encrypted on the device under
// keys of their own that travel inside the message (the envelope below), and both people can
// compare a safety number made from their keys. See `Encrypted` in calls/chats.ts.

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

// ——— Message envelope (format 2) ———
// Since format 2 the AES-GCM plaintext of a message is a JSON envelope, so the keys of its
// attachments travel under the same encryption as its text:
//   { "v": 2, "text": "…", "files": [{ "mediaId", "key", "iv", "type", "name", "size" }] }
// Each file is encrypted on the device with AES-256-GCM under its own random key (base64, 32
// bytes) and 12-byte nonce, and uploaded as an opaque `blob` media; `type`, `name` and `size`
// are those of the original file. A plaintext that is not such an envelope is a format-1
// message: the UTF-8 text alone.

export interface SealedFile {
  mediaId: string;
  key: string;
  iv: string;
  /** The original MIME type (image/jpeg, video/mp4, audio/webm, …). */
  type: string;
  name: string;
  /** Bytes of the original file. */
  size: number;
}

export interface Envelope {
  text: string;
  files: SealedFile[];
}

const ENVELOPE_VERSION = 2;

export function sealEnvelope(envelope: Envelope): string {
  return JSON.stringify({ v: ENVELOPE_VERSION, text: envelope.text, files: envelope.files });
}

const isSealedFile = (file: unknown): file is SealedFile => {
  if (typeof file !== 'object' || file === null) return false;
  const f = file as Record<string, unknown>;
  return (
    typeof f.mediaId === 'string' &&
    typeof f.key === 'string' &&
    typeof f.iv === 'string' &&
    typeof f.type === 'string' &&
    typeof f.name === 'string' &&
    typeof f.size === 'number'
  );
};

/** The envelope in a decrypted plaintext; a format-1 plaintext is its text with no files. */
export function openEnvelope(plaintext: string): Envelope {
  if (!plaintext.startsWith('{"v":')) return { text: plaintext, files: [] };
  try {
    const parsed = JSON.parse(plaintext) as { v?: unknown; text?: unknown; files?: unknown };
    if (parsed.v === ENVELOPE_VERSION && typeof parsed.text === 'string' && Array.isArray(parsed.files) && parsed.files.every(isSealedFile))
      return { text: parsed.text, files: parsed.files };
  } catch {
    // Not JSON after all: a format-1 text that starts like one.
  }
  return { text: plaintext, files: [] };
}

/** A file encrypted under a new random key: the ciphertext to upload, and the key and nonce for the envelope. */
export async function encryptFile(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<{ ciphertext: Uint8Array<ArrayBuffer>; key: string; iv: string }> {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt']);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes));
  return { ciphertext, key: toBase64(raw), iv: toBase64(iv) };
}

/** The original bytes, or throws (OperationError) when the key or nonce is wrong or the blob was altered. */
export async function decryptFile(
  ciphertext: Uint8Array<ArrayBuffer>,
  file: Pick<SealedFile, 'key' | 'iv'>,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('raw', fromBase64(file.key), { name: 'AES-GCM' }, false, ['decrypt']);
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(file.iv) }, key, ciphertext));
}

// ——— Safety number ———
// What two people compare (read aloud, side by side) to know that no one sits between them. As
// Signal's "numeric fingerprint": for each person, SHA-512 applied 5,200 times, each round to
// (previous result || public key), the first round's previous result being (version 0x0000 ||
// public key || UTF-8 user id); the first 30 bytes of the result, as six 5-byte chunks, each read as a big-endian
// integer mod 100,000, give 30 digits. The two people's 30 digits are put side by side, the
// smaller user id first, so both compute the same 60 digits (12 groups of 5). The public keys
// are the raw 32-byte X25519 keys of the two devices that talk: the web client takes its own and
// the peer's newest (`keys.get`, the one it encrypts to), so the numbers match when each person
// compares from their newest device; a new key (another device, a reinstall) gives another one.

const FINGERPRINT_VERSION = new Uint8Array([0, 0]);
const SAFETY_ITERATIONS = 5200;

async function fingerprint(publicKey: Uint8Array, userId: string): Promise<string> {
  const id = new TextEncoder().encode(userId);
  let hash = new Uint8Array(FINGERPRINT_VERSION.length + publicKey.length + id.length);
  hash.set(FINGERPRINT_VERSION, 0);
  hash.set(publicKey, FINGERPRINT_VERSION.length);
  hash.set(id, FINGERPRINT_VERSION.length + publicKey.length);
  for (let round = 0; round < SAFETY_ITERATIONS; round++) {
    const input = new Uint8Array(hash.length + publicKey.length);
    input.set(hash, 0);
    input.set(publicKey, hash.length);
    hash = new Uint8Array(await crypto.subtle.digest('SHA-512', input));
  }
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0;
    // 5 bytes fit in a double exactly (40 bits).
    for (let byte = 0; byte < 5; byte++) value = value * 256 + (hash[chunk * 5 + byte] as number);
    digits += String(value % 100_000).padStart(5, '0');
  }
  return digits;
}

/** The 60 digits of a conversation's safety number: the same whichever person computes it. */
export async function safetyNumber(a: { userId: string; publicKey: string }, b: { userId: string; publicKey: string }): Promise<string> {
  const [first, second] = a.userId < b.userId ? [a, b] : [b, a];
  const [one, two] = await Promise.all([
    fingerprint(fromBase64(first.publicKey), first.userId),
    fingerprint(fromBase64(second.publicKey), second.userId),
  ]);
  return one + two;
}

/** The 60 digits as they are shown: 12 groups of 5. */
export const safetyGroups = (digits: string): string[] => digits.match(/\d{5}/g) ?? [];
