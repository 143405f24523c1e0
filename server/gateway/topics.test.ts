// Topics over real sockets: subscribe, live events with per-topic seqs, resume after a
// reconnect (missed events in order, or reset when they are gone), authorization per topic, and
// events published on one node reaching sockets on another through NATS.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from '../../test/harness/accounts.ts';
import { linkToken } from '../../test/harness/mailbox.ts';
import { startTestNode, testConfig } from '../../test/harness/node.ts';
import { services } from '../../test/harness/services.ts';
import { connectAs, type Frame, type RawSocket } from '../../test/harness/ws.ts';
import type { RunningNode } from '../node.ts';

let env: AccountsEnv;
let admin: RegisteredUser;
beforeAll(async () => {
  env = await startAccountsEnv('topics');
  admin = await env.register();
  await env.setRole(admin.id, 'admin');
  // A socket's role comes from its access token: take one issued after the promotion.
  const refreshed = await admin.client.post<{ accessToken: string }>('/auth/refresh', { refreshToken: admin.tokens.refreshToken });
  admin.tokens.accessToken = refreshed.body.accessToken;
});
afterAll(async () => {
  await env.close();
});

async function announce(socket: RawSocket, text: string) {
  const reply = await socket.request({ type: 'call', op: 'system.announce', body: { text, level: 'info' } });
  expect(reply.type, JSON.stringify(reply)).toBe('reply');
  return reply;
}
const events = (socket: RawSocket, topic: string) => socket.frames.filter((frame) => frame.type === 'event' && frame.topic === topic);

async function adminSocket(url = env.node.url) {
  return (await connectAs(url, admin.tokens.accessToken)).socket;
}

describe('topics', () => {
  test('topics: a subscriber gets each event once, with contiguous seqs, in order', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    const reply = await socket.request({ type: 'sub', topic: 'system' });
    expect(reply).toMatchObject({ type: 'reply', body: { topic: 'system', epoch: env.node.platform.topics.epoch } });
    const start = (reply.body as { seq: number }).seq;
    const sender = await adminSocket();
    for (let i = 0; i < 20; i++) await announce(sender, `news ${i}`);
    await expect.poll(() => events(socket, 'system').length, { timeout: 5000 }).toBe(20);
    const received = events(socket, 'system');
    expect(received.map((frame) => frame.seq)).toEqual(Array.from({ length: 20 }, (_, i) => start + i + 1));
    expect(received.map((frame) => (frame.body as { text: string }).text)).toEqual(Array.from({ length: 20 }, (_, i) => `news ${i}`));
    expect(received[0]).toMatchObject({ name: 'announcement', epoch: env.node.platform.topics.epoch, body: { level: 'info' } });
    socket.close();
    sender.close();
  });

  test('topics: sockets joining while events flow each get every event after their reply once, and the node keeps no frames afterwards', async () => {
    const sender = await adminSocket();
    const users = await Promise.all(Array.from({ length: 4 }, () => env.register()));
    const sockets = await Promise.all(users.map(async (user) => (await connectAs(env.node.url, user.tokens.accessToken)).socket));
    let sent = 0;
    const flowing = (async () => {
      for (; sent < 40; sent++) await announce(sender, `flow ${sent}`);
    })();
    const starts: number[] = [];
    for (const socket of sockets) {
      await Bun.sleep(15);
      starts.push(((await socket.request({ type: 'sub', topic: 'system' })).body as { seq: number }).seq);
    }
    await flowing;
    const last = await env.node.platform.topics.last('system');
    for (const [i, socket] of sockets.entries()) {
      await expect.poll(() => events(socket, 'system').at(-1)?.seq, { timeout: 5000 }).toBe(last);
      const start = starts[i] as number;
      expect(events(socket, 'system').map((frame) => frame.seq)).toEqual(Array.from({ length: last - start }, (_, k) => start + k + 1));
    }
    expect(env.node.gateway?.router.heldFrames).toBe(0);
    for (const socket of [sender, ...sockets]) socket.close();
  });

  test('topics: after a reconnect, resuming from the last seq delivers exactly the missed events, in order, then live ones', async () => {
    const user = await env.register();
    const first = (await connectAs(env.node.url, user.tokens.accessToken)).socket;
    const subscribed = (await first.request({ type: 'sub', topic: 'system' })).body as { epoch: string; seq: number };
    const sender = await adminSocket();
    await announce(sender, 'seen');
    await first.next((frame) => frame.type === 'event');
    const last = events(first, 'system').at(-1) as Frame;
    first.close();
    await first.closed;
    for (let i = 0; i < 5; i++) await announce(sender, `missed ${i}`);
    const second = (await connectAs(env.node.url, user.tokens.accessToken)).socket;
    const resumed = await second.request({ type: 'sub', topic: 'system', since: { epoch: subscribed.epoch, seq: last.seq } });
    expect(resumed.type).toBe('reply');
    await announce(sender, 'live');
    await expect.poll(() => events(second, 'system').length, { timeout: 5000 }).toBe(6);
    const texts = events(second, 'system').map((frame) => (frame.body as { text: string }).text);
    expect(texts).toEqual(['missed 0', 'missed 1', 'missed 2', 'missed 3', 'missed 4', 'live']);
    const seqs = events(second, 'system').map((frame) => frame.seq as number);
    expect(seqs).toEqual(Array.from({ length: 6 }, (_, i) => (last.seq as number) + i + 1));
    expect(second.frames.some((frame) => frame.type === 'reset')).toBe(false);
    second.close();
    sender.close();
  });

  test('topics: resuming from another epoch, or from before what is retained, gets a reset with the current seq', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    await socket.request({ type: 'sub', topic: 'system', since: { epoch: 'an-old-epoch', seq: 3 } });
    const reset = await socket.next((frame) => frame.type === 'reset');
    expect(reset).toMatchObject({ topic: 'system', epoch: env.node.platform.topics.epoch });
    expect(reset.seq).toBe(await env.node.platform.topics.last('system'));
    socket.close();
  });

  test('topics: a topic about another user is FORBIDDEN, an unknown one UNKNOWN_TOPIC', async () => {
    const user = await env.register();
    const other = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    expect(await socket.request({ type: 'sub', topic: `user:${other.id}` })).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(await socket.request({ type: 'sub', topic: 'room:123' })).toMatchObject({ type: 'error', code: 'UNKNOWN_TOPIC' });
    expect(await socket.request({ type: 'sub', topic: `user:${user.id}` })).toMatchObject({ type: 'reply' });
    socket.close();
  });

  test('topics: profile:<id> is open to strangers whatever their settings, FORBIDDEN across a block; post:<id> of no post is FORBIDDEN', async () => {
    const [owner, stranger, blocked] = await Promise.all([env.register(), env.register(), env.register()]);
    await env.node.social.graph.block(owner.id, blocked.id);
    const { socket: ownerSocket } = await connectAs(env.node.url, owner.tokens.accessToken);
    const hidden = { profileDetails: 'only_me', pets: 'only_me', friendsList: 'only_me', location: 'only_me' };
    expect(await ownerSocket.request({ type: 'call', op: 'privacy.update', body: hidden })).toMatchObject({ type: 'reply' });
    const { socket } = await connectAs(env.node.url, stranger.tokens.accessToken);
    expect(await socket.request({ type: 'sub', topic: `profile:${owner.id}` })).toMatchObject({ type: 'reply' });
    expect(await socket.request({ type: 'sub', topic: `profile:${crypto.randomUUID()}` })).toMatchObject({ type: 'reply' });
    expect(await socket.request({ type: 'sub', topic: `post:${crypto.randomUUID()}` })).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    const { socket: blockedSocket } = await connectAs(env.node.url, blocked.tokens.accessToken);
    expect(await blockedSocket.request({ type: 'sub', topic: `profile:${owner.id}` })).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    for (const open of [ownerSocket, socket, blockedSocket]) open.close();
  });

  test('topics: re-subscribing starts the topic over: with since the missed events come again, once; the topic counts once', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    const first = await socket.request({ type: 'sub', topic: 'system' });
    const { epoch, seq } = first.body as { epoch: string; seq: number };
    const position = { epoch, seq };
    const sender = await adminSocket();
    await announce(sender, 'once live');
    await socket.next((frame) => frame.type === 'event' && frame.seq === position.seq + 1);
    const again = await socket.request({ type: 'sub', topic: 'system', since: position });
    expect(again).toMatchObject({ type: 'reply', body: { topic: 'system', epoch: position.epoch, seq: position.seq + 1 } });
    await socket.next((frame) => frame.type === 'event' && frame.seq === position.seq + 1);
    const fresh = await socket.request({ type: 'sub', topic: 'system' });
    expect(fresh).toMatchObject({ type: 'reply', body: { topic: 'system', seq: position.seq + 1 } });
    const session = await socket.request({ type: 'call', op: 'session.get' });
    expect((session.body as { topics: string[] }).topics).toEqual(['system']);
    await announce(sender, 'after starting over');
    await socket.next((frame) => frame.type === 'event' && frame.seq === position.seq + 2);
    expect(events(socket, 'system').map((frame) => frame.seq)).toEqual([position.seq + 1, position.seq + 1, position.seq + 2]);
    socket.close();
    sender.close();
  });

  test('topics: past maxSubscriptions a sub is TOO_MANY_SUBSCRIPTIONS; unsub answers {topic} even for a topic not followed', async () => {
    const user = await env.register();
    const { socket, welcome } = await connectAs(env.node.url, user.tokens.accessToken);
    const { maxSubscriptions } = welcome.limits as { maxSubscriptions: number };
    const follow = async (topic: string): Promise<Frame> => {
      for (;;) {
        const answer = await socket.request({ type: 'sub', topic });
        if (answer.code !== 'RATE_LIMITED') return answer;
        await Bun.sleep((answer.details as { retryAfterMs: number }).retryAfterMs);
      }
    };
    for (let i = 0; i < maxSubscriptions; i++) expect((await follow(`profile:${crypto.randomUUID()}`)).type).toBe('reply');
    expect(await follow('system')).toMatchObject({
      type: 'error',
      code: 'TOO_MANY_SUBSCRIPTIONS',
      message: `at most ${maxSubscriptions} topics per socket`,
      details: { maxSubscriptions },
    });
    expect(await socket.request({ type: 'unsub', topic: 'system' })).toMatchObject({ type: 'reply', body: { topic: 'system' } });
    socket.close();
  });

  test('topics: after unsub no more events arrive', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    await socket.request({ type: 'sub', topic: 'system' });
    expect(await socket.request({ type: 'unsub', topic: 'system' })).toMatchObject({ type: 'reply', body: { topic: 'system' } });
    const sender = await adminSocket();
    await announce(sender, 'after unsub');
    await Bun.sleep(200);
    expect(events(socket, 'system')).toHaveLength(0);
    socket.close();
    sender.close();
  });

  test('topics: verifying the email over HTTP reaches the user socket live as account.updated', async () => {
    const user = await env.register();
    const { socket } = await connectAs(env.node.url, user.tokens.accessToken);
    await socket.request({ type: 'sub', topic: `user:${user.id}` });
    const token = linkToken(await env.mailbox.waitFor(user.email, /Confirm your email/), '/verify-email');
    await env.client().post('/auth/email/verify', { token });
    const event = await socket.next((frame) => frame.type === 'event' && frame.name === 'account.updated');
    expect(event).toMatchObject({ topic: `user:${user.id}`, seq: 1, body: { user: { id: user.id, emailVerified: true } } });
    socket.close();
  });

  test('topics: an event published on one node reaches subscribers on another node', async () => {
    const config = testConfig({
      DATABASE_URL: env.database.url,
      REDIS_URL: services.redisUrl,
      NATS_URL: services.natsUrl,
      CLUSTER_NAME: env.node.platform.config.clusterName,
      NODE_ID: 'node-b',
    });
    let second: RunningNode | undefined;
    try {
      second = await startTestNode(config);
      expect(second.platform.topics.epoch).toBe(env.node.platform.topics.epoch);
      const user = await env.register();
      const { socket: onB, welcome } = await connectAs(second.url, user.tokens.accessToken);
      expect(welcome.node).toBe('node-b');
      await onB.request({ type: 'sub', topic: 'system' });
      const sender = await adminSocket(env.node.url);
      await announce(sender, 'from node A');
      const event = await onB.next((frame) => frame.type === 'event');
      expect((event.body as { text: string }).text).toBe('from node A');
      onB.close();
      sender.close();
    } finally {
      await second?.stop();
      config.cleanup();
    }
  });
});
