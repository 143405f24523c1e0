// The gateway's limits with short values, so each one can be reached in a test: hello timeout,
// token expiry, call timeout, calls in flight, internal errors and slow readers.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PetAmigosClient } from '../../protocol/client.ts';
import { encodeFrame } from '../../protocol/codec.ts';
import { CLOSE_CODES } from '../../protocol/errors.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { startTestNode, testConfig } from '../../test/harness/node.ts';
import { startProxy } from '../../test/harness/proxy.ts';
import { services } from '../../test/harness/services.ts';
import { connectAs, openSocket, wsUrl } from '../../test/harness/ws.ts';
import type { RunningNode } from '../node.ts';

let env: AccountsEnv;
let node: RunningNode;
let cleanup: () => void;
let released: () => void = () => undefined;

beforeAll(async () => {
  env = await startAccountsEnv('limits');
  const config = testConfig({
    DATABASE_URL: env.database.url,
    REDIS_URL: services.redisUrl,
    NATS_URL: services.natsUrl,
    CLUSTER_NAME: env.node.platform.config.clusterName,
  });
  cleanup = config.cleanup;
  node = await startTestNode(config, {
    gateway: {
      limits: {
        helloTimeoutMs: 300,
        callTimeoutMs: 300,
        maxInFlight: 2,
        sendBufferBytes: 64 * 1024,
        heartbeatMs: 4000,
        maxRateLimitedInARow: 20,
        callsPerSecond: 5,
        callBurst: 5,
      },
      extraCalls: { 'test.slow': { role: 'user' }, 'test.fail': { role: 'user' }, 'test.hold': { role: 'user' } },
      handlers: {
        'test.slow': () => Bun.sleep(1000).then(() => ({ late: true })),
        'test.fail': async () => {
          throw new Error('database on fire');
        },
        'test.hold': () =>
          new Promise((resolve) => {
            released = () => resolve({ released: true });
          }),
      },
    },
  });
});
afterAll(async () => {
  await node.stop();
  cleanup();
  await env.close();
});

describe('limits', () => {
  test('limits: a socket that never says hello is closed with HANDSHAKE_TIMEOUT', async () => {
    const socket = await openSocket(wsUrl(node.url));
    expect((await socket.closed).code).toBe(CLOSE_CODES.HANDSHAKE_TIMEOUT.code);
  });

  test('limits: a call that takes too long gets TIMEOUT, and nothing after it', async () => {
    const user = await env.register();
    const { socket } = await connectAs(node.url, user.tokens.accessToken);
    const reply = await socket.request({ type: 'call', op: 'test.slow' });
    expect(reply).toMatchObject({ type: 'error', code: 'TIMEOUT' });
    await Bun.sleep(900);
    expect(socket.frames.filter((frame) => frame.ref === reply.ref)).toHaveLength(1);
    socket.close();
  });

  test('limits: an unexpected failure is INTERNAL with an error id', async () => {
    const user = await env.register();
    const { socket } = await connectAs(node.url, user.tokens.accessToken);
    const reply = await socket.request({ type: 'call', op: 'test.fail' });
    expect(reply).toMatchObject({ type: 'error', code: 'INTERNAL', message: 'internal error' });
    expect((reply.details as { errorId: string }).errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(reply)).not.toContain('fire');
    socket.close();
  });

  test('limits: a third call while two wait is TOO_MANY_IN_FLIGHT; a ref still in flight is DUPLICATE_REF', async () => {
    const user = await env.register();
    const { socket } = await connectAs(node.url, user.tokens.accessToken);
    socket.send({ type: 'call', ref: 1, op: 'test.hold' });
    socket.send({ type: 'call', ref: 1, op: 'test.hold' });
    expect(await socket.next((frame) => frame.type === 'error' && frame.ref === 1)).toMatchObject({ code: 'DUPLICATE_REF' });
    socket.send({ type: 'call', ref: 2, op: 'test.slow' });
    socket.send({ type: 'call', ref: 3, op: 'session.get' });
    expect(await socket.next((frame) => frame.ref === 3)).toMatchObject({ type: 'error', code: 'TOO_MANY_IN_FLIGHT' });
    released();
    expect(await socket.next((frame) => frame.ref === 1 && frame.type === 'reply')).toMatchObject({ body: { released: true } });
    socket.close();
  });

  test('limits: an expired access token closes the socket with TOKEN_EXPIRED', async () => {
    const user = await env.register();
    const token = await node.accounts.keys.sign({ userId: user.id, sessionId: user.tokens.sessionId, role: 'user' }, 1);
    const { socket } = await connectAs(node.url, token);
    expect((await socket.closed).code).toBe(CLOSE_CODES.TOKEN_EXPIRED.code);
    const late = await openSocket(wsUrl(node.url));
    late.send({ type: 'hello', version: 1, token });
    expect((await late.closed).code).toBe(CLOSE_CODES.TOKEN_EXPIRED.code);
  });

  test('limits: a request made after the token expired closes the socket with TOKEN_EXPIRED, before any sweep finds it', async () => {
    const config = testConfig({
      DATABASE_URL: env.database.url,
      REDIS_URL: services.redisUrl,
      NATS_URL: services.natsUrl,
      CLUSTER_NAME: env.node.platform.config.clusterName,
    });
    const unswept = await startTestNode(config, { gateway: { limits: { tokenSweepMs: 3_600_000 } } });
    try {
      const user = await env.register();
      const token = await node.accounts.keys.sign({ userId: user.id, sessionId: user.tokens.sessionId, role: 'user' }, 1);
      const { socket, welcome } = await connectAs(unswept.url, token);
      await Bun.sleep(Math.max(0, (welcome.tokenExpiresAt as number) - Date.now() + 50));
      socket.send({ type: 'call', ref: 1, op: 'session.get' });
      expect((await socket.closed).code).toBe(CLOSE_CODES.TOKEN_EXPIRED.code);
      expect(socket.frames.filter((frame) => frame.ref === 1)).toHaveLength(0);
    } finally {
      await unswept.stop();
      config.cleanup();
    }
  });

  test('limits: a socket that does not read is dropped once its send buffer passes the limit; others keep going', async () => {
    const user = await env.register();
    const reader = (await connectAs(node.url, user.tokens.accessToken)).socket;
    await reader.request({ type: 'sub', topic: `user:${user.id}` });
    const before = node.gateway?.sockets ?? 0;
    // A raw TCP client that says hello and subscribes, then stops reading (paused).
    const stalled = net.connect(Number(new URL(node.url).port), '127.0.0.1');
    await new Promise((resolve) => stalled.once('connect', resolve));
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
    stalled.write(
      `GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const masked = (payload: Uint8Array) => {
      const header = payload.length < 126 ? [0x82, 0x80 | payload.length] : [0x82, 0x80 | 126, payload.length >> 8, payload.length & 0xff];
      return new Uint8Array([...header, 0, 0, 0, 0, ...payload]);
    };
    await Bun.sleep(100);
    stalled.write(masked(encodeFrame({ type: 'hello', version: 1, token: user.tokens.accessToken })));
    stalled.write(masked(encodeFrame({ type: 'sub', ref: 1, topic: `user:${user.id}` })));
    await expect.poll(() => node.gateway?.sockets, { timeout: 5000 }).toBe(before + 1);
    stalled.pause();
    const body = { sessionId: 'x'.repeat(32_000) };
    for (let i = 0; i < 1500 && (node.gateway?.sockets ?? 0) > before; i++)
      await node.platform.topics.publish(`user:${user.id}`, 'session.revoked', body);
    await expect.poll(() => node.gateway?.sockets, { timeout: 10_000 }).toBe(before);
    expect(reader.isOpen).toBe(true);
    expect((await reader.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
    stalled.destroy();
    reader.close();
  });

  test('limits: a client that keeps calling after RATE_LIMITED is closed with FLOODING', async () => {
    const user = await env.register();
    const { socket } = await connectAs(node.url, user.tokens.accessToken);
    for (let i = 0; i < 40; i++) socket.send({ type: 'call', ref: 500 + i, op: 'session.get' });
    expect((await socket.closed).code).toBe(CLOSE_CODES.FLOODING.code);
    expect(socket.frames.filter((frame) => frame.code === 'RATE_LIMITED').length).toBeGreaterThan(10);
  });

  test('limits: the server closes a peer that went silent (no frames, no pong) within about two heartbeats', async () => {
    const user = await env.register();
    const url = new URL(node.url);
    const proxy = await startProxy({ hostname: url.hostname, port: Number(url.port) });
    try {
      await connectAs(proxy.url, user.tokens.accessToken);
      await expect.poll(() => node.gateway?.sockets ?? 0).toBeGreaterThan(0);
      const before = node.gateway?.sockets ?? 0;
      proxy.freeze();
      const started = Date.now();
      await expect.poll(() => node.gateway?.sockets, { timeout: 30_000, interval: 250 }).toBe(before - 1);
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      proxy.close();
    }
  }, 40_000);

  test('limits: the client library notices a silent server through its heartbeats and drops the connection', async () => {
    const user = await env.register();
    const url = new URL(node.url);
    const proxy = await startProxy({ hostname: url.hostname, port: Number(url.port) });
    const states: string[] = [];
    const client = new PetAmigosClient({
      url: wsUrl(proxy.url),
      token: () => user.tokens.accessToken,
      reconnect: false,
      onState: (state) => states.push(state),
    });
    try {
      const welcome = await client.connect();
      expect(welcome.heartbeatMs).toBe(4000);
      proxy.freeze();
      await expect.poll(() => client.state, { timeout: 20_000, interval: 250 }).toBe('closed');
    } finally {
      client.close();
      proxy.close();
    }
  }, 30_000);
});
