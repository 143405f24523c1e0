// Presence through the user actor across nodes: sockets on any node make a user online, idle
// devices make them away, no sockets offline; followers on other nodes see each change; and a
// user actor that moves to another node rebuilds the user's sessions from the gateways.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rendezvous } from '../../actors/system.ts';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend } from '../../test/harness/social.ts';
import { connectAs, type RawSocket } from '../../test/harness/ws.ts';
import type { RunningNode } from '../node.ts';

let env: AccountsEnv;
let nodes: RunningNode[];

beforeAll(async () => {
  env = await startAccountsEnv('presence', { NODE_ID: 'p0' });
  // peer() returns once every node has heard from every other: the test below works out where
  // the user actor lives from the full host list, and so must every node placing it.
  nodes = [env.node, await env.peer('p1'), await env.peer('p2')];
});
afterAll(async () => {
  await env.close();
});

const presenceEvents = (socket: RawSocket) =>
  socket.frames
    .filter((frame) => frame.type === 'event' && frame.name === 'presence.changed')
    .map((frame) => (frame.body as { status: string }).status);
const presenceOf = async (socket: RawSocket, userId: string) =>
  (await socket.request({ type: 'call', op: 'presence.get', body: { userId } })).body as { status: string; devices: number };

async function follower(on: RunningNode, user: RegisteredUser) {
  const watcher = await env.register();
  // Presence is shown to friends only.
  await befriend(on, watcher, user);
  const { socket } = await connectAs(on.url, watcher.tokens.accessToken);
  expect((await socket.request({ type: 'sub', topic: `presence:${user.id}` })).type).toBe('reply');
  return socket;
}

describe('presence', () => {
  test('presence: online with a socket on any node, away when every device is idle, offline when none, seen live from another node', async () => {
    const user = await env.register();
    const watcher = await follower(nodes[2] as RunningNode, user);
    expect((await presenceOf(watcher, user.id)).status).toBe('offline');

    const phone = (await connectAs((nodes[0] as RunningNode).url, user.tokens.accessToken)).socket;
    await expect.poll(() => presenceEvents(watcher), { timeout: 5000 }).toEqual(['online']);
    const laptop = (await connectAs((nodes[1] as RunningNode).url, user.tokens.accessToken)).socket;
    await expect.poll(async () => (await presenceOf(watcher, user.id)).devices, { timeout: 5000 }).toBe(2);

    await phone.request({ type: 'call', op: 'presence.set', body: { state: 'idle' } });
    expect((await presenceOf(watcher, user.id)).status).toBe('online');
    await laptop.request({ type: 'call', op: 'presence.set', body: { state: 'idle' } });
    await expect.poll(() => presenceEvents(watcher), { timeout: 5000 }).toEqual(['online', 'away']);

    phone.close();
    laptop.close();
    await expect.poll(() => presenceEvents(watcher), { timeout: 5000 }).toEqual(['online', 'away', 'offline']);
    watcher.close();
  });

  test('presence: a user actor that moves to another node rebuilds the sessions from the gateways', async () => {
    const user = await env.register();
    const hosts = ['p0', 'p1', 'p2'];
    const home = rendezvous(`user.${user.id}`, hosts) as string;
    const elsewhere = nodes.find((node) => node.actors.node !== home) as RunningNode;
    const { socket } = await connectAs(elsewhere.url, user.tokens.accessToken);
    const watcher = await follower(elsewhere, user);
    await expect.poll(async () => (await presenceOf(watcher, user.id)).status, { timeout: 5000 }).toBe('online');
    const homeNode = nodes.find((node) => node.actors.node === home) as RunningNode;
    expect(homeNode.actors.stats().actors.user ?? 0).toBeGreaterThan(0);

    // The actor's node stops taking actors; the actor is passivated and its lease released.
    await homeNode.actors.stop();
    const after = await presenceOf(watcher, user.id);
    expect(after).toMatchObject({ status: 'online', devices: 1 });
    const newHome = nodes.filter((node) => node !== homeNode).find((node) => (node.actors.stats().actors.user ?? 0) > 0);
    expect(newHome).toBeDefined();
    socket.close();
    watcher.close();
  });
});
