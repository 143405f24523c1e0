// Publishing catalogue events from domain code: typed by the catalogue (topic kind, event name,
// body), after the change they announce is committed. A failed publish is logged with context and
// not thrown: the change stands, and clients see it on their next read.
import type { EventBody, EventName, TopicKind } from '../protocol/catalogue.ts';
import type { Logger } from './platform/log.ts';
import type { TopicLog } from './platform/topics/index.ts';

export async function emit<K extends TopicKind, E extends EventName<K>>(
  deps: { topics: TopicLog; log: Logger },
  kind: K,
  param: string,
  name: E,
  body: EventBody<K, E>,
): Promise<void> {
  const topic = `${kind}:${param}`;
  try {
    await deps.topics.publish(topic, name, body);
  } catch (error) {
    deps.log.error({ err: error, topic, event: name }, `events.emit() | not published [topic:${topic}] [event:${name}]`);
  }
}

/** An event of a topic kind, typed by the catalogue. */
export type TopicEventOf<K extends TopicKind> = { [E in EventName<K>]: { name: E; body: EventBody<K, E> } }[EventName<K>];

/** Several events of one topic as one write to the log (consecutive seqs, each its own frame); failures as in emit(). */
export async function emitMany<K extends TopicKind>(
  deps: { topics: TopicLog; log: Logger },
  kind: K,
  param: string,
  events: readonly TopicEventOf<K>[],
): Promise<void> {
  const topic = `${kind}:${param}`;
  try {
    await deps.topics.publishMany(topic, events);
  } catch (error) {
    const names = events.map((event) => event.name).join(',');
    deps.log.error({ err: error, topic, events: names }, `events.emitMany() | not published [topic:${topic}] [events:${names}]`);
  }
}
