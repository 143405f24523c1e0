// Notification mail against a real SMTP server and two nodes: only verified addresses get it
// (verification and password reset excepted), at most MAIL_NOTIFICATIONS_PER_HOUR a recipient,
// and what goes beyond arrives later in one digest, queued by one node even when both run it.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv, verifyEmail } from '../../test/harness/accounts.ts';
import { memberPool } from '../../test/harness/social.ts';
import { mailOutbox } from '../mail/schema.ts';
import type { RunningNode } from '../node.ts';
import { mailDigestItems } from './schema.ts';

const PER_HOUR = 3;
const HOUR = 60 * 60_000;

let env: AccountsEnv;
let nodeB: RunningNode;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('notify_mail', { NODE_ID: 'mail-a', MAIL_NOTIFICATIONS_PER_HOUR: String(PER_HOUR) });
  pool = memberPool(env);
  nodeB = await env.peer('mail-b');
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const db = () => env.node.platform.database.db;
const queued = (to: string, template: string) =>
  db()
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, to), eq(mailOutbox.template, template)));
const held = (userId: string) => db().select().from(mailDigestItems).where(eq(mailDigestItems.userId, userId));
const mailsTo = (to: string, match: RegExp) => env.mailbox.mails.filter((mail) => mail.to === to && match.test(mail.subject));

describe('notification mail', () => {
  test('notification mail: 30 mentions of a verified user send MAIL_NOTIFICATIONS_PER_HOUR mails, and one digest later lists the other 27', async () => {
    const [author, target] = await Promise.all([pool.member(), pool.member()]);
    await verifyEmail(env, target.user);
    const to = target.user.email;
    for (let i = 0; i < 30; i++)
      await author.call('posts.create', { text: `@${target.user.username} paseo número ${i}`, visibility: 'public' });
    expect(await queued(to, 'notification')).toHaveLength(PER_HOUR);
    expect(await held(target.id)).toHaveLength(30 - PER_HOUR);
    // In the app every one of them is there.
    expect((await target.call('notifications.list', {})).unread).toBe(30);

    // Not due yet: the oldest held item has not waited MAIL_DIGEST_EVERY_MS.
    expect(await env.node.social.digest.sendDue()).toBe(0);
    expect(await env.node.social.digest.sendDue(new Date(Date.now() + HOUR))).toBe(1);
    const digest = await env.mailbox.waitFor(to, /27 more notifications on PetAmigos/);
    expect(digest.text.match(/mentioned you in a post/g)).toHaveLength(27);
    expect(digest.text).toContain('http://app.petamigos.test/notifications');
    expect(digest.html).toContain('<br>');
    await expect.poll(() => mailsTo(to, /mentioned you in a post/).length, { timeout: 10_000 }).toBe(PER_HOUR);
    expect(await held(target.id)).toEqual([]);
    expect(await env.node.social.digest.sendDue(new Date(Date.now() + HOUR))).toBe(0);
    expect(await queued(to, 'notification_digest')).toHaveLength(1);
    expect(await queued(to, 'notification')).toHaveLength(PER_HOUR);
  });

  test('notification mail: nothing but verification and password reset goes to an unverified address', async () => {
    const [author, target] = await Promise.all([pool.member(), pool.member()]);
    const to = target.user.email;
    await env.mailbox.waitFor(to, /Confirm your email/);
    await author.call('posts.create', { text: `@${target.user.username} ¿vienes al parque?`, visibility: 'public' });
    await author.call('friends.request', { userId: target.id });
    expect((await target.call('notifications.list', {})).unread).toBe(2);
    expect(await queued(to, 'notification')).toEqual([]);
    expect(await held(target.id)).toEqual([]);

    // The outbox itself refuses every other template for an unverified address, whoever asks.
    const { outbox } = env.node.accounts;
    const params = { username: 'x', text: 'x', link: 'x', settingsLink: 'x', minutes: '15' };
    expect(await outbox.enqueue({ to, template: 'notification', language: 'en', params })).toBeUndefined();
    expect(await outbox.enqueue({ to, template: 'account_locked', language: 'en', params })).toBeUndefined();
    expect(await queued(to, 'account_locked')).toEqual([]);

    // A reset must reach the address of the account being recovered, verified or not.
    expect((await env.client().post('/auth/password/forgot', { email: to })).status).toBe(202);
    await env.mailbox.waitFor(to, /Reset your PetAmigos password/);
    expect(env.mailbox.mails.filter((mail) => mail.to === to).map((mail) => mail.subject)).toEqual([
      'Confirm your email for PetAmigos',
      'Reset your PetAmigos password',
    ]);
  });

  test('digest: both nodes sending due digests at the same moment queue exactly one per recipient', async () => {
    const [author, target] = await Promise.all([pool.member(), pool.member()]);
    await verifyEmail(env, target.user);
    for (let i = 0; i < PER_HOUR + 4; i++)
      await author.call('posts.create', { text: `@${target.user.username} foto ${i}`, visibility: 'public' });
    expect(await held(target.id)).toHaveLength(4);
    const later = new Date(Date.now() + HOUR);
    const sent = await Promise.all([env.node.social.digest.sendDue(later), nodeB.social.digest.sendDue(later)]);
    expect(sent.reduce((sum, n) => sum + n, 0)).toBe(1);
    expect(await queued(target.user.email, 'notification_digest')).toHaveLength(1);
    expect(await held(target.id)).toEqual([]);
    const digest = await env.mailbox.waitFor(target.user.email, /4 more notifications/);
    expect(digest.text.match(/mentioned you in a post/g)).toHaveLength(4);
  });

  test('digest: a notification from someone the recipient blocked since it was held is not listed', async () => {
    const [author, blocked, target] = await Promise.all([pool.member(), pool.member(), pool.member()]);
    await verifyEmail(env, target.user);
    for (let i = 0; i < PER_HOUR; i++)
      await author.call('posts.create', { text: `@${target.user.username} hola ${i}`, visibility: 'public' });
    await author.call('posts.create', { text: `@${target.user.username} ¿paseo?`, visibility: 'public' });
    await blocked.call('posts.create', { text: `@${target.user.username} mira esto`, visibility: 'public' });
    expect(await held(target.id)).toHaveLength(2);
    await target.call('blocks.block', { userId: blocked.id });
    expect(await env.node.social.digest.sendDue(new Date(Date.now() + HOUR))).toBe(1);
    const digest = await env.mailbox.waitFor(target.user.email, /1 more notifications/);
    expect(digest.text.match(/mentioned you in a post/g)).toHaveLength(1);
    expect(digest.text).not.toContain(blocked.user.username);
    expect(await held(target.id)).toEqual([]);
  });
});
