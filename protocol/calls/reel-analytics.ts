// Calls of a creator's reel analytics: what happened to one of their reels, or to all of them, as
// totals since posting, a series per UTC day over a window, where views came from and who watched
// (language and country, from the viewers' profile locale). Computed from the watching rows and
// the interaction log when asked, so the figures are current to the second. Only ever counts:
// no viewer is named, by id or otherwise. The totals are anyone's; the rest (series, sources,
// audience, top reels) is a feature of plans with `creatorAnalytics` (Premium, Pro).

import type { TSchema } from '@sinclair/typebox';
import { REEL_ANALYTICS_LIMITS, REEL_LIMITS, REEL_SOURCES } from '../lists.ts';
import { type CallSpec, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const Count = (description: string) => T.Integer({ minimum: 0, description });

const Days = T.Optional(
  T.Integer({
    minimum: 1,
    maximum: REEL_ANALYTICS_LIMITS.maxDays,
    description: `How many UTC days the series covers, today included (${REEL_ANALYTICS_LIMITS.defaultDays} by default, at most ${REEL_ANALYTICS_LIMITS.maxDays})`,
  }),
);

const TotalsOnly = T.Optional(
  T.Boolean({
    description:
      'Only the totals (and the window): what a plan without `creatorAnalytics` may read. Without it the call needs `creatorAnalytics` (PLAN_REQUIRED otherwise)',
  }),
);
/** A part left out of a `totalsOnly` answer. */
const Detail = <S extends TSchema>(schema: S) => T.Optional(schema);

const Totals = T.Object(
  {
    views: Count(
      `Views that counted (a viewer's watching passed ${REEL_LIMITS.viewAfterMs / 1000} s or half the reel): once per viewer and reel`,
    ),
    uniqueViewers: Count('People who played it at all, skips included; each person once, however many of the reels they played'),
    watchMs: Count(`Milliseconds watched by everyone, each viewer's watching of a reel capped at ${REEL_LIMITS.watchPlays} plays of it`),
    averageWatchMs: Count('watchMs per person and reel played, rounded (0 when nobody played it)'),
    completionRate: T.Number({
      minimum: 0,
      maximum: 1,
      description: 'Share of the people and reels played that were watched to the end (0 to 1; 0 when nobody played it)',
    }),
    reactions: Count('People who reacted (any reaction, counted once; taken back, it no longer counts)'),
    comments: Count('Comments written, replies included'),
    shares: Count('Shares into posts'),
    saves: Count('People who saved it and still do'),
    followersGained: Count(
      'Viewers whose view counted and who started following the creator after they first played the reel, and still follow (for all reels: each person once)',
    ),
  },
  { description: "Since posting. The creator's own reactions, comments, saves, shares and watching are not counted" },
);

const dayFields = {
  day: T.String({ format: 'date', description: 'A UTC day (YYYY-MM-DD)' }),
  views: Count('Views that counted that day'),
  watchMs: Count('Milliseconds watched by the viewers who started watching that day (watching is kept per viewer, not per day)'),
  reactions: Count('People who reacted that day and still do'),
  comments: Count('Comments written that day'),
  shares: Count('Shares made that day'),
  saves: Count('Saves made that day and still standing'),
  followersGained: Count('Followers gained that day through the reel(s), by the rule of `totals.followersGained`'),
};
const Day = T.Object(dayFields);
const CreatorDay = T.Object({
  ...dayFields,
  followers: Count('Everyone who started following the creator that day and still does, through reels or not'),
});

const Sources = T.Object(
  Object.fromEntries(REEL_SOURCES.map((source) => [source, Count(`Views first played from ${source}`)])) as Record<
    (typeof REEL_SOURCES)[number],
    ReturnType<typeof Count>
  >,
  {
    description:
      'Views by where the viewer first played it: for_you, following (the two tabs), profile (a reels grid), hashtag, sound (their pages), link (a message, a post or a notification)',
  },
);

const share = (what: string) =>
  T.Array(
    T.Object({
      key: T.String({ description: what }),
      viewers: Count('Viewers whose view counted'),
    }),
    {
      maxItems: REEL_ANALYTICS_LIMITS.audienceTop + 1,
      description: `The ${REEL_ANALYTICS_LIMITS.audienceTop} largest, most viewers first, then \`other\` for the rest when there is any. From each viewer's profile locale as it is now`,
    },
  );

const Audience = T.Object({
  languages: share('A language subtag of the locale (es, en…), lower case, or `other`'),
  countries: share(
    "The locale's region (MX in es-MX), upper case; `unknown` for a locale without one (es); `other`. The only country the platform knows of a person is the one their locale names",
  ),
});

const windowFields = {
  days: T.Integer({ minimum: 1, maximum: REEL_ANALYTICS_LIMITS.maxDays, description: 'Days in `series`' }),
  from: T.String({ format: 'date', description: 'The first UTC day of the series' }),
  to: T.String({ format: 'date', description: 'The last UTC day of the series: today' }),
  asOf: T.String({ format: 'date-time', description: 'When the figures were read' }),
};

const exampleReelId = '0192a1b2-4444-7000-8000-0000000000e1';
const exampleTotals = {
  views: 128,
  uniqueViewers: 141,
  watchMs: 2_310_000,
  averageWatchMs: 16_383,
  completionRate: 0.41,
  reactions: 37,
  comments: 9,
  shares: 4,
  saves: 11,
  followersGained: 6,
};
const exampleDay = {
  day: '2026-11-24',
  views: 52,
  watchMs: 910_000,
  reactions: 15,
  comments: 3,
  shares: 2,
  saves: 5,
  followersGained: 3,
};
const exampleSources = { for_you: 90, following: 21, profile: 9, hashtag: 6, sound: 0, link: 2 };
const exampleAudience = {
  languages: [
    { key: 'es', viewers: 101 },
    { key: 'en', viewers: 27 },
  ],
  countries: [
    { key: 'MX', viewers: 64 },
    { key: 'unknown', viewers: 40 },
    { key: 'AR', viewers: 24 },
  ],
};
const exampleWindow = { days: 1, from: '2026-11-24', to: '2026-11-24', asOf: '2026-11-24T18:00:00.000Z' };

export const reelAnalyticsCalls = {
  'reels.analytics': {
    description: `The analytics of one of the caller's reels: totals since posting, a series per UTC day over the last \`days\` days, views by source, and the audience by language and country. Counts only: no viewer is named. Someone else's reel, a deleted one or none at all is NOT_FOUND alike. The totals are anyone's (\`totalsOnly\`); the rest needs a plan with \`creatorAnalytics\` (PLAN_REQUIRED otherwise, checked first). Read when asked (current to the second); at most ${REEL_ANALYTICS_LIMITS.readsPerMinute} analytics calls a minute (RATE_LIMITED beyond).`,
    role: 'user',
    errors: ['NOT_FOUND', 'PLAN_REQUIRED'],
    request: T.Object({ reelId: Uuid, days: Days, totalsOnly: TotalsOnly }),
    response: T.Object({
      reelId: Uuid,
      postedAt: T.String({ format: 'date-time' }),
      ...windowFields,
      totals: Totals,
      series: Detail(T.Array(Day, { description: 'One entry per day, oldest first. Absent with `totalsOnly`' })),
      sources: Detail(Sources),
      audience: Detail(Audience),
    }),
    example: {
      request: { reelId: exampleReelId, days: 1 },
      response: {
        reelId: exampleReelId,
        postedAt: '2026-11-24T09:00:00.000Z',
        ...exampleWindow,
        totals: exampleTotals,
        series: [exampleDay],
        sources: exampleSources,
        audience: exampleAudience,
      },
    },
  },
  'reels.creatorAnalytics': {
    description: `The analytics of all the caller's reels together (deleted ones left out): the figures of reels.analytics summed (unique viewers and followers gained counted once per person), everyone who followed the caller each day, and the reels with the most views in the window. Counts only: no viewer is named. The totals and the number of reels are anyone's (\`totalsOnly\`); the rest needs a plan with \`creatorAnalytics\` (PLAN_REQUIRED otherwise). At most ${REEL_ANALYTICS_LIMITS.readsPerMinute} analytics calls a minute.`,
    role: 'user',
    errors: ['PLAN_REQUIRED'],
    request: T.Object({ days: Days, totalsOnly: TotalsOnly }),
    response: T.Object({
      ...windowFields,
      reels: Count('Reels of the caller, deleted ones left out'),
      totals: Totals,
      series: Detail(T.Array(CreatorDay, { description: 'One entry per day, oldest first. Absent with `totalsOnly`' })),
      sources: Detail(Sources),
      audience: Detail(Audience),
      topReels: Detail(
        T.Array(
          T.Object({
            reelId: Uuid,
            caption: T.String({ description: `The caption's first ${REEL_ANALYTICS_LIMITS.captionChars} characters` }),
            mediaId: Uuid,
            postedAt: T.String({ format: 'date-time' }),
            views: Count('Views that counted within the window'),
            totalViews: Count('Views since posting'),
          }),
          {
            maxItems: REEL_ANALYTICS_LIMITS.topReels,
            description: `Up to ${REEL_ANALYTICS_LIMITS.topReels} reels with views in the window, most first (the newer first on a tie). Absent with \`totalsOnly\``,
          },
        ),
      ),
    }),
    example: {
      request: { days: 1 },
      response: {
        ...exampleWindow,
        reels: 3,
        totals: exampleTotals,
        series: [{ ...exampleDay, followers: 4 }],
        sources: exampleSources,
        audience: exampleAudience,
        topReels: [
          {
            reelId: exampleReelId,
            caption: 'Luna learns to surf #perros #playa',
            mediaId: '0192a1b2-c3d4-7e5f-8a9b-0000000e1a00',
            postedAt: '2026-11-24T09:00:00.000Z',
            views: 52,
            totalViews: 128,
          },
        ],
      },
    },
  },
} satisfies Record<string, CallSpec>;
