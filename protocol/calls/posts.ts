// Calls of the social core: posts (text with mentions and hashtags, media, polls, shares, place,
// as a pet), their edit history, reactions, nested comments, the home feed in two modes with the
// viewer's controls, saved posts, hashtag pages and trends, and reports. Every read applies the
// post's visibility and blocks for the caller; a post the caller may not see is NOT_FOUND.

import { REACTIONS, REPORT_REASONS, VISIBILITIES } from '../lists.ts';
import { type CallSpec, CreateKey, Cursor, exampleFriendId, examplePerson, OneOf, Page, PersonSummary, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const Visibility = OneOf(VISIBILITIES, { description: 'public; friends; close_friends (your circle); private (only you)' });
const ReactionKind = OneOf(REACTIONS);
const FeedMode = OneOf(['chronological', 'ranked'] as const);

export const ReactionCounts = T.Object({
  like: T.Integer(),
  love: T.Integer(),
  haha: T.Integer(),
  wow: T.Integer(),
  sad: T.Integer(),
  angry: T.Integer(),
});
const zeroCounts = { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 };

const Entity = T.Object({
  type: OneOf(['mention', 'hashtag'] as const),
  start: T.Integer({ description: 'UTF-16 offset in `text` where the entity starts (at its @ or #)' }),
  end: T.Integer({ description: 'UTF-16 offset just after it' }),
  value: T.String({ description: 'The username, or the tag as it is grouped (lower case, no accents)' }),
  userId: T.Optional(Uuid),
});

const Poll = T.Object({
  multiple: T.Boolean(),
  closesAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  closed: T.Boolean(),
  options: T.Array(T.Object({ text: T.String(), votes: T.Integer() })),
  voters: T.Integer({ description: 'People who voted' }),
  myVotes: T.Array(T.Integer(), { description: 'Positions the caller voted for' }),
});

const PostCore = {
  id: Uuid,
  author: PersonSummary,
  pet: T.Union([T.Object({ id: Uuid, name: T.String() }), T.Null()]),
  text: T.String(),
  entities: T.Array(Entity),
  visibility: Visibility,
  mediaIds: T.Array(Uuid),
  place: T.Union([
    T.Object({ name: T.String(), latitude: T.Union([T.Number(), T.Null()]), longitude: T.Union([T.Number(), T.Null()]) }),
    T.Null(),
  ]),
  poll: T.Union([Poll, T.Null()]),
  reactions: ReactionCounts,
  comments: T.Integer(),
  shares: T.Integer(),
  myReaction: T.Union([ReactionKind, T.Null()]),
  saved: T.Boolean({ description: 'The caller saved this post (`posts.save`)' }),
  createdAt: T.String({ format: 'date-time' }),
  editedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
};

export const Post = T.Object({
  ...PostCore,
  shared: T.Union([T.Object(PostCore), T.Object({ unavailable: T.Literal(true) }), T.Null()], {
    description: 'The post shared; `unavailable` when it was deleted or the caller may no longer see it',
  }),
});

export const Comment = T.Object({
  id: Uuid,
  postId: Uuid,
  parentId: T.Union([Uuid, T.Null()]),
  depth: T.Integer({ minimum: 1, maximum: 3 }),
  author: T.Union([PersonSummary, T.Null()], { description: 'Null for a deleted comment kept for its replies' }),
  text: T.String(),
  entities: T.Array(Entity),
  reactions: ReactionCounts,
  replies: T.Integer(),
  myReaction: T.Union([ReactionKind, T.Null()]),
  createdAt: T.String({ format: 'date-time' }),
  editedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  deleted: T.Boolean(),
});

const Why = T.Object(
  {
    relation: OneOf(['you', 'close_friend', 'friend', 'following'] as const),
    ageHours: T.Number(),
    engagement: T.Integer({ description: 'Reactions + 2 × comments + 3 × shares' }),
    topicWeight: T.Number({ description: '1, or less when you asked for less of one of its hashtags' }),
    lessOf: T.Array(T.String()),
    score: T.Number(),
  },
  { description: 'Ranked mode only: the factors that placed the post' },
);

const examplePostId = '0192a1b2-4444-7000-8000-000000000001';
export const examplePost = {
  id: examplePostId,
  author: examplePerson,
  pet: null,
  text: 'Luna met @ana_luna at the park #perros',
  entities: [
    { type: 'mention', start: 9, end: 18, value: 'ana_luna', userId: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' },
    { type: 'hashtag', start: 31, end: 38, value: 'perros' },
  ],
  visibility: 'friends',
  mediaIds: [],
  place: null,
  poll: null,
  reactions: { ...zeroCounts, like: 3, love: 1 },
  comments: 2,
  shares: 0,
  myReaction: 'like',
  saved: false,
  createdAt: '2026-11-24T09:00:00.000Z',
  editedAt: null,
  shared: null,
};
const exampleComment = {
  id: '0192a1b2-5555-7000-8000-000000000001',
  postId: examplePostId,
  parentId: null,
  depth: 1,
  author: examplePerson,
  text: 'So cute!',
  entities: [],
  reactions: zeroCounts,
  replies: 0,
  myReaction: null,
  createdAt: '2026-11-24T09:05:00.000Z',
  editedAt: null,
  deleted: false,
};

const PostText = T.String({ maxLength: 5000 });
const CommentText = T.String({ minLength: 1, maxLength: 2000 });
const PostTarget = T.Object({ postId: Uuid });
const CommentTarget = T.Object({ commentId: Uuid });

export const postCalls = {
  'posts.create': {
    description:
      'Post. `@username` and `#tag` in the text are linked (mentioned people who may see the post are notified). A post needs text, media, a poll or a shared post. Share a post with `sharedPostId` (the text is the comment); post as one of your pets with `petId`.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MEDIA_NOT_READY'],
    request: T.Object(
      {
        text: T.Optional(PostText),
        visibility: Visibility,
        mediaIds: T.Optional(T.Array(Uuid, { maxItems: 10 })),
        place: T.Optional(
          T.Object(
            {
              name: T.String({ minLength: 1, maxLength: 100 }),
              latitude: T.Optional(T.Number({ minimum: -90, maximum: 90 })),
              longitude: T.Optional(T.Number({ minimum: -180, maximum: 180 })),
            },
            { additionalProperties: false },
          ),
        ),
        petId: T.Optional(Uuid),
        sharedPostId: T.Optional(Uuid),
        poll: T.Optional(
          T.Object(
            {
              options: T.Array(T.String({ minLength: 1, maxLength: 80 }), { minItems: 2, maxItems: 10 }),
              multiple: T.Boolean(),
              closesAt: T.Optional(T.String({ format: 'date-time', description: 'Between 5 minutes and 30 days ahead' })),
            },
            { additionalProperties: false },
          ),
        ),
        clientId: CreateKey,
      },
      { additionalProperties: false },
    ),
    response: Post,
    example: {
      request: { text: 'Luna met @ana_luna at the park #perros', visibility: 'friends', clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000d3' },
      response: examplePost,
    },
  },
  'posts.edit': {
    description: 'Change the text or the visibility of your post; the earlier text is kept in its history.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: T.Object({ postId: Uuid, text: T.Optional(PostText), visibility: T.Optional(Visibility) }, { additionalProperties: false }),
    response: Post,
    example: {
      request: { postId: examplePostId, text: 'Luna met @ana_luna #perros' },
      response: {
        ...examplePost,
        text: 'Luna met @ana_luna #perros',
        entities: [examplePost.entities[0], { type: 'hashtag', start: 19, end: 26, value: 'perros' }],
        editedAt: '2026-11-24T09:10:00.000Z',
      },
    },
  },
  'posts.delete': {
    description: 'Delete your post. Shares of it show it as unavailable.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: PostTarget,
    response: T.Object({}),
    example: { request: { postId: examplePostId }, response: {} },
  },
  'posts.get': {
    description: 'One post. Follow `post:<postId>` for its counts, comments and changes.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: PostTarget,
    response: Post,
    example: { request: { postId: examplePostId }, response: examplePost },
  },
  'posts.history': {
    description: "A post's earlier texts, oldest first, for whoever may see the post.",
    role: 'user',
    errors: ['NOT_FOUND'],
    request: PostTarget,
    response: T.Object({
      items: T.Array(T.Object({ version: T.Integer(), text: T.String(), replacedAt: T.String({ format: 'date-time' }) })),
    }),
    example: {
      request: { postId: examplePostId },
      response: { items: [{ version: 1, text: 'Luna met @ana_luna at the park #perros', replacedAt: '2026-11-24T09:10:00.000Z' }] },
    },
  },
  'posts.byAuthor': {
    description: "A user's posts that the caller may see, newest first (their profile's timeline); `petId` narrows to one pet.",
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ userId: Uuid, petId: T.Optional(Uuid), cursor: Cursor }),
    response: Page(Post),
    example: { request: { userId: exampleFriendId }, response: { items: [examplePost], nextCursor: null } },
  },
  'posts.vote': {
    description:
      'Vote in a poll: one position, or several when it allows multiple; voting again replaces your vote, `[]` withdraws it. Refused once closed (`POLL_CLOSED`).',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'POLL_CLOSED', 'POLL_GONE'],
    request: T.Object({ postId: Uuid, positions: T.Array(T.Integer({ minimum: 0, maximum: 9 }), { maxItems: 10 }) }),
    response: Poll,
    example: {
      request: { postId: examplePostId, positions: [1] },
      response: {
        multiple: false,
        closesAt: null,
        closed: false,
        options: [
          { text: 'Park', votes: 3 },
          { text: 'Beach', votes: 5 },
        ],
        voters: 8,
        myVotes: [1],
      },
    },
  },
  'posts.react': {
    description: 'React to a post (one reaction per person; another kind replaces it, null removes it).',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ postId: Uuid, kind: T.Union([ReactionKind, T.Null()]) }),
    response: T.Object({ reactions: ReactionCounts, myReaction: T.Union([ReactionKind, T.Null()]) }),
    example: { request: { postId: examplePostId, kind: 'love' }, response: { reactions: { ...zeroCounts, love: 1 }, myReaction: 'love' } },
  },
  'posts.reactions': {
    description: 'Who reacted to a post or comment (optionally one kind), newest first; people blocked on either side are left out.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'INVALID_CURSOR'],
    request: T.Object({ postId: T.Optional(Uuid), commentId: T.Optional(Uuid), kind: T.Optional(ReactionKind), cursor: Cursor }),
    response: Page(T.Object({ person: PersonSummary, kind: ReactionKind })),
    example: { request: { postId: examplePostId }, response: { items: [{ person: examplePerson, kind: 'like' }], nextCursor: null } },
  },
  'posts.save': {
    description:
      'Save a post to your saved list (`saved: true`) or take it out (`false`); only you see what you saved. Saving a saved post or unsaving one not saved changes nothing and answers the same. Saving a post you may not see (as for `posts.get`) is NOT_FOUND and nothing changes; taking a save back never needs to see the post (one that became hidden can still leave your list). At most SAVED_POSTS_MAX saved posts (5,000 by default): beyond, TOO_MANY_SAVED_POSTS with `details.limit` and nothing changes (saved posts you can no longer see are forgotten first to make room). Your devices hear of a change on `user:<userId>` (`saved.changed`).',
    role: 'user',
    errors: ['NOT_FOUND', 'TOO_MANY_SAVED_POSTS'],
    request: T.Object({
      postId: T.String({ format: 'uuid', description: 'The post to save or unsave' }),
      saved: T.Boolean({ description: 'true: save it; false: take it out of your saved posts' }),
    }),
    response: T.Object({ saved: T.Boolean({ description: 'Whether the post is saved now' }) }),
    example: { request: { postId: examplePostId, saved: true }, response: { saved: true } },
  },
  'posts.saved': {
    description:
      'Your saved posts, most recently saved first. Posts you may no longer see (deleted, a block either way, an audience that no longer reaches you) are left out.',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ cursor: Cursor }),
    response: Page(Post),
    example: { request: {}, response: { items: [{ ...examplePost, saved: true }], nextCursor: null } },
  },
  'comments.add': {
    description: 'Comment on a post, or answer a comment (`parentId`), up to three levels deep.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'COMMENT_DELETED', 'TOO_DEEP'],
    request: T.Object(
      { postId: Uuid, parentId: T.Optional(Uuid), text: CommentText, clientId: CreateKey },
      { additionalProperties: false },
    ),
    response: Comment,
    example: {
      request: { postId: examplePostId, text: 'So cute!', clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000d4' },
      response: exampleComment,
    },
  },
  'comments.get': {
    description: 'One comment (what `comment.added` and `comment.changed` events point at).',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: CommentTarget,
    response: Comment,
    example: { request: { commentId: exampleComment.id }, response: exampleComment },
  },
  'comments.edit': {
    description: 'Change the text of your comment.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: T.Object({ commentId: Uuid, text: CommentText }),
    response: Comment,
    example: {
      request: { commentId: exampleComment.id, text: 'So so cute!' },
      response: { ...exampleComment, text: 'So so cute!', editedAt: '2026-11-24T09:06:00.000Z' },
    },
  },
  'comments.delete': {
    description: 'Delete your comment (or any comment on your post). One with replies stays as a "deleted" placeholder.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: CommentTarget,
    response: T.Object({}),
    example: { request: { commentId: exampleComment.id }, response: {} },
  },
  'comments.list': {
    description:
      'Comments of a post at one level (the first, or the answers to `parentId`), oldest first. Comments by people blocked on either side are left out.',
    role: 'user',
    errors: ['NOT_FOUND', 'INVALID_CURSOR'],
    request: T.Object({ postId: Uuid, parentId: T.Optional(Uuid), cursor: Cursor }),
    response: Page(Comment),
    example: { request: { postId: examplePostId }, response: { items: [exampleComment], nextCursor: null } },
  },
  'comments.react': {
    description: 'React to a comment, like posts.react.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ commentId: Uuid, kind: T.Union([ReactionKind, T.Null()]) }),
    response: T.Object({ reactions: ReactionCounts, myReaction: T.Union([ReactionKind, T.Null()]) }),
    example: {
      request: { commentId: exampleComment.id, kind: 'haha' },
      response: { reactions: { ...zeroCounts, haha: 1 }, myReaction: 'haha' },
    },
  },
  'feed.home': {
    description:
      'The home feed, 20 posts a page: your posts and those of friends and people you follow that you may see. `chronological`: newest first. `ranked`: by recency, engagement, closeness and your topic choices, each item saying why. Pages never repeat or skip a post while new ones arrive (new posts wait for a fresh first page; follow `feed:<userId>` to hear of them). Muted people and hidden posts never appear.',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ mode: FeedMode, cursor: Cursor }),
    response: Page(T.Object({ post: Post, why: T.Optional(Why) })),
    example: {
      request: { mode: 'ranked' },
      response: {
        items: [{ post: examplePost, why: { relation: 'friend', ageHours: 2.5, engagement: 8, topicWeight: 1, lessOf: [], score: 4.1 } }],
        nextCursor: 'WyIwMTkyIl0',
      },
    },
  },
  'feed.mute': {
    description: 'Mute (or unmute) someone in your feed: their posts stop appearing; they are not told, and nothing else changes.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: T.Object({ userId: Uuid, muted: T.Boolean() }),
    response: T.Object({ userId: Uuid, muted: T.Boolean() }),
    example: { request: { userId: exampleFriendId, muted: true }, response: { userId: exampleFriendId, muted: true } },
  },
  'feed.hide': {
    description: 'Hide a post from your feed (or show it again).',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ postId: Uuid, hidden: T.Boolean() }),
    response: T.Object({ postId: Uuid, hidden: T.Boolean() }),
    example: { request: { postId: examplePostId, hidden: true }, response: { postId: examplePostId, hidden: true } },
  },
  'feed.lessOf': {
    description: 'See less of a hashtag in the ranked feed (its posts score a quarter), or go back to normal.',
    role: 'user',
    errors: ['INVALID_INPUT'],
    request: T.Object({ tag: T.String({ minLength: 1, maxLength: 50 }), less: T.Boolean() }),
    response: T.Object({ tag: T.String(), less: T.Boolean() }),
    example: { request: { tag: 'gatos', less: true }, response: { tag: 'gatos', less: true } },
  },
  'feed.controls': {
    description: 'Your feed controls: muted people, hashtags you see less of, how many posts you hid.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({ muted: T.Array(PersonSummary), lessOf: T.Array(T.String()), hiddenPosts: T.Integer() }),
    example: { request: {}, response: { muted: [examplePerson], lessOf: ['gatos'], hiddenPosts: 2 } },
  },
  'hashtags.page': {
    description: 'Posts with a hashtag that the caller may see, newest first.',
    role: 'user',
    errors: ['INVALID_INPUT', 'INVALID_CURSOR'],
    request: T.Object({ tag: T.String({ minLength: 1, maxLength: 50 }), cursor: Cursor }),
    response: Page(Post),
    example: { request: { tag: 'perros' }, response: { items: [examplePost], nextCursor: null } },
  },
  'hashtags.trending': {
    description:
      "Hashtags trending in a region (a locale such as es-MX, a language such as es, or `all` for everywhere): counts of public posts that decay by half every 6 hours. Without `region`, the caller's locale, or if nothing trends there its language, or if nothing trends there either everywhere; `region` in the answer says which.",
    role: 'user',
    errors: ['INVALID_INPUT'],
    request: T.Object({
      region: T.Optional(T.String({ maxLength: 10, description: 'es-MX, es or all' })),
      limit: T.Optional(T.Integer({ minimum: 1, maximum: 50 })),
    }),
    response: T.Object({ region: T.String(), items: T.Array(T.Object({ tag: T.String(), score: T.Number() })) }),
    example: { request: { region: 'es-MX', limit: 10 }, response: { region: 'es-MX', items: [{ tag: 'perros', score: 41.2 }] } },
  },
  'reports.create': {
    description:
      'Report a post, a comment or a person (`user`: their account, such as an impostor or someone harassing) to the moderators, with a reason. One open report per person and target. The target must be one the caller may see: a post or comment they may read; a person who has not blocked them (one they blocked can still be reported). Reporting oneself is INVALID_INPUT. Each user may send REPORTS_PER_HOUR reports an hour (30 by default): RATE_LIMITED (with `retryAfterMs`) beyond.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: T.Object(
      {
        targetKind: OneOf(['post', 'comment', 'user'] as const),
        targetId: Uuid,
        reason: OneOf(REPORT_REASONS),
        note: T.Optional(T.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    response: T.Object({
      id: Uuid,
      alreadyReported: T.Boolean({ description: 'You had an open report of it already; that one stands, reason and note unchanged' }),
    }),
    example: {
      request: { targetKind: 'post', targetId: examplePostId, reason: 'spam' },
      response: { id: '0192a1b2-6666-7000-8000-000000000001', alreadyReported: false },
    },
  },
} satisfies Record<string, CallSpec>;

export const examplePostEvents = { postId: examplePostId, commentId: exampleComment.id, counts: zeroCounts };
