// The client library against a real node: typed calls, topics, a network drop in the middle
// (through a proxy that cuts every connection), resume without loss or duplicates, token refresh
// on the open socket, and the final close codes that stop reconnecting.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from '../test/harness/accounts.ts';
import { type CuttableProxy, startProxy } from '../test/harness/proxy.ts';
import { wsUrl } from '../test/harness/ws.ts';
import { type ConnectionState, type EventFrame, PetAmigosClient, type ProtocolError } from './client.ts';

let env: AccountsEnv;
let proxy: CuttableProxy;
let admin: PetAmigosClient;
beforeAll(async () => {
  env = await startAccountsEnv('client');
  const url = new URL(env.node.url);
  proxy = await startProxy({ hostname: url.hostname, port: Number(url.port) });
  const user = await env.register();
  await env.setRole(user.id, 'admin');
  const fresh = await user.client.post<{ accessToken: string }>('/auth/refresh', { refreshToken: user.tokens.refreshToken });
  admin = new PetAmigosClient({ url: wsUrl(env.node.url), token: () => fresh.body.accessToken });
  await admin.connect();
});
afterAll(async () => {
  admin.close();
  proxy.close();
  await env.close();
});

function clientFor(user: RegisteredUser, onState?: (state: ConnectionState) => void) {
  return new PetAmigosClient({
    url: wsUrl(proxy.url),
    token: () => user.tokens.accessToken,
    reconnect: { initialMs: 50, maxMs: 500 },
    ...(onState === undefined ? {} : { onState }),
  });
}

describe('client', () => {
  test('client: connects, makes typed calls, and reports errors as ProtocolError with their code', async () => {
    const user = await env.register();
    const client = clientFor(user);
    const welcome = await client.connect();
    expect(welcome.userId).toBe(user.id);
    const me = await client.call('session.get', {});
    expect(me.userId).toBe(user.id);
    const refused = await client.call('system.announce', { text: 'x', level: 'info' }).catch((error: ProtocolError) => error);
    expect(refused).toMatchObject({ name: 'ProtocolError', code: 'FORBIDDEN' });
    client.close();
  });

  test('client: a network drop mid-stream loses nothing and duplicates nothing; topics resume from their last seq', async () => {
    const user = await env.register();
    const states: ConnectionState[] = [];
    const client = clientFor(user, (state) => states.push(state));
    await client.connect();
    const received: EventFrame[] = [];
    const handle = client.subscribe('system', (event) => received.push(event));
    await expect.poll(() => handle.state).toBe('joined');
    for (let i = 0; i < 3; i++) await admin.call('system.announce', { text: `before ${i}`, level: 'info' });
    await expect.poll(() => received.length).toBe(3);
    proxy.cut();
    for (let i = 0; i < 5; i++) await admin.call('system.announce', { text: `during ${i}`, level: 'info' });
    await expect.poll(() => client.state, { timeout: 10_000 }).toBe('open');
    await expect.poll(() => handle.state).toBe('joined');
    await admin.call('system.announce', { text: 'after', level: 'info' });
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(9);
    expect(received.map((event) => (event.body as { text: string }).text)).toEqual([
      'before 0',
      'before 1',
      'before 2',
      'during 0',
      'during 1',
      'during 2',
      'during 3',
      'during 4',
      'after',
    ]);
    const seqs = received.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
    expect(states).toContain('reconnecting');
    client.close();
  });

  test('client: a call made while reconnecting is sent once the socket is back', async () => {
    const user = await env.register();
    let queued: Promise<{ userId: string }> | undefined;
    let client: PetAmigosClient | undefined;
    client = clientFor(user, (state) => {
      // Called as the client notices the drop: the call cannot go out until it reconnects.
      if (state === 'reconnecting' && queued === undefined) queued = client?.call('session.get', {});
    });
    await client.connect();
    proxy.cut();
    await expect.poll(() => queued !== undefined).toBe(true);
    expect((await queued)?.userId).toBe(user.id);
    expect(client.state).toBe('open');
    client.close();
  });

  test('client: refreshToken sends a fresh token on the open socket', async () => {
    const user = await env.register();
    const client = clientFor(user);
    const welcome = await client.connect();
    const fresh = await user.client.post<{ accessToken: string }>('/auth/refresh', { refreshToken: user.tokens.refreshToken });
    await client.refreshToken(fresh.body.accessToken);
    expect(client.state).toBe('open');
    expect(welcome.tokenExpiresAt).toBeGreaterThan(Date.now());
    client.close();
  });

  test('client: a revoked session stops the client instead of reconnecting forever', async () => {
    const user = await env.register();
    const client = clientFor(user);
    await client.connect();
    await user.client.post('/auth/logout', { refreshToken: user.tokens.refreshToken });
    await expect.poll(() => client.state, { timeout: 5000 }).toBe('closed');
    await Bun.sleep(300);
    expect(client.state).toBe('closed');
  });

  test('client: no token yet (no network when the app opens) is tried again with the backoff; a final refusal closes', async () => {
    const user = await env.register();
    let offline = true;
    const states: ConnectionState[] = [];
    const client = new PetAmigosClient({
      url: wsUrl(proxy.url),
      token: () => (offline ? Promise.reject(new TypeError('Failed to fetch')) : user.tokens.accessToken),
      reconnect: { initialMs: 50, maxMs: 200 },
      onState: (state) => states.push(state),
    });
    const connected = client.connect();
    await expect.poll(() => states.filter((state) => state === 'reconnecting').length, { timeout: 5000 }).toBeGreaterThan(1);
    expect(client.state).not.toBe('closed');
    offline = false;
    expect((await connected).userId).toBe(user.id);
    expect(client.state).toBe('open');
    client.close();

    const refused = new PetAmigosClient({
      url: wsUrl(proxy.url),
      token: () => Promise.reject(Object.assign(new Error('session ended'), { final: true })),
      reconnect: { initialMs: 50, maxMs: 200 },
    });
    expect(await refused.connect().catch((error: ProtocolError) => error.code)).toBe('AUTH_FAILED');
    expect(refused.state).toBe('closed');
  });

  test('client: a topic the user may not follow ends errored with the reason', async () => {
    const user = await env.register();
    const other = await env.register();
    const client = clientFor(user);
    await client.connect();
    let failure: ProtocolError | undefined;
    const handle = client.subscribe(`user:${other.id}`, () => undefined, {
      onState: (_state, error) => {
        failure = error ?? failure;
      },
    });
    await expect.poll(() => handle.state).toBe('errored');
    expect(failure?.code).toBe('FORBIDDEN');
    client.close();
  });
});
