// Support on a real node (Postgres, NATS) against a fake Chatwoot speaking its Application API and
// webhooks: a free person's conversation reaches Chatwoot without priority, a Pro person's with
// priority and the `pro` label (and a plan that changes shows with the next message); an agent's
// answer reaches every session of the person and their history, a private note never; a webhook
// delivered twice stores once, a forged or stale one is refused, one for a conversation we do not
// know changes nothing; Chatwoot down keeps the message and forwards it later. Abuse: another
// person's history, extra fields, huge or blank text, the hourly limit.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { SUPPORT_LIMITS } from '../../protocol/lists.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { type FakeChatwoot, startFakeChatwoot } from '../../test/harness/fake-chatwoot.ts';
import { givePlan } from '../../test/harness/plans.ts';
import { join, type Member, memberPool } from '../../test/harness/social.ts';
import { connectAs } from '../../test/harness/ws.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { supportConversations } from './schema.ts';

const CHATWOOT = { accountId: 3, inboxId: 9, apiToken: 'chatwoot-agent-token', webhookSecret: 'chatwoot-webhook-secret-for-tests' };

let env: AccountsEnv;
let fake: FakeChatwoot;
let pool: ReturnType<typeof memberPool>;
beforeAll(async () => {
  fake = startFakeChatwoot(CHATWOOT);
  env = await startAccountsEnv('support', {
    CHATWOOT_BASE_URL: fake.url,
    CHATWOOT_ACCOUNT_ID: String(CHATWOOT.accountId),
    CHATWOOT_INBOX_ID: String(CHATWOOT.inboxId),
    CHATWOOT_API_TOKEN: CHATWOOT.apiToken,
    CHATWOOT_WEBHOOK_SECRET: CHATWOOT.webhookSecret,
  });
  fake.webhookUrl = `${env.node.url}/webhooks/chatwoot`;
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
  fake.close();
});

const db = () => env.node.platform.database.db;
const waitFor = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 10_000, interval: 50 });

/** The Chatwoot conversation of `member`'s open support conversation, once forwarded with `messages` messages. */
async function forwarded(conversationId: string, messages: number) {
  return waitFor(() => {
    const conversation = fake.conversationFor(conversationId);
    expect(conversation?.messages.filter((message) => message.message_type === 'incoming')).toHaveLength(messages);
    return conversation as NonNullable<typeof conversation>;
  });
}

const idle = (conversationId: string) =>
  waitFor(async () => {
    const [row] = await db().select().from(supportConversations).where(eq(supportConversations.id, conversationId));
    expect(row?.syncDueAt).toBeNull();
  });

describe('support: to Chatwoot', () => {
  test('support: a free person’s first message opens a conversation stored before the reply, and reaches Chatwoot as an incoming message of their contact, without priority or label', async () => {
    const ana = await pool.member();
    const sent = await ana.call('support.send', { text: '  My dog’s photo does not upload  ' });
    expect(sent.conversation).toMatchObject({ status: 'open', priority: false, closedAt: null });
    expect(sent.message).toMatchObject({ author: 'user', agentName: null, text: 'My dog’s photo does not upload' });
    const stored = rowsOf<{ text: string }>(await db().execute(sql`select text from support_messages where id = ${sent.message.id}`));
    expect(stored).toEqual([{ text: 'My dog’s photo does not upload' }]);

    const conversation = await forwarded(sent.conversation.id, 1);
    expect(conversation.messages[0]).toMatchObject({ content: 'My dog’s photo does not upload', message_type: 'incoming', private: false });
    expect(conversation.inboxId).toBe(CHATWOOT.inboxId);
    expect(fake.contacts.find((contact) => contact.id === conversation.contactId)).toMatchObject({
      identifier: ana.id,
      name: ana.user.username,
    });
    await idle(sent.conversation.id);
    expect(conversation.priority).toBeNull();
    expect(conversation.labels).toEqual([]);
    expect(fake.requests.some((request) => request.path.endsWith(`/conversations/${conversation.id}/toggle_priority`))).toBe(false);

    // The second message joins the same conversation; the contact is found, not made again.
    const again = await ana.call('support.send', { text: 'It says “failed” after a while' });
    expect(again.conversation.id).toBe(sent.conversation.id);
    await forwarded(sent.conversation.id, 2);
    expect(fake.contacts.filter((contact) => contact.identifier === ana.id)).toHaveLength(1);
  });

  test('support: a Pro person’s conversation is marked high priority with the pro label; when the plan ends, the next message takes both away', async () => {
    const bea = await pool.member();
    const subscription = await givePlan(db(), bea.id, 'pro');
    const sent = await bea.call('support.send', { text: 'My payment shows twice' });
    expect(sent.conversation.priority).toBe(true);
    const conversation = await forwarded(sent.conversation.id, 1);
    await waitFor(() => {
      expect(conversation.priority).toBe('high');
      expect(conversation.labels).toEqual(['pro']);
    });
    // An agent's own label stays when ours goes.
    conversation.labels.push('billing');

    await db().execute(
      sql`update subscriptions set status = 'canceled', current_period_end = now() - interval '1 minute' where id = ${subscription}`,
    );
    const later = await bea.call('support.send', { text: 'I cancelled Pro meanwhile' });
    expect(later.conversation.priority).toBe(false);
    await forwarded(sent.conversation.id, 2);
    await waitFor(() => {
      expect(conversation.priority).toBeNull();
      expect(conversation.labels).toEqual(['billing']);
    });
  });

  test('support: a free person who moves to Pro mid-conversation is marked priority with their next message', async () => {
    const caro = await pool.member();
    const sent = await caro.call('support.send', { text: 'Hello' });
    const conversation = await forwarded(sent.conversation.id, 1);
    await idle(sent.conversation.id);
    expect(conversation.priority).toBeNull();
    await givePlan(db(), caro.id, 'pro');
    await caro.call('support.send', { text: 'I am on Pro now' });
    await waitFor(() => {
      expect(conversation.priority).toBe('high');
      expect(conversation.labels).toEqual(['pro']);
    });
  });

  test('support: with Chatwoot down the message is kept (the reply says stored) and forwarded once Chatwoot is back', async () => {
    const dani = await pool.member();
    fake.down = true;
    try {
      const sent = await dani.call('support.send', { text: 'Are you there?' });
      await waitFor(async () => {
        const [row] = await db().select().from(supportConversations).where(eq(supportConversations.id, sent.conversation.id));
        expect(row?.lastError).toContain('503');
      });
      expect(fake.conversationFor(sent.conversation.id)).toBeUndefined();
      expect((await dani.call('support.history', {})).page.items.map((item) => item.text)).toEqual(['Are you there?']);
      fake.down = false;
      const conversation = await forwarded(sent.conversation.id, 1);
      expect(conversation.messages[0]?.content).toBe('Are you there?');
    } finally {
      fake.down = false;
    }
  });

  test('support: a message taken by a node that stops before Chatwoot takes it is forwarded by another node', async () => {
    const peer = await env.peer('support-peer');
    const sara = await join(env, peer);
    let conversationId: string;
    fake.down = true;
    try {
      conversationId = (await sara.call('support.send', { text: 'Sent through the node that goes away' })).conversation.id;
      await waitFor(async () => {
        const [row] = await db().select().from(supportConversations).where(eq(supportConversations.id, conversationId));
        expect(row?.lastError).toContain('503');
      });
      sara.close();
      await peer.stop();
    } finally {
      fake.down = false;
    }
    const conversation = await forwarded(conversationId, 1);
    expect(conversation.messages[0]?.content).toBe('Sent through the node that goes away');
  });

  test('support: a retry with the same clientId answers the first message and stores nothing more', async () => {
    const eva = await pool.member();
    const clientId = Bun.randomUUIDv7();
    const first = await eva.call('support.send', { text: 'Once', clientId });
    const second = await eva.call('support.send', { text: 'Once', clientId });
    expect(second).toEqual(first);
    expect((await eva.call('support.history', {})).page.items).toHaveLength(1);
  });

  test('support: closing tells Chatwoot (resolved); the next message opens a new conversation', async () => {
    const fede = await pool.member();
    const sent = await fede.call('support.send', { text: 'Solved, thanks' });
    const conversation = await forwarded(sent.conversation.id, 1);
    const closed = await fede.call('support.close', {});
    expect(closed.conversation).toMatchObject({ id: sent.conversation.id, status: 'closed' });
    await waitFor(() => expect(conversation.status).toBe('resolved'));
    expect((await fede.call('support.close', {})).conversation?.status).toBe('closed');
    const next = await fede.call('support.send', { text: 'One more thing' });
    expect(next.conversation.id).not.toBe(sent.conversation.id);
    expect(next.conversation.status).toBe('open');
  });
});

describe('support: agents’ answers', () => {
  async function opened(member: Member) {
    const sent = await member.call('support.send', { text: 'Help with my pet’s profile' });
    return { sent, conversation: await forwarded(sent.conversation.id, 1) };
  }

  test('support: an agent’s answer reaches every session of the person live, and their history', async () => {
    const gabi = await pool.member();
    const phone = pool.keep(await join(env, env.node, gabi.user));
    const { sent, conversation } = await opened(gabi);
    const onLaptop = gabi.event('support.message', (body) => (body.message as { author: string }).author === 'agent');
    const onPhone = phone.event('support.message', (body) => (body.message as { author: string }).author === 'agent');
    const { answers } = await fake.reply(conversation.id, 'Hi! Open Settings → Pets.', { agent: 'Lucía' });
    expect(answers).toEqual([{ status: 200, body: { outcome: 'handled' } }]);
    for (const event of [await onLaptop, await onPhone])
      expect(event.message).toMatchObject({
        conversationId: sent.conversation.id,
        author: 'agent',
        agentName: 'Lucía',
        text: 'Hi! Open Settings → Pets.',
      });
    const history = await gabi.call('support.history', {});
    expect(history.page.items.map((item) => [item.author, item.text])).toEqual([
      ['agent', 'Hi! Open Settings → Pets.'],
      ['user', 'Help with my pet’s profile'],
    ]);
    expect(history.conversation?.id).toBe(sent.conversation.id);
    expect(history.available).toBe(true);
  });

  test('support: an answer given while the person was offline is replayed when they resume their user topic', async () => {
    const hugo = await pool.member();
    const { conversation } = await opened(hugo);
    const probe = (await connectAs(env.node.url, hugo.user.tokens.accessToken)).socket;
    const position = (await probe.request({ type: 'sub', topic: `user:${hugo.id}` })).body as { epoch: string; seq: number };
    probe.close();
    hugo.close();
    await fake.reply(conversation.id, 'Answered while you were away');
    const { socket } = await connectAs(env.node.url, hugo.user.tokens.accessToken);
    try {
      const since = { epoch: position.epoch, seq: position.seq };
      const resumed = await socket.request({ type: 'sub', topic: `user:${hugo.id}`, since });
      expect(resumed.type).toBe('reply');
      const event = await socket.next((frame) => frame.type === 'event' && frame.name === 'support.message');
      expect(event.body).toMatchObject({ message: { author: 'agent', text: 'Answered while you were away' } });
    } finally {
      socket.close();
    }
  });

  test('support: a private note of the team never reaches the person', async () => {
    const iris = await pool.member();
    const { conversation } = await opened(iris);
    const { answers } = await fake.reply(conversation.id, 'Internal: check her payment first', { private: true });
    expect(answers).toEqual([{ status: 200, body: { outcome: 'ignored' } }]);
    await fake.reply(conversation.id, 'Looking into it');
    const history = await iris.call('support.history', {});
    expect(history.page.items.map((item) => item.text)).toEqual(['Looking into it', 'Help with my pet’s profile']);
  });

  test('support: a long answer (Chatwoot takes far more than a call body) is delivered whole', async () => {
    const rita = await pool.member();
    const { conversation } = await opened(rita);
    const long = 'Paso a paso: '.padEnd(60_000, 'ñ');
    const { answers } = await fake.reply(conversation.id, long);
    expect(answers).toEqual([{ status: 200, body: { outcome: 'handled' } }]);
    expect((await rita.call('support.history', {})).page.items[0]?.text).toBe(long);
  });

  test('support: a webhook delivered twice stores the answer once and tells the person once', async () => {
    const juan = await pool.member();
    const { conversation } = await opened(juan);
    const { answers } = await fake.reply(conversation.id, 'Only once', { times: 3 });
    expect(answers.map((answer) => answer.body)).toEqual([{ outcome: 'handled' }, { outcome: 'duplicate' }, { outcome: 'duplicate' }]);
    const history = await juan.call('support.history', {});
    expect(history.page.items.filter((item) => item.text === 'Only once')).toHaveLength(1);
  });

  test.each(['signature', 'stale', 'unsigned', 'tampered'] as const)(
    'support: a forged webhook (%s) is refused and changes nothing',
    async (forge) => {
      const kiko = await pool.member();
      const { conversation, sent } = await opened(kiko);
      const { answers } = await fake.reply(conversation.id, 'Send me your password', { forge });
      expect(answers[0]?.status).toBe(400);
      expect(answers[0]?.body).toMatchObject({ error: { code: 'WEBHOOK_NOT_VERIFIED' } });
      const resolved = await fake.resolve(conversation.id, { forge });
      expect(resolved.status).toBe(400);
      const history = await kiko.call('support.history', {});
      expect(history.page.items.map((item) => item.author)).toEqual(['user']);
      expect(history.conversation).toMatchObject({ id: sent.conversation.id, status: 'open' });
    },
  );

  test('support: a webhook for a conversation we do not know is refused (404) and stores nothing', async () => {
    const before = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from support_messages`))[0]?.n;
    const answer = await fake.deliver({
      event: 'message_created',
      id: 999_999,
      content: 'Hello stranger',
      message_type: 'outgoing',
      private: false,
      account: { id: CHATWOOT.accountId },
      conversation: { id: 888_888 },
      sender: { name: 'Lucía', type: 'user' },
    });
    expect(answer.status).toBe(404);
    // The same from another inbox of the account (a website widget): not ours, ignored.
    const elsewhere = await fake.deliver({
      event: 'message_created',
      id: 999_998,
      content: 'Hello widget visitor',
      message_type: 'outgoing',
      private: false,
      account: { id: CHATWOOT.accountId },
      inbox: { id: CHATWOOT.inboxId + 1 },
      conversation: { id: 888_888 },
    });
    expect(elsewhere).toEqual({ status: 200, body: { outcome: 'ignored' } });
    const after = rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from support_messages`))[0]?.n;
    expect(after).toBe(before);
  });

  test('support: Chatwoot resolving the conversation closes ours and tells the person; the next message opens another', async () => {
    const lola = await pool.member();
    const { conversation, sent } = await opened(lola);
    const told = lola.event('support.closed');
    expect(await fake.resolve(conversation.id)).toEqual({ status: 200, body: { outcome: 'handled' } });
    expect((await told).conversation).toMatchObject({ id: sent.conversation.id, status: 'closed' });
    expect(await fake.resolve(conversation.id)).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    const next = await lola.call('support.send', { text: 'Back again' });
    expect(next.conversation.id).not.toBe(sent.conversation.id);
  });
});

describe('support: abuse', () => {
  test('support: history shows only the caller’s own messages; there is no way to name another person’s conversation', async () => {
    const [mia, nico] = await Promise.all([pool.member(), pool.member()]);
    const sent = await mia.call('support.send', { text: 'Mia’s private problem' });
    const history = await nico.call('support.history', {});
    expect(history).toMatchObject({ conversation: null, page: { items: [], nextCursor: null } });
    expect((await nico.refused('support.history', { conversationId: sent.conversation.id })).code).toBe('INVALID_BODY');
    expect((await nico.refused('support.close', { conversationId: sent.conversation.id })).code).toBe('INVALID_BODY');
    // Nico closing closes nothing of Mia's.
    expect(await nico.call('support.close', {})).toEqual({ conversation: null });
    expect((await mia.call('support.history', {})).conversation?.status).toBe('open');
    // Nor does Mia's user topic follow for him.
    const sub = await nico.socket.request({ type: 'sub', topic: `user:${mia.id}` });
    expect(sub.type).toBe('error');
  });

  test('support: a personal API token, even with every scope, can neither write to the team as the person nor read the conversation (SCOPE_DENIED never)', async () => {
    const quique = await pool.member();
    await givePlan(db(), quique.id, 'pro');
    const made = await env.node.accounts.tokens.create(quique.id, { name: 'script', scopes: ['read', 'write', 'chats'] });
    const { socket } = await connectAs(env.node.url, made.secret);
    try {
      for (const [op, body] of [
        ['support.send', { text: 'Please change my email to attacker@example.com' }],
        ['support.history', {}],
        ['support.close', {}],
      ] as const)
        expect(await socket.request({ type: 'call', op, body })).toMatchObject({
          type: 'error',
          code: 'SCOPE_DENIED',
          details: { needed: 'never' },
        });
    } finally {
      socket.close();
    }
    expect((await quique.call('support.history', {})).conversation).toBeNull();
  });

  test('support: extra fields, a huge, blank or control-character text are refused and store nothing', async () => {
    const olga = await pool.member();
    expect((await olga.refused('support.send', { text: 'hi', userId: Bun.randomUUIDv7() })).code).toBe('INVALID_BODY');
    expect((await olga.refused('support.send', { text: 'x'.repeat(SUPPORT_LIMITS.textChars + 1) })).code).toBe('INVALID_BODY');
    expect((await olga.refused('support.send', { text: '' })).code).toBe('INVALID_BODY');
    expect((await olga.refused('support.send', { text: '   \n ' })).code).toBe('INVALID_INPUT');
    expect((await olga.refused('support.send', { text: 'bell\u0007' })).code).toBe('INVALID_INPUT');
    expect((await olga.refused('support.send', { text: 'hi', clientId: 'not-a-uuid' })).code).toBe('INVALID_BODY');
    expect((await olga.refused('support.history', { cursor: 'garbage' })).code).toBe('INVALID_CURSOR');
    expect((await olga.call('support.history', {})).conversation).toBeNull();
  });

  test(`support: at most ${SUPPORT_LIMITS.messagesPerHour} messages an hour (RATE_LIMITED beyond, nothing stored)`, async () => {
    const pepe = await pool.member();
    for (let i = 0; i < SUPPORT_LIMITS.messagesPerHour; i++) await pepe.call('support.send', { text: `message ${i}` });
    const refused = await pepe.refused('support.send', { text: 'one too many' });
    expect(refused.code).toBe('RATE_LIMITED');
    const texts: string[] = [];
    let cursor: string | undefined;
    do {
      const history = await pepe.call('support.history', cursor === undefined ? {} : { cursor });
      texts.push(...history.page.items.map((item) => item.text));
      cursor = history.page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(texts).toHaveLength(SUPPORT_LIMITS.messagesPerHour);
    expect(texts).not.toContain('one too many');
  });
});

describe('support: without Chatwoot', () => {
  test('support: a node without Chatwoot refuses support.send (SUPPORT_UNAVAILABLE) and stores nothing; history says unavailable; its webhook refuses everything', async () => {
    const bare = await startAccountsEnv('support-bare');
    try {
      const rosa = await join(bare);
      expect((await rosa.refused('support.send', { text: 'Hello?' })).code).toBe('SUPPORT_UNAVAILABLE');
      expect(await rosa.call('support.history', {})).toEqual({
        conversation: null,
        available: false,
        page: { items: [], nextCursor: null },
      });
      const count = rowsOf<{ n: number }>(
        await bare.node.platform.database.db.execute(sql`select count(*)::int as n from support_conversations`),
      );
      expect(count).toEqual([{ n: 0 }]);
      const answer = await fetch(`${bare.node.url}/webhooks/chatwoot`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event: 'message_created' }),
      });
      expect(answer.status).toBe(400);
      rosa.close();
    } finally {
      await bare.close();
    }
  });
});
