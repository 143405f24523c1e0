// Notifications end to end: stored per user, pushed live to every session on any node through the
// user actor with the unread count, read marks shared by all sessions, per-type preferences for
// in-app, email and web push, web push really signed and encrypted (checked by a local push
// service that decrypts it), and friends told when a pet is lost.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { conversationKey, encryptText, exportPublicKey, generateKeyPair } from '../../protocol/e2ee.ts';
import { type AccountsEnv, startAccountsEnv, verifyEmail } from '../../test/harness/accounts.ts';
import { type PushService, startPushService } from '../../test/harness/push-service.ts';
import { befriend, join, memberPool } from '../../test/harness/social.ts';
import { connectAs } from '../../test/harness/ws.ts';
import type { RunningNode } from '../node.ts';
import { pushSubscriptions } from './schema.ts';

let env: AccountsEnv;
let push: PushService;
let nodeB: RunningNode;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  push = startPushService();
  env = await startAccountsEnv('notify', {
    NODE_ID: 'notify-a',
    WEB_PUSH_ALLOWED_HOSTS: '127.0.0.1',
    WEB_PUSH_SUBJECT: 'mailto:ops@petamigos.test',
  });
  pool = memberPool(env);
  nodeB = await env.peer('notify-b');
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
  push.close();
});

const member = (node?: RunningNode) => pool.member(node);
/** What the push service received for `subscription`. */
const pushesTo = (subscription: { endpoint: string }) =>
  push.received.filter((item) => subscription.endpoint.endsWith(`/push/${item.subscription}`));

/** Friends Ana and Bruno, Bruno's browser subscribed to web push, and what it has received. */
async function friendsWithPush() {
  const ana = await member();
  const bruno = await member();
  await befriend(env.node, ana, bruno);
  const subscription = push.subscribe();
  await bruno.call('push.subscribe', subscription);
  return { ana, bruno, pushesToBruno: () => pushesTo(subscription) };
}

describe('notifications', () => {
  test('notifications: every session of the user, on either node, gets each new one live with the unread count; reading on one device updates all', async () => {
    const sender = await member();
    const phone = await member(env.node);
    const laptop = await join(env, nodeB, phone.user);
    pool.keep(laptop);
    await sender.call('friends.request', { userId: phone.id });
    const onPhone = await phone.event('notification.new');
    const onLaptop = await laptop.event('notification.new');
    expect(onPhone).toEqual(onLaptop);
    expect(onPhone).toMatchObject({ unread: 1, notification: { type: 'friend.request', read: false, actor: { id: sender.id } } });

    const other = await member();
    await other.call('follows.follow', { userId: phone.id });
    expect((await laptop.event('notification.new')).unread).toBe(2);
    const listed = await phone.call('notifications.list', {});
    expect(listed.unread).toBe(2);
    expect(listed.items.map((item) => item.type)).toEqual(['follow.new', 'friend.request']);

    const first = (onPhone.notification as { id: string }).id;
    expect(await phone.call('notifications.markRead', { ids: [first] })).toEqual({ unread: 1 });
    expect(await laptop.event('notifications.unread')).toEqual({ unread: 1 });
    expect((await laptop.call('notifications.list', { unreadOnly: true })).items.map((item) => item.type)).toEqual(['follow.new']);
    expect(await laptop.call('notifications.markAllRead', {})).toEqual({ unread: 0 });
    expect(await phone.event('notifications.unread', (body) => body.unread === 0)).toEqual({ unread: 0 });
    // Marking someone else's notification read changes nothing.
    const stranger = await member();
    await stranger.call('notifications.markRead', { ids: [first] });
    expect((await phone.call('notifications.list', {})).items.every((item) => item.read)).toBe(true);
  });

  test('notifications: the user actor told twice about one notification (a retried delivery) logs notification.new once', async () => {
    const sender = await member();
    const phone = await member(nodeB);
    await sender.call('follows.follow', { userId: phone.id });
    const first = await phone.event('notification.new');
    const id = (first.notification as { id: string }).id;
    expect(await env.node.actors.ask('user', phone.id, { op: 'notified', id })).toEqual({ unread: 1 });
    await expect(phone.event('notification.new', undefined, 500)).rejects.toThrow(/no matching frame/);
  });

  test("notifications: events of the user topic are logged with no device connected (a conversation's count coalesced, the badge at once); a device resuming from its last seq gets them", async () => {
    const [ana, bruno] = await Promise.all([member(), member(nodeB)]);
    await befriend(env.node, ana, bruno);
    // A second device reads where the topic stands, then every device goes offline.
    const { socket: tablet } = await connectAs(nodeB.url, bruno.user.tokens.accessToken);
    const position = (await tablet.request({ type: 'sub', topic: `user:${bruno.id}` })).body as { epoch: string; seq: number };
    tablet.close();
    bruno.close();
    await expect.poll(async () => ((await env.node.actors.ask('user', bruno.id, { op: 'get' })) as { devices: number }).devices).toBe(0);
    const sent = await ana.call('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), text: '¿Vienes al parque?' });
    const { conversationId } = sent;
    // The room actor tells bruno's user actor without waiting: the count has arrived before he is back.
    await expect
      .poll(async () => ((await env.node.actors.ask('user', bruno.id, { op: 'chatCounts' })) as { conversations: number }).conversations)
      .toBe(1);
    // Two more counts of the same conversation, told as the room actor tells them (in order).
    for (const unread of [2, 3])
      await env.node.actors.ask('user', bruno.id, { op: 'chatUnread', conversationId, unread, mutedUntil: null, request: false });
    await ana.call('follows.follow', { userId: bruno.id });
    const { socket } = await connectAs(nodeB.url, bruno.user.tokens.accessToken);
    try {
      const resumed = await socket.request({ type: 'sub', topic: `user:${bruno.id}`, since: { epoch: position.epoch, seq: position.seq } });
      expect(resumed.type).toBe('reply');
      // The badge changed with the first message: logged at once. The count of the next two:
      // once, with the latest (within 5 s, or when a device connects, as here).
      const unread = await socket.next((frame) => frame.type === 'event' && frame.name === 'chats.unread');
      expect(unread.body).toEqual({ conversationId, unread: 1, conversations: 1, requests: 0 });
      const notified = await socket.next((frame) => frame.type === 'event' && frame.name === 'notification.new');
      expect(notified.body).toMatchObject({ unread: 1, notification: { type: 'follow.new', actor: { id: ana.id } } });
      const latest = await socket.next((frame) => frame.type === 'event' && frame.name === 'chats.unread', 7000);
      expect(latest.body).toEqual({ conversationId, unread: 3, conversations: 1, requests: 0 });
      await expect(socket.next((frame) => frame.type === 'event' && frame.name === 'chats.unread', 300)).rejects.toThrow();
    } finally {
      socket.close();
    }
  });

  test('preferences: with in-app off nothing is stored or pushed live; email on sends a mail in the user language', async () => {
    const sender = await member();
    const target = await member();
    expect((await target.call('notifications.getPreferences', {})).items).toContainEqual({
      type: 'follow.new',
      inApp: true,
      email: false,
      push: false,
    });
    expect(await target.call('notifications.setPreference', { type: 'follow.new', inApp: false, email: true })).toEqual({
      type: 'follow.new',
      inApp: false,
      email: true,
      push: false,
    });
    await verifyEmail(env, target.user);
    await sender.call('follows.follow', { userId: target.id });
    const mail = await env.mailbox.waitFor(target.user.email, /started following you/);
    expect(mail.text).toContain(`http://app.petamigos.test/u/${sender.user.username}`);
    expect((await target.call('notifications.list', {})).items).toEqual([]);
    expect(target.socket.frames.some((frame) => frame.name === 'notification.new')).toBe(false);
    expect((await target.refused('notifications.setPreference', { type: 'made.up', inApp: false })).code).toBe('INVALID_BODY');
  });

  test('web push: a subscribed browser receives the notification signed with the server VAPID key and encrypted for it; a gone subscription is removed', async () => {
    const sender = await member();
    const target = await member();
    const { publicKey } = await target.call('push.getKey', {});
    const subscription = push.subscribe();
    const other = push.subscribe();
    await target.call('push.subscribe', subscription);
    await target.call('push.subscribe', other);
    push.gone(other.endpoint);
    const before = push.received.length;
    await sender.call('friends.request', { userId: target.id });
    const [received] = (await push.waitFor(before + 1)).slice(before);
    expect(received?.payload).toEqual({
      title: 'PetAmigos',
      body: `${sender.user.username} sent you a friend request`,
      url: '/friends/requests',
      tag: expect.any(String),
    });
    expect(received?.vapid).toEqual({ sub: 'mailto:ops@petamigos.test', aud: push.url, publicKey });
    expect(received?.ttl).toBe('86400');
    expect(push.failures).toEqual([]);
    // The gone subscription is removed once its push service answers 410, which may come after
    // the other push arrived.
    const endpoints = async () =>
      (await env.node.platform.database.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, target.id))).map(
        (row) => row.endpoint,
      );
    await expect.poll(endpoints, { timeout: 5000 }).toEqual([subscription.endpoint]);

    await target.call('push.unsubscribe', { endpoint: subscription.endpoint });
    await sender.call('friends.cancel', { userId: target.id });
    await sender.call('friends.request', { userId: target.id });
    await target.event('notification.new', (body) => (body.unread as number) >= 1);
    await Bun.sleep(300);
    expect(push.received.length).toBe(before + 1);
  });

  test('notifications: a call that notifies answers without waiting for the delivery (here a push service that has not answered); the push and the live event follow', async () => {
    const [author, commenter] = await Promise.all([member(), member(nodeB)]);
    const subscription = push.subscribe();
    await author.call('push.subscribe', subscription);
    const post = await author.call('posts.create', { text: 'Luna', visibility: 'public' });
    const pushesToAuthor = () => pushesTo(subscription);
    push.hold(subscription.endpoint);
    try {
      const comment = await commenter.call('comments.add', { postId: post.id, text: '¿Cómo se llama?' });
      expect(pushesToAuthor()).toEqual([]);
      push.release(subscription.endpoint);
      await expect.poll(() => pushesToAuthor().length).toBe(1);
      expect(pushesToAuthor()[0]?.payload).toMatchObject({ url: `/posts/${post.id}` });
      expect(await author.event('notification.new')).toMatchObject({
        notification: { type: 'post.comment', data: { postId: post.id, commentId: comment.id } },
      });
    } finally {
      push.release(subscription.endpoint);
    }
  });

  test('web push: a message to someone with no session open arrives as a push; none while they are online or once they turn it off', async () => {
    const { ana, bruno, pushesToBruno } = await friendsWithPush();
    const id = () => crypto.randomUUID();

    // Online: the app shows it; no push.
    const first = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: 'Hola' });
    await bruno.event('chats.unread', (body) => body.conversationId === first.conversationId);
    await Bun.sleep(300);
    expect(pushesToBruno()).toEqual([]);

    // Offline: the next message is pushed, titled with the sender, leading to the conversation.
    bruno.close();
    await expect.poll(async () => (await ana.call('presence.get', { userId: bruno.id })).status).toBe('offline');
    await ana.call('chats.send', { conversationId: first.conversationId, clientId: id(), text: '¿Paseo a las 6?' });
    await expect.poll(() => pushesToBruno().length).toBe(1);
    expect(pushesToBruno()[0]?.payload).toEqual({
      title: ana.user.username,
      body: '¿Paseo a las 6?',
      url: `/chats/${first.conversationId}`,
      tag: `chat:${first.conversationId}`,
    });
    // In a group, the group is the title and the sender leads the text.
    const group = await ana.call('chats.createGroup', { name: 'Paseos', userIds: [bruno.id] });
    await ana.call('chats.send', { conversationId: group.id, clientId: id(), text: 'Mañana a las 8' });
    await expect.poll(() => pushesToBruno().length).toBe(2);
    expect(pushesToBruno()[1]?.payload).toMatchObject({
      title: 'Paseos',
      body: `${ana.user.username}: Mañana a las 8`,
      tag: `chat:${group.id}`,
    });

    // Turned off: nothing more (in-app and email do not exist for messages).
    const again = await join(env, env.node, bruno.user);
    expect((await again.refused('notifications.setPreference', { type: 'chat.message', email: true })).code).toBe('INVALID_INPUT');
    await again.call('notifications.setPreference', { type: 'chat.message', push: false });
    again.close();
    await expect.poll(async () => (await ana.call('presence.get', { userId: bruno.id })).status).toBe('offline');
    const other = await ana.call('chats.createGroup', { name: 'Otro', userIds: [bruno.id] });
    await ana.call('chats.send', { conversationId: other.id, clientId: id(), text: 'nadie' });
    await Bun.sleep(500);
    expect(pushesToBruno()).toHaveLength(2);
    expect(push.failures).toEqual([]);
  });

  test('web push: a call ringing someone with no session open is pushed (urgent, kept no longer than it rings, tagged with the call); none while they are online or once they turn it off', async () => {
    const { ana, bruno, pushesToBruno } = await friendsWithPush();
    const { conversationId } = await ana.call('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), text: '¿Te llamo?' });
    const ring = () => ana.call('calls.start', { conversationId, video: false, clientId: crypto.randomUUID() });

    // Online: the app rings; no push.
    const first = await ring();
    await bruno.event('call.incoming', (body) => (body.call as { id: string }).id === first.id);
    await ana.call('calls.leave', { callId: first.id });
    await Bun.sleep(300);
    expect(pushesToBruno()).toEqual([]);

    // No session open: the ring is pushed, titled with the caller, leading to the conversation.
    bruno.close();
    await expect.poll(async () => (await ana.call('presence.get', { userId: bruno.id })).status).toBe('offline');
    const second = await ring();
    await expect.poll(() => pushesToBruno().length).toBe(1);
    expect(pushesToBruno()[0]).toMatchObject({
      payload: {
        title: ana.user.username,
        body: `${ana.user.username} is calling you`,
        url: `/chats/${conversationId}`,
        tag: `call:${second.id}`,
      },
      ttl: '30',
      urgency: 'high',
    });
    await ana.call('calls.leave', { callId: second.id });

    // Turned off (push only: in-app and email do not exist for calls): rings push nothing more.
    const again = await join(env, env.node, bruno.user);
    expect((await again.refused('notifications.setPreference', { type: 'call.incoming', inApp: true })).code).toBe('INVALID_INPUT');
    await again.call('notifications.setPreference', { type: 'call.incoming', push: false });
    again.close();
    await expect.poll(async () => (await ana.call('presence.get', { userId: bruno.id })).status).toBe('offline');
    const third = await ring();
    await Bun.sleep(500);
    await ana.call('calls.leave', { callId: third.id });
    expect(pushesToBruno()).toHaveLength(1);
    expect(push.failures).toEqual([]);
  });

  test('web push: a message of an end-to-end encrypted conversation is pushed as "🔒 Encrypted message", with nothing of its content', async () => {
    const { ana, bruno, pushesToBruno: pushes } = await friendsWithPush();
    const { conversationId } = await ana.call('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), text: 'Hola' });
    const [anaKeys, brunoKeys] = await Promise.all([generateKeyPair(), generateKeyPair()]);
    const anaKey = await ana.call('keys.publish', { publicKey: await exportPublicKey(anaKeys.publicKey) });
    const brunoKey = await bruno.call('keys.publish', { publicKey: await exportPublicKey(brunoKeys.publicKey) });
    await ana.call('chats.encryption', { conversationId, encrypted: true });
    // Bruno's device takes the count of the "encryption on" line while it is open: had it closed
    // first, that line would be pushed, and the encrypted message within the next 10 s would not be.
    await bruno.event('chats.unread', (body) => body.conversationId === conversationId && (body.unread as number) >= 2);
    bruno.close();
    await expect.poll(async () => (await ana.call('presence.get', { userId: bruno.id })).status).toBe('offline');
    const key = await conversationKey(anaKeys.privateKey, await exportPublicKey(brunoKeys.publicKey), conversationId);
    const sealed = await encryptText(key, 'la llave está bajo la maceta');
    // The plain "Hola" may have been pushed too, if it arrived before Bruno counted as online.
    const before = pushes().length;
    await ana.call('chats.send', {
      conversationId,
      clientId: crypto.randomUUID(),
      encrypted: { senderKeyId: anaKey.keyId, recipientKeyId: brunoKey.keyId, ...sealed },
    });
    await expect.poll(() => pushes().length).toBe(before + 1);
    expect(pushes().at(-1)?.payload).toMatchObject({ title: ana.user.username, body: '🔒 Encrypted message' });
    expect(JSON.stringify(pushes().map((item) => item.payload))).not.toContain(sealed.ciphertext);
  });

  test('web push: subscriptions are refused unless they point at an allowed push service over https, with well-formed keys', async () => {
    const me = await member();
    const good = push.subscribe();
    const cases: [unknown, string][] = [
      [{ ...good, endpoint: 'https://evil.example/push/1' }, 'PUSH_SERVICE_NOT_ALLOWED'],
      [{ ...good, endpoint: 'http://10.0.0.1/push/1' }, 'INVALID_INPUT'],
      [{ ...good, endpoint: 'file:///etc/passwd' }, 'INVALID_INPUT'],
      [{ ...good, keys: { ...good.keys, p256dh: 'A'.repeat(87) } }, 'INVALID_INPUT'],
      // Right length and prefix, but not a point on the curve.
      [
        { ...good, keys: { ...good.keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url') } },
        'INVALID_INPUT',
      ],
      [{ ...good, keys: { ...good.keys, auth: '!'.repeat(22) } }, 'INVALID_INPUT'],
      [{ endpoint: good.endpoint }, 'INVALID_BODY'],
    ];
    for (const [body, code] of cases) expect((await me.refused('push.subscribe', body)).code, JSON.stringify(body)).toBe(code);
    const rows = await env.node.platform.database.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, me.id));
    expect(rows).toEqual([]);
  });

  test("pets: marking a pet lost notifies the owner's friends (not others), once", async () => {
    const owner = await member();
    const friend = await member();
    const stranger = await member();
    await befriend(env.node, owner, friend);
    const pet = await owner.call('pets.create', { name: 'Luna', species: 'dog' });
    const lost = await owner.call('pets.update', { petId: pet.id, lost: { note: 'Parque México, 18:00' } });
    expect(lost.lost?.note).toBe('Parque México, 18:00');
    const note = await friend.event('notification.new', (body) => (body.notification as { type: string }).type === 'pet.lost');
    expect(note.notification).toMatchObject({ actor: { id: owner.id }, data: { petId: pet.id, pet: 'Luna' } });
    await owner.call('pets.update', { petId: pet.id, lost: { note: 'Seen near Insurgentes' } });
    const found = await owner.call('pets.update', { petId: pet.id, lost: null });
    expect(found.lost).toBeNull();
    expect((await friend.call('notifications.list', {})).items.filter((item) => item.type === 'pet.lost')).toHaveLength(1);
    expect((await stranger.call('notifications.list', {})).items).toEqual([]);
  });
});
