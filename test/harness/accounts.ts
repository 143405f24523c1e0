// A node on the real services with a real SMTP mailbox, for the accounts tests, and shortcuts
// for the steps most tests start with (a registered user, a signed-in client).
import { eq } from 'drizzle-orm';
import { users } from '../../server/accounts/schema.ts';
import type { NodeOptions, RunningNode } from '../../server/node.ts';
import { type ApiClient, apiClient } from './api.ts';
import { linkToken, type Mailbox, startMailbox } from './mailbox.ts';
import { startTestNode, testConfig } from './node.ts';
import { createTestDatabase, dropNamespaceStreams, services, type TestDatabase, uniqueName } from './services.ts';

export const PASSWORD = 'Whiskers & Biscuits 2026';

export interface TokenPairBody {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  user: { id: string; email: string; username: string; emailVerified: boolean; role: string; twoFactorEnabled: boolean; language: string };
}

export interface RegisteredUser {
  email: string;
  username: string;
  password: string;
  id: string;
  tokens: TokenPairBody;
  client: ApiClient;
}

export interface AccountsEnv {
  readonly node: RunningNode;
  readonly mailbox: Mailbox;
  readonly database: TestDatabase;
  client(ip?: string): ApiClient;
  register(overrides?: { language?: string; password?: string }): Promise<RegisteredUser>;
  setRole(userId: string, role: 'user' | 'moderator' | 'admin'): Promise<void>;
  /**
   * A second node of the same cluster (database, NATS, Redis, SMTP and the same variables as the
   * first, with `env` on top), stopped by `close()`. It returns once every node of the env has
   * heard from every other, so they all place actors alike.
   */
  peer(nodeId: string, env?: Record<string, string>): Promise<RunningNode>;
  close(): Promise<void>;
}

/** Waits (up to 5 s) until each node counts all of `nodes` among its live hosts. */
async function everyNodeSeesEveryNode(nodes: RunningNode[]): Promise<void> {
  const ids = nodes.map((node) => node.actors.node);
  const deadline = Date.now() + 5000;
  const settled = () => nodes.every((node) => ids.every((id) => node.actors.liveNodes({ hostsOnly: true }).includes(id)));
  while (!settled()) {
    if (Date.now() > deadline) throw new Error(`nodes ${ids.join(', ')} did not all hear from each other within 5 s`);
    await Bun.sleep(50);
  }
}

export function newIdentity(label = 'u') {
  const name = uniqueName(label);
  return { email: `${name}@example.com`, username: name };
}

/** `options` go to the first node (shorter gateway limits, say). */
export async function startAccountsEnv(label: string, env: Record<string, string> = {}, options: NodeOptions = {}): Promise<AccountsEnv> {
  const database = await createTestDatabase(label);
  const mailbox = await startMailbox();
  // Every node of the env (peers too) shares these; each node's outbox worker claims due mail
  // from the shared table, so all send to the same SMTP server.
  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL: services.redisUrl,
    NATS_URL: services.natsUrl,
    SMTP_URL: mailbox.url,
    TRUST_PROXY: '127.0.0.1,::1',
    APP_URL: 'http://app.petamigos.test',
    ...env,
  };
  const config = testConfig(shared);
  const node = await startTestNode(config, options);
  const peers: { node: RunningNode; cleanup: () => void }[] = [];
  const result: AccountsEnv = {
    node,
    mailbox,
    database,
    client: (ip) => apiClient(node.url, ip),
    async register(overrides = {}) {
      const client = apiClient(node.url);
      const identity = newIdentity();
      const password = overrides.password ?? PASSWORD;
      const response = await client.post<TokenPairBody>('/auth/register', { ...identity, password, language: overrides.language ?? 'en' });
      if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
      return { ...identity, password, id: response.body.user.id, tokens: response.body, client };
    },
    async setRole(userId, role) {
      await node.platform.database.db.update(users).set({ role }).where(eq(users.id, userId));
    },
    async peer(nodeId, extra = {}) {
      const peerConfig = testConfig({ ...shared, CLUSTER_NAME: config.clusterName, NODE_ID: nodeId, ...extra });
      const started = await startTestNode(peerConfig);
      peers.push({ node: started, cleanup: peerConfig.cleanup });
      await everyNodeSeesEveryNode([node, ...peers.map((peer) => peer.node)]);
      return started;
    },
    async close() {
      for (const peer of peers.splice(0)) {
        await peer.node.stop();
        peer.cleanup();
      }
      await node.stop();
      await mailbox.close();
      await database.drop();
      await dropNamespaceStreams(config.clusterName);
      config.cleanup();
    },
  };
  return result;
}

/** Verifies the user's address the way they would: with the link of their verification mail. */
export async function verifyEmail(env: AccountsEnv, user: { email: string }): Promise<void> {
  const token = linkToken(await env.mailbox.waitFor(user.email, /Confirm your email|Confirma tu correo/), '/verify-email');
  const verified = await env.client().post('/auth/email/verify', { token });
  if (verified.status !== 200) throw new Error(`verify failed: ${verified.status} ${JSON.stringify(verified.body)}`);
}
