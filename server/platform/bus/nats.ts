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
      const subscription = nc.subscribe(subject, {
        ...(subscribeOptions?.queue === undefined ? {} : { queue: subscribeOptions.queue }),
        callback: (error, msg) => {
          if (error) {
            options.log.error({ err: error, subject }, `bus.subscribe() | subscription failed [subject:${subject}]`);
            return;
          }
          const message = new NatsBusMessage(msg);
          handler(message);
        },
      });
      return { unsubscribe: () => subscription.unsubscribe() };
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
