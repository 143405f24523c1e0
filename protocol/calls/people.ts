// Calls about people: profiles (what others see of a user, filtered by the viewer's relation and
// the user's privacy settings), privacy settings, and finding people.

import { PROFILE_POSTS_COUNT_CAP } from '../lists.ts';
import { type CallSpec, Cursor, examplePerson, exampleUserId, Page, PersonSummary, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const Audience = T.Union([T.Literal('public'), T.Literal('friends'), T.Literal('close_friends'), T.Literal('only_me')]);

/** How the viewer stands with someone, from the viewer's side. */
export const Relation = T.Object({
  state: T.Union([T.Literal('self'), T.Literal('none'), T.Literal('request_sent'), T.Literal('request_received'), T.Literal('friends')]),
  closeFriend: T.Boolean({ description: 'The viewer has them in their close-friends circle' }),
  following: T.Boolean({ description: 'The viewer follows them' }),
  followedBy: T.Boolean({ description: 'They follow the viewer' }),
  blocked: T.Boolean({ description: 'The viewer blocked them' }),
});
export const exampleRelation = { state: 'friends', closeFriend: false, following: false, followedBy: false, blocked: false };

const Location = T.Object({
  latitude: T.Number({ minimum: -90, maximum: 90 }),
  longitude: T.Number({ minimum: -180, maximum: 180 }),
  placeName: T.String({ maxLength: 100 }),
});

const Profile = T.Object({
  ...PersonSummary.properties,
  coverMediaId: T.Union([Uuid, T.Null()]),
  joinedAt: T.String({ format: 'date-time' }),
  relation: Relation,
  bio: T.Optional(T.String({ description: 'Absent when the viewer may not see profile details' })),
  locale: T.Optional(T.String()),
  timezone: T.Optional(T.String()),
  location: T.Optional(
    T.Object(
      { latitude: T.Number(), longitude: T.Number(), placeName: T.String() },
      { description: 'Rounded to 0.01° (about 1 km) for others; exact for the user. Absent unless its audience allows' },
    ),
  ),
  friends: T.Optional(T.Integer({ description: 'How many friends; absent unless the friends list is visible' })),
  followers: T.Integer(),
  posts: T.Integer({
    maximum: PROFILE_POSTS_COUNT_CAP,
    description: `How many of their posts (shares included) the viewer may see, what \`posts.byAuthor\` lists; counted up to ${PROFILE_POSTS_COUNT_CAP} (that many means at least that many)`,
  }),
  pets: T.Optional(T.Integer({ description: 'How many pets; absent unless pets are visible' })),
  canSendRequest: T.Boolean(),
  canFollow: T.Boolean(),
  canMessage: T.Boolean(),
  canSeePresence: T.Boolean(),
});

const exampleProfile = {
  ...examplePerson,
  coverMediaId: null,
  joinedAt: '2026-11-01T10:00:00.000Z',
  relation: exampleRelation,
  bio: 'Two dogs, one cat, zero free time.',
  locale: 'es-MX',
  timezone: 'America/Mexico_City',
  followers: 12,
  posts: 57,
  friends: 40,
  pets: 3,
  canSendRequest: false,
  canFollow: false,
  canMessage: true,
  canSeePresence: true,
};

const PrivacySettings = T.Object({
  profileDetails: Audience,
  pets: Audience,
  friendsList: Audience,
  location: Audience,
  presence: T.Union([T.Literal('friends'), T.Literal('close_friends'), T.Literal('only_me')]),
  friendRequests: T.Union([T.Literal('everyone'), T.Literal('friends_of_friends'), T.Literal('nobody')]),
  messages: T.Union([T.Literal('everyone'), T.Literal('friends'), T.Literal('nobody')]),
});
const examplePrivacy = {
  profileDetails: 'public',
  pets: 'public',
  friendsList: 'friends',
  location: 'only_me',
  presence: 'friends',
  friendRequests: 'everyone',
  messages: 'friends',
};

export const peopleCalls = {
  'profile.get': {
    description:
      "Someone's profile as the caller may see it: fields the user's privacy settings hide are absent, and a user who blocked the caller (or whom the caller blocked) is NOT_FOUND. Give `userId` or `username`. Follow `profile:<userId>` for changes.",
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: T.Object({ userId: T.Optional(Uuid), username: T.Optional(T.String({ minLength: 1, maxLength: 64 })) }),
    response: Profile,
    example: { request: { username: 'bruno_y_max' }, response: exampleProfile },
  },
  'profile.update': {
    description:
      "Change the caller's own profile; absent fields stay as they are. `location: null` removes it; a new location counts against the server's LOCATION_CHANGES_PER_DAY (5 by default): RATE_LIMITED (with `retryAfterMs`) beyond, nothing changed; the same point again or a removal does not count. `timezone` is an IANA name; `locale` one of the 20 languages or a regional variant. Replies with the profile as the caller sees it.",
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MEDIA_NOT_READY'],
    request: T.Object(
      {
        displayName: T.Optional(T.String({ maxLength: 60 })),
        bio: T.Optional(T.String({ maxLength: 500 })),
        avatarMediaId: T.Optional(T.Union([Uuid, T.Null()])),
        coverMediaId: T.Optional(T.Union([Uuid, T.Null()])),
        location: T.Optional(T.Union([Location, T.Null()])),
        locale: T.Optional(T.String({ maxLength: 10 })),
        timezone: T.Optional(T.String({ maxLength: 64 })),
        accountType: T.Optional(T.Union([T.Literal('personal'), T.Literal('business')])),
      },
      { additionalProperties: false },
    ),
    response: Profile,
    example: {
      request: { bio: 'Two dogs, one cat, zero free time.' },
      response: { ...exampleProfile, relation: { ...exampleRelation, state: 'self' } },
    },
  },
  'profile.setVerified': {
    description:
      'Grant or withdraw the verified mark directly, audited with the admin. A mark granted this way shows whatever the plan (one approved from a `verification.request` shows while the plan has `verification`); withdrawing removes either. Admins only.',
    role: 'admin',
    errors: ['SESSION_REVOKED', 'NOT_FOUND'],
    request: T.Object({ userId: Uuid, verified: T.Boolean() }),
    response: T.Object({ userId: Uuid, verified: T.Boolean() }),
    example: { request: { userId: exampleUserId, verified: true }, response: { userId: exampleUserId, verified: true } },
  },
  'people.search': {
    description:
      'People whose username or display name starts with `query` (case and accents ignored), by username. Blocked users on either side never appear.',
    role: 'user',
    errors: ['INVALID_INPUT', 'INVALID_CURSOR'],
    request: T.Object({ query: T.String({ minLength: 1, maxLength: 60 }), cursor: Cursor }),
    response: Page(PersonSummary),
    example: { request: { query: 'bru' }, response: { items: [examplePerson], nextCursor: null } },
  },
  'people.summaries': {
    description:
      'People by id as lists show them (to name the sender of a message, a former member, someone in a system line). Unknown ids and people blocked on either side are left out.',
    role: 'user',
    errors: [],
    request: T.Object({ ids: T.Array(Uuid, { minItems: 1, maxItems: 100, uniqueItems: true }) }),
    response: T.Object({ items: T.Array(PersonSummary) }),
    example: { request: { ids: [examplePerson.id] }, response: { items: [examplePerson] } },
  },
  'privacy.get': {
    description: "The caller's privacy settings.",
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: PrivacySettings,
    example: { request: {}, response: examplePrivacy },
  },
  'privacy.update': {
    description:
      'Change privacy settings; absent fields stay. Takes effect on every read path at once: followers of `presence:<id>` or `profile:<id>` who may no longer see it are unsubscribed with a `revoked` frame.',
    role: 'user',
    errors: [],
    request: T.Partial(PrivacySettings, { additionalProperties: false }),
    response: PrivacySettings,
    example: { request: { location: 'friends' }, response: { ...examplePrivacy, location: 'friends' } },
  },
} satisfies Record<string, CallSpec>;
