// Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): after a
// successful password sign-in the browser gets a signed cookie naming the user. A later sign-in
// that presents a valid one for the same user is a trusted device: its failures are counted per
// cookie and the account lockout caused by untrusted clients does not apply to it, so an attacker
// who locks an account from elsewhere does not lock its owner out.
//
// The cookie is <user id>.<nonce>.<expiry, unix s>.<HMAC-SHA256>; the key is generated once per
// cluster and kept in server_secrets.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../platform/db/index.ts';
import { storedSecret } from '../system/secrets.ts';

export const DEVICE_COOKIE = 'device';
const LIFETIME_SECONDS = 180 * 24 * 60 * 60;
const KEY_NAME = 'device_cookie_key';

export interface TrustedDevice {
  userId: string;
  /** Names this cookie in the failure counters. */
  nonce: string;
}

export class DeviceCookies {
  readonly #key: Buffer;
  /** Set the Secure attribute (the app is served over https). */
  readonly secure: boolean;
  readonly maxAgeSeconds = LIFETIME_SECONDS;

  constructor(key: string, secure: boolean) {
    this.#key = Buffer.from(key, 'base64url');
    this.secure = secure;
  }

  static async load(db: Database, secure: boolean): Promise<DeviceCookies> {
    return new DeviceCookies(await storedSecret(db, KEY_NAME, () => randomBytes(32).toString('base64url')), secure);
  }

  issue(userId: string, nowMs = Date.now()): string {
    const body = `${userId}.${randomBytes(16).toString('base64url')}.${Math.floor(nowMs / 1000) + LIFETIME_SECONDS}`;
    return `${body}.${this.#mac(body)}`;
  }

  /** The device a cookie names, when it is well-formed, signed with this cluster's key and unexpired. */
  verify(cookie: string | undefined, nowMs = Date.now()): TrustedDevice | undefined {
    if (cookie === undefined || cookie.length > 200) return undefined;
    const parts = cookie.split('.');
    if (parts.length !== 4) return undefined;
    const [userId, nonce, expires, mac] = parts as [string, string, string, string];
    const expected = Buffer.from(this.#mac(`${userId}.${nonce}.${expires}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (!/^\d+$/.test(expires) || Number(expires) * 1000 <= nowMs) return undefined;
    return { userId, nonce };
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}
