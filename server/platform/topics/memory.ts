// The topic log in process memory (embedded mode): the same contract, lost at restart, which the
// new epoch announces to clients.
import { randomBytes } from 'node:crypto';
import { encodeFrame } from '../../../protocol/codec.ts';
import type { FrameListener, RetainedFrame, TopicLog } from './index.ts';

interface TopicState {
  last: number;
  frames: RetainedFrame[];
  listeners: Set<FrameListener>;
}

/** How long a publish id is remembered (JetStream's default duplicate window). */
const DUPLICATE_WINDOW_MS = 2 * 60_000;

export function createMemoryTopicLog(retained: number): TopicLog {
  const epoch = randomBytes(8).toString('hex');
  const topics = new Map<string, TopicState>();
  const published = new Map<string, number>();
  const stateOf = (topic: string): TopicState => {
    let state = topics.get(topic);
    if (state === undefined) {
      state = { last: 0, frames: [], listeners: new Set() };
      topics.set(topic, state);
    }
    return state;
  };
  return {
    kind: 'memory',
    epoch,
    retained,
    // One process holds every topic itself: nothing is cached.
    cachedTopics: 0,
    publish(topic, name, body, options) {
      return this.publishMany(topic, [{ name, body }], options);
    },
    async publishMany(topic, events, options = {}) {
      const state = stateOf(topic);
      if (options.id !== undefined) {
        const now = Date.now();
        for (const [id, at] of published) {
          if (at > now - DUPLICATE_WINDOW_MS) break;
          published.delete(id);
        }
        if (published.has(options.id)) return state.last;
        published.set(options.id, now);
      }
      for (const { name, body } of events) {
        const seq = ++state.last;
        const frame = encodeFrame({ type: 'event', topic, epoch, seq, name, body });
        state.frames.push({ seq, frame });
        for (const listener of state.listeners) queueMicrotask(() => listener(seq, frame, topic));
      }
      if (state.frames.length > retained) state.frames.splice(0, state.frames.length - retained);
      return state.last;
    },
    signal(topic, name, body) {
      const state = topics.get(topic);
      if (state === undefined) return;
      const frame = encodeFrame({ type: 'signal', topic, name, body });
      for (const listener of state.listeners) queueMicrotask(() => listener(0, frame, topic));
    },
    last: async (topic) => topics.get(topic)?.last ?? 0,
    async since(topic, after) {
      const state = topics.get(topic);
      if (state === undefined || after >= state.last) return { frames: [], last: state?.last ?? 0 };
      const first = state.frames[0]?.seq ?? state.last + 1;
      if (first > after + 1) return 'gap';
      return { frames: state.frames.filter((entry) => entry.seq > after), last: state.last };
    },
    listen(topic, onFrame) {
      const state = stateOf(topic);
      state.listeners.add(onFrame);
      return { unsubscribe: () => state.listeners.delete(onFrame) };
    },
    close: async () => topics.clear(),
  };
}
