// The bus on a NATS server. JetStream must be enabled on it: the actor runtime keeps ownership
// leases in JetStream KV and the media jobs travel on JetStream streams, so a node refuses to
// start (and /health reports down) without it.
import { connect, ErrorCode, type Msg, type NatsConnection, type NatsError } from 'nats';
import { BusNoRespondersError, BusTimeoutError, ConfigError, DependencyError } from '../../errors.ts';
import type { Logger } from '../log.ts';
import { assertSubject, type Bus, type BusMessage, DEFAULT_REQUEST_TIMEOUT_MS } from './index.ts';

/** A NATS message seen through the Bus interface. nats.js decodes subjects lazily, so the
 * getters pass that on instead of decoding every message's subjects up front. */
class NatsBusMessage implements BusMessage {
  readonly #msg: Msg;
  constructor(msg: Msg) {
    this.#msg = msg;
  }
  get subject(): string {
    return this.#msg.subject;
  }
  get data(): Uint8Array {
    return this.#msg.data;
  }
  get expectsReply(): boolean {
    const reply = this.#msg.reply;
    return reply !== undefined && reply !== '';
  }
  respond(data: Uint8Array): void {
    this.#msg.respond(data);
  }
}

/** What LightSubscription needs of nats.js's protocol handler (NatsConnectionImpl.protocol). */
interface NatsProtocol {
  subscribe(subscription: LightSubscription): void;
  unsubscribe(subscription: LightSubscription, max?: number): void;
  unsub(subscription: LightSubscription, max?: number): void;
  subscriptions: { cancel(subscription: LightSubscription): void };
}

/**
 * A subscription as nats.js's protocol handler keeps it, without nc.subscribe()'s
 * SubscriptionImpl: that object makes three promises and eight closures for every subscription
 * (about 1.3 KB), and a node holds one per topic its sockets follow, three per idle socket at
 * least (user, feed, presence): 40% of a socket's heap (bench/sockets.ts). This one is the
 * fields the handler reads (sid, subject, queue, received, max) and the calls it makes
 * (callback, close, drain, unsubscribe); a subclass handles messages in `callback`, a method, so
 * a subscription is one object and no closure. start() registers it through the handler's own
 * subscribe(), which sends SUB, keeps it for resubscribing after a reconnect, and delivers to
 * its callback; unsubscribe() goes through the handler's unsubscribe(). These are nats.js 2.x
 * internals, pinned in package-lock.json; the bus tests (delivery, queue groups, unsubscribe, a
 * reconnect) fail if an upgrade changes them.
 */
export abstract class LightSubscription {
  sid = 0;
  received = 0;
  max: number | undefined = undefined;
  draining = false;
  #closed = false;
  readonly #protocol: NatsProtocol;
  readonly queue: string | undefined;

  constructor(nc: NatsConnection, queue?: string) {
    if (nc.isClosed()) throw new DependencyError('bus', 'connection closed');
    this.#protocol = (nc as unknown as { protocol: NatsProtocol }).protocol;
    this.queue = queue;
  }

  /** The subject subscribed to: read when subscribing, again after a reconnect. */
  abstract get subject(): string;

  /** A message, or an error of the subscription (a permission refused). */
  abstract callback(error: NatsError | null, msg: Msg): void;

  /** Subscribes (SUB on the server); called once the subclass is constructed. */
  start(): this {
    this.#protocol.subscribe(this);
    return this;
  }

  /** The handler's close of the subscription (unsubscribed, connection closed). */
  close(): void {
    this.#closed = true;
  }

  isClosed(): boolean {
    return this.#closed;
  }

  unsubscribe(max?: number): void {
    if (!this.#closed) this.#protocol.unsubscribe(this, max);
  }

  /** The connection drains (a clean stop): no more messages for this one. */
  drain(): Promise<void> {
    this.draining = true;
    this.#protocol.unsub(this);
    this.#protocol.subscriptions.cancel(this);
    return Promise.resolve();
  }
}

/** A light subscription that hands each message to a function (the bus's subscribers: a few per node). */
class HandlerSubscription extends LightSubscription {
  readonly #subject: string;
  readonly #handler: (error: NatsError | null, msg: Msg) => void;

  constructor(nc: NatsConnection, subject: string, handler: (error: NatsError | null, msg: Msg) => void, queue?: string) {
    super(nc, queue);
    this.#subject = subject;
    this.#handler = handler;
  }

  get subject(): string {
    return this.#subject;
  }

  callback(error: NatsError | null, msg: Msg): void {
    this.#handler(error, msg);
  }
}

/**
 * NATS_URL as connect() options. nats.js ignores credentials written in a server URL, so they
 * are taken out here: nats://user:password@host:4222 (user and password) or nats://token@host
 * (a token). Every server of the list must carry the same credentials; `redacted` is safe to log.
 */
export function natsServers(raw: string): { servers: string[]; redacted: string[]; user?: string; pass?: string; token?: string } {
  const urls = raw.split(',').map((server) => new URL(server.trim()));
  const credentials = new Set(urls.map((url) => `${url.username}:${url.password}`));
  if (credentials.size > 1) throw new ConfigError('NATS_URL: every server must carry the same credentials', { variable: 'NATS_URL' });
  const [first] = urls as [URL];
  const user = decodeURIComponent(first.username);
  const pass = decodeURIComponent(first.password);
  const bare = urls.map((url) => `${url.protocol}//${url.host}`);
  const auth = user === '' ? {} : pass === '' ? { token: user } : { user, pass };
  const redacted = urls.map((url) => (url.username === '' ? `${url.protocol}//${url.host}` : `${url.protocol}//***@${url.host}`));
  return { servers: bare, redacted, ...auth };
}

export async function connectNatsBus(options: { servers: string; name: string; log: Logger }): Promise<Bus> {
  const { servers: bare, redacted, ...auth } = natsServers(options.servers);
  const servers = redacted;
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: bare,
      ...auth,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 5000,
      // nats.js otherwise builds an Error (a stack trace) for every request, JetStream publish and
      // subscription, to name where a later timeout began: a cost on every ask and topic publish.
      noAsyncTraces: true,
    });
  } catch (cause) {
    throw new DependencyError('bus', `cannot reach NATS at ${servers.join(', ')}: ${(cause as Error).message}`, { cause });
  }
  const notAvailable = (cause: unknown) =>
    new DependencyError('bus', `JetStream is not available on ${servers.join(', ')}: ${(cause as Error).message}`, { cause });
  const jsm = await nc.jetstreamManager().catch(async (cause: unknown) => {
    await nc.close();
    throw notAvailable(cause);
  });
  const jetStreamReady = async () => {
    await jsm.getAccountInfo().catch((cause: unknown) => {
      throw notAvailable(cause);
    });
  };
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'pingTimer') continue;
      const level = status.type === 'disconnect' || status.type === 'error' ? 'warn' : 'info';
      options.log[level]({ bus: status.type, data: String(status.data) }, `bus.status() | ${status.type} [server:${String(status.data)}]`);
    }
  })();

  return {
    kind: 'nats',
    location: servers.join(','),
    natsConnection: nc,
    publish(subject, data) {
      assertSubject(subject, false);
      nc.publish(subject, data);
    },
    subscribe(subject, handler, subscribeOptions) {
      assertSubject(subject, true);
      return new HandlerSubscription(
        nc,
        subject,
        (error, msg) => {
          if (error) {
            options.log.error({ err: error, subject }, `bus.subscribe() | subscription failed [subject:${subject}]`);
            return;
          }
          handler(new NatsBusMessage(msg));
        },
        subscribeOptions?.queue,
      ).start();
    },
    async request(subject, data, requestOptions) {
      assertSubject(subject, false);
      const timeoutMs = requestOptions?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      try {
        const reply = await nc.request(subject, data, { timeout: timeoutMs });
        return reply.data;
      } catch (error) {
        const code = (error as NatsError).code;
        if (code === ErrorCode.NoResponders) throw new BusNoRespondersError(subject);
        if (code === ErrorCode.Timeout) throw new BusTimeoutError(subject, timeoutMs);
        throw error;
      }
    },
    flush: () => nc.flush(),
    async ping() {
      if (nc.isClosed()) throw new DependencyError('bus', 'connection closed');
      await nc.flush();
      await jetStreamReady();
    },
    async close() {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}
