// Limits per user and per address, not only per socket, tried by an attacker with a normal
// account: sockets per user over every node (the newest beyond the limit is closed with
// TOO_MANY_SOCKETS, the older ones stay), calls per user over all their sockets (a token bucket; RATE_LIMITED
// with retryAfterMs), and sockets per address that have not said hello yet (HTTP 429).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLOSE_CODES } from '../../protocol/errors.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { connectAs, type Frame, openSocket, type RawSocket, wsUrl } from '../../test/harness/ws.ts';
import type { RunningNode } from '../node.ts';

let env: AccountsEnv;
let second: RunningNode;
const opened: RawSocket[] = [];

beforeAll(async () => {
  env = await startAccountsEnv('user-limits', {
    WS_SOCKETS_PER_USER: '3',
    WS_USER_CALLS_PER_SECOND: '10',
    WS_PENDING_SOCKETS_PER_ADDRESS: '3',
    // Each socket alone could go far faster: only the user's own limit can stop the attacker.
    WS_CALLS_PER_SECOND: '1000',
    WS_CALL_BURST: '1000',
  });
  second = await env.peer('limits-2');
}, 60_000);
afterAll(async () => {
  for (const socket of opened) socket.close();
  await env.close();
});

async function connect(url: string, token: string): Promise<RawSocket> {
  const { socket } = await connectAs(url, token);
  opened.push(socket);
  return socket;
}

/** Opens a socket and says hello; resolves with the welcome or with the close code. */
async function tryConnect(url: string, token: string): Promise<{ socket: RawSocket; welcomed: boolean; code?: number }> {
  const socket = await openSocket(wsUrl(url));
  opened.push(socket);
  socket.send({ type: 'hello', version: 1, token });
  const outcome = await Promise.race([
    socket.next((frame) => frame.type === 'welcome').then(() => ({ welcomed: true as const })),
    socket.closed.then(({ code }) => ({ welcomed: false as const, code })),
  ]);
  if (!outcome.welcomed) return { socket, welcomed: false, code: outcome.code };
  // A socket beyond the limit on another node is welcomed, then closed once the user's actor counts it.
  return { socket, welcomed: true };
}

/** The close of `socket`, or a failure naming what the socket last got if it stays open `ms`. */
async function closedWithin(socket: RawSocket, ms = 10_000): Promise<{ code: number }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${ms} ms; last frames ${JSON.stringify(socket.frames.slice(-3))}`)), ms);
  });
  return Promise.race([socket.closed, timeout]).finally(() => clearTimeout(timer));
}

/** Sends a raw upgrade request for /ws from `forwardedFor`; returns the status line and the socket. */
async function rawUpgrade(url: string, forwardedFor: string): Promise<{ status: string; socket: net.Socket }> {
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  socket.write(
    `GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nX-Forwarded-For: ${forwardedFor}\r\n\r\n`,
  );
  const head = await new Promise<string>((resolve) => socket.once('data', (data: Buffer) => resolve(data.toString('latin1'))));
  return { status: head.split('\r\n')[0] as string, socket };
}

describe('limits per user and per address', () => {
  test('limits: a user beyond WS_SOCKETS_PER_USER on one node gets TOO_MANY_SOCKETS; the older sockets stay', async () => {
    const attacker = await env.register();
    const first = await Promise.all([1, 2, 3].map(() => connect(env.node.url, attacker.tokens.accessToken)));
    const extra = await tryConnect(env.node.url, attacker.tokens.accessToken);
    expect(extra).toMatchObject({ welcomed: false, code: CLOSE_CODES.TOO_MANY_SOCKETS.code });
    for (const socket of first) expect((await socket.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
    // Closing one frees its place.
    first[0]?.close();
    await first[0]?.closed;
    await expect.poll(async () => (await tryConnect(env.node.url, attacker.tokens.accessToken)).welcomed, { timeout: 5000 }).toBe(true);
  });

  test('limits: the socket limit counts the user over every node: the newest socket beyond it is closed', async () => {
    const attacker = await env.register();
    const older = [
      await connect(env.node.url, attacker.tokens.accessToken),
      await connect(env.node.url, attacker.tokens.accessToken),
      await connect(second.url, attacker.tokens.accessToken),
    ];
    // Its node holds only one other socket of the user, so the refusal comes from the user's actor.
    const extra = await tryConnect(second.url, attacker.tokens.accessToken);
    expect((await closedWithin(extra.socket)).code).toBe(CLOSE_CODES.TOO_MANY_SOCKETS.code);
    for (const socket of older) {
      expect(socket.isOpen).toBe(true);
      expect((await socket.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
    }
  });

  test('limits: sockets opened all at once over two nodes end at the limit, the others closed with TOO_MANY_SOCKETS', async () => {
    const attacker = await env.register();
    const nodes = [env.node, second, env.node, second, env.node];
    const attempts = await Promise.all(nodes.map((node) => tryConnect(node.url, attacker.tokens.accessToken)));
    await expect.poll(() => attempts.filter((attempt) => attempt.socket.isOpen).length, { timeout: 5000 }).toBe(3);
    const closed = attempts.filter((attempt) => !attempt.socket.isOpen);
    expect(await Promise.all(closed.map(async (attempt) => (await closedWithin(attempt.socket)).code))).toEqual([
      CLOSE_CODES.TOO_MANY_SOCKETS.code,
      CLOSE_CODES.TOO_MANY_SOCKETS.code,
    ]);
  });

  test('limits: calls per user are limited over all their sockets with RATE_LIMITED and retryAfterMs; another user is not', async () => {
    const attacker = await env.register();
    const bystander = await env.register();
    const sockets = await Promise.all([1, 2, 3].map(() => connect(env.node.url, attacker.tokens.accessToken)));
    const other = await connect(env.node.url, bystander.tokens.accessToken);
    // 60 calls at once over three sockets: 20 each, far below each socket's own limit.
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (sockets[i % 3] as RawSocket).request({ type: 'call', op: 'session.get' })),
    );
    const elapsedMs = performance.now() - started;
    const limited = answers.filter((frame) => frame.type === 'error' && frame.code === 'RATE_LIMITED');
    // The bucket holds 10 and gains one every 100 ms: no more can pass while the 60 arrive.
    const passed = answers.filter((frame) => frame.type === 'reply').length;
    expect(passed).toBeGreaterThanOrEqual(10);
    expect(passed).toBeLessThanOrEqual(10 + Math.ceil(elapsedMs / 100));
    expect(limited.length).toBe(60 - passed);
    for (const frame of limited) {
      const retryAfterMs = (frame.details as { retryAfterMs: number }).retryAfterMs;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(1000);
    }
    expect((await other.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
    // After the window the attacker may call again.
    const wait = Math.max(...limited.map((frame) => (frame.details as { retryAfterMs: number }).retryAfterMs));
    await Bun.sleep(wait);
    expect((await (sockets[0] as RawSocket).request({ type: 'call', op: 'session.get' })).type).toBe('reply');
  });

  test("limits: calls per user count over every node: once the user's burst is spent on one node, their socket on another is refused too", async () => {
    const attacker = await env.register();
    const [onFirst, onSecond] = await Promise.all([
      connect(env.node.url, attacker.tokens.accessToken),
      connect(second.url, attacker.tokens.accessToken),
    ]);
    // The whole burst of 10 on the first node, at once.
    const started = Date.now();
    const first = await Promise.all(Array.from({ length: 10 }, () => onFirst.request({ type: 'call', op: 'session.get' })));
    expect(first.filter((frame) => frame.type === 'reply').length).toBeGreaterThanOrEqual(9);
    // The first node's reports are in the shared bucket: its expiry is about 1.1 s ahead once the
    // 10 calls are counted (0.2 s after the first alone), and shrinks as time passes. From here on
    // only the second node's own reports are in flight.
    await expect
      .poll(async () => (await env.node.platform.cache.ttlMs(`ws-calls:${attacker.id}`)) ?? 0, { interval: 20 })
      .toBeGreaterThanOrEqual(500);
    // The second node's own bucket still holds 10: only the cluster-wide count can stop these. Each
    // call waits for its answer and a moment, so the report of one is back before the next. What may
    // pass: the call whose report is on its way, one more per 100 ms the bucket refilled since the
    // burst (10 a second), and one report interval's worth; without the shared count all 8 would.
    const answers: Frame[] = [];
    for (let i = 0; i < 8; i++) {
      answers.push(await onSecond.request({ type: 'call', op: 'session.get' }));
      // Room for the second node's report to come back between calls, as between a person's taps.
      await Bun.sleep(25);
    }
    const elapsedMs = Date.now() - started;
    const refused = answers.filter((frame) => frame.type === 'error' && frame.code === 'RATE_LIMITED');
    expect(answers.length - refused.length).toBeLessThanOrEqual(2 + Math.ceil(elapsedMs / 100));
    for (const frame of refused) expect((frame.details as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
  });

  test('limits: sockets that have not said hello are limited per client address; other addresses are not', async () => {
    const attacker = '198.51.100.66';
    const waiting = await Promise.all([1, 2, 3].map(() => rawUpgrade(env.node.url, attacker)));
    for (const { status } of waiting) expect(status).toBe('HTTP/1.1 101 Switching Protocols');
    const refused = await rawUpgrade(env.node.url, attacker);
    expect(refused.status).toBe('HTTP/1.1 429 Too Many Requests');
    refused.socket.destroy();
    const elsewhere = await rawUpgrade(env.node.url, '198.51.100.67');
    expect(elsewhere.status).toBe('HTTP/1.1 101 Switching Protocols');
    // A waiting socket that goes away frees its place.
    waiting[0]?.socket.destroy();
    await expect
      .poll(async () => {
        const again = await rawUpgrade(env.node.url, attacker);
        again.socket.destroy();
        return again.status;
      })
      .toBe('HTTP/1.1 101 Switching Protocols');
    for (const { socket } of [...waiting, elsewhere]) socket.destroy();
  });

  test('limits: the welcome announces the per-user limits', async () => {
    const user = await env.register();
    const { socket, welcome } = await connectAs(env.node.url, user.tokens.accessToken);
    opened.push(socket);
    expect((welcome as Frame & { limits: Record<string, number> }).limits).toMatchObject({ socketsPerUser: 3, userCallsPerSecond: 10 });
  });
});
