// The seeded accounts of the load benchmarks (bench/accounts.ts) are accounts the server accepts
// like registered ones: their access tokens open a socket and call the API, their password signs
// in, and their session is listed and refreshes.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { accessTokens, newJwtKeys, SEEDED_PASSWORD, type SeededAccount, seedAccounts } from '../bench/accounts.ts';
import type { RunningNode } from '../server/node.ts';
import { apiClient } from './harness/api.ts';
import { startTestNode, testConfig } from './harness/node.ts';
import { createTestDatabase, dropNamespaceStreams, services, type TestDatabase } from './harness/services.ts';
import { connectAs } from './harness/ws.ts';

const jwtKeys = newJwtKeys();
let database: TestDatabase;
let config: ReturnType<typeof testConfig>;
let node: RunningNode;
let accounts: SeededAccount[];

beforeAll(async () => {
  database = await createTestDatabase('seeded');
  config = testConfig({
    DATABASE_URL: database.url,
    REDIS_URL: services.redisUrl,
    NATS_URL: services.natsUrl,
    AUTH_JWT_KEYS: jwtKeys,
    TRUST_PROXY: '127.0.0.1,::1',
  });
  node = await startTestNode(config);
  accounts = await seedAccounts(database.url, 3, { prefix: 'seeded_' });
});

afterAll(async () => {
  await node?.stop();
  await database?.drop();
  await dropNamespaceStreams(config.clusterName);
  config.cleanup();
});

test('a seeded account token opens a socket (hello → welcome) and calls the API as that user', async () => {
  const token = accessTokens(jwtKeys);
  for (const account of accounts.slice(0, 2)) {
    const accessToken = await token(account);
    const { socket, welcome } = await connectAs(node.url, accessToken);
    expect(welcome).toMatchObject({ userId: account.id, sessionId: account.sessionId });
    socket.close();
    const me = await apiClient(node.url).get<{ user: { id: string; username: string; email: string; role: string } }>(
      '/auth/me',
      accessToken,
    );
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: account.id, username: account.username, email: account.email, role: 'user' });
    const sessions = await apiClient(node.url).get<{ sessions: { id: string; current: boolean }[] }>('/auth/sessions', accessToken);
    expect(sessions.body.sessions).toEqual([expect.objectContaining({ id: account.sessionId, current: true })]);
  }
});

test('a seeded account signs in with its password, and its session refreshes with its refresh token', async () => {
  const account = accounts[2] as SeededAccount;
  const client = apiClient(node.url);
  const login = await client.post<{ user: { id: string } }>('/auth/login', { login: account.username, password: SEEDED_PASSWORD });
  expect(login.status).toBe(200);
  expect(login.body.user.id).toBe(account.id);
  const refreshed = await client.post<{ sessionId: string }>('/auth/refresh', { refreshToken: account.refreshToken });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.sessionId).toBe(account.sessionId);
});
