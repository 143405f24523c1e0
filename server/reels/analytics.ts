// A creator's analytics of their reels, for one reel or all of them together, aggregated in SQL
// when asked (no cache: current to the second) over what watching and acting already record:
// `reel_viewers` (one row per viewer and reel: watch time, view counted, finished, the source it
// was first played from, first and last time), the interaction log (`reel_interactions`: a view
// when it counted, likes and saves while they stand, comments, shares; never the author's own),
// `follows` and the viewers' profile locale. All of it is read in one read-only snapshot.
//
// Rules the figures follow (PROTOCOL.md repeats them per field):
// - Followers gained through a reel: viewers whose view counted and who follow the creator since
//   after they first played it (follows.created_at > reel_viewers.first_at); an unfollow takes
//   them out, a person is counted once however many reels led them.
// - Watch time is kept per viewer, not per day: a day's watch time is that of the viewers who
//   started watching that day.
// - Language and country come from the viewer's profile locale as it is now: the language subtag,
//   and the region subtag (MX in es-MX) as the country, `unknown` when the locale has none.
// Only counts leave this module: no viewer id, name or locale of one person is ever answered.
//
// The plan: the totals are anyone's (`totalsOnly`); the series per day, the sources, the audience
// and the top reels are a Premium feature (`creatorAnalytics`, PLAN_REQUIRED without it).
import type { Static } from '@sinclair/typebox';
import { type SQL, sql } from 'drizzle-orm';
import type { reelAnalyticsCalls } from '../../protocol/calls/reel-analytics.ts';
import type { CallRequest } from '../../protocol/catalogue.ts';
import { REEL_ANALYTICS_LIMITS, REEL_SOURCES } from '../../protocol/lists.ts';
import { NotFoundError } from '../errors.ts';
import type { SocialDeps } from '../people/context.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';

type Response<N extends keyof typeof reelAnalyticsCalls> = Static<(typeof reelAnalyticsCalls)[N]['response']>;
type ReelAnalytics = Response<'reels.analytics'>;
type CreatorAnalytics = Response<'reels.creatorAnalytics'>;
type Totals = ReelAnalytics['totals'];
type Day = NonNullable<ReelAnalytics['series']>[number];
type Sources = NonNullable<ReelAnalytics['sources']>;
type Share = NonNullable<ReelAnalytics['audience']>['languages'];
type Deps = Pick<SocialDeps, 'db' | 'limiter' | 'entitlements'>;
type Reader = Pick<Database, 'execute'>;

const DAY_MS = 86_400_000;
const LOGGED = { view: 'views', like: 'reactions', comment: 'comments', share: 'shares', save: 'saves' } as const;
const utcDay = (at: string) => sql.raw(`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD')`);
const isoTime = (at: string) => sql.raw(`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The UTC days of the window ending today, oldest first, and the instant it starts. */
function windowOf(days: number, now: Date) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const list = Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
  return { list, start: new Date(today - (days - 1) * DAY_MS), from: list[0] as string, to: list[days - 1] as string };
}

async function rows<R>(reader: Reader, query: SQL): Promise<R[]> {
  return rowsOf<R>(await reader.execute(query));
}

type Watching = { views: number; unique_viewers: number; watch_ms: number; plays: number; completed: number };
type Logged = { kind: keyof typeof LOGGED; day: string; recent: boolean; n: number };
type Gained = { day: string; recent: boolean; n: number };

/** The totals since posting, from the watching rows, the interaction log and the followers gained. */
function totalsOf(watching: Watching | undefined, logged: Logged[], gained: Gained[]): Totals {
  const totals: Totals = {
    views: watching?.views ?? 0,
    uniqueViewers: watching?.unique_viewers ?? 0,
    watchMs: watching?.watch_ms ?? 0,
    averageWatchMs: watching?.plays ? Math.round(watching.watch_ms / watching.plays) : 0,
    completionRate: watching?.plays ? watching.completed / watching.plays : 0,
    reactions: 0,
    comments: 0,
    shares: 0,
    saves: 0,
    followersGained: 0,
  };
  for (const row of logged) {
    const field = LOGGED[row.kind];
    // Views are the viewer rows' (the log has one per counted view, so they agree).
    if (field !== 'views') totals[field] += row.n;
  }
  for (const row of gained) totals.followersGained += row.n;
  return totals;
}

/** The totals of the reels of `authorId` that `scope` selects (an SQL condition on `r`, the reels table), and what the series needs. */
async function totalsFigures(reader: Reader, authorId: string, scope: SQL, start: Date) {
  const [watching] = await rows<Watching>(
    reader,
    sql`select count(*) filter (where v.viewed)::int as views,
          count(distinct v.user_id) filter (where v.watched_ms > 0)::int as unique_viewers,
          coalesce(sum(v.watched_ms), 0)::float8 as watch_ms,
          count(*) filter (where v.watched_ms > 0)::int as plays,
          count(*) filter (where v.watched_ms > 0 and v.completed)::int as completed
        from reels r join reel_viewers v on v.reel_id = r.post_id where ${scope}`,
  );
  const logged = await rows<Logged>(
    reader,
    sql`select i.kind, ${utcDay('i.created_at')} as day, i.created_at >= ${start.toISOString()}::timestamptz as recent, count(*)::int as n
        from reels r join reel_interactions i on i.reel_id = r.post_id
        where ${scope} and i.kind in ('view', 'like', 'comment', 'share', 'save')
        group by 1, 2, 3`,
  );
  // Followers through the reels: each person once, on the day they followed.
  const gained = await rows<Gained>(
    reader,
    sql`select ${utcDay('f.created_at')} as day, f.created_at >= ${start.toISOString()}::timestamptz as recent, count(*)::int as n from follows f
        where f.followee_id = ${authorId} and exists (select 1 from reels r join reel_viewers v on v.reel_id = r.post_id
          where ${scope} and v.viewed and v.user_id = f.follower_id and f.created_at > v.first_at)
        group by 1, 2`,
  );
  return { totals: totalsOf(watching, logged, gained), logged, gained };
}

/** The figures common to both calls in full (creatorAnalytics): the totals, the series per day, the sources and the audience. */
async function figures(reader: Reader, authorId: string, scope: SQL, start: Date, days: string[]) {
  const { totals, logged, gained } = await totalsFigures(reader, authorId, scope, start);
  const watchedByDay = await rows<{ day: string; ms: number }>(
    reader,
    sql`select ${utcDay('v.first_at')} as day, sum(v.watched_ms)::float8 as ms
        from reels r join reel_viewers v on v.reel_id = r.post_id
        where ${scope} and v.first_at >= ${start.toISOString()}::timestamptz group by 1`,
  );
  const bySource = await rows<{ source: (typeof REEL_SOURCES)[number]; n: number }>(
    reader,
    sql`select v.source, count(*)::int as n from reels r join reel_viewers v on v.reel_id = r.post_id
        where ${scope} and v.viewed and v.source is not null group by 1`,
  );
  const audience = await rows<{ language: string; country: string; n: number }>(
    reader,
    sql`with viewers as (
          select distinct v.user_id from reels r join reel_viewers v on v.reel_id = r.post_id where ${scope} and v.viewed)
        select coalesce(nullif(lower(split_part(p.locale, '-', 1)), ''), 'unknown') as language,
          coalesce(upper(substring(p.locale from '-([A-Za-z]{2}|[0-9]{3})(?:-|$)')), 'unknown') as country,
          count(*)::int as n
        from viewers w left join profiles p on p.user_id = w.user_id group by 1, 2`,
  );

  const series = new Map<string, Day>(
    days.map((day) => [day, { day, views: 0, watchMs: 0, reactions: 0, comments: 0, shares: 0, saves: 0, followersGained: 0 }]),
  );
  for (const row of logged) {
    const day = row.recent ? series.get(row.day) : undefined;
    if (day !== undefined) day[LOGGED[row.kind]] += row.n;
  }
  for (const row of watchedByDay) {
    const day = series.get(row.day);
    if (day !== undefined) day.watchMs += row.ms;
  }
  for (const row of gained) {
    const day = row.recent ? series.get(row.day) : undefined;
    if (day !== undefined) day.followersGained += row.n;
  }
  const sources = Object.fromEntries(REEL_SOURCES.map((source) => [source, 0])) as Sources;
  for (const row of bySource) sources[row.source] += row.n;
  return {
    totals,
    series: [...series.values()],
    sources,
    audience: { languages: topOf(audience, 'language'), countries: topOf(audience, 'country') },
  };
}

/** The largest `audienceTop` groups by `key`, most first (then by key), and `other` for the rest. */
function topOf(found: { language: string; country: string; n: number }[], key: 'language' | 'country'): Share {
  const sums = new Map<string, number>();
  for (const row of found) sums.set(row[key], (sums.get(row[key]) ?? 0) + row.n);
  const sorted = [...sums].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const top = sorted.slice(0, REEL_ANALYTICS_LIMITS.audienceTop).map(([name, viewers]) => ({ key: name, viewers }));
  const rest = sorted.slice(REEL_ANALYTICS_LIMITS.audienceTop).reduce((sum, [, viewers]) => sum + viewers, 0);
  return rest > 0 ? [...top, { key: 'other', viewers: rest }] : top;
}

async function readOnly<R>(db: Database, read: (reader: Reader) => Promise<R>): Promise<R> {
  return db.transaction(read, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function limit(deps: Deps, userId: string) {
  await deps.limiter.hit({ name: 'reel-analytics', max: REEL_ANALYTICS_LIMITS.readsPerMinute, windowMs: 60_000 }, userId);
}

/**
 * The totals are anyone's; the rest (series, sources, audience, top reels) needs
 * `creatorAnalytics` (PLAN_REQUIRED), asked before anything is read.
 */
async function admit(deps: Deps, authorId: string, totalsOnly: boolean) {
  if (!totalsOnly) await deps.entitlements.require(authorId, 'creatorAnalytics');
  await limit(deps, authorId);
}

/** One reel of the caller's: NOT_FOUND alike for someone else's, a deleted one and none at all. */
export async function reelAnalytics(deps: Deps, authorId: string, request: CallRequest<'reels.analytics'>) {
  const { reelId, days = REEL_ANALYTICS_LIMITS.defaultDays, totalsOnly = false } = request;
  await admit(deps, authorId, totalsOnly);
  const now = new Date();
  const window = windowOf(days, now);
  return readOnly(deps.db, async (reader): Promise<ReelAnalytics> => {
    const [reel] = await rows<{ posted_at: string }>(
      reader,
      sql`select ${isoTime('created_at')} as posted_at from reels
          where post_id = ${reelId} and author_id = ${authorId} and deleted_at is null`,
    );
    if (reel === undefined) throw new NotFoundError('reel');
    const scope = sql`r.post_id = ${reelId}`;
    const found = totalsOnly
      ? { totals: (await totalsFigures(reader, authorId, scope, window.start)).totals }
      : await figures(reader, authorId, scope, window.start, window.list);
    return { reelId, postedAt: reel.posted_at, days, from: window.from, to: window.to, asOf: now.toISOString(), ...found };
  });
}

/** All the caller's reels together, deleted ones left out. */
export async function creatorAnalytics(deps: Deps, authorId: string, request: CallRequest<'reels.creatorAnalytics'>) {
  const { days = REEL_ANALYTICS_LIMITS.defaultDays, totalsOnly = false } = request;
  await admit(deps, authorId, totalsOnly);
  const now = new Date();
  const window = windowOf(days, now);
  return readOnly(deps.db, async (reader): Promise<CreatorAnalytics> => {
    const scope = sql`r.author_id = ${authorId} and r.deleted_at is null`;
    const [counted] = await rows<{ n: number }>(reader, sql`select count(*)::int as n from reels r where ${scope}`);
    const head = { days, from: window.from, to: window.to, asOf: now.toISOString(), reels: counted?.n ?? 0 };
    if (totalsOnly) return { ...head, totals: (await totalsFigures(reader, authorId, scope, window.start)).totals };
    const found = await figures(reader, authorId, scope, window.start, window.list);
    const followed = await rows<{ day: string; n: number }>(
      reader,
      sql`select ${utcDay('created_at')} as day, count(*)::int as n from follows
          where followee_id = ${authorId} and created_at >= ${window.start.toISOString()}::timestamptz group by 1`,
    );
    const followers = new Map(followed.map((row) => [row.day, row.n]));
    const top = await rows<{ reel_id: string; caption: string; media_id: string; posted_at: string; views: number; total: number }>(
      reader,
      sql`select r.post_id as reel_id, left(p.text, ${REEL_ANALYTICS_LIMITS.captionChars}) as caption, r.media_id,
            ${isoTime('r.created_at')} as posted_at, count(*)::int as views, r.view_count as total
          from reels r join posts p on p.id = r.post_id
          join reel_interactions i on i.reel_id = r.post_id and i.kind = 'view' and i.created_at >= ${window.start.toISOString()}::timestamptz
          where ${scope}
          group by r.post_id, p.id order by views desc, r.post_id desc limit ${REEL_ANALYTICS_LIMITS.topReels}`,
    );
    return {
      ...head,
      ...found,
      series: found.series.map((day) => ({ ...day, followers: followers.get(day.day) ?? 0 })),
      topReels: top.map((row) => ({
        reelId: row.reel_id,
        caption: row.caption,
        mediaId: row.media_id,
        postedAt: row.posted_at,
        views: row.views,
        totalViews: row.total,
      })),
    };
  });
}
