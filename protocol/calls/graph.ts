// Calls of the social graph: friend requests, friends and the close-friends circle, follows of
// public profiles and business pages, blocks, and suggestions. Every change reaches both users'
// sessions as a `relation.changed` event on their `user:<id>` topics (a blocked user sees the
// relation end, never the block itself).

import { DISTANCE_BANDS } from '../lists.ts';
import { type CallSpec, Cursor, exampleFriendId, examplePerson, Page, PersonSummary, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';
import { exampleRelation, Relation } from './people.ts';

const Target = T.Object({ userId: Uuid });
const RelationReply = T.Object({ userId: Uuid, relation: Relation });
const example = (state: string, extra: Record<string, unknown> = {}) => ({
  request: { userId: exampleFriendId },
  response: { userId: exampleFriendId, relation: { ...exampleRelation, state, ...extra } },
});

const Friend = T.Object({
  ...PersonSummary.properties,
  since: T.String({ format: 'date-time' }),
  closeFriend: T.Optional(T.Boolean({ description: 'In your own list only: in your close-friends circle' })),
});

const Suggestion = T.Object({
  person: PersonSummary,
  mutualFriends: T.Integer({ minimum: 0 }),
  sharedSpecies: T.Array(T.String(), { description: 'Species you both have pets of' }),
  distanceBand: T.Union([...DISTANCE_BANDS.map(({ band }) => T.Literal(band)), T.Null()], {
    description:
      'How far they are, as a band (`0-1km` is under 1 km, `1-5km` from 1 up to 5 km, and so on to 50 km), taken between the two rounded locations (0.01°, as profile.get shows them); only for people within 50 km who share their location publicly, when the caller has set one. No finer distance is ever sent.',
  }),
  score: T.Number({
    description: 'What ordered the list: 3 per mutual friend, 1 per shared species, and 2, 1.6, 1.2, 0.8 or 0.4 for the distance band',
  }),
});

export const graphCalls = {
  'friends.request': {
    description:
      'Ask someone to be friends. If they had already asked the caller, this accepts. FORBIDDEN (`REQUESTS_NOT_ALLOWED`) when their settings refuse requests from the caller; NOT_FOUND across a block.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'REQUESTS_NOT_ALLOWED'],
    request: Target,
    response: RelationReply,
    example: example('request_sent'),
  },
  'friends.accept': {
    description: "Accept someone's pending request. NOT_FOUND when there is none.",
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: Target,
    response: RelationReply,
    example: example('friends'),
  },
  'friends.decline': {
    description: "Decline someone's pending request. They are not told; their request simply ends.",
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: Target,
    response: RelationReply,
    example: example('none'),
  },
  'friends.cancel': {
    description: 'Withdraw a request the caller sent.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: Target,
    response: RelationReply,
    example: example('none'),
  },
  'friends.remove': {
    description: 'Unfriend: ends the friendship on both sides, and the close-friends marks with it.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: Target,
    response: RelationReply,
    example: example('none'),
  },
  'friends.setClose': {
    description: "Put a friend in the caller's close-friends circle, or take them out. They are not told.",
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: T.Object({ userId: Uuid, close: T.Boolean() }),
    response: RelationReply,
    example: { request: { userId: exampleFriendId, close: true }, response: example('friends', { closeFriend: true }).response },
  },
  'friends.list': {
    description:
      "A user's friends by username, when their `friendsList` audience lets the caller see it (FORBIDDEN otherwise). People blocked on either side of the caller are left out.",
    role: 'user',
    errors: ['NOT_FOUND', 'INVALID_CURSOR'],
    request: T.Object({ userId: Uuid, cursor: Cursor, closeOnly: T.Optional(T.Boolean({ description: 'Own list only' })) }),
    response: Page(Friend),
    example: {
      request: { userId: exampleFriendId },
      response: { items: [{ ...examplePerson, since: '2026-11-02T10:00:00.000Z' }], nextCursor: null },
    },
  },
  'friends.requests': {
    description: 'Pending requests to the caller (`incoming`) or from the caller (`outgoing`), newest first.',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ direction: T.Union([T.Literal('incoming'), T.Literal('outgoing')]), cursor: Cursor }),
    response: Page(T.Object({ person: PersonSummary, sentAt: T.String({ format: 'date-time' }) })),
    example: {
      request: { direction: 'incoming' },
      response: { items: [{ person: examplePerson, sentAt: '2026-11-24T09:00:00.000Z' }], nextCursor: null },
    },
  },
  'friends.suggestions': {
    description:
      "People the caller may know: friends of friends, owners of the same species, people nearby (when both share their location). Never friends, pending requests, blocked people, or people whose settings refuse the caller's requests.",
    role: 'user',
    errors: [],
    request: T.Object({ limit: T.Optional(T.Integer({ minimum: 1, maximum: 50 })) }),
    response: T.Object({ items: T.Array(Suggestion) }),
    example: {
      request: { limit: 10 },
      response: { items: [{ person: examplePerson, mutualFriends: 4, sharedSpecies: ['dog'], distanceBand: '1-5km', score: 14.6 }] },
    },
  },
  'follows.follow': {
    description: 'Follow a public profile (profile details public) or a business page. FORBIDDEN (`NOT_FOLLOWABLE`) otherwise.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'NOT_FOLLOWABLE'],
    request: Target,
    response: RelationReply,
    example: example('none', { following: true }),
  },
  'follows.unfollow': {
    description: 'Stop following.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: Target,
    response: RelationReply,
    example: example('none'),
  },
  'follows.list': {
    description: "A user's followers or the people they follow, by username; visible where their friends list is.",
    role: 'user',
    errors: ['NOT_FOUND', 'INVALID_CURSOR'],
    request: T.Object({ userId: Uuid, direction: T.Union([T.Literal('followers'), T.Literal('following')]), cursor: Cursor }),
    response: Page(PersonSummary),
    example: { request: { userId: exampleFriendId, direction: 'followers' }, response: { items: [examplePerson], nextCursor: null } },
  },
  'blocks.block': {
    description:
      'Block someone: ends friendship, follows and pending requests both ways, removes the notifications between you, and hides each from the other everywhere (profiles, search, lists, feed, comments, chat, notifications, presence).',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: Target,
    response: RelationReply,
    example: example('none', { blocked: true }),
  },
  'blocks.unblock': {
    description: 'Lift a block. Nothing that the block ended comes back by itself.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: Target,
    response: RelationReply,
    example: example('none'),
  },
  'blocks.list': {
    description: 'The people the caller blocked, most recent first.',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ cursor: Cursor }),
    response: Page(T.Object({ person: PersonSummary, blockedAt: T.String({ format: 'date-time' }) })),
    example: { request: {}, response: { items: [{ person: examplePerson, blockedAt: '2026-11-24T09:00:00.000Z' }], nextCursor: null } },
  },
} satisfies Record<string, CallSpec>;
