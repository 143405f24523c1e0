// The topic router against a topic log whose end, as read, is ahead of what this node's listener
// has received (the frames are still on their way): a socket subscribing then must not get the
// frames its reply already counts, whenever they arrive, and gets every later one once.
import { describe, expect, test } from 'vitest';
import { testLogger } from '../../test/harness/node.ts';
import type { FrameListener, Listening, TopicLog } from '../platform/topics/index.ts';
import { Connection, type SocketLike } from './connection.ts';
import { TopicRouter } from './router.ts';

/** A log whose `last` is set by the test and whose live frames the test hands to the listener. */
function fakeLog() {
  let onFrame: FrameListener | undefined;
  const state = { last: 0 };
  const log = {
    kind: 'memory',
    epoch: 'e1',
    retained: 100,
    cachedTopics: 0,
    last: async () => state.last,
    listen(_topic: string, listener: FrameListener): Listening {
      onFrame = listener;
      return { unsubscribe: () => undefined };
    },
  } as unknown as TopicLog;
  return { log, state, deliver: (seq: number) => onFrame?.(seq, new Uint8Array([seq]), 'system') };
}

/** A socket that receives what Bun's native publish would give it: frames of topics it follows. */
function socketOn(received: number[]) {
  const followed = new Set<string>();
  const ws: SocketLike = {
    send: () => 0,
    subscribe: (topic) => void followed.add(topic),
    unsubscribe: (topic) => void followed.delete(topic),
    close: () => undefined,
    readyState: 1,
  };
  const connection = new Connection(crypto.randomUUID());
  connection.ws = ws;
  return { connection, deliverTo: (topic: string, bytes: Uint8Array) => followed.has(topic) && received.push(bytes[0] as number) };
}

describe('router', () => {
  test('router: frames the reply counts that reach the node after it are not sent to the new socket; later ones are, once', async () => {
    const { log, state, deliver } = fakeLog();
    const router = new TopicRouter(log, testLogger());
    const received: number[] = [];
    const { connection, deliverTo } = socketOn(received);
    router.attach(deliverTo);
    // An earlier socket made the node follow the topic; the listener has frames up to 4.
    const earlier = socketOn([]);
    state.last = 4;
    await router.subscribe(earlier.connection, 'system', undefined, () => undefined);
    for (const seq of [3, 4]) deliver(seq);
    // The log has 5 and 6 already; the node has not received them yet.
    state.last = 6;
    let replied = -1;
    await router.subscribe(connection, 'system', undefined, (position) => {
      replied = position.seq;
    });
    expect(replied).toBe(6);
    for (const seq of [5, 6, 7, 8]) deliver(seq);
    expect(received).toEqual([7, 8]);
  });

  test('router: on a quiet topic the socket follows at once (nothing on its way), and a listener just started delivers from its start', async () => {
    const { log, state, deliver } = fakeLog();
    const router = new TopicRouter(log, testLogger());
    const received: number[] = [];
    const { connection, deliverTo } = socketOn(received);
    router.attach(deliverTo);
    state.last = 41;
    await router.subscribe(connection, 'system', undefined, () => undefined);
    deliver(42);
    expect(received).toEqual([42]);
  });
});
