// Opening a connection asks for the token while the socket connects. A token that fails after its
// socket has already closed (and that close has scheduled the next attempt) must not schedule a
// second one; a hello is never sent on a socket that is not open.
import { afterEach, expect, test, vi } from 'vitest';
import { PetAmigosClient } from './client.ts';

afterEach(() => {
  vi.useRealTimers();
});

class FakeSocket extends EventTarget {
  static made: FakeSocket[] = [];
  readyState = 0;
  binaryType = 'blob';
  sent = 0;
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
  }
  send(): void {
    this.sent++;
  }
  close(): void {
    this.readyState = 3;
  }
  /** The network drops it. */
  drop(): void {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code: 1006, reason: '' }));
  }
}

test('client: a token that fails after its socket closed makes one new attempt, not two; no hello on a socket that closed', async () => {
  vi.useFakeTimers();
  FakeSocket.made = [];
  const refusals: ((error: Error) => void)[] = [];
  const client = new PetAmigosClient({
    url: 'ws://localhost:1/ws',
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    reconnect: { initialMs: 100, maxMs: 100 },
    token: () => new Promise<string>((_, reject) => refusals.push(reject)),
  });
  void client.connect().catch(() => undefined);
  await vi.advanceTimersByTimeAsync(0);
  expect(FakeSocket.made).toHaveLength(1);
  const first = FakeSocket.made[0] as FakeSocket;
  first.drop();
  refusals[0]?.(new Error('offline'));
  await vi.advanceTimersByTimeAsync(1000);
  // One new attempt (whose token is still pending), not two.
  expect(FakeSocket.made).toHaveLength(2);
  expect(first.sent).toBe(0);
  client.close();
});
