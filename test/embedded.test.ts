// Embedded mode as a first-time user gets it: `bun server/main.ts` with no service configured
// at all, as its own process. Everything it needs runs inside it, and its data survives a
// restart.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { HealthReport } from '../server/http/health.ts';
import { spawnNode } from './harness/processes.ts';
import { createTempDir, type TempDir } from './harness/services.ts';
import { connectAs, type RawSocket } from './harness/ws.ts';

const builtClient = new URL('../client/dist/', import.meta.url).pathname;
let dataDir: TempDir;
beforeAll(() => {
  dataDir = createTempDir('embedded');
});
afterAll(() => {
  dataDir.remove();
});

test('embedded: with no services configured a node runs on PGlite, the in-process bus, memory and a folder', async () => {
  expect(existsSync(`${builtClient}index.html`), 'client/dist is missing: `npm test` builds it before the tests').toBe(true);
  const node = await spawnNode({ DATA_DIR: dataDir.path, CLIENT_DIR: builtClient });
  try {
    const response = await fetch(`${node.url}/health`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as HealthReport;
    expect(report.status).toBe('ok');
    expect(Object.values(report.checks).map((check) => `${check.backend}:${check.status}`)).toEqual([
      'pglite:ok',
      'memory:ok',
      'memory:ok',
      'folder:ok',
    ]);

    const backendLines = node.logs.filter((line) => line.msg.startsWith('platform.open() | backends'));
    expect(backendLines).toHaveLength(1);
    expect(backendLines[0]?.msg).toContain('[database:pglite ');
    expect(backendLines[0]?.msg).toContain('[bus:memory in-process]');
    expect(backendLines[0]?.msg).toContain('[cache:memory in-process]');
    expect(backendLines[0]?.msg).toContain('[storage:folder ');
    expect(node.logs.every((line) => typeof line.time === 'string' && typeof line.level === 'number')).toBe(true);

    const page = await fetch(`${node.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root"></div>');
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const bundle = await fetch(`${node.url}${script}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
  } finally {
    expect(await node.stop('SIGTERM')).toBe(0);
  }
});

test('embedded: data written survives a restart of the node', async () => {
  const first = await spawnNode({ DATA_DIR: dataDir.path });
  const before = (await (await fetch(`${first.url}/health`)).json()) as HealthReport;
  const firstBoot = first.logs.find((line) => line.msg.startsWith('node.start() | listening'));
  expect(await first.stop('SIGTERM')).toBe(0);

  const second = await spawnNode({ DATA_DIR: dataDir.path });
  try {
    const after = (await (await fetch(`${second.url}/health`)).json()) as HealthReport;
    const secondBoot = second.logs.find((line) => line.msg.startsWith('node.start() | listening'));
    expect(after.installationId).toBe(before.installationId);
    expect(secondBoot?.bootCount).toBe((firstBoot?.bootCount as number) + 1);
  } finally {
    expect(await second.stop('SIGTERM')).toBe(0);
  }
});

test('embedded: a second node on the same DATA_DIR refuses to start and says why', async () => {
  const first = await spawnNode({ DATA_DIR: dataDir.path });
  try {
    await expect(spawnNode({ DATA_DIR: dataDir.path })).rejects.toThrow(/DATA_DIR .* is in use by process \d+/);
  } finally {
    await first.stop('SIGTERM');
  }
});

test('embedded: accounts work on PGlite and memory: register, verify from the .eml in DATA_DIR/mail, sign in', async () => {
  const dir = createTempDir('embedded-accounts');
  const node = await spawnNode({ DATA_DIR: dir.path });
  try {
    const register = await fetch(`${node.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'first.user@example.com', username: 'first_user', password: 'Embedded and happy 1', language: 'en' }),
    });
    expect(register.status).toBe(201);
    const mailDir = `${dir.path}/mail`;
    const deadline = Date.now() + 10_000;
    while (!(existsSync(mailDir) && readdirSync(mailDir).length > 0) && Date.now() < deadline) await Bun.sleep(100);
    const [file] = readdirSync(mailDir);
    // Quoted-printable soft line breaks ("=\n") and "=3D" come from the .eml encoding.
    const eml = readFileSync(`${mailDir}/${file}`, 'utf8').replaceAll('=\n', '').replaceAll('=3D', '=');
    const token = eml.match(/verify-email\?token=([A-Za-z0-9_-]{43})/)?.[1];
    expect(token).toBeDefined();
    const verify = await fetch(`${node.url}/auth/email/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(((await verify.json()) as { user: { emailVerified: boolean } }).user.emailVerified).toBe(true);
    const login = await fetch(`${node.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'first_user', password: 'Embedded and happy 1' }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    expect((await fetch(`${node.url}/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
  } finally {
    expect(await node.stop('SIGTERM')).toBe(0);
    dir.remove();
  }
});

test('embedded: the social graph, posts and chat work on PGlite and the in-process bus: request, live notification, accept, suggestions, a post with comment, reaction and poll in both feeds, trends, group messages, block', async () => {
  const dir = createTempDir('embedded-social');
  const node = await spawnNode({ DATA_DIR: dir.path });
  const sockets: RawSocket[] = [];
  try {
    const signUp = async (username: string) => {
      const response = await fetch(`${node.url}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${username}@example.com`, username, password: 'Embedded and happy 1', language: 'en' }),
      });
      const body = (await response.json()) as { accessToken: string; user: { id: string } };
      const { socket } = await connectAs(node.url, body.accessToken);
      sockets.push(socket);
      expect((await socket.request({ type: 'sub', topic: `user:${body.user.id}` })).type).toBe('reply');
      const call = async (op: string, callBody: Record<string, unknown>) => {
        const frame = await socket.request({ type: 'call', op, body: callBody });
        if (frame.type !== 'reply') throw new Error(`${op}: ${frame.code} ${frame.message}`);
        return frame.body as Record<string, unknown> & { items: Record<string, unknown>[] };
      };
      return { id: body.user.id, socket, call };
    };
    const [ana, bruno, carla] = [await signUp('ana_e'), await signUp('bruno_e'), await signUp('carla_e')];
    await ana.call('friends.request', { userId: bruno.id });
    const note = await bruno.socket.next((frame) => frame.name === 'notification.new');
    expect(note.body).toMatchObject({ unread: 1, notification: { type: 'friend.request' } });
    await bruno.call('friends.accept', { userId: ana.id });
    await carla.call('friends.request', { userId: bruno.id });
    await bruno.call('friends.accept', { userId: carla.id });
    const suggested = await ana.call('friends.suggestions', {});
    expect(suggested.items.map((item) => (item.person as { id: string }).id)).toEqual([carla.id]);
    expect((await ana.call('people.search', { query: 'carla' })).items).toHaveLength(1);
    // The social core on PGlite: a post with a hashtag and a poll, a comment, a reaction, both feed modes, trends.
    const post = await ana.call('posts.create', {
      text: 'Hola #perros',
      visibility: 'friends',
      poll: { options: ['Sí', 'No'], multiple: false },
    });
    await bruno.call('comments.add', { postId: post.id as string, text: '¡Qué lindo!' });
    await bruno.call('posts.react', { postId: post.id as string, kind: 'love' });
    await bruno.call('posts.vote', { postId: post.id as string, positions: [0] });
    for (const mode of ['chronological', 'ranked'])
      expect((await bruno.call('feed.home', { mode })).items.map((item) => (item.post as { id: string }).id)).toEqual([post.id]);
    const seen = await ana.call('posts.get', { postId: post.id as string });
    expect(seen).toMatchObject({ comments: 1, reactions: { love: 1 }, poll: { voters: 1 } });
    await carla.call('posts.create', { text: 'Mi gato #gatos', visibility: 'public' });
    expect((await ana.call('hashtags.trending', { region: 'en' })).items).toEqual([{ tag: 'gatos', score: expect.any(Number) }]);
    // The messenger on PGlite (its group commit is one prepared statement): sends at once, each stored once, in order.
    const group = await ana.call('chats.createGroup', { name: 'Embebido', userIds: [bruno.id] });
    const sent = await Promise.all(
      ['uno', 'dos', 'tres'].map((text) =>
        ana.call('chats.send', { conversationId: group.id as string, clientId: crypto.randomUUID(), text }),
      ),
    );
    expect(sent.map((message) => message.seq).sort()).toEqual([2, 3, 4]);
    const history = await bruno.call('chats.history', { conversationId: group.id as string });
    expect(history.items.map((message) => [message.seq, message.text])).toEqual([
      [1, ''],
      ...sent.map((message) => [message.seq, message.text]).sort((a, b) => (a[0] as number) - (b[0] as number)),
    ]);
    await carla.call('blocks.block', { userId: ana.id });
    expect((await ana.call('people.search', { query: 'carla' })).items).toEqual([]);
    expect((await ana.call('friends.suggestions', {})).items).toEqual([]);
  } finally {
    for (const socket of sockets) socket.close();
    expect(await node.stop('SIGTERM')).toBe(0);
    dir.remove();
  }
}, 60_000);
