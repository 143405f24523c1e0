// A role change reaches open sockets at once, on every node: a demoted admin's next admin call is
// FORBIDDEN without reconnecting, a promoted user's is allowed, session.get shows the new role and
// the user gets account.updated. Changes from PUT /admin/users/:id/role and scripts/set-role.ts
// travel to every node; a change written straight to the database still decides staff calls.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from '../../test/harness/accounts.ts';
import { services } from '../../test/harness/services.ts';
import { connectAs, type RawSocket } from '../../test/harness/ws.ts';
import type { RunningNode } from '../node.ts';

let env: AccountsEnv;
let other: RunningNode;
let admin: RegisteredUser;
const opened: RawSocket[] = [];

beforeAll(async () => {
  env = await startAccountsEnv('roles');
  other = await env.peer('roles-2');
  admin = await env.register();
  await env.setRole(admin.id, 'admin');
}, 60_000);
afterAll(async () => {
  for (const socket of opened) socket.close();
  await env.close();
});

/** A socket of `user` on `node` whose access token says `role`, following the user's own topic. */
async function socketWithRole(node: RunningNode, user: RegisteredUser, role: 'user' | 'admin'): Promise<RawSocket> {
  const token = await node.accounts.keys.sign({ userId: user.id, sessionId: user.tokens.sessionId, role });
  const { socket } = await connectAs(node.url, token);
  opened.push(socket);
  expect((await socket.request({ type: 'sub', topic: `user:${user.id}` })).type).toBe('reply');
  return socket;
}

const announce = (socket: RawSocket) =>
  socket.request({ type: 'call', op: 'system.announce', body: { text: 'Maintenance at 02:00 UTC', level: 'info' } });
const roleOf = async (socket: RawSocket) => ((await socket.request({ type: 'call', op: 'session.get' })).body as { role: string }).role;

const putRole = (userId: string, role: string) =>
  env.client().request('PUT', `/admin/users/${userId}/role`, { token: admin.tokens.accessToken, body: { role } });

describe('role changes', () => {
  test('roles: a demoted admin on another node is refused their next admin call, sees the role and gets account.updated', async () => {
    const target = await env.register();
    await env.setRole(target.id, 'admin');
    const socket = await socketWithRole(other, target, 'admin');
    expect((await announce(socket)).type).toBe('reply');
    expect((await putRole(target.id, 'user')).status).toBe(200);
    const updated = await socket.next((frame) => frame.type === 'event' && frame.name === 'account.updated');
    expect(updated.body).toMatchObject({ user: { id: target.id, role: 'user' } });
    expect(await roleOf(socket)).toBe('user');
    expect(await announce(socket)).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(socket.isOpen).toBe(true);
  });

  test('roles: a promoted user may make admin calls on their open socket at once', async () => {
    const target = await env.register();
    const socket = await socketWithRole(other, target, 'user');
    expect(await announce(socket)).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect((await putRole(target.id, 'admin')).status).toBe(200);
    await socket.next((frame) => frame.type === 'event' && frame.name === 'account.updated');
    expect(await roleOf(socket)).toBe('admin');
    expect((await announce(socket)).type).toBe('reply');
  });

  test('roles: a role changed in the database alone still decides the next staff call', async () => {
    const target = await env.register();
    await env.setRole(target.id, 'admin');
    const socket = await socketWithRole(env.node, target, 'admin');
    expect((await announce(socket)).type).toBe('reply');
    await env.setRole(target.id, 'user');
    expect(await announce(socket)).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
  });

  test('roles: scripts/set-role.ts reaches the open sockets of every node', async () => {
    const target = await env.register();
    const here = await socketWithRole(env.node, target, 'user');
    const there = await socketWithRole(other, target, 'user');
    const run = Bun.spawnSync([process.execPath, 'scripts/set-role.ts', target.username, 'moderator'], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: env.database.url,
        NATS_URL: services.natsUrl,
        CLUSTER_NAME: env.node.platform.config.clusterName,
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    expect(run.stderr.toString()).toBe('');
    expect(run.stdout.toString()).toContain('is now moderator');
    for (const socket of [here, there]) {
      const updated = await socket.next((frame) => frame.type === 'event' && frame.name === 'account.updated');
      expect(updated.body).toMatchObject({ user: { role: 'moderator' } });
      expect(await roleOf(socket)).toBe('moderator');
    }
  });
});
