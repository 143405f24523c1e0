// The node's topic router: for each topic that at least one local socket follows, one listener on
// the topic log (one NATS subscription per node, not per socket) hands each event's bytes, as
// encoded once by the publisher, to Bun's native topic publish. It also keeps the last frames of
// each followed topic, so a socket joining while events flow gets every one of them exactly once:
// after the awaited replay, the recent frames are sent and the socket is subscribed in the same
// synchronous step, before any new frame can be handled. Recent frames are kept only while a
// subscription to the topic is under way (a frame that reached the node before it began is
// within what its replay reads): a node following thousands of topics holds no history of them.
// The log's end as a subscription reads it can be ahead of what has reached this node's listener
// (frames a NATS hop away): such a socket follows natively only once those frames are through, so
// it never gets a frame its reply already counts; on a quiet topic nothing is on its way and it
// follows at once.
import { encodeFrame } from '../../protocol/codec.ts';
import type { Logger } from '../platform/log.ts';
import type { Listening, RetainedFrame, TopicLog } from '../platform/topics/index.ts';
import type { Connection } from './connection.ts';

const RECENT_PER_TOPIC = 512;

interface Followed {
  followers: number;
  /** Subscriptions under way (between their start and their native subscribe). */
  joining: number;
  /** Made when a subscription is under way and a frame arrives; dropped once none is. */
  recent: RetainedFrame[] | undefined;
  /**
   * The highest seq this node's listener has handed out (-1 before the first subscription read the
   * log's end): a subscription whose reply names a later seq waits for those frames, still on
   * their way to this node, before it follows the topic natively (see `subscribe`).
   */
  delivered: number;
  /** Sockets that replied and wait for the listener to reach their seq; made when needed. */
  waiting: { connection: Connection; upTo: number; timer: ReturnType<typeof setTimeout> }[] | undefined;
  listening: Listening;
}

/**
 * How long a subscription waits for frames the log had but this node had not received yet when
 * its reply was made. They are normally a NATS hop away (well under a millisecond); past this the
 * socket follows anyway (and drops, as PROTOCOL.md says clients do, a seq it already has).
 */
const IN_FLIGHT_WAIT_MS = 250;

export interface Position {
  epoch: string;
  seq: number;
}

/**
 * What a subscriber may replay of what it missed, decided by the topic's owner: the frames to send
 * (the same seqs, their bodies possibly re-read as they are now), or `reset` when the subscriber
 * may not have some of them (they come from before its access began); the client then re-reads.
 */
export type ReplayReview = (frames: RetainedFrame[]) => Promise<RetainedFrame[] | 'reset'>;

export class TopicRouter {
  readonly #log: TopicLog;
  readonly #logger: Logger;
  readonly #topics = new Map<string, Followed>();
  #publish: (topic: string, bytes: Uint8Array) => void = () => undefined;

  constructor(log: TopicLog, logger: Logger) {
    this.#log = log;
    this.#logger = logger;
  }

  /** Where live frames go: Bun's server.publish, set once the server exists. */
  attach(publish: (topic: string, bytes: Uint8Array) => void): void {
    this.#publish = publish;
  }

  get epoch(): string {
    return this.#log.epoch;
  }

  get followedTopics(): number {
    return this.#topics.size;
  }

  /** Frames kept for subscriptions under way, over all topics (none once nobody is joining). */
  get heldFrames(): number {
    let held = 0;
    for (const followed of this.#topics.values()) held += followed.recent?.length ?? 0;
    return held;
  }

  /** Every followed topic's live frames, one function for all (not a closure per topic). */
  readonly #onFrame = (seq: number, frame: Uint8Array, topic: string) => {
    const entry = this.#topics.get(topic);
    if (entry === undefined) return;
    if (seq !== 0 && entry.joining > 0) {
      entry.recent ??= [];
      entry.recent.push({ seq, frame });
      if (entry.recent.length > RECENT_PER_TOPIC) entry.recent.splice(0, entry.recent.length - RECENT_PER_TOPIC);
    }
    this.#publish(topic, frame);
    if (seq > entry.delivered) entry.delivered = seq;
    // Sockets whose reply named this seq follow from the next one on.
    if (entry.waiting !== undefined) this.#release(topic, entry, (waiter) => waiter.upTo <= seq);
  };

  /** Lets the waiting sockets that `ready` picks follow the topic natively. */
  #release(topic: string, entry: Followed, ready: (waiter: NonNullable<Followed['waiting']>[number]) => boolean): void {
    const waiting = entry.waiting ?? [];
    const still = waiting.filter((waiter) => !ready(waiter));
    for (const waiter of waiting) {
      if (still.includes(waiter)) continue;
      clearTimeout(waiter.timer);
      if (waiter.connection.open && waiter.connection.follows(topic)) waiter.connection.ws?.subscribe(topic);
    }
    entry.waiting = still.length === 0 ? undefined : still;
  }

  #follow(topic: string): Followed {
    let followed = this.#topics.get(topic);
    if (followed === undefined) {
      followed = {
        followers: 0,
        joining: 0,
        recent: undefined,
        delivered: -1,
        waiting: undefined,
        listening: this.#log.listen(topic, this.#onFrame),
      };
      this.#topics.set(topic, followed);
    }
    followed.followers++;
    return followed;
  }

  #unfollow(topic: string): void {
    const followed = this.#topics.get(topic);
    if (followed === undefined) return;
    if (--followed.followers <= 0) {
      for (const waiter of followed.waiting ?? []) clearTimeout(waiter.timer);
      followed.listening.unsubscribe();
      this.#topics.delete(topic);
    }
  }

  /**
   * Subscribes a connection. Without `since`, from now on. With `since` of the current epoch,
   * the missed events are sent first, in order; when they are no longer retained, or the epoch
   * changed, a reset frame says so. Returns the position the client is at once the reply is sent.
   */
  async subscribe(
    connection: Connection,
    topic: string,
    since: Position | undefined,
    reply: (position: Position) => void,
    review?: ReplayReview,
  ): Promise<void> {
    const followed = this.#follow(topic);
    followed.joining++;
    connection.follow(topic);
    try {
      let replay: RetainedFrame[] = [];
      let reset = false;
      let upTo: number;
      if (since === undefined) {
        upTo = await this.#log.last(topic);
      } else if (since.epoch !== this.#log.epoch) {
        reset = true;
        upTo = await this.#log.last(topic);
      } else {
        const missed = await this.#log.since(topic, since.seq);
        if (missed === 'gap' || since.seq > missed.last) {
          reset = true;
          upTo = await this.#log.last(topic);
        } else {
          upTo = missed.last;
          const reviewed = review === undefined || missed.frames.length === 0 ? missed.frames : await review(missed.frames);
          if (reviewed === 'reset') reset = true;
          else replay = reviewed;
        }
      }
      // From here to ws.subscribe nothing awaits: no live frame can slip between.
      if (!connection.open || !connection.follows(topic)) return;
      const recent = followed.recent ?? [];
      const recentOldest = recent[0]?.seq;
      if (recentOldest !== undefined && recentOldest > upTo + 1 && recent.length >= RECENT_PER_TOPIC) {
        // More arrived during the replay than the recent buffer holds: the client reloads and
        // continues from the oldest frame still at hand.
        reset = true;
        replay = [];
        upTo = recentOldest - 1;
      }
      const tail = recent.filter((entry) => entry.seq > upTo);
      const position = { epoch: this.#log.epoch, seq: upTo };
      reply(position);
      if (reset) connection.sendBytes(encodeFrame({ type: 'reset', topic, epoch: this.#log.epoch, seq: upTo }));
      for (const entry of replay) connection.sendBytes(entry.frame);
      for (const entry of tail) connection.sendBytes(entry.frame);
      // The log's end as read may be ahead of what reached this node's listener: those frames are
      // on their way and would reach this socket too, though its reply already counts them. It
      // follows once they are through. A listener that just started delivers from its start on.
      if (followed.delivered < 0) followed.delivered = upTo;
      if (followed.delivered >= upTo) connection.ws?.subscribe(topic);
      else {
        const waiter = {
          connection,
          upTo,
          timer: setTimeout(() => this.#release(topic, followed, (w) => w === waiter), IN_FLIGHT_WAIT_MS),
        };
        followed.waiting ??= [];
        followed.waiting.push(waiter);
      }
    } catch (error) {
      connection.unfollow(topic);
      this.#unfollow(topic);
      this.#logger.error({ err: error, topic }, `gateway.subscribe() | failed [topic:${topic}] [socket:${connection.socketId}]`);
      throw error;
    } finally {
      if (--followed.joining === 0) followed.recent = undefined;
    }
  }

  unsubscribe(connection: Connection, topic: string): void {
    if (!connection.unfollow(topic)) return;
    connection.ws?.unsubscribe(topic);
    this.#unfollow(topic);
  }

  /** Forgets every topic of a closed connection. */
  release(connection: Connection): void {
    for (const topic of connection.unfollowAll()) this.#unfollow(topic);
  }

  close(): void {
    for (const followed of this.#topics.values()) {
      for (const waiter of followed.waiting ?? []) clearTimeout(waiter.timer);
      followed.listening.unsubscribe();
    }
    this.#topics.clear();
  }
}
