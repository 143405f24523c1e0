// The topic log on JetStream. One stream holds every topic (subject <ns>.topiclog.<topic>),
// keeping the last `retained` messages of each. Publishers serialize per topic with JetStream's
// expected-last-subject-sequence check: a publisher reads the topic's last message, encodes the
// next seq, and publishes expecting that message to still be the last; if another publisher got
// there first, it retries. The stream republishes each stored message to <ns>.topic.<topic>, so
// nodes listening there see only stored events, in stream order, one NATS message per node.
// An entry usually holds one event, its frame as clients receive it. One written by publishMany
// (a room's group commit) holds several: the data is each frame after its length (4 bytes,
// big-endian), which listeners and replays split into frames. Readers take each event's seq from
// its frame (protocol/codec.ts `frameSeq`), not from the headers: nats.js parses every header of
// a message to read one (~17–21 µs an event on each listening node). Headers Pa-Seq (the seq of
// the entry's last event) and Pa-Count (its events) are still written, for people looking at
// the stream.
import { randomBytes } from 'node:crypto';
import { consumerOpts, type JetStreamManager, type Msg, type NatsConnection, type NatsError, StorageType } from 'nats';
import { encodeFrame, frameSeq } from '../../../protocol/codec.ts';
import { BusTimeoutError, DependencyError } from '../../errors.ts';
import { LightSubscription } from '../bus/nats.ts';
import type { Logger } from '../log.ts';
import type { FrameListener, Listening, RetainedFrame, TopicEvent, TopicLog } from './index.ts';

const SEQ_HEADER = 'Pa-Seq';
const COUNT_HEADER = 'Pa-Count';
const EXPECTED_LAST_HEADER = 'Nats-Expected-Last-Subject-Sequence';
const MSG_ID_HEADER = 'Nats-Msg-Id';
const MAX_PUBLISH_ATTEMPTS = 20;
/** JetStream's API error code for a failed expected-last-subject-sequence check. */
const WRONG_LAST_SEQUENCE = 10071;
const NO_MESSAGE_FOUND = 10037;
/** Topics whose end a node keeps (the most recently published): some 200 bytes each. */
const KNOWN_TOPICS = 10_000;

/** One entry's data: the frame itself, or each frame after its length. */
function entryData(frames: readonly Uint8Array[]): Uint8Array {
  if (frames.length === 1) return frames[0] as Uint8Array;
  let size = 0;
  for (const frame of frames) size += 4 + frame.length;
  const data = new Uint8Array(size);
  const view = new DataView(data.buffer);
  let at = 0;
  for (const frame of frames) {
    view.setUint32(at, frame.length);
    data.set(frame, at + 4);
    at += 4 + frame.length;
  }
  return data;
}

/**
 * The frames of an entry (or of a signal: seq 0), each with its seq. A frame is a MessagePack map,
 * whose first byte is never 0; an entry of several starts with a length, whose first byte is 0
 * (frames are far below 16 MiB).
 */
function entryFrames(data: Uint8Array): RetainedFrame[] {
  if (data[0] !== 0) return [{ seq: frameSeq(data), frame: data }];
  const frames: RetainedFrame[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let at = 0; at + 4 <= data.length; ) {
    const length = view.getUint32(at);
    const frame = data.subarray(at + 4, at + 4 + length);
    frames.push({ seq: frameSeq(frame), frame });
    at += 4 + length;
  }
  return frames;
}

interface Last {
  seq: number;
  streamSeq: number;
}

async function ensureStream(jsm: JetStreamManager, name: string, namespace: string, retained: number): Promise<string> {
  const epoch = randomBytes(8).toString('hex');
  try {
    await jsm.streams.add({
      name,
      description: `epoch=${epoch}`,
      subjects: [`${namespace}.topiclog.>`],
      max_msgs_per_subject: retained,
      storage: StorageType.File,
      republish: { src: `${namespace}.topiclog.>`, dest: `${namespace}.topic.>` },
    });
  } catch (error) {
    // Another node created it first (with its own epoch): use theirs.
    if (!/already in use/i.test((error as Error).message)) throw error;
  }
  const info = await jsm.streams.info(name);
  const found = info.config.description?.match(/^epoch=([0-9a-f]+)$/)?.[1];
  if (found === undefined) throw new DependencyError('bus', `stream ${name} has no epoch in its description`);
  return found;
}

/**
 * A topic's live frames on this node: one object per followed topic, no closure (see
 * LightSubscription); its subject is made when NATS needs it, not kept beside the topic.
 */
class TopicListener extends LightSubscription implements Listening {
  readonly #prefix: string;
  readonly #topic: string;
  readonly #onFrame: FrameListener;
  readonly #log: Logger;

  constructor(nc: NatsConnection, prefix: string, topic: string, onFrame: FrameListener, log: Logger) {
    super(nc);
    this.#prefix = prefix;
    this.#topic = topic;
    this.#onFrame = onFrame;
    this.#log = log;
  }

  get subject(): string {
    return `${this.#prefix}${this.#topic}`;
  }

  callback(error: NatsError | null, message: Msg): void {
    if (error) {
      this.#log.error({ err: error, topic: this.#topic }, `topics.listen() | subscription failed [topic:${this.#topic}]`);
      return;
    }
    // A signal's frame has no seq: 0.
    for (const entry of entryFrames(message.data)) this.#onFrame(entry.seq, entry.frame, this.#topic);
  }
}

/** JetStream refused a publish (its API error), or nothing stored the subject (no stream). */
class PublishRefused extends DependencyError {
  readonly errCode: number;
  constructor(errCode: number, description: string) {
    super('bus', `JetStream refused a publish: ${description} (${errCode})`);
    this.errCode = errCode;
  }
}

interface PendingAck {
  resolve(ack: { seq: number; duplicate: boolean }): void;
  reject(error: Error): void;
  /** performance.now() when sent. */
  at: number;
}

/** How long a publish waits for JetStream's answer (nats.js's default for js.publish). */
const ACK_TIMEOUT_MS = 5_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * JetStream publishes without nats.js's `js.publish`, which for every publish builds a headers
 * object, a request with its own timer and promise, and parses the answer's headers: 33–50 µs of
 * the publishing node's CPU each, against 12–15 µs here (measured with 13 publishes at once to 200
 * subjects, the shape of a busy node's room commits). A publish is a plain HPUB whose headers are
 * written as text (the names and values are ours: no escaping needed) with a reply subject under
 * this node's own inbox; one subscription (a LightSubscription on `<inbox>.*`) takes every answer
 * and settles the publish its last token names; one sweep a second fails those older than
 * ACK_TIMEOUT_MS. The answer is JetStream's PubAck JSON: `{stream, seq, duplicate?}` or
 * `{error: {err_code, description}}`; an empty message with status 503 means no stream took the
 * subject. A closed connection fails what is pending.
 */
class Publisher extends LightSubscription {
  readonly #nc: NatsConnection;
  readonly #inbox = `_INBOX.${randomBytes(11).toString('hex')}`;
  readonly #pending = new Map<number, PendingAck>();
  #next = 0;
  #sweep: ReturnType<typeof setInterval> | undefined;

  constructor(nc: NatsConnection) {
    super(nc);
    this.#nc = nc;
  }

  get subject(): string {
    return `${this.#inbox}.*`;
  }

  /** Publishes `data` on `subject` with the given headers; resolves with JetStream's answer. */
  publish(subject: string, data: Uint8Array, headerLines: string): Promise<{ seq: number; duplicate: boolean }> {
    const id = ++this.#next;
    const encoded = encoder.encode(`NATS/1.0\r\n${headerLines}\r\n`);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, at: performance.now() });
      this.#sweep ??= setInterval(() => this.#expire(), 1_000);
      try {
        (this.#nc as unknown as { protocol: NatsProtocolPublish }).protocol.publish(subject, data, {
          reply: `${this.#inbox}.${id}`,
          headers: { encode: () => encoded },
        });
      } catch (error) {
        this.#pending.delete(id);
        reject(error as Error);
      }
    });
  }

  callback(error: NatsError | null, message: Msg): void {
    if (error) {
      this.#stop(error);
      return;
    }
    const subject = message.subject;
    const id = Number(subject.slice(subject.lastIndexOf('.') + 1));
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    const data = message.data;
    if (data.length === 0) {
      const status = message.headers?.code ?? 0;
      pending.reject(new PublishRefused(status, status === 503 ? 'no stream takes the subject' : `status ${status}`));
      return;
    }
    try {
      const ack = JSON.parse(decoder.decode(data)) as {
        seq?: number;
        duplicate?: boolean;
        error?: { err_code?: number; description?: string };
      };
      if (ack.error !== undefined) pending.reject(new PublishRefused(ack.error.err_code ?? 0, ack.error.description ?? 'error'));
      else pending.resolve({ seq: ack.seq ?? 0, duplicate: ack.duplicate === true });
    } catch (parse) {
      pending.reject(parse as Error);
    }
  }

  override close(): void {
    super.close();
    this.#stop(new DependencyError('bus', 'connection closed'));
  }

  #expire(): void {
    const oldest = performance.now() - ACK_TIMEOUT_MS;
    for (const [id, pending] of this.#pending) {
      if (pending.at > oldest) break; // in order of sending
      this.#pending.delete(id);
      pending.reject(new BusTimeoutError(`${this.#inbox}.${id} (a JetStream publish)`, ACK_TIMEOUT_MS));
    }
    if (this.#pending.size === 0) {
      clearInterval(this.#sweep);
      this.#sweep = undefined;
    }
  }

  #stop(error: Error): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/** What Publisher needs of nats.js's protocol handler: its publish, whose headers need only encode(). */
interface NatsProtocolPublish {
  publish(subject: string, data: Uint8Array, options: { reply: string; headers: { encode(): Uint8Array } }): void;
}

export async function connectJetStreamTopicLog(options: {
  nc: NatsConnection;
  namespace: string;
  retained: number;
  log: Logger;
}): Promise<TopicLog> {
  const { nc, namespace, retained } = options;
  const stream = `${namespace.replace(/[^A-Za-z0-9_-]/g, '_')}_TOPICS`;
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const publisher = new Publisher(nc).start();
  const epoch = await ensureStream(jsm, stream, namespace, retained);
  const logSubject = (topic: string) => `${namespace}.topiclog.${topic}`;
  const livePrefix = `${namespace}.topic.`;

  // Where each topic ended after this node's own last publish: a single writer (a room actor)
  // publishes again without reading first; the expected-last check still catches anyone else.
  const known = new Map<string, Last>();
  const remember = (topic: string, last: Last) => {
    known.delete(topic);
    known.set(topic, last);
    if (known.size > KNOWN_TOPICS) known.delete(known.keys().next().value as string);
  };

  async function lastOf(topic: string): Promise<Last> {
    try {
      const message = await jsm.streams.getMessage(stream, { last_by_subj: logSubject(topic) });
      return { seq: entryFrames(message.data).at(-1)?.seq ?? 0, streamSeq: message.seq };
    } catch (error) {
      if ((error as NatsError).api_error?.err_code === NO_MESSAGE_FOUND) return { seq: 0, streamSeq: 0 };
      throw error;
    }
  }

  async function publishMany(topic: string, events: readonly TopicEvent[], publishOptions: { id?: string } = {}): Promise<number> {
    // Header values are written as text: a line break would end the header early.
    if (publishOptions.id !== undefined && /[\r\n]/.test(publishOptions.id)) throw new TypeError('a publish id holds no line break');
    for (let attempt = 1; ; attempt++) {
      const last = known.get(topic) ?? (await lastOf(topic));
      const seq = last.seq + events.length;
      let lines = `${SEQ_HEADER}: ${seq}\r\n${EXPECTED_LAST_HEADER}: ${last.streamSeq}\r\n`;
      if (events.length > 1) lines += `${COUNT_HEADER}: ${events.length}\r\n`;
      if (publishOptions.id !== undefined) lines += `${MSG_ID_HEADER}: ${publishOptions.id}\r\n`;
      const frames = events.map(({ name, body }, i) => encodeFrame({ type: 'event', topic, epoch, seq: last.seq + 1 + i, name, body }));
      try {
        const ack = await publisher.publish(logSubject(topic), entryData(frames), lines);
        if (ack.duplicate) {
          known.delete(topic);
          return (await lastOf(topic)).seq;
        }
        remember(topic, { seq, streamSeq: ack.seq });
        return seq;
      } catch (error) {
        known.delete(topic);
        if (!(error instanceof PublishRefused) || error.errCode !== WRONG_LAST_SEQUENCE || attempt >= MAX_PUBLISH_ATTEMPTS) throw error;
      }
    }
  }

  return {
    kind: 'jetstream',
    epoch,
    retained,
    get cachedTopics() {
      return known.size;
    },
    publish: (topic, name, body, publishOptions) => publishMany(topic, [{ name, body }], publishOptions),
    publishMany,
    signal(topic, name, body) {
      nc.publish(`${namespace}.topic.${topic}`, encodeFrame({ type: 'signal', topic, name, body }));
    },
    last: async (topic) => (await lastOf(topic)).seq,
    async since(topic, after) {
      const last = await lastOf(topic);
      if (after >= last.seq) return { frames: [], last: last.seq };
      // An ordered push consumer filtered on the topic: it works with nats-server 2.9, whose
      // consumers take one filter subject (the newer pull API sends a list, which 2.9 ignores).
      const options = consumerOpts().orderedConsumer().deliverAll();
      const subscription = await js.subscribe(logSubject(topic), options);
      const frames: RetainedFrame[] = [];
      let first: number | undefined;
      try {
        for await (const message of subscription) {
          const entry = entryFrames(message.data);
          first ??= entry[0]?.seq;
          for (const frame of entry) if (frame.seq > after) frames.push(frame);
          if (message.seq >= last.streamSeq) break;
        }
      } finally {
        subscription.unsubscribe();
      }
      if (first === undefined || first > after + 1) return 'gap';
      return { frames, last: last.seq };
    },
    listen(topic, onFrame) {
      return new TopicListener(nc, livePrefix, topic, onFrame, options.log).start();
    },
    close: async () => publisher.unsubscribe(),
  };
}
