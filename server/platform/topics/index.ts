// The topic log: every event a client can follow is appended here first, given the next seq of
// its topic (1, 2, 3, … with no gaps), encoded once as the exact frame clients receive, kept for
// resume (the last `retained` per topic), and delivered live to the nodes that listen. JetStream
// holds it in a cluster; process memory in embedded mode.
import type { NatsConnection } from 'nats';
import type { Logger } from '../log.ts';
import { connectJetStreamTopicLog } from './jetstream.ts';
import { createMemoryTopicLog } from './memory.ts';

export interface RetainedFrame {
  seq: number;
  frame: Uint8Array;
}

export type FrameListener = (seq: number, frame: Uint8Array, topic: string) => void;

export interface TopicEvent {
  name: string;
  body: unknown;
}

export interface Listening {
  unsubscribe(): void;
}

export interface TopicLog {
  readonly kind: 'jetstream' | 'memory';
  /** Changes when the log starts over (a new stream, an embedded restart): older seqs mean nothing. */
  readonly epoch: string;
  readonly retained: number;
  /** Topics whose end this node keeps so as to publish without reading it first (bounded). */
  readonly cachedTopics: number;
  /**
   * Appends an event and returns its seq. With `id`, a second publish of the same id within two
   * minutes is dropped (a republish after a crash): it returns the seq of the topic's last event.
   */
  publish(topic: string, name: string, body: unknown, options?: { id?: string }): Promise<number>;
  /**
   * Appends several events of one topic as one entry, one write to the log (a room's group commit):
   * they get consecutive seqs, and the seq of the last is returned. Listeners and replays see each
   * as its own frame. With `id`, a second publish of the same id drops the whole entry. An entry
   * counts as one of the `retained` per topic, so a topic keeps at least that many events.
   */
  publishMany(topic: string, events: readonly TopicEvent[], options?: { id?: string }): Promise<number>;
  /** An ephemeral frame (`signal`) to the topic's live followers: no seq, not retained, not replayed. */
  signal(topic: string, name: string, body: unknown): void;
  /** The last seq of a topic; 0 when it has none. */
  last(topic: string): Promise<number>;
  /**
   * The retained frames after `after`, in order, up to the topic's last seq at the time of the
   * call; `gap` when some of them are no longer retained.
   */
  since(topic: string, after: number): Promise<{ frames: RetainedFrame[]; last: number } | 'gap'>;
  /**
   * Live frames of a topic, in seq order (signals with seq 0, between them), until unsubscribe().
   * Each comes with its topic, so one function can listen to many topics.
   */
  listen(topic: string, onFrame: FrameListener): Listening;
  close(): Promise<void>;
}

const DEFAULT_RETAINED = 1000;

export async function openTopicLog(options: {
  nats: NatsConnection | undefined;
  namespace: string;
  retained?: number;
  log: Logger;
}): Promise<TopicLog> {
  const retained = options.retained ?? DEFAULT_RETAINED;
  if (options.nats === undefined) return createMemoryTopicLog(retained);
  return connectJetStreamTopicLog({ nc: options.nats, namespace: options.namespace, retained, log: options.log });
}
