// The TypeScript client of the protocol, for browsers and Bun: one WebSocket, typed calls,
// topics that resume from their last seq after every reconnect, reconnection with exponential
// backoff and jitter, heartbeats, and token refresh on the open socket. Native clients implement
// the same behaviour from PROTOCOL.md.
import type { CallName, CallRequest, CallResponse } from './catalogue.ts';
import { decodeFrame, encodeFrame } from './codec.ts';
import { CLOSE_CODES } from './errors.ts';
import type { FrameOf } from './frames.ts';
import { RETRY_RULES } from './retry.ts';
import { PROTOCOL_VERSION } from './version.ts';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';
export type TopicState = 'closed' | 'joining' | 'joined' | 'errored' | 'leaving';
export type Welcome = FrameOf<'welcome'>;
export type EventFrame = FrameOf<'event'>;
export type SignalFrame = FrameOf<'signal'>;

/** An `error` frame, or a client-side failure: DISCONNECTED (the socket dropped before the reply). */
export class ProtocolError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.details = details;
  }
}

/** Close codes after which reconnecting cannot help; the client stops. */
const FINAL = new Set<number>([CLOSE_CODES.AUTH_FAILED.code, CLOSE_CODES.SESSION_REVOKED.code, CLOSE_CODES.VERSION_UNSUPPORTED.code]);

export interface ClientOptions {
  /** ws(s)://host/ws */
  url: string;
  /**
   * Asked at every (re)connect: return a valid access token (refresh it first if needed). A
   * rejection is taken as passing (no network yet: tried again with the reconnect backoff) unless
   * the error has `final: true` (the session is gone: the client closes).
   */
  token: () => string | Promise<string>;
  client?: string;
  reconnect?: { initialMs: number; maxMs: number } | false;
  onState?: (state: ConnectionState, detail?: { code: number; reason: string }) => void;
  /** Defaults to the global WebSocket. */
  WebSocket?: typeof WebSocket;
  /**
   * How long a call keeps being repeated after an outcome that a retry can fix (PROTOCOL.md,
   * "Failover and retries"): 15 s by default; false surfaces every error at once.
   */
  repeatWithinMs?: number | false;
}

/** Codes after which the call may not have acted, or did not: a repeat may succeed. */
const UNCERTAIN = new Set(['ACTOR_UNAVAILABLE', 'TIMEOUT', 'DISCONNECTED']);

/**
 * Whether a failed call may be sent again as it was: MAILBOX_FULL did not act; after an uncertain
 * outcome, reads and repeatable calls may, and keyed creates when they carry their `clientId`.
 */
export function mayRepeat(op: string, body: unknown, code: string): boolean {
  if (code === 'MAILBOX_FULL') return true;
  if (!UNCERTAIN.has(code)) return false;
  const rule = Object.hasOwn(RETRY_RULES, op) ? RETRY_RULES[op as CallName] : 'unsafe';
  if (rule === 'read' || rule === 'repeatable') return true;
  return rule === 'key' && typeof (body as { clientId?: unknown } | undefined)?.clientId === 'string';
}

interface Pending {
  resolve(body: unknown): void;
  reject(error: ProtocolError): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface TopicHandle {
  readonly topic: string;
  readonly state: TopicState;
  /** The last event seen: resume starts after it. */
  readonly position: { epoch: string; seq: number } | undefined;
  unsubscribe(): Promise<void>;
}

interface Topic {
  name: string;
  state: TopicState;
  position: { epoch: string; seq: number } | undefined;
  onEvent: (event: EventFrame) => void;
  onReset: ((current: { epoch: string; seq: number }) => void) | undefined;
  onState: ((state: TopicState, error?: ProtocolError) => void) | undefined;
  onSignal: ((signal: SignalFrame) => void) | undefined;
}

/** WebSocket readyState values (the same in browsers, Bun and the ws package). */
const WS_OPEN = 1;
const WS_CLOSING = 2;
const WS_CLOSED = 3;

export class PetAmigosClient {
  #options: ClientOptions;
  #ws: WebSocket | undefined;
  #state: ConnectionState = 'closed';
  #welcome: Welcome | undefined;
  #nextRef = 1;
  #pending = new Map<number, Pending>();
  #topics = new Map<string, Topic>();
  #queue: { send: () => void; reject: (error: ProtocolError) => void }[] = [];
  #attempt = 0;
  #stopped = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #lastHeard = 0;
  #connected: { resolve(welcome: Welcome): void; reject(error: ProtocolError): void } | undefined;

  constructor(options: ClientOptions) {
    this.#options = { reconnect: { initialMs: 250, maxMs: 10_000 }, ...options };
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get welcome(): Welcome | undefined {
    return this.#welcome;
  }

  /** Opens the socket; resolves with the first welcome, rejects if the first attempt is refused. */
  connect(): Promise<Welcome> {
    this.#stopped = false;
    const connected = new Promise<Welcome>((resolve, reject) => {
      this.#connected = { resolve, reject };
    });
    this.#open('connecting');
    return connected;
  }

  close(): void {
    this.#stopped = true;
    this.#ws?.close(1000, 'client closed');
    this.#setState('closed');
  }

  /**
   * A typed call; waits for the socket if it is reconnecting. A failure that a repeat can fix
   * (`mayRepeat`) is repeated after the pause the server asks for, until `repeatWithinMs`.
   */
  async call<N extends CallName>(op: N, body: CallRequest<N>, options: { timeoutMs?: number } = {}): Promise<CallResponse<N>> {
    const within = this.#options.repeatWithinMs ?? 15_000;
    const deadline = Date.now() + (within === false ? 0 : within);
    for (let attempt = 0; ; attempt++) {
      try {
        // A repeat waits for a reconnecting socket only until the deadline.
        return (await this.#request({ type: 'call', op, body }, options.timeoutMs, attempt > 0 ? deadline : undefined)) as CallResponse<N>;
      } catch (error) {
        if (!(error instanceof ProtocolError) || this.#stopped || !mayRepeat(op, body, error.code)) throw error;
        // The server's hint, within sane bounds (a bad one must not make the client spin or stall).
        const hint = error.details?.retryAfterMs;
        const pause = typeof hint === 'number' && Number.isFinite(hint) ? Math.min(Math.max(hint, 10), 30_000) : 250;
        if (Date.now() + pause >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** Sends a fresh access token on the open socket (before the current one expires). */
  async refreshToken(token: string): Promise<void> {
    await this.#request({ type: 'auth', token });
  }

  subscribe(
    topic: string,
    onEvent: (event: EventFrame) => void,
    options: {
      onReset?: Topic['onReset'];
      onState?: Topic['onState'];
      /** Ephemeral signals of the topic (typing, receipts): no seq, never replayed. */
      onSignal?: Topic['onSignal'];
      since?: { epoch: string; seq: number };
    } = {},
  ): TopicHandle {
    const entry: Topic = {
      name: topic,
      state: 'closed',
      position: options.since,
      onEvent,
      onReset: options.onReset,
      onState: options.onState,
      onSignal: options.onSignal,
    };
    this.#topics.set(topic, entry);
    this.#join(entry);
    const client = this;
    return {
      topic,
      get state() {
        return entry.state;
      },
      get position() {
        return entry.position;
      },
      async unsubscribe() {
        client.#topics.delete(topic);
        client.#setTopicState(entry, 'leaving');
        if (client.#state === 'open') await client.#request({ type: 'unsub', topic }).catch(() => undefined);
        client.#setTopicState(entry, 'closed');
      },
    };
  }

  #setState(state: ConnectionState, detail?: { code: number; reason: string }) {
    this.#state = state;
    this.#options.onState?.(state, detail);
  }

  #setTopicState(topic: Topic, state: TopicState, error?: ProtocolError) {
    topic.state = state;
    topic.onState?.(state, error);
  }

  #join(topic: Topic) {
    this.#setTopicState(topic, 'joining');
    const since = topic.position;
    this.#request({ type: 'sub', topic: topic.name, ...(since === undefined ? {} : { since }) }).then(
      (reply) => {
        if (this.#topics.get(topic.name) !== topic) return;
        const position = reply as { epoch: string; seq: number };
        topic.position ??= { epoch: position.epoch, seq: position.seq };
        this.#setTopicState(topic, 'joined');
      },
      (error: ProtocolError) => {
        // A dropped socket rejoins on reconnect; a refusal (FORBIDDEN, UNKNOWN_TOPIC) stays errored.
        if (error.code !== 'DISCONNECTED') this.#setTopicState(topic, 'errored', error);
      },
    );
  }

  /** `sendBy`: a request still waiting for the socket then fails DISCONNECTED instead of waiting on. */
  #request(frame: Record<string, unknown>, timeoutMs?: number, sendBy?: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let expiry: ReturnType<typeof setTimeout> | undefined;
      const send = () => {
        clearTimeout(expiry);
        const ref = this.#nextRef++;
        const limit = timeoutMs ?? (this.#welcome?.limits.callTimeoutMs ?? 10_000) + 5000;
        const timer = setTimeout(() => {
          this.#pending.delete(ref);
          reject(new ProtocolError('TIMEOUT', `no reply within ${limit} ms`));
        }, limit);
        this.#pending.set(ref, { resolve, reject, timer });
        this.#ws?.send(encodeFrame({ ...frame, ref }));
      };
      if (this.#state === 'open') return send();
      const waiting = { send, reject };
      this.#queue.push(waiting);
      if (sendBy !== undefined)
        expiry = setTimeout(
          () => {
            const at = this.#queue.indexOf(waiting);
            if (at < 0) return;
            this.#queue.splice(at, 1);
            reject(new ProtocolError('DISCONNECTED', 'the socket did not come back in time'));
          },
          Math.max(0, sendBy - Date.now()),
        );
    });
  }

  async #open(state: ConnectionState) {
    this.#setState(state);
    // The token (a refresh, on a cold start) and the socket are made at the same time: the hello
    // goes as soon as both are there, a round trip sooner than one after the other.
    const asked: Promise<{ token: string } | { error: unknown }> = Promise.resolve()
      .then(() => this.#options.token())
      .then(
        (token) => ({ token }),
        (error: unknown) => ({ error }),
      );
    const Socket = this.#options.WebSocket ?? WebSocket;
    const ws = new Socket(this.#options.url);
    ws.binaryType = 'arraybuffer';
    this.#ws = ws;
    ws.addEventListener('open', () => {
      void asked.then((got) => {
        if ('token' in got && this.#ws === ws && ws.readyState === WS_OPEN)
          ws.send(
            encodeFrame({ type: 'hello', version: PROTOCOL_VERSION, token: got.token, client: this.#options.client ?? 'petamigos-ts' }),
          );
      });
    });
    ws.addEventListener('message', (event) =>
      this.#onFrame(decodeFrame(new Uint8Array(event.data as ArrayBuffer)) as { type: string } & Record<string, unknown>),
    );
    ws.addEventListener('close', (event) => this.#onClose(ws, event.code, event.reason));
    const got = await asked;
    if ('error' in got && this.#ws === ws) {
      // No token: this socket is dropped. If it had closed already, its close scheduled the next
      // attempt: one retry, not two.
      const closedAlready = ws.readyState === WS_CLOSING || ws.readyState === WS_CLOSED;
      this.#ws = undefined;
      if (!closedAlready) ws.close(1000, 'no token');
      const error = got.error as { message?: string; final?: boolean };
      const refusal = new ProtocolError('AUTH_FAILED', `no token: ${error.message ?? String(got.error)}`);
      if (error.final === true) this.#fail(refusal);
      else if (!closedAlready) this.#retry(refusal, { code: 0, reason: 'no token' });
    }
  }

  #onFrame(frame: { type: string } & Record<string, unknown>) {
    this.#lastHeard = Date.now();
    switch (frame.type) {
      case 'welcome':
        return this.#onWelcome(frame as unknown as Welcome);
      case 'reply':
      case 'error': {
        const pending = this.#pending.get(frame.ref as number);
        if (pending === undefined) return;
        this.#pending.delete(frame.ref as number);
        clearTimeout(pending.timer);
        if (frame.type === 'reply') pending.resolve(frame.body);
        else
          pending.reject(
            new ProtocolError(String(frame.code), String(frame.message), frame.details as Record<string, unknown> | undefined),
          );
        return;
      }
      case 'event': {
        const event = frame as unknown as EventFrame;
        const topic = this.#topics.get(event.topic);
        if (topic === undefined) return;
        // Already seen (a replay overlapping what arrived live): skip.
        if (topic.position !== undefined && topic.position.epoch === event.epoch && event.seq <= topic.position.seq) return;
        topic.position = { epoch: event.epoch, seq: event.seq };
        topic.onEvent(event);
        return;
      }
      case 'signal': {
        const signal = frame as unknown as SignalFrame;
        this.#topics.get(signal.topic)?.onSignal?.(signal);
        return;
      }
      case 'reset': {
        const topic = this.#topics.get(frame.topic as string);
        if (topic === undefined) return;
        topic.position = { epoch: frame.epoch as string, seq: frame.seq as number };
        topic.onReset?.(topic.position);
        return;
      }
      case 'revoked': {
        // The server ended the subscription (the topic's user no longer lets us see it): it is
        // not rejoined after a reconnect.
        const topic = this.#topics.get(frame.topic as string);
        if (topic === undefined) return;
        this.#topics.delete(topic.name);
        this.#setTopicState(topic, 'errored', new ProtocolError(String(frame.code), `the server ended the subscription to ${topic.name}`));
        return;
      }
      default:
        return;
    }
  }

  #onWelcome(welcome: Welcome) {
    this.#welcome = welcome;
    this.#attempt = 0;
    this.#setState('open');
    this.#connected?.resolve(welcome);
    this.#connected = undefined;
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => {
      if (Date.now() - this.#lastHeard > welcome.heartbeatMs * 2) {
        this.#ws?.close(4000, 'no answer to heartbeats');
        return;
      }
      this.#ws?.send(encodeFrame({ type: 'ping', ts: Date.now() }));
    }, welcome.heartbeatMs);
    for (const topic of this.#topics.values()) this.#join(topic);
    const queued = this.#queue;
    this.#queue = [];
    for (const request of queued) request.send();
  }

  #onClose(ws: WebSocket, code: number, reason: string) {
    if (this.#ws !== ws) return;
    clearInterval(this.#heartbeat);
    for (const [ref, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new ProtocolError('DISCONNECTED', 'the socket closed before the reply; the call may or may not have taken effect'));
      this.#pending.delete(ref);
    }
    if (FINAL.has(code)) {
      this.#fail(new ProtocolError('CLOSED', `closed with ${code} ${reason}`, { code, reason }), { code, reason });
      return;
    }
    this.#retry(new ProtocolError('CLOSED', `closed with ${code} ${reason}`, { code, reason }), { code, reason });
  }

  /** Connects again after a backoff, or gives up with `error` when stopped or told not to reconnect. */
  #retry(error: ProtocolError, detail: { code: number; reason: string }) {
    const reconnect = this.#options.reconnect;
    if (this.#stopped || reconnect === false) {
      this.#fail(error, detail);
      return;
    }
    this.#setState('reconnecting', detail);
    const delay = Math.min(reconnect?.maxMs ?? 10_000, (reconnect?.initialMs ?? 250) * 2 ** this.#attempt++);
    setTimeout(
      () => {
        if (!this.#stopped) void this.#open('reconnecting');
      },
      delay * (0.5 + Math.random() / 2),
    );
  }

  #fail(error: ProtocolError, detail?: { code: number; reason: string }) {
    this.#stopped = true;
    this.#setState('closed', detail);
    this.#connected?.reject(error);
    this.#connected = undefined;
    // Requests waiting for a socket that will not come.
    for (const request of this.#queue.splice(0)) request.reject(error);
  }
}
