// A local web push service: accepts RFC 8030 pushes on /push/<id>, checks the VAPID signature
// (RFC 8292) against the key the request names, and decrypts the aes128gcm payload (RFC 8291) with
// the subscriber's keys, as a browser's push service and the browser would. Subscriptions are
// created here with real P-256 keys; `gone` ids answer 410 as a service does for an expired one.
import { createECDH, createPublicKey, randomBytes } from 'node:crypto';
import ece from 'http_ece';
import { jwtVerify } from 'jose';

interface ReceivedPush {
  subscription: string;
  payload: Record<string, unknown>;
  vapid: { sub: string; aud: string; publicKey: string };
  ttl: string | null;
  urgency: string | null;
}

export interface PushService {
  readonly url: string;
  readonly received: ReceivedPush[];
  readonly failures: string[];
  /** A subscription as PushSubscription.toJSON() gives it. */
  subscribe(): { endpoint: string; keys: { p256dh: string; auth: string } };
  gone(endpoint: string): void;
  /** Pushes to this subscription wait unanswered until release(). */
  hold(endpoint: string): void;
  release(endpoint: string): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
  close(): void;
}

export function startPushService(): PushService {
  const keys = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: string }>();
  const goneIds = new Set<string>();
  const held = new Map<string, ReturnType<typeof Promise.withResolvers<void>>>();
  const idOf = (endpoint: string) => endpoint.split('/push/')[1] ?? '';
  const received: ReceivedPush[] = [];
  const failures: string[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const id = new URL(request.url).pathname.replace('/push/', '');
      if (goneIds.has(id)) return new Response('gone', { status: 410 });
      await held.get(id)?.promise;
      const subscriber = keys.get(id);
      if (subscriber === undefined) return new Response('unknown', { status: 404 });
      try {
        const match = /^vapid t=([^,]+), k=(.+)$/.exec(request.headers.get('authorization') ?? '');
        if (match === null) throw new Error(`no VAPID authorization: ${request.headers.get('authorization')}`);
        const [, token, publicKey] = match as unknown as [string, string, string];
        const raw = Buffer.from(publicKey, 'base64url');
        const key = createPublicKey({
          key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
          format: 'jwk',
        });
        const { payload: claims } = await jwtVerify(token, key, { algorithms: ['ES256'] });
        if (request.headers.get('content-encoding') !== 'aes128gcm') throw new Error('not aes128gcm');
        const body = Buffer.from(await request.arrayBuffer());
        const clear = ece.decrypt(body, { version: 'aes128gcm', privateKey: subscriber.ecdh, authSecret: subscriber.auth });
        received.push({
          subscription: id,
          payload: JSON.parse(clear.toString('utf8')),
          vapid: { sub: String(claims.sub), aud: String(claims.aud), publicKey },
          ttl: request.headers.get('ttl'),
          urgency: request.headers.get('urgency'),
        });
        return new Response(null, { status: 201 });
      } catch (error) {
        failures.push(String(error));
        return new Response('bad push', { status: 400 });
      }
    },
  });
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    received,
    failures,
    subscribe() {
      const id = randomBytes(8).toString('hex');
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      keys.set(id, { ecdh, auth });
      return { endpoint: `${url}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } };
    },
    gone(endpoint) {
      goneIds.add(idOf(endpoint));
    },
    hold(endpoint) {
      held.set(idOf(endpoint), Promise.withResolvers<void>());
    },
    release(endpoint) {
      held.get(idOf(endpoint))?.resolve();
      held.delete(idOf(endpoint));
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < deadline) await Bun.sleep(20);
      if (received.length < count) throw new Error(`expected ${count} pushes, got ${received.length}; failures: ${failures.join('; ')}`);
      return received;
    },
    close: () => server.stop(true),
  };
}
