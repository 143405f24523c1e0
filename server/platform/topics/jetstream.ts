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
import { consumerOpts, headers, type JetStreamManager, type Msg, type NatsConnection, type NatsError, StorageType } from 'nats';
import { encodeFrame, frameSeq } from '../../../protocol/codec.ts';
import { DependencyError } from '../../errors.ts';
import { LightSubscription } from '../bus/nats.ts';
import type { Logger } from '../log.ts';
import type { FrameListener, Listening, RetainedFrame, TopicEvent, TopicLog } from './index.ts';

const SEQ_HEADER = 'Pa-Seq';
const COUNT_HEADER = 'Pa-Count';
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
    for (let attempt = 1; ; attempt++) {
      const last = known.get(topic) ?? (await lastOf(topic));
      const seq = last.seq + events.length;
      const h = headers();
      h.set(SEQ_HEADER, String(seq));
      if (events.length > 1) h.set(COUNT_HEADER, String(events.length));
      const frames = events.map(({ name, body }, i) => encodeFrame({ type: 'event', topic, epoch, seq: last.seq + 1 + i, name, body }));
      try {
        const ack = await js.publish(logSubject(topic), entryData(frames), {
          headers: h,
          expect: { lastSubjectSequence: last.streamSeq },
          ...(publishOptions.id === undefined ? {} : { msgID: publishOptions.id }),
        });
        if (ack.duplicate) {
          known.delete(topic);
          return (await lastOf(topic)).seq;
        }
        remember(topic, { seq, streamSeq: ack.seq });
        return seq;
      } catch (error) {
        known.delete(topic);
        if ((error as NatsError).api_error?.err_code !== WRONG_LAST_SEQUENCE || attempt >= MAX_PUBLISH_ATTEMPTS) throw error;
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
    close: async () => undefined,
  };
}
