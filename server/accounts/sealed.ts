// Secrets the server must read back (TOTP seeds) are kept sealed: AES-256-GCM under a key derived
// with HKDF-SHA-256 from the access-token keys (AUTH_JWT_KEYS) for one purpose, bound to the row
// they belong to (the user id as associated data), so a copy of the database alone yields no seed
// and a sealed value moved to another user's row does not open. Stored as
// `v1.<kid>.<iv>.<ciphertext+tag>` (base64url); the kid names the key it was sealed under, so keys
// can be rotated while older values still open. Without AUTH_JWT_KEYS the key is the generated one
// kept in the database, which protects nothing against a copy of that database: set it in production.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SigningKey } from './config.ts';

const VERSION = 'v1';

export class SecretBox {
  readonly #sealWith: { kid: string; key: Buffer };
  readonly #byKid: Map<string, Buffer>;

  constructor(keys: SigningKey[], purpose: string) {
    const derive = (secret: Uint8Array) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `petamigos-${purpose}-${VERSION}`, 32));
    this.#byKid = new Map(keys.map((key) => [key.kid, derive(key.secret)]));
    const first = keys[0];
    if (first === undefined) throw new Error('SecretBox needs at least one key');
    this.#sealWith = { kid: first.kid, key: this.#byKid.get(first.kid) as Buffer };
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#sealWith.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.#sealWith.kid, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  /** The plain value; throws when it was sealed for another row, altered, or under a key no longer configured. */
  open(sealed: string, boundTo: string): string {
    const [version, kid, iv, body] = sealed.split('.');
    const key = kid === undefined ? undefined : this.#byKid.get(kid);
    if (version !== VERSION || key === undefined || iv === undefined || body === undefined)
      throw new Error(`a sealed value of an unknown form or key (${version}.${kid})`);
    const bytes = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
  }

  /** Whether a stored value is sealed (rows written before sealing hold the plain seed). */
  static isSealed(value: string): boolean {
    return value.startsWith(`${VERSION}.`);
  }
}
