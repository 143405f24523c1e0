// End-to-end encryption of one-to-one conversations on this device: the device's X25519 key pairs
// (made once, the private halves non-extractable, kept in IndexedDB per user and never sent),
// the newest public key published with `keys.publish`, and a conversation's cipher: my private
// key and the peer's public key named by a message give the AES key (protocol/e2ee.ts). A message
// encrypted to a key this device does not hold cannot be read here. Files are encrypted here
// before they are uploaded (as `blob` media) and decrypted here after they are downloaded.

import { ProtocolError } from '../../../protocol/client.ts';
import {
  conversationKey,
  decryptFile,
  decryptText,
  type Envelope,
  encryptFile,
  encryptText,
  exportPublicKey,
  generateKeyPair,
  openEnvelope,
  type SealedFile,
  sealEnvelope,
} from '../../../protocol/e2ee.ts';
import type { ChatMessage } from './messageLog.ts';
import { actions } from './store.ts';

interface DeviceKey {
  keyId: string;
  privateKey: CryptoKey;
  publicKey: string;
  createdAt: number;
}

const DB = 'petamigos-e2ee';
const STORE = 'keys';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function stored(userId: string): Promise<DeviceKey[]> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const request = db.transaction(STORE).objectStore(STORE).get(userId);
    request.onsuccess = () => resolve((request.result as DeviceKey[] | undefined) ?? []);
    request.onerror = () => reject(request.error);
  });
}

async function store(userId: string, keys: DeviceKey[]): Promise<void> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, 'readwrite');
    transaction.objectStore(STORE).put(keys, userId);
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
  });
}

const making = new Map<string, Promise<DeviceKey[]>>();

/**
 * This device's keys for `userId`, the newest first; a first one is made and published when there
 * is none. Concurrent callers share one making, so a device never publishes two keys at once.
 */
export function deviceKeys(userId: string): Promise<DeviceKey[]> {
  let keys = making.get(userId);
  if (keys === undefined) {
    keys = loadOrMake(userId).finally(() => making.delete(userId));
    making.set(userId, keys);
  }
  return keys;
}

async function loadOrMake(userId: string): Promise<DeviceKey[]> {
  const keys = await stored(userId);
  if (keys.length > 0) return keys.sort((a, b) => b.createdAt - a.createdAt);
  const pair = await generateKeyPair();
  const publicKey = await exportPublicKey(pair.publicKey);
  const { keyId } = await actions.call('keys.publish', { publicKey });
  const key = { keyId, privateKey: pair.privateKey, publicKey, createdAt: Date.now() };
  await store(userId, [key, ...(await stored(userId))]);
  return [key];
}

/** The cipher of one conversation between `me` and `peerId`, or undefined when the peer has published no key. */
export async function createCipher(conversationId: string, me: string, peerId: string) {
  const mine = await deviceKeys(me);
  let theirs: { keyId: string; publicKey: string }[];
  try {
    theirs = (await actions.call('keys.get', { userId: peerId })).keys;
  } catch (error) {
    // NOT_FOUND: the peer has published no key yet.
    if (error instanceof ProtocolError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
  const newest = theirs[0];
  if (newest === undefined) return undefined;
  const derived = new Map<string, Promise<CryptoKey>>();
  const keyFor = (myKeyId: string, theirKeyId: string): Promise<CryptoKey> | undefined => {
    const own = mine.find((key) => key.keyId === myKeyId);
    const other = theirs.find((key) => key.keyId === theirKeyId);
    if (own === undefined || other === undefined) return undefined;
    const name = `${myKeyId}/${theirKeyId}`;
    let key = derived.get(name);
    if (key === undefined) {
      key = conversationKey(own.privateKey, other.publicKey, conversationId);
      derived.set(name, key);
    }
    return key;
  };
  const own = mine[0] as DeviceKey;
  return {
    /** The public keys a safety number is made of: this device's, and the peer's newest (the one messages go to). */
    ownPublicKey: own.publicKey,
    peerPublicKey: newest.publicKey,
    /** Whether the peer's key `keyId` is known (a message to or from a newer one needs the keys again). */
    knows(keyId: string): boolean {
      return theirs.some((key) => key.keyId === keyId);
    },
    /** The message's text and the keys of its files, encrypted to the peer's newest key (format 2). */
    async encrypt(envelope: Envelope): Promise<NonNullable<ChatMessage['encrypted']>> {
      const key = keyFor(own.keyId, newest.keyId) as Promise<CryptoKey>;
      return { senderKeyId: own.keyId, recipientKeyId: newest.keyId, ...(await encryptText(await key, sealEnvelope(envelope))) };
    },
    /** The text and file keys, or null when this device cannot read it. */
    async decrypt(message: ChatMessage): Promise<Envelope | null> {
      const content = message.encrypted;
      if (content === null) return null;
      const key =
        message.senderId === me ? keyFor(content.senderKeyId, content.recipientKeyId) : keyFor(content.recipientKeyId, content.senderKeyId);
      if (key === undefined) return null;
      try {
        return openEnvelope(await decryptText(await key, content));
      } catch {
        return null;
      }
    },
  };
}

/** A file encrypted here under a key of its own: the blob to upload, and what the message carries to open it. */
export async function sealFile(file: Blob): Promise<{ blob: Blob; file: Omit<SealedFile, 'mediaId'> }> {
  const sealed = await encryptFile(new Uint8Array(await file.arrayBuffer()));
  return {
    blob: new Blob([sealed.ciphertext], { type: 'application/octet-stream' }),
    file: { key: sealed.key, iv: sealed.iv, type: file.type, name: file instanceof File ? file.name.slice(0, 200) : '', size: file.size },
  };
}

/**
 * The type a decrypted file is shown as: the sender chose `type`, and an object URL has this
 * origin, so only types that cannot run script (no SVG, no HTML) keep theirs; anything else is
 * plain bytes, offered for download.
 */
export const displayType = (type: string): string =>
  /^(image\/(jpeg|png|gif|webp|avif|heic|heif)|video\/(mp4|webm|quicktime)|audio\/(webm|ogg|mp4|mpeg|wav|aac))(;.*)?$/.test(type)
    ? type
    : 'application/octet-stream';

/** The original file of a blob read from `url`, typed by `displayType`; throws when it cannot be opened. */
export async function openFile(url: string, file: SealedFile): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the encrypted file could not be read (${response.status})`);
  const plain = await decryptFile(new Uint8Array(await response.arrayBuffer()), file);
  return new Blob([plain], { type: displayType(file.type) });
}
