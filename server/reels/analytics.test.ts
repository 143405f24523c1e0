// A creator's reel analytics through the protocol: the figures equal what viewers did (watching
// from several sources and locales, reactions, comments, saves and shares, some taken back, follows
// before and after watching, the creator's own acts left out), the days window and its UTC days,
// and the abuse cases: someone else's reel, a deleted one, extra fields, windows out of range,
// the rate limit, and no viewer id or name anywhere in an answer, a blocked viewer's included.
// The series, sources, audience and top reels are a plan's (`creatorAnalytics`): creators here are
// on Premium unless a test is about the plan; without it only the totals are answered.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REEL_ANALYTICS_LIMITS } from '../../protocol/lists.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { mediaRow } from '../../test/harness/media-rows.ts';
import { givePlan } from '../../test/harness/plans.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('reel-analytics');
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const db = () => env.node.platform.database.db;

async function reel(author: Member, caption = 'Luna surfs #perros', durationMs = 30_000) {
  const mediaId = await mediaRow(db(), author.id, 'reel', { durationMs });
  return (await author.call('reels.create', { mediaId, audience: 'public', caption })).post.id;
}

type Source = 'for_you' | 'following' | 'profile' | 'hashtag' | 'sound' | 'link';
const watch = (viewer: Member, reelId: string, watchedMs: number, source: Source, extra: { completed?: boolean; skipped?: boolean } = {}) =>
  viewer.call('reels.watch', { items: [{ reelId, watchedMs, completed: false, skipped: false, source, ...extra }] });

async function viewerIn(locale: string) {
  const viewer = await pool.member();
  await viewer.call('profile.update', { locale });
  return viewer;
}

/** A creator on Premium: their analytics come in full. */
async function premium() {
  const member = await pool.member();
  await givePlan(db(), member.id, 'premium');
  return member;
}

/** A full answer (a plan with `creatorAnalytics`): the parts `totalsOnly` leaves out are there. */
function full<R extends { series?: unknown; sources?: unknown; audience?: unknown }>(answer: R): Required<R> {
  expect(answer.series).toBeDefined();
  expect(answer.sources).toBeDefined();
  expect(answer.audience).toBeDefined();
  return answer as Required<R>;
}

const today = () => new Date().toISOString().slice(0, 10);
const zeroDay = { views: 0, watchMs: 0, reactions: 0, comments: 0, shares: 0, saves: 0, followersGained: 0 };

describe('reel analytics: the figures', () => {
  test('reel analytics: views, viewers, watch time, completion, reactions, comments, shares, saves, followers, sources and audience equal what viewers did', async () => {
    const creator = await premium();
    const a = await reel(creator, 'Luna learns to surf #perros #playa');
    const b = await reel(creator, 'Kira naps');
    const v1 = await viewerIn('es-MX');
    const v2 = await viewerIn('es-AR');
    const v3 = await viewerIn('en');
    const v4 = await viewerIn('pt-BR');
    const v5 = await viewerIn('es-MX');
    // v5 followed before watching: no follower gained by the reel.
    await v5.call('follows.follow', { userId: creator.id });
    await watch(v1, a, 30_000, 'for_you', { completed: true });
    await watch(v2, a, 5_000, 'following');
    await watch(v3, a, 1_000, 'hashtag', { skipped: true });
    await watch(v4, a, 3_000, 'profile');
    await watch(v5, a, 30_000, 'sound', { completed: true });
    // Following after watching: v1 and v2 count; v3's view did not count, so v3 does not.
    for (const viewer of [v1, v2, v3]) await viewer.call('follows.follow', { userId: creator.id });
    // v1 watches the second reel after following: nothing gained through it.
    await watch(v1, b, 10_000, 'link');

    await v1.call('posts.react', { postId: a, kind: 'like' });
    await v2.call('posts.react', { postId: a, kind: 'haha' });
    await v4.call('posts.react', { postId: a, kind: 'love' });
    await v4.call('posts.react', { postId: a, kind: null });
    await v1.call('comments.add', { postId: a, text: '¡Qué ola!' });
    await v1.call('comments.add', { postId: a, text: 'Otra vez' });
    await v2.call('posts.save', { postId: a, saved: true });
    await v4.call('posts.save', { postId: a, saved: true });
    await v4.call('posts.save', { postId: a, saved: false });
    await v5.call('posts.create', { text: 'look', visibility: 'public', sharedPostId: a });
    // The creator's own acts count nothing.
    await creator.call('posts.react', { postId: a, kind: 'love' });
    await creator.call('comments.add', { postId: a, text: 'Thanks!' });
    await watch(creator, a, 30_000, 'profile', { completed: true });
    // A viewer who blocks the creator afterwards stays counted, and unnamed.
    await v4.call('blocks.block', { userId: creator.id });

    const one = full(await creator.call('reels.analytics', { reelId: a, days: 7 }));
    expect(one).toMatchObject({ reelId: a, days: 7, to: today() });
    expect(one.totals).toEqual({
      views: 4,
      uniqueViewers: 5,
      watchMs: 69_000,
      averageWatchMs: 13_800,
      completionRate: 0.4,
      reactions: 2,
      comments: 2,
      shares: 1,
      saves: 1,
      followersGained: 2,
    });
    expect(one.series).toHaveLength(7);
    expect(one.series.map((day) => day.day)).toEqual([...one.series.map((day) => day.day)].sort());
    expect(one.series.at(-1)).toEqual({
      day: today(),
      views: 4,
      watchMs: 69_000,
      reactions: 2,
      comments: 2,
      shares: 1,
      saves: 1,
      followersGained: 2,
    });
    for (const day of one.series.slice(0, -1)) expect(day).toEqual({ day: day.day, ...zeroDay });
    expect(one.sources).toEqual({ for_you: 1, following: 1, profile: 1, hashtag: 0, sound: 1, link: 0 });
    expect(one.audience).toEqual({
      languages: [
        { key: 'es', viewers: 3 },
        { key: 'pt', viewers: 1 },
      ],
      countries: [
        { key: 'MX', viewers: 2 },
        { key: 'AR', viewers: 1 },
        { key: 'BR', viewers: 1 },
      ],
    });

    const all = full(await creator.call('reels.creatorAnalytics', { days: 7 }));
    expect(all).toMatchObject({ days: 7, reels: 2, to: today() });
    expect(all.totals).toEqual({
      views: 5,
      uniqueViewers: 5,
      watchMs: 79_000,
      averageWatchMs: Math.round(79_000 / 6),
      completionRate: 2 / 6,
      reactions: 2,
      comments: 2,
      shares: 1,
      saves: 1,
      followersGained: 2,
    });
    // Everyone who followed today (v5 before watching, v3 without a counted view included).
    expect(all.series.at(-1)).toMatchObject({ views: 5, watchMs: 79_000, followersGained: 2, followers: 4 });
    expect(all.sources).toEqual({ for_you: 1, following: 1, profile: 1, hashtag: 0, sound: 1, link: 1 });
    expect(all.audience).toEqual(one.audience);
    expect(all.topReels.map((top) => [top.reelId, top.views, top.totalViews, top.caption])).toEqual([
      [a, 4, 4, 'Luna learns to surf #perros #playa'],
      [b, 1, 1, 'Kira naps'],
    ]);

    // Counts only: no viewer's id or name anywhere in either answer.
    const text = JSON.stringify([one, all]);
    for (const viewer of [v1, v2, v3, v4, v5]) {
      expect(text).not.toContain(viewer.id);
      expect(text).not.toContain(viewer.user.username);
    }
  });

  test('reel analytics: the series covers the last `days` UTC days (28 by default); totals stay since posting; more than 10 languages end in `other`', async () => {
    const creator = await premium();
    const reelId = await reel(creator);
    const early = await viewerIn('de-AT');
    await watch(early, reelId, 4_000, 'for_you');
    await early.call('follows.follow', { userId: creator.id });
    // As if they first played it eleven days ago, and their view counted and they followed ten days ago.
    await db().execute(sql`update reels set created_at = now() - interval '20 days' where post_id = ${reelId}`);
    await db().execute(
      sql`update reel_viewers set first_at = now() - interval '11 days' where reel_id = ${reelId} and user_id = ${early.id}`,
    );
    await db().execute(
      sql`update reel_interactions set created_at = now() - interval '10 days' where reel_id = ${reelId} and user_id = ${early.id}`,
    );
    await db().execute(
      sql`update follows set created_at = now() - interval '10 days' where follower_id = ${early.id} and followee_id = ${creator.id}`,
    );
    const locales = ['en', 'es', 'fr', 'pt', 'it', 'ja', 'ko', 'nl', 'pl', 'tr', 'vi', 'th'];
    for (const locale of locales) await watch(await viewerIn(locale), reelId, 4_000, 'following');

    const week = full(await creator.call('reels.analytics', { reelId, days: 7 }));
    expect(week.series.reduce((sum, day) => sum + day.views, 0)).toBe(locales.length);
    expect(week.series.reduce((sum, day) => sum + day.followersGained, 0)).toBe(0);
    expect(week.totals).toMatchObject({ views: locales.length + 1, followersGained: 1 });

    const month = full(await creator.call('reels.analytics', { reelId }));
    expect(month.days).toBe(REEL_ANALYTICS_LIMITS.defaultDays);
    expect(month.series).toHaveLength(REEL_ANALYTICS_LIMITS.defaultDays);
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const elevenDaysAgo = new Date(Date.now() - 11 * 86_400_000).toISOString().slice(0, 10);
    expect(month.series.find((day) => day.day === tenDaysAgo)).toMatchObject({ views: 1, watchMs: 0, followersGained: 1 });
    expect(month.series.find((day) => day.day === elevenDaysAgo)).toMatchObject({ views: 0, watchMs: 4_000, followersGained: 0 });
    expect(month.series.find((day) => day.day === today())).toMatchObject({ views: locales.length, watchMs: locales.length * 4_000 });
    expect(month.from).toBe(new Date(Date.now() - 27 * 86_400_000).toISOString().slice(0, 10));
    // Watch time counts on the day the viewer started watching.
    expect(month.series.reduce((sum, day) => sum + day.watchMs, 0)).toBe((locales.length + 1) * 4_000);

    // 13 languages of one viewer each: the first 10 by key (a tie), then the other 3 together.
    const languages = month.audience.languages;
    expect(languages).toHaveLength(11);
    expect(languages.at(-1)).toEqual({ key: 'other', viewers: 3 });
    expect(languages.slice(0, 10).map((row) => row.key)).toEqual([...languages.slice(0, 10).map((row) => row.key)].sort());
    expect(month.audience.countries).toEqual([
      { key: 'unknown', viewers: 12 },
      { key: 'AT', viewers: 1 },
    ]);
    const all = full(await creator.call('reels.creatorAnalytics', { days: 7 }));
    expect(all.series.reduce((sum, day) => sum + day.followers, 0)).toBe(0);
    expect(full(await creator.call('reels.creatorAnalytics', {})).series.reduce((sum, day) => sum + day.followers, 0)).toBe(1);
  });

  test('reel analytics: a creator without reels gets zeros, no top reels and an empty audience', async () => {
    const creator = await premium();
    const all = full(await creator.call('reels.creatorAnalytics', { days: 1 }));
    expect(all).toMatchObject({
      days: 1,
      from: today(),
      to: today(),
      reels: 0,
      topReels: [],
      audience: { languages: [], countries: [] },
      series: [{ day: today(), ...zeroDay, followers: 0 }],
    });
    expect(all.totals).toEqual({ ...zeroDay, uniqueViewers: 0, averageWatchMs: 0, completionRate: 0, watchMs: 0 });
  });
});

describe('reel analytics: abuse', () => {
  test('reel analytics: someone else’s reel, an unknown id and a deleted reel are NOT_FOUND alike; a deleted reel leaves the creator’s figures', async () => {
    const [creator, other] = await Promise.all([premium(), premium()]);
    const reelId = await reel(creator);
    const viewer = await viewerIn('es');
    await watch(viewer, reelId, 5_000, 'for_you');
    expect((await other.refused('reels.analytics', { reelId })).code).toBe('NOT_FOUND');
    expect((await viewer.refused('reels.analytics', { reelId, totalsOnly: true })).code).toBe('NOT_FOUND');
    expect((await creator.refused('reels.analytics', { reelId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    // Another creator's analytics of their own see nothing of this reel.
    expect((await other.call('reels.creatorAnalytics', {})).totals.views).toBe(0);
    expect((await creator.call('reels.creatorAnalytics', {})).totals.views).toBe(1);
    await creator.call('posts.delete', { postId: reelId });
    expect((await creator.refused('reels.analytics', { reelId })).code).toBe('NOT_FOUND');
    expect(await creator.call('reels.creatorAnalytics', {})).toMatchObject({ reels: 0, totals: { views: 0 }, topReels: [] });
  });

  test('reel analytics: extra fields and windows of 0, 91, a huge, a fractional or a negative number of days are INVALID_BODY', async () => {
    const creator = await premium();
    const reelId = await reel(creator);
    const refusals: [string, unknown][] = [
      ['reels.analytics', { reelId, userId: creator.id }],
      ['reels.analytics', { reelId, days: 7, viewers: true }],
      ['reels.creatorAnalytics', { userId: crypto.randomUUID() }],
      ['reels.analytics', { reelId: 'not-a-uuid' }],
      ['reels.analytics', {}],
    ];
    for (const days of [0, REEL_ANALYTICS_LIMITS.maxDays + 1, 1e12, 1.5, -1, '7']) {
      refusals.push(['reels.analytics', { reelId, days }]);
      refusals.push(['reels.creatorAnalytics', { days }]);
    }
    for (const [op, body] of refusals)
      expect((await creator.refused(op as 'reels.analytics', body)).code, `${op} ${JSON.stringify(body)}`).toBe('INVALID_BODY');
    expect(full(await creator.call('reels.analytics', { reelId, days: REEL_ANALYTICS_LIMITS.maxDays })).series).toHaveLength(
      REEL_ANALYTICS_LIMITS.maxDays,
    );
  });

  test('reel analytics: more than 30 analytics calls a minute are RATE_LIMITED', async () => {
    const creator = await premium();
    for (let i = 0; i < REEL_ANALYTICS_LIMITS.readsPerMinute; i++) await creator.call('reels.creatorAnalytics', { days: 1 });
    expect((await creator.refused('reels.creatorAnalytics', { days: 1 })).code).toBe('RATE_LIMITED');
    expect((await creator.refused('reels.analytics', { reelId: crypto.randomUUID() })).code).toBe('RATE_LIMITED');
  });
});

describe('reel analytics: the plan', () => {
  test('reel analytics: without creatorAnalytics the full figures are PLAN_REQUIRED (naming Premium) and the totals alone are answered; Basic is not enough', async () => {
    const creator = await pool.member();
    const reelId = await reel(creator);
    await watch(await viewerIn('es-MX'), reelId, 30_000, 'for_you', { completed: true });
    const required = { code: 'PLAN_REQUIRED', details: { entitlement: 'creatorAnalytics', plan: 'premium' } };
    expect(await creator.refused('reels.analytics', { reelId })).toEqual(required);
    expect(await creator.refused('reels.creatorAnalytics', { days: 7 })).toEqual(required);
    expect(await creator.refused('reels.analytics', { reelId, totalsOnly: false })).toEqual(required);
    // The plan is checked first: a free caller learns nothing of a reel that is not theirs either.
    expect(await creator.refused('reels.analytics', { reelId: crypto.randomUUID() })).toEqual(required);

    const one = await creator.call('reels.analytics', { reelId, totalsOnly: true });
    expect(one).toMatchObject({ reelId, totals: { views: 1, uniqueViewers: 1, watchMs: 30_000, completionRate: 1 } });
    for (const part of ['series', 'sources', 'audience']) expect(one).not.toHaveProperty(part);
    const all = await creator.call('reels.creatorAnalytics', { totalsOnly: true });
    expect(all).toMatchObject({ reels: 1, totals: { views: 1 } });
    for (const part of ['series', 'sources', 'audience', 'topReels']) expect(all).not.toHaveProperty(part);
    // Someone else's reel stays NOT_FOUND with totals only.
    const other = await pool.member();
    expect((await other.refused('reels.analytics', { reelId, totalsOnly: true })).code).toBe('NOT_FOUND');

    await givePlan(db(), creator.id, 'basic');
    expect(await creator.refused('reels.creatorAnalytics', {})).toEqual(required);
  });

  test('reel analytics: Premium and Pro get the full figures; when the plan ends (cancelled, period over) they are PLAN_REQUIRED again', async () => {
    const [onPremium, onPro] = [await pool.member(), await pool.member()];
    const reelId = await reel(onPremium);
    const subscription = await givePlan(db(), onPremium.id, 'premium');
    await givePlan(db(), onPro.id, 'pro');
    full(await onPremium.call('reels.analytics', { reelId, days: 1 }));
    expect(full(await onPro.call('reels.creatorAnalytics', { days: 1 })).topReels).toEqual([]);
    await db().execute(
      sql`update subscriptions set cancel_at_period_end = true, current_period_end = now() - interval '1 minute' where id = ${subscription}`,
    );
    expect((await onPremium.refused('reels.analytics', { reelId })).code).toBe('PLAN_REQUIRED');
    expect((await onPremium.call('reels.analytics', { reelId, totalsOnly: true })).totals.views).toBe(0);
  });
});
