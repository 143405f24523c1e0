// Calls of reels: vertical videos of 15 s to 10 min (a `reel` upload, processed into an HLS
// ladder) with a caption, a cover frame, an audience (public or friends) and duet and stitch
// switches. A reel is a post: its caption is the post's text (mentions and hashtags linked), and
// reactions, comments, saves, shares, edits of the caption and deleting it are the posts calls on
// its id. What the player reports (reels.watch) counts views once per viewer and feeds the
// recommender and the creator's analytics.

import { REEL_FILTER_NAMES } from '../filters.ts';
import { MEDIA_LIMITS, REEL_AUDIENCES, REEL_LIMITS, REEL_SOURCES } from '../lists.ts';
import { type CallSpec, CreateKey, Cursor, exampleFriendId, examplePerson, OneOf, Page, PersonSummary, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';
import { examplePost, Post } from './posts.ts';

const Audience = OneOf(REEL_AUDIENCES, { description: 'public: anyone who may see the author; friends: their friends' });
const Source = OneOf(REEL_SOURCES, {
  description:
    'Where the player showed it: for_you, following (the two tabs), profile (a reels grid), hashtag, sound (their pages), link (opened from a message, a post or a notification)',
});

export const SoundSummary = T.Object({
  id: Uuid,
  title: T.Union([T.String({ maxLength: REEL_LIMITS.soundTitleChars }), T.Null()], {
    description: 'Its creator\'s title; null for an original sound they did not name (show "original sound – <creator>")',
  }),
  creator: PersonSummary,
  originReelId: Uuid,
  durationMs: T.Integer({ description: 'How long it plays' }),
});

const Filter = OneOf(REEL_FILTER_NAMES, {
  description: "A colour filter baked into the video (protocol/filters.ts gives each one's colour matrix, for a live preview)",
});

const Remix = T.Union(
  [
    T.Object({ kind: OneOf(['duet', 'stitch'] as const), reelId: Uuid, author: PersonSummary }),
    T.Object({ kind: OneOf(['duet', 'stitch'] as const), unavailable: T.Literal(true) }),
    T.Null(),
  ],
  {
    description:
      'The reel this one duets or stitches, credited; `unavailable` when it was deleted or the caller may not see it; null for a reel of its own',
  },
);

export const Reel = T.Object({
  post: Post,
  mediaId: Uuid,
  durationMs: T.Integer({ description: 'Its length, as the media pipeline measured it' }),
  coverMs: T.Integer({ description: 'The frame shown before it plays, as a time into the video' }),
  language: T.String({ description: "Primary language subtag of the author's locale when posting (es, en…)" }),
  allowDuet: T.Boolean(),
  allowStitch: T.Boolean(),
  views: T.Integer({ description: `People whose view counted: once each, after ${REEL_LIMITS.viewAfterMs / 1000} s or half the reel` }),
  sound: T.Union([SoundSummary, T.Null()], {
    description:
      "The sound heard: its own original sound, the sound it was made with, or (a duet) the original's; null for a silent reel, or when the sound is not available to the caller (its reel deleted, not public, a block)",
  }),
  remix: Remix,
  filter: T.Union([Filter, T.Null()]),
});

const exampleReelId = '0192a1b2-4444-7000-8000-0000000000e1';
const exampleReel = {
  post: {
    ...examplePost,
    id: exampleReelId,
    text: 'Luna learns to surf #perros #playa',
    entities: [
      { type: 'hashtag', start: 20, end: 27, value: 'perros' },
      { type: 'hashtag', start: 28, end: 34, value: 'playa' },
    ],
    visibility: 'public',
    mediaIds: ['0192a1b2-c3d4-7e5f-8a9b-0000000e1a00'],
  },
  mediaId: '0192a1b2-c3d4-7e5f-8a9b-0000000e1a00',
  durationMs: 24_000,
  coverMs: 2_000,
  language: 'es',
  allowDuet: true,
  allowStitch: true,
  views: 128,
  sound: {
    id: '0192a1b2-4444-7000-8000-0000000005d1',
    title: null,
    creator: examplePerson,
    originReelId: exampleReelId,
    durationMs: 24_000,
  },
  remix: null,
  filter: 'warm' as const,
};

const Why = T.Object(
  {
    hashtags: T.Number({ description: "Cosine between the caller's hashtag weights and the reel's hashtags (0 to 1)" }),
    embedding: T.Number({ description: "Cosine between the caller's taste vector and the reel's vector (0 to 1)" }),
    engagement: T.Number({
      description: 'Reactions, comments, shares, saves and finishes per view, smoothed for reels with few views (0 to 1)',
    }),
    freshness: T.Number({ description: 'Halves every 24 hours (0 to 1)' }),
    creator: T.Number({ description: '1, halved for each reel of this creator the caller was not interested in (at most three times)' }),
    score: T.Number({ description: '(0.4 × hashtags + 0.3 × embedding + 0.2 × engagement + 0.1 × freshness) × creator' }),
    rule: OneOf(['score', 'diversity', 'cold_start'] as const, {
      description:
        'score: the best left; diversity: a better one was by the creator just shown; cold_start: every 10th slot goes to a creator with little reach',
    }),
    widened: T.Union([OneOf(['older', 'language'] as const), T.Null()], {
      description: 'Found only after widening the search: older than 48 hours, or in another language',
    }),
  },
  { description: 'Why the reel is here: its four terms and the rule that placed it' },
);

const ReelTarget = T.Object({ reelId: T.String({ format: 'uuid', description: 'The reel (its post id)' }) });
const Caption = T.String({
  maxLength: REEL_LIMITS.captionChars,
  description: `Up to ${REEL_LIMITS.captionChars} characters; @username mentions, #tag links a hashtag`,
});

export const reelCalls = {
  'reels.create': {
    description: `Post a reel: a ready \`reel\` upload of yours (15 s to 10 min; media.get says ready). Someone else's media, or one of another kind, is NOT_FOUND; one still processing is MEDIA_NOT_READY; nothing is stored then. \`coverMs\` picks the cover frame (within the video: INVALID_INPUT otherwise; 0 by default). Post as one of your pets with \`petId\`. A media made by \`reels.compose\` carries what it was made from: the reel is credited to the sound it used, or to the reel it duets or stitches (checked again now: REMIX_NOT_ALLOWED if that reel's author turned the switch off meanwhile, NOT_FOUND if it is gone or blocked). Otherwise its own audio becomes an original sound of the author (\`soundTitle\`), which others can use. The reel is also a post (\`post\` in the answer): its friends and followers hear of it on \`feed:<id>\` as of any post (\`feed.post\`), and mentioned people who may see it are notified.`,
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MEDIA_NOT_READY', 'REMIX_NOT_ALLOWED'],
    request: T.Object({
      mediaId: Uuid,
      caption: T.Optional(Caption),
      audience: Audience,
      coverMs: T.Optional(T.Integer({ minimum: 0 })),
      allowDuet: T.Optional(T.Boolean({ description: 'Others may duet it (true by default)' })),
      allowStitch: T.Optional(T.Boolean({ description: 'Others may stitch it (true by default)' })),
      soundTitle: T.Optional(
        T.String({
          minLength: 1,
          maxLength: REEL_LIMITS.soundTitleChars,
          description: 'A title for its original sound (when its audio is its own: not made with a sound, not a duet)',
        }),
      ),
      petId: T.Optional(Uuid),
      clientId: CreateKey,
    }),
    response: Reel,
    example: {
      request: {
        mediaId: exampleReel.mediaId,
        caption: exampleReel.post.text,
        audience: 'public',
        coverMs: 2000,
        clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000e7',
      },
      response: { ...exampleReel, views: 0 },
    },
  },
  'reels.compose': {
    description: `Make the video of a reel on the server, from a ready \`video\` or \`reel\` upload of yours (the clip): cut it (\`trim\`), bake a colour \`filter\` into it, and at most one of: lay a \`sound\` under it (replacing its audio, or mixed with it at \`clipVolume\`); a \`duet\` (your clip on the left, the original on the right, as long as the shorter of the two, with the original's audio and yours at \`clipVolume\`); a \`stitch\` (${REEL_LIMITS.stitchMinMs / 1000} to ${REEL_LIMITS.stitchMaxMs / 1000} s of the original, then your clip). The answer is a new \`reel\` media, processing (follow it with \`media.changed\` or media.get); once ready, post it with reels.create, which credits the sound or the original. The result must last ${MEDIA_LIMITS.reel.minDurationMs / 1000} s to ${MEDIA_LIMITS.reel.maxDurationMs / 60_000} min, as any reel (INVALID_INPUT otherwise, before anything is made). A sound, or a reel to duet or stitch, must be one the caller may see (NOT_FOUND) and public, with its switch on (REMIX_NOT_ALLOWED). Someone else's clip is NOT_FOUND; one still processing MEDIA_NOT_READY. At most ${REEL_LIMITS.composePerHour} an hour (RATE_LIMITED), and the media limits of uploads apply (jobs at once, storage quota). The same \`clientId\` gives the same media.`,
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MEDIA_NOT_READY', 'REMIX_NOT_ALLOWED', 'QUOTA_EXCEEDED', 'TOO_MANY_UPLOADS'],
    request: T.Object({
      clipMediaId: Uuid,
      trim: T.Optional(
        T.Object(
          { startMs: T.Integer({ minimum: 0 }), endMs: T.Integer({ minimum: 1 }) },
          { description: `The part of the clip kept (at least ${REEL_LIMITS.trimMinMs / 1000} s, within the clip)` },
        ),
      ),
      filter: T.Optional(Filter),
      sound: T.Optional(
        T.Object({
          soundId: Uuid,
          volume: T.Optional(T.Integer({ minimum: 0, maximum: 100, description: "Percent of the sound's level (100 by default)" })),
          clipVolume: T.Optional(
            T.Integer({ minimum: 0, maximum: 100, description: "Percent of the clip's own audio kept under it (0 by default: replaced)" }),
          ),
        }),
      ),
      duet: T.Optional(
        T.Object({
          reelId: Uuid,
          clipVolume: T.Optional(T.Integer({ minimum: 0, maximum: 100, description: "Percent of your clip's audio (100 by default)" })),
        }),
      ),
      stitch: T.Optional(
        T.Object(
          { reelId: Uuid, startMs: T.Integer({ minimum: 0 }), endMs: T.Integer({ minimum: 1 }) },
          { description: 'The part of the original played first' },
        ),
      ),
      clientId: CreateKey,
    }),
    response: T.Object({
      mediaId: Uuid,
      durationMs: T.Integer({ description: 'How long the reel will last' }),
    }),
    example: {
      request: {
        clipMediaId: '0192a1b2-c3d4-7e5f-8a9b-0000000e1a07',
        duet: { reelId: exampleReelId },
        filter: 'warm',
        clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000e8',
      },
      response: { mediaId: '0192a1b2-c3d4-7e5f-8a9b-0000000e1a08', durationMs: 24_000 },
    },
  },
  'reels.get': {
    description:
      'One reel the caller may see (its audience, blocks either way; NOT_FOUND otherwise, and for a deleted one). Its reactions, comments and saves are the posts calls on `post.id`, which is also `reelId`.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: ReelTarget,
    response: Reel,
    example: { request: { reelId: exampleReelId }, response: exampleReel },
  },
  'reels.edit': {
    description:
      'Change one of your reels: its caption (kept in the post’s edit history, as posts.edit does), audience, cover frame and switches; what is not given stays. Someone else’s reel is NOT_FOUND. Turning an audience narrower ends followers of `post:<id>` who may no longer see it.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: T.Object({
      reelId: Uuid,
      caption: T.Optional(Caption),
      audience: T.Optional(Audience),
      coverMs: T.Optional(T.Integer({ minimum: 0 })),
      allowDuet: T.Optional(T.Boolean()),
      allowStitch: T.Optional(T.Boolean()),
    }),
    response: Reel,
    example: { request: { reelId: exampleReelId, allowDuet: false }, response: { ...exampleReel, allowDuet: false } },
  },
  'reels.byAuthor': {
    description:
      'The reels of a person the caller may see, newest first (their profile’s grid). A person who does not exist, or a block either way, gives an empty page.',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ userId: Uuid, cursor: Cursor }),
    response: Page(Reel),
    example: { request: { userId: exampleFriendId }, response: { items: [exampleReel], nextCursor: null } },
  },
  'reels.forYou': {
    description:
      'The For You feed, 10 reels a page: reels of the last 48 hours in your languages that you may see and have not watched (none of yours, none of creators you muted), ranked by the owner’s formula (see `why`), never two of one creator in a row, every 10th to a creator with little reach; older ones, then other languages, when fewer are left. `nextCursor` continues the session (no reel twice in it, for an hour); without it a new session starts (reels served but not watched may come again). What you watch (`reels.watch`), like, comment, share, save and mark not interested shapes the next pages.',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ cursor: Cursor }),
    response: Page(T.Object({ reel: Reel, why: Why })),
    example: {
      request: {},
      response: {
        items: [
          {
            reel: exampleReel,
            why: {
              hashtags: 0.71,
              embedding: 0.42,
              engagement: 0.33,
              freshness: 0.84,
              creator: 1,
              score: 0.5,
              rule: 'score',
              widened: null,
            },
          },
        ],
        nextCursor: 'WyIwMTkyYTFiMi00NDQ0LTcwMDAtODAwMC0wMDAwMDAwMDAwZjEiXQ',
      },
    },
  },
  'reels.following': {
    description:
      'The Following tab: reels of the people the caller follows (friends included when followed), newest first, those the caller may see; no blocked or muted creators.',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ cursor: Cursor }),
    response: Page(Reel),
    example: { request: {}, response: { items: [exampleReel], nextCursor: null } },
  },
  'reels.watch': {
    description: `What the player watched since its last report, in batches (every few seconds and when the player closes): per reel, the milliseconds watched (replays included, up to ${REEL_LIMITS.watchItemMs / 60000} min per item; a viewer's total per reel counts up to ${REEL_LIMITS.watchPlays} plays of it), whether it reached the end, whether the viewer swiped away before ${REEL_LIMITS.viewAfterMs / 1000} s (\`skipped\`), and where it was shown. A view counts once per viewer, when their total passes ${REEL_LIMITS.viewAfterMs / 1000} s or half the reel, whichever is shorter; the author's own watching counts nothing. Reels the caller may not see (deleted since, blocked, audience changed) are left out and listed in \`ignored\`; the rest is recorded. At most ${REEL_LIMITS.watchBatch} items, each reel once.`,
    role: 'user',
    errors: ['INVALID_INPUT'],
    request: T.Object({
      items: T.Array(
        T.Object({
          reelId: Uuid,
          watchedMs: T.Integer({ minimum: 0, maximum: REEL_LIMITS.watchItemMs }),
          completed: T.Boolean({ description: 'Played to its end at least once in this stretch' }),
          skipped: T.Boolean({ description: `Swiped away before ${REEL_LIMITS.viewAfterMs / 1000} s` }),
          source: Source,
        }),
        { minItems: 1, maxItems: REEL_LIMITS.watchBatch },
      ),
    }),
    response: T.Object({
      counted: T.Array(Uuid, { description: 'Reels whose view counted with this batch' }),
      ignored: T.Array(Uuid, { description: 'Reels the caller may not see: nothing recorded for them' }),
    }),
    example: {
      request: { items: [{ reelId: exampleReelId, watchedMs: 6400, completed: false, skipped: false, source: 'for_you' }] },
      response: { counted: [exampleReelId], ignored: [] },
    },
  },
  'reels.notInterested': {
    description:
      'Say the caller is not interested in a reel they may see: it leaves their feeds, and the For You feed shows less of its creator and hashtags. `interested: true` takes it back. NOT_FOUND for a reel they may not see; their own reel is INVALID_INPUT.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: T.Object({ reelId: Uuid, interested: T.Optional(T.Boolean()) }),
    response: T.Object({ notInterested: T.Boolean() }),
    example: { request: { reelId: exampleReelId }, response: { notInterested: true } },
  },
} satisfies Record<string, CallSpec>;
