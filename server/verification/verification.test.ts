// Verification and badges on a real node: a Premium person asks, an admin approves or rejects over
// HTTP (audited, the person told on their user topic), the marks appear on every person view in
// one query with the plans, and go when the plan ends (the approval kept: the mark comes back with
// a new subscription). Abuse: a free person asking, a second request, extra and bad fields, a
// normal user or a moderator on the staff routes, deciding twice, unknown ids.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from '../../test/harness/accounts.ts';
import { givePlan } from '../../test/harness/plans.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';
import { connectAs } from '../../test/harness/ws.ts';
import { rowsOf } from '../platform/db/rows.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
let admin: RegisteredUser;
beforeAll(async () => {
  env = await startAccountsEnv('verification');
  pool = memberPool(env);
  admin = await env.register();
  await env.setRole(admin.id, 'admin');
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const db = () => env.node.platform.database.db;
type RequestView = CallResponse<'verification.request'>;
type ErrorBody = { error: { code: string; details?: Record<string, unknown> } };

const asAdmin = (method: string, path: string, body?: unknown, token = admin.tokens.accessToken) =>
  env.client().request<Record<string, unknown> & ErrorBody>(method, `/admin/verification${path}`, {
    token,
    ...(body === undefined ? {} : { body }),
  });
const approve = (id: string, token?: string) => asAdmin('POST', `/${id}/approve`, undefined, token);
const reject = (id: string, reason: string, token?: string) => asAdmin('POST', `/${id}/reject`, { reason }, token);

async function premium(plan: 'premium' | 'pro' = 'premium'): Promise<Member & { subscription: string }> {
  const member = await pool.member();
  return Object.assign(member, { subscription: await givePlan(db(), member.id, plan) });
}

const ask = (member: Member, category: RequestView['category'] = 'shelter') =>
  member.call('verification.request', { category, note: 'Refugio Patitas', links: ['https://patitas.example.org/about'] });

/** The subscription ends: cancelled, its period over. */
const endPlan = (subscription: string) =>
  db().execute(
    sql`update subscriptions set cancel_at_period_end = true, current_period_end = now() - interval '1 minute' where id = ${subscription}`,
  );

const audit = async (userId: string) =>
  rowsOf<{ action: string; admin_id: string; request_id: string | null; reason: string | null; at: Date }>(
    await db().execute(sql`select action, admin_id, request_id, reason, at from verification_audit where user_id = ${userId} order by id`),
  );

describe('verification: asking and deciding', () => {
  test('verification: a Premium person asks; an admin sees it in the queue and approves it; the person is told, verified, and the decision audited', async () => {
    const ana = await premium();
    expect(await ana.call('verification.status', {})).toEqual({ request: null, verified: false, eligible: true });
    const asked = await ask(ana);
    expect(asked).toMatchObject({
      category: 'shelter',
      note: 'Refugio Patitas',
      links: ['https://patitas.example.org/about'],
      status: 'pending',
      reason: null,
      decidedAt: null,
    });
    expect((await ana.call('verification.status', {})).request).toEqual(asked);

    let queued: Array<{ id: string; user: { id: string; username: string } }> = [];
    let after: string | null | undefined;
    do {
      const page = await asAdmin('GET', after ? `/?after=${after}` : '/');
      expect(page.status).toBe(200);
      queued = [...queued, ...(page.body.items as typeof queued)];
      after = page.body.after as string | null;
    } while (after !== null);
    expect(queued.find((item) => item.id === asked.id)?.user).toEqual({ id: ana.id, username: ana.user.username });

    const told = ana.event('verification.changed', (body) => (body.request as RequestView).id === asked.id);
    const notified = ana.event('notification.new', (body) => (body.notification as { type: string }).type === 'verification.approved');
    const approved = await approve(asked.id);
    expect(approved.status).toBe(200);
    expect(approved.body.request).toMatchObject({ id: asked.id, status: 'approved' });
    expect(((await told).request as RequestView).status).toBe('approved');
    // Told as a notification too, live and in the list, from no one (the admin stays in the audit).
    expect((await notified).notification).toMatchObject({ type: 'verification.approved', actor: null, data: { requestId: asked.id } });
    expect((await ana.call('notifications.list', {})).items[0]).toMatchObject({ type: 'verification.approved', actor: null, read: false });
    expect(await ana.call('verification.status', {})).toMatchObject({ request: { status: 'approved' }, verified: true });
    const profile = await ana.call('profile.get', { userId: ana.id });
    expect(profile).toMatchObject({ verified: true, badges: ['verified', 'premium'] });

    const trail = await audit(ana.id);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ action: 'approved', admin_id: admin.id, request_id: asked.id, reason: null });
    // Decided once: a second approval or a rejection after it changes nothing.
    expect((await approve(asked.id)).body.error).toMatchObject({ code: 'VERIFICATION_DECIDED', details: { status: 'approved' } });
    expect((await reject(asked.id, 'changed my mind')).status).toBe(409);
    expect(await audit(ana.id)).toHaveLength(1);
    // Verified already: nothing more to ask.
    expect((await ana.refused('verification.request', { category: 'creator' })).code).toBe('ALREADY_VERIFIED');
    expect(queued.filter((item) => item.id === asked.id)).toHaveLength(1);
    expect((await asAdmin('GET', '/')).body.items as unknown[]).not.toContainEqual(expect.objectContaining({ id: asked.id }));
  });

  test('verification: a rejection carries its reason to the person, who may ask again; one request waits at a time', async () => {
    const bruno = await premium('pro');
    const first = await ask(bruno, 'vet');
    expect(await bruno.refused('verification.request', { category: 'vet' })).toEqual({
      code: 'VERIFICATION_PENDING',
      details: { requestId: first.id },
    });
    const told = bruno.event('verification.changed');
    expect((await reject(first.id, '  The clinic licence is not on the page.  ')).body.request).toMatchObject({
      status: 'rejected',
      reason: 'The clinic licence is not on the page.',
    });
    expect((await told).request).toMatchObject({ id: first.id, status: 'rejected', reason: 'The clinic licence is not on the page.' });
    await expect
      .poll(async () => (await bruno.call('notifications.list', {})).items[0])
      .toMatchObject({
        type: 'verification.rejected',
        actor: null,
        data: { requestId: first.id, reason: 'The clinic licence is not on the page.' },
      });
    expect(await bruno.call('verification.status', {})).toMatchObject({ request: { id: first.id, status: 'rejected' }, verified: false });
    expect((await bruno.call('profile.get', { userId: bruno.id })).badges).toEqual(['pro']);

    // Two at once: one is made, the other refused.
    const results = await Promise.allSettled([ask(bruno, 'vet'), ask(bruno, 'vet')]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const pending = rowsOf<{ n: number }>(
      await db().execute(sql`select count(*)::int as n from verification_requests where user_id = ${bruno.id} and status = 'pending'`),
    );
    expect(pending[0]?.n).toBe(1);
    expect(await audit(bruno.id)).toEqual([expect.objectContaining({ action: 'rejected', admin_id: admin.id, request_id: first.id })]);
  });
});

describe('verification: abuse', () => {
  test('verification: a free or Basic person asking is PLAN_REQUIRED (naming Premium) and nothing is stored', async () => {
    const free = await pool.member();
    const required = { code: 'PLAN_REQUIRED', details: { entitlement: 'verification', plan: 'premium' } };
    expect(await free.refused('verification.request', { category: 'creator' })).toEqual(required);
    expect(await free.call('verification.status', {})).toEqual({ request: null, verified: false, eligible: false });
    const basic = await pool.member();
    await givePlan(db(), basic.id, 'basic');
    expect(await basic.refused('verification.request', { category: 'creator' })).toEqual(required);
    const stored = rowsOf<{ n: number }>(
      await db().execute(sql`select count(*)::int as n from verification_requests where user_id in (${free.id}, ${basic.id})`),
    );
    expect(stored[0]?.n).toBe(0);
  });

  test('verification: extra fields, unknown categories, long notes, too many or non-https links are refused', async () => {
    const carla = await premium();
    const bodies: unknown[] = [
      { category: 'creator', userId: carla.id },
      { category: 'creator', status: 'approved' },
      { category: 'celebrity' },
      {},
      { category: 'creator', note: 'x'.repeat(501) },
      { category: 'creator', links: ['https://a.example', 'https://b.example', 'https://c.example', 'https://d.example'] },
      { category: 'creator', links: ['http://a.example'] },
      { category: 'creator', links: ['javascript:alert(1)'] },
      { category: 'creator', links: ['https://a.example', 'https://a.example'] },
    ];
    for (const body of bodies) expect((await carla.refused('verification.request', body)).code, JSON.stringify(body)).toBe('INVALID_BODY');
    expect((await carla.refused('verification.request', { category: 'creator', note: 'bad\u0000note' })).code).toBe('INVALID_INPUT');
    expect((await carla.refused('verification.request', { category: 'creator', links: ['https://user:pw@a.example/'] })).code).toBe(
      'INVALID_INPUT',
    );
    expect((await carla.refused('verification.status', { userId: carla.id })).code).toBe('INVALID_BODY');
    expect((await carla.call('verification.status', {})).request).toBeNull();
  });

  test('verification: a normal user and a moderator get 403 on every staff route, also for their own request; nothing is decided', async () => {
    const dana = await premium();
    const asked = await ask(dana);
    const moderator = await env.register();
    await env.setRole(moderator.id, 'moderator');
    for (const token of [dana.user.tokens.accessToken, moderator.tokens.accessToken]) {
      for (const response of [
        await asAdmin('GET', '/', undefined, token),
        await approve(asked.id, token),
        await reject(asked.id, 'no', token),
      ]) {
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe('FORBIDDEN');
      }
    }
    expect((await dana.call('verification.status', {})).request?.status).toBe('pending');
    expect(await audit(dana.id)).toEqual([]);
    // Nor can they grant the mark over the socket.
    expect((await dana.refused('profile.setVerified', { userId: dana.id, verified: true })).code).toBe('FORBIDDEN');
  });

  test('verification: unknown ids are 404, a bad id or an empty reason or extra fields 400; decided requests are 409', async () => {
    expect((await approve(crypto.randomUUID())).status).toBe(404);
    expect((await reject(crypto.randomUUID(), 'why')).status).toBe(404);
    expect((await approve('not-a-uuid')).status).toBe(400);
    const eva = await premium();
    const asked = await ask(eva);
    expect((await reject(asked.id, '')).status).toBe(400);
    expect((await reject(asked.id, '   ')).body.error).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'reason' } });
    expect((await asAdmin('POST', `/${asked.id}/reject`, { reason: 'no', approve: true })).status).toBe(400);
    expect((await asAdmin('POST', `/${asked.id}/reject`, { reason: 'x'.repeat(501) })).status).toBe(400);
    expect((await eva.call('verification.status', {})).request?.status).toBe('pending');
  });
});

describe('badges', () => {
  test('badges: Premium and Pro people carry their plan badge on profiles, search, posts, comments and lists; free and Basic none', async () => {
    const [pre, pro, basic, free] = [await premium(), await premium('pro'), await pool.member(), await pool.member()];
    await givePlan(db(), basic.id, 'basic');
    const viewer = await pool.member();
    const expected = new Map([
      [pre.id, ['premium']],
      [pro.id, ['pro']],
      [basic.id, []],
      [free.id, []],
    ]);
    for (const [id, badges] of expected) expect((await viewer.call('profile.get', { userId: id })).badges).toEqual(badges);
    const summaries = await viewer.call('people.summaries', { ids: [...expected.keys()] });
    for (const person of summaries.items) expect(person.badges).toEqual(expected.get(person.id));
    const found = await viewer.call('people.search', { query: pro.user.username });
    expect(found.items.find((person) => person.id === pro.id)?.badges).toEqual(['pro']);

    const post = await pre.call('posts.create', { text: 'Luna at the beach', visibility: 'public' });
    expect(post.author.badges).toEqual(['premium']);
    await pro.call('comments.add', { postId: post.id, text: '¡Qué linda!' });
    await free.call('comments.add', { postId: post.id, text: 'Hermosa' });
    const comments = await viewer.call('comments.list', { postId: post.id });
    const byAuthor = new Map(comments.items.map((comment) => [comment.author?.id, comment.author?.badges]));
    expect(byAuthor.get(pro.id)).toEqual(['pro']);
    expect(byAuthor.get(free.id)).toEqual([]);
    expect((await viewer.call('posts.get', { postId: post.id })).author.badges).toEqual(['premium']);
    await befriend(env.node, viewer, pro);
    const friends = await viewer.call('friends.list', { userId: viewer.id });
    expect(friends.items.find((friend) => friend.id === pro.id)?.badges).toEqual(['pro']);
  });

  test('badges: when the plan ends the plan badge and an approved mark go; the approval is kept and comes back with a new subscription', async () => {
    const fede = await premium();
    const asked = await ask(fede, 'creator');
    await approve(asked.id);
    const viewer = await pool.member();
    const badges = async () => (await viewer.call('profile.get', { userId: fede.id })).badges;
    expect(await badges()).toEqual(['verified', 'premium']);

    await endPlan(fede.subscription);
    expect(await badges()).toEqual([]);
    expect((await viewer.call('people.summaries', { ids: [fede.id] })).items[0]).toMatchObject({ verified: false, badges: [] });
    expect(await fede.call('verification.status', {})).toMatchObject({ request: { status: 'approved' }, verified: false, eligible: false });
    expect((await fede.refused('verification.request', { category: 'creator' })).code).toBe('PLAN_REQUIRED');

    await db().execute(sql`update subscriptions set status = 'canceled' where id = ${fede.subscription}`);
    await givePlan(db(), fede.id, 'pro');
    expect(await badges()).toEqual(['verified', 'pro']);
    expect((await fede.refused('verification.request', { category: 'creator' })).code).toBe('ALREADY_VERIFIED');
  });

  test('badges: notifications name their actor with badges; a lapsed plan hides an approved mark there too', async () => {
    const ivan = await premium();
    await approve((await ask(ivan)).id);
    const followed = await pool.member();
    await ivan.call('follows.follow', { userId: followed.id });
    await env.node.social.notifier.settled();
    const actorOf = async () => (await followed.call('notifications.list', {})).items.find((item) => item.actor?.id === ivan.id)?.actor;
    expect((await actorOf())?.badges).toEqual(['verified', 'premium']);
    await endPlan(ivan.subscription);
    expect(await actorOf()).toMatchObject({ verified: false, badges: [] });
  });

  test('badges: a mark an admin grants directly shows whatever the plan, is audited, and withdrawing it removes an approved one too', async () => {
    const [gina, hugo] = [await pool.member(), await premium()];
    const { socket } = await connectAs(env.node.url, admin.tokens.accessToken);
    const set = async (userId: string, verified: boolean) => {
      const reply = await socket.request({ type: 'call', op: 'profile.setVerified', body: { userId, verified } });
      expect(reply.type).toBe('reply');
    };
    await set(gina.id, true);
    expect((await hugo.call('profile.get', { userId: gina.id })).badges).toEqual(['verified']);
    await approve((await ask(hugo)).id);
    await set(hugo.id, false);
    expect((await gina.call('profile.get', { userId: hugo.id })).badges).toEqual(['premium']);
    expect((await audit(hugo.id)).map((row) => row.action)).toEqual(['approved', 'withdrawn']);
    expect(await audit(gina.id)).toEqual([expect.objectContaining({ action: 'granted', admin_id: admin.id, request_id: null })]);
    socket.close();
  });
});
