// Web push (RFC 8030 with VAPID, RFC 8292, and aes128gcm payloads, RFC 8291). The `web-push`
// package builds each signed, encrypted request; fetch sends it. Subscriptions may only point at
// the configured push services, so a user cannot make the server call arbitrary hosts. A
// subscription the push service says is gone (404, 410) is deleted.

import { createPublicKey } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import webpush from 'web-push';
import { ForbiddenError, InvalidInputError } from '../errors.ts';
import type { WebPushConfig } from '../platform/config.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import { storedSecret } from '../system/secrets.ts';
import { pushSubscriptions } from './schema.ts';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** The configured key pair, or the one generated at first start and kept in server_secrets. */
export async function loadVapidKeys(db: Database, config: WebPushConfig): Promise<VapidKeys> {
  if (config.vapidKeys !== undefined) return config.vapidKeys;
  const value = await storedSecret(db, 'web_push_vapid', () => {
    const generated = webpush.generateVAPIDKeys();
    return `${generated.publicKey}:${generated.privateKey}`;
  });
  const [publicKey, privateKey] = value.split(':');
  if (publicKey === undefined || privateKey === undefined) throw new Error('web push: stored VAPID keys are malformed');
  return { publicKey, privateKey };
}

function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  const host = url.host.toLowerCase();
  return allowed.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) : host === entry || url.hostname === entry));
}

function checkEndpoint(endpoint: string, allowed: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new InvalidInputError('endpoint is not a URL', { field: 'endpoint', cause: error });
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    throw new InvalidInputError('endpoint must be an https URL', { field: 'endpoint' });
  if (url.username !== '' || url.password !== '') throw new InvalidInputError('endpoint must not hold credentials', { field: 'endpoint' });
  if (!hostAllowed(url, allowed))
    throw new ForbiddenError(`push service ${url.host} is not one this server sends to`, 'PUSH_SERVICE_NOT_ALLOWED');
  return url;
}

/** An uncompressed P-256 point (0x04 ‖ x ‖ y) that lies on the curve. */
function isP256Point(text: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return false;
  const raw = Buffer.from(text, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) return false;
  try {
    createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    return true;
  } catch {
    return false;
  }
}

export interface PushMessage {
  title: string;
  body: string;
  /** Path in the web app to open on click. */
  url: string;
  /** Replaces an earlier push with the same tag on the device. */
  tag: string;
  /** How long the push service keeps it for an offline device (24 h unless said). */
  ttlSeconds?: number;
  /** `high` wakes a sleeping device at once (a ringing call); `normal` unless said. */
  urgency?: 'normal' | 'high';
}

export class PushSender {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #config: WebPushConfig;
  readonly #keys: VapidKeys;

  constructor(db: Database, log: Logger, config: WebPushConfig, keys: VapidKeys) {
    this.#db = db;
    this.#log = log;
    this.#config = config;
    this.#keys = keys;
  }

  get publicKey(): string {
    return this.#keys.publicKey;
  }

  async subscribe(userId: string, subscription: { endpoint: string; keys: { p256dh: string; auth: string } }, userAgent?: string) {
    checkEndpoint(subscription.endpoint, this.#config.allowedHosts);
    const { p256dh, auth } = subscription.keys;
    if (!isP256Point(p256dh)) throw new InvalidInputError('keys.p256dh must be a base64url P-256 public key', { field: 'keys.p256dh' });
    if (!/^[A-Za-z0-9_-]+$/.test(auth) || Buffer.from(auth, 'base64url').length !== 16)
      throw new InvalidInputError('keys.auth must be 16 bytes in base64url', { field: 'keys.auth' });
    const id = Bun.randomUUIDv7();
    const [row] = await this.#db
      .insert(pushSubscriptions)
      .values({ id, userId, endpoint: subscription.endpoint, p256dh, auth, userAgent })
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: { userId, p256dh, auth, userAgent, createdAt: sql`now()` },
      })
      .returning({ id: pushSubscriptions.id });
    return { id: row?.id ?? id };
  }

  async unsubscribe(userId: string, endpoint: string): Promise<void> {
    await this.#db
      .delete(pushSubscriptions)
      .where(sql`${pushSubscriptions.userId} = ${userId} and ${pushSubscriptions.endpoint} = ${endpoint}`);
  }

  /** Sends to every subscription of the user; failures are logged, dead subscriptions removed. */
  async send(userId: string, message: PushMessage): Promise<{ sent: number; failed: number }> {
    const subscriptions = await this.#db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
    let sent = 0;
    let failed = 0;
    await Promise.all(
      subscriptions.map(async (subscription) => {
        try {
          checkEndpoint(subscription.endpoint, this.#config.allowedHosts);
          const details = webpush.generateRequestDetails(
            { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
            JSON.stringify({ title: message.title, body: message.body, url: message.url, tag: message.tag }),
            {
              vapidDetails: { subject: this.#config.subject, publicKey: this.#keys.publicKey, privateKey: this.#keys.privateKey },
              TTL: message.ttlSeconds ?? 24 * 3600,
              topic: message.tag.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32),
              urgency: message.urgency ?? 'normal',
            },
          );
          const response = await fetch(details.endpoint, {
            method: details.method,
            headers: details.headers as Record<string, string>,
            body: new Uint8Array(details.body as Buffer),
            redirect: 'error',
            signal: AbortSignal.timeout(10_000),
          });
          if (response.status === 404 || response.status === 410) {
            await this.#db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, subscription.id));
            failed++;
            return;
          }
          if (!response.ok) throw new Error(`push service answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
          sent++;
        } catch (error) {
          failed++;
          this.#log.warn(
            { err: error, user: userId, subscription: subscription.id },
            `push.send() | failed [user:${userId}] [subscription:${subscription.id}]`,
          );
        }
      }),
    );
    return { sent, failed };
  }
}
