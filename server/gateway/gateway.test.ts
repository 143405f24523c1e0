// The gateway over real WebSockets, on a node with the real PostgreSQL, Redis and NATS.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame } from '../../protocol/codec.ts';
import { CLOSE_CODES } from '../../protocol/errors.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { connectAs, openSocket, wsUrl } from '../../test/harness/ws.ts';

let env: AccountsEnv;
beforeAll(async () => {
  env = await startAccountsEnv('gateway');
});
afterAll(async () => {
  await env.close();
});

describe('handshake', () => {
  test('gateway: hello with a valid token is answered by a welcome with session, heartbeat, limits and server time', async () => {
    const user = await env.register();
    const { socket, welcome } = await connectAs(env.node.url, user.tokens.accessToken);
    expect(welcome).toMatchObject({
      type: 'welcome',
      version: 1,
      userId: user.id,
      sessionId: user.tokens.sessionId,
      node: env.node.platform.config.nodeId,
    });
    expect(welcome.socketId).toMatch(/^s-[0-9a-f]{12}$/);
    expect(Math.abs((welcome.serverTime as number) - Date.now())).toBeLessThan(5000);
    expect(welcome.heartbeatMs).toBe(25_000);
    expect(welcome.limits).toMatchObject({ maxFrameBytes: 65536, maxInFlight: 32, retainedEventsPerTopic: 1000 });
    expect(welcome.tokenExpiresAt as number).toBeGreaterThan(Date.now() + 14 * 60_000);
    socket.close();
  });

  test.each([
    ['a garbage token', 'not-a-token', 'AUTH_FAILED'],
    ['no hello but a call first', undefined, 'HELLO_REQUIRED'],
  ] as const)('gateway: %s closes the socket with its close code', async (_what, token, reason) => {
    const socket = await openSocket(wsUrl(env.node.url));
    if (token === undefined) socket.send({ type: 'call', ref: 1, op: 'session.get' });
    else socket.send({ type: 'hello', version: 1, token });
    expect((await socket.closed).code).toBe(CLOSE_CODES[reason].code);
  });

  test('gateway: an unsupported version closes with VERSION_UNSUPPORTED', async () => {
    const user = await env.register();
    const socket = await openSocket(wsUrl(env.node.url));
    socket.send({ type: 'hello', version: 99, token: user.tokens.accessToken });
    expect((await socket.closed).code).toBe(CLOSE_CODES.VERSION_UNSUPPORTED.code);
  });

  test('gateway: a token of a signed-out session closes with SESSION_REVOKED', async () => {
    const user = await env.register();
    await user.client.post('/auth/logout', { refreshToken: user.tokens.refreshToken });
    const socket = await openSocket(wsUrl(env.node.url));
    socket.send({ type: 'hello', version: 1, token: user.tokens.accessToken });
    expect((await socket.closed).code).toBe(CLOSE_CODES.SESSION_REVOKED.code);
  });

  test('gateway: signing the session out closes its open sockets with SESSION_REVOKED, other sessions stay', async () => {
    const user = await env.register();
    const other = await env.client().post<{ accessToken: string }>('/auth/login', { login: user.email, password: user.password });
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    const { socket: otherSocket } = await connectAs(env.node.url, other.body.accessToken);
    await user.client.post('/auth/logout', { refreshToken: user.tokens.refreshToken });
    expect((await socket.closed).code).toBe(CLOSE_CODES.SESSION_REVOKED.code);
    expect(otherSocket.isOpen).toBe(true);
    expect((await otherSocket.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
    otherSocket.close();
  });

  test('gateway: a fresh token on the open socket (auth frame) extends it; a token of another user is refused', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    const refreshed = await user.client.post<{ accessToken: string }>('/auth/refresh', { refreshToken: user.tokens.refreshToken });
    const reply = await socket.request({ type: 'auth', token: refreshed.body.accessToken });
    expect(reply.type).toBe('reply');
    expect(Object.keys(reply.body as object)).toEqual(['tokenExpiresAt']);
    expect((reply.body as { tokenExpiresAt: number }).tokenExpiresAt).toBeGreaterThan(Date.now());
    const stranger = await env.register();
    const refused = await socket.request({ type: 'auth', token: stranger.tokens.accessToken });
    expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    const garbage = await socket.request({ type: 'auth', token: 'x.y.z' });
    expect(garbage).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED', details: { reason: 'TOKEN_INVALID' } });
    expect(socket.isOpen).toBe(true);
    socket.close();
  });

  test('gateway: a text frame closes with TEXT_FRAME; a frame over the limit with 1009', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    socket.sendRaw('{"type":"ping"}');
    expect((await socket.closed).code).toBe(CLOSE_CODES.TEXT_FRAME.code);
    const { socket: big } = await connectAs(env.node.url, user.tokens.accessToken);
    big.sendRaw(encodeFrame({ type: 'call', ref: 1, op: 'session.get', body: { pad: 'x'.repeat(70_000) } }));
    expect((await big.closed).code).toBe(1009);
  });

  test('gateway: GET /ws without an upgrade is 426 in the JSON error shape', async () => {
    const response = await fetch(`${env.node.url}/ws`);
    expect(response.status).toBe(426);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UPGRADE_REQUIRED');
  });
});

describe('calls', () => {
  test('calls: session.get replies with the identity of the socket', async () => {
    const user = await env.register();
    const { socket, welcome } = await connectAs(env.node.url, user.tokens.accessToken);
    const reply = await socket.request({ type: 'call', op: 'session.get', body: {} });
    expect(reply).toMatchObject({
      type: 'reply',
      body: { userId: user.id, role: 'user', sessionId: user.tokens.sessionId, socketId: welcome.socketId, topics: [] },
    });
    socket.close();
  });

  test('calls: each failure has its own code and carries the ref', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    expect(await socket.request({ type: 'call', op: 'no.such.call' })).toMatchObject({ type: 'error', code: 'UNKNOWN_CALL' });
    expect(await socket.request({ type: 'call', op: 'system.announce', body: { text: 'hi', level: 'info' } })).toMatchObject({
      type: 'error',
      code: 'FORBIDDEN',
    });
    await env.setRole(user.id, 'admin');
    const refreshed = await user.client.post<{ accessToken: string }>('/auth/refresh', { refreshToken: user.tokens.refreshToken });
    const { socket: admin } = await connectAs(env.node.url, refreshed.body.accessToken);
    expect(await admin.request({ type: 'call', op: 'system.announce', body: { text: 'hi', level: 'loud' } })).toMatchObject({
      type: 'error',
      code: 'INVALID_BODY',
      details: { field: 'level' },
    });
    expect(await admin.request({ type: 'call', op: 'system.announce', body: { level: 'info' } })).toMatchObject({
      code: 'INVALID_BODY',
      details: { field: 'text' },
    });
    const ok = await admin.request({ type: 'call', op: 'system.announce', body: { text: 'Welcome!', level: 'info' } });
    expect(ok.type).toBe('reply');
    expect((ok.body as { seq: number }).seq).toBeGreaterThan(0);
    socket.close();
    admin.close();
  });

  test('calls: a field the schema does not list, at any depth, is INVALID_BODY naming it, and changes nothing', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    const location = { latitude: 19.43, longitude: -99.13, placeName: 'CDMX' };
    for (const [body, field] of [
      [{ bio: 'mine now', role: 'admin' }, 'role'],
      [{ bio: 'mine now', location: { ...location, userId: user.id } }, 'location.userId'],
    ] as const)
      expect(await socket.request({ type: 'call', op: 'profile.update', body })).toMatchObject({
        type: 'error',
        code: 'INVALID_BODY',
        details: { field },
      });
    const profile = await socket.request({ type: 'call', op: 'profile.get', body: { userId: user.id } });
    expect(profile).toMatchObject({ type: 'reply', body: { bio: '' } });
    socket.close();
  });

  test('calls: a ping gets a pong echoing ts, with the server time', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    socket.send({ type: 'ping', ts: 12345 });
    const pong = await socket.next((frame) => frame.type === 'pong');
    expect(pong.ts).toBe(12345);
    expect(typeof pong.serverTime).toBe('number');
    socket.close();
  });

  test('calls: malformed frames get MALFORMED_FRAME or INVALID_FRAME, and five in a row close with PROTOCOL_VIOLATION', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    socket.sendRaw(new Uint8Array([0xc1]));
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'MALFORMED_FRAME' });
    socket.send({ type: 'call', ref: 'seven', op: 'session.get' });
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'INVALID_FRAME', details: { field: 'ref' } });
    socket.send({ type: 'call', ref: 7 });
    expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'INVALID_FRAME', ref: 7, details: { field: 'op' } });
    expect((await socket.request({ type: 'call', op: 'session.get' })).type).toBe('reply');
    for (let i = 0; i < 5; i++) socket.sendRaw(new Uint8Array([0x92, 0x01]));
    expect((await socket.closed).code).toBe(CLOSE_CODES.PROTOCOL_VIOLATION.code);
  });

  test('calls: only malformed and invalid frames in a row count toward PROTOCOL_VIOLATION; a valid frame, even a refused call, starts the count over', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    const malformed = async (times: number) => {
      for (let i = 0; i < times; i++) {
        socket.sendRaw(new Uint8Array([0x92, 0x01]));
        expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'MALFORMED_FRAME' });
      }
    };
    await malformed(4);
    expect(await socket.request({ type: 'call', op: 'presence.set', body: { state: 'asleep' } })).toMatchObject({ code: 'INVALID_BODY' });
    await malformed(4);
    expect(await socket.request({ type: 'call', op: 'no.such.call' })).toMatchObject({ code: 'UNKNOWN_CALL' });
    await malformed(4);
    socket.send({ type: 'ping', ts: 1 });
    expect(await socket.next((f) => f.type === 'pong')).toMatchObject({ ts: 1 });
    socket.sendRaw(new Uint8Array([0xc1]));
    await malformed(3);
    socket.sendRaw(new Uint8Array([0xc1]));
    expect((await socket.closed).code).toBe(CLOSE_CODES.PROTOCOL_VIOLATION.code);
  });

  test('calls: a duplicate ref in flight, too many in flight, and a flood each get their code', async () => {
    const user = await env.register();
    const { socket, welcome } = await connectAs(env.node.url, user.tokens.accessToken);
    const limits = welcome.limits as { callBurst: number };
    for (let i = 0; i < limits.callBurst + 20; i++) socket.send({ type: 'call', ref: 1000 + i, op: 'session.get' });
    const limited = await socket.next((f) => f.type === 'error' && f.code === 'RATE_LIMITED');
    expect((limited.details as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    socket.close();
  });
});

describe('codec', () => {
  test('codec: frames are plain MessagePack maps any library can read', () => {
    const bytes = encodeFrame({ type: 'ping', ts: 1 });
    expect(Buffer.from(bytes).toString('hex')).toBe('82a474797065a470696e67a27473' + '01');
    expect(decodeFrame(bytes)).toEqual({ type: 'ping', ts: 1 });
  });
});
