// The gateway's one timer for every call's timeout.
import { describe, expect, test } from 'vitest';
import { type Deadline, Deadlines } from './deadlines.ts';

interface Call extends Deadline {
  name: string;
}

function track() {
  const expired: string[] = [];
  const deadlines = new Deadlines<Call>((call) => expired.push(call.name));
  const add = (name: string, inMs: number) => {
    const call: Call = { name, at: performance.now() + inMs, older: undefined, newer: undefined };
    deadlines.add(call);
    return call;
  };
  return { expired, deadlines, add };
}

describe('deadlines', () => {
  test('deadlines: calls that are still pending expire in the order they were added, finished ones never', async () => {
    const { expired, deadlines, add } = track();
    add('a', 5);
    const b = add('b', 10);
    add('c', 15);
    deadlines.delete(b);
    await Bun.sleep(60);
    expect(expired).toEqual(['a', 'c']);
    expect(deadlines.size).toBe(0);
  });

  test('deadlines: when the oldest call finished, the timer waits for the next one and expires it', async () => {
    const { expired, deadlines, add } = track();
    const first = add('first', 5);
    add('second', 40);
    deadlines.delete(first);
    await Bun.sleep(90);
    expect(expired).toEqual(['second']);
  });

  test('deadlines: a call added after the set emptied gets a timer again', async () => {
    const { expired, add } = track();
    add('one', 5);
    await Bun.sleep(30);
    add('two', 5);
    await Bun.sleep(30);
    expect(expired).toEqual(['one', 'two']);
  });

  test('deadlines: deleting the newest, the oldest, or one twice leaves the others pending and counted', async () => {
    const { expired, deadlines, add } = track();
    const a = add('a', 5);
    add('b', 10);
    const c = add('c', 15);
    deadlines.delete(c);
    deadlines.delete(c);
    deadlines.delete(a);
    expect(deadlines.size).toBe(1);
    add('d', 20);
    await Bun.sleep(80);
    expect(expired).toEqual(['b', 'd']);
    expect(deadlines.size).toBe(0);
  });

  test('deadlines: clear drops every pending call without expiring it; calls added afterwards expire alone', async () => {
    const { expired, deadlines, add } = track();
    add('a', 5);
    add('b', 5);
    deadlines.clear();
    expect(deadlines.size).toBe(0);
    add('c', 10);
    expect(deadlines.size).toBe(1);
    await Bun.sleep(60);
    expect(expired).toEqual(['c']);
  });
});
