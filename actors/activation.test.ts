// An activation's mailbox with group commit: the messages an actor batches are handed over
// together when they wait behind one another, each sender gets its own result, and order holds.
import { describe, expect, test } from 'vitest';
import { Activation } from './activation.ts';
import { type Actor, type BatchResult, reply } from './types.ts';

type Message = { op: 'write'; n: number } | { op: 'read' };

/** An actor that writes in batches (slowly, so others queue meanwhile) and reads one at a time. */
function batchingActor(max: number) {
  const batches: number[][] = [];
  const handled: string[] = [];
  let inside = false;
  const enter = () => {
    if (inside) throw new Error('two calls at once');
    inside = true;
  };
  const actor: Actor = {
    handle(raw) {
      enter();
      inside = false;
      handled.push(`read after ${batches.length} batches`);
      return reply((raw as Message).op);
    },
    batch: {
      max,
      accepts: (raw) => (raw as Message).op === 'write',
      async handle(raw) {
        enter();
        const writes = raw as Extract<Message, { op: 'write' }>[];
        batches.push(writes.map((write) => write.n));
        await Bun.sleep(20);
        inside = false;
        return writes.map(
          (write): BatchResult => (write.n < 0 ? { error: new Error(`bad ${write.n}`) } : { outcome: reply(write.n * 10) }),
        );
      },
    },
  };
  return { actor, batches, handled };
}

describe('activation batches', () => {
  test('actors: messages that queue behind a batch are handled together; each sender gets its own result', async () => {
    const { actor, batches } = batchingActor(8);
    const activation = new Activation('test:1', actor, 100);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => activation.enqueue({ op: 'write', n: i === 5 ? -5 : i })),
    );
    // The first is alone (nothing waited yet); then batches of at most 8, in order.
    expect(batches).toEqual([[0], [1, 2, 3, 4, -5, 6, 7, 8], [9, 10, 11]]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual([
      { reply: 0 },
      { reply: 10 },
      { reply: 20 },
      { reply: 30 },
      { reply: 40 },
      'bad -5',
      { reply: 60 },
      { reply: 70 },
      { reply: 80 },
      { reply: 90 },
      { reply: 100 },
      { reply: 110 },
    ]);
  });

  test('actors: a message the batch does not take ends the batch, and order is kept', async () => {
    const { actor, batches, handled } = batchingActor(8);
    const activation = new Activation('test:2', actor, 100);
    const sent = [
      activation.enqueue({ op: 'write', n: 1 }),
      activation.enqueue({ op: 'write', n: 2 }),
      activation.enqueue({ op: 'write', n: 3 }),
      activation.enqueue({ op: 'read' }),
      activation.enqueue({ op: 'write', n: 4 }),
    ];
    await Promise.all(sent);
    expect(batches).toEqual([[1], [2, 3], [4]]);
    expect(handled).toEqual(['read after 2 batches']);
  });

  test('actors: a batch that throws fails each of its senders, and the mailbox goes on', async () => {
    const failing: Actor = {
      handle: () => reply('read'),
      batch: {
        max: 4,
        accepts: (raw) => (raw as Message).op === 'write',
        handle: async () => {
          throw new Error('storage down');
        },
      },
    };
    const activation = new Activation('test:3', failing, 100);
    const results = await Promise.allSettled([
      activation.enqueue({ op: 'write', n: 1 }),
      activation.enqueue({ op: 'write', n: 2 }),
      activation.enqueue({ op: 'read' }),
    ]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual([
      'storage down',
      'storage down',
      { reply: 'read' },
    ]);
  });
});

test('activation: a timer set again replaces the waiting one, unless told to keep it', async () => {
  const activation = new Activation('t.1', { handle: () => reply(null) }, 10);
  const fired: unknown[] = [];
  const target = { fired: (message: unknown) => fired.push(message) };
  activation.timer('flush', 300, target, 'first');
  await Bun.sleep(10);
  activation.timer('flush', 300, target, 'kept out', { keep: true });
  await Bun.sleep(500);
  expect(fired).toEqual(['first']);
  activation.timer('flush', 300, target, 'second');
  await Bun.sleep(10);
  activation.timer('flush', 300, target, 'replacing');
  await Bun.sleep(500);
  expect(fired).toEqual(['first', 'replacing']);
});
