// Calls of stories: photos and videos that stay 24 hours, seen by an audience (public, friends,
// close friends) minus the people the author hides them from, with text overlays, mentions, a
// hashtag, a link to one of the author's posts and a poll or question sticker. Views count once
// per viewer and only the author sees who; the tray lists the people whose stories the caller may
// see, unseen first. After 24 hours a story leaves every read path at once; its author keeps it
// in their archive (unless they turned that off) and in highlights.

import { CHAT_LIMITS, STORY_AUDIENCES, STORY_COLORS, STORY_LIMITS } from '../lists.ts';
import { type CallSpec, CreateKey, Cursor, exampleFriendId, examplePerson, OneOf, Page, PersonSummary, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';
import { ChatMessage, exampleMessage } from './chats.ts';

const Audience = OneOf(STORY_AUDIENCES, {
  description:
    'public: anyone who may see the author (the tray shows it to friends and followers); friends; close_friends (your circle, shown with a green ring)',
});
const Color = OneOf(STORY_COLORS);

const Overlay = T.Object({
  text: T.String({
    minLength: 1,
    maxLength: STORY_LIMITS.overlayChars,
    description: `Up to ${STORY_LIMITS.overlayChars} characters, plain text; @username mentions someone (at most ${STORY_LIMITS.mentions} people per story)`,
  }),
  x: T.Number({ minimum: 0, maximum: 1, description: "Where the text's centre sits, as a fraction of the width from the left" }),
  y: T.Number({ minimum: 0, maximum: 1, description: 'And of the height from the top' }),
  color: Color,
});

const StickerInput = T.Union([
  T.Object({
    kind: T.Literal('poll'),
    question: T.String({ minLength: 1, maxLength: STORY_LIMITS.promptChars }),
    options: T.Array(T.String({ minLength: 1, maxLength: STORY_LIMITS.optionChars }), {
      minItems: STORY_LIMITS.pollOptions.min,
      maxItems: STORY_LIMITS.pollOptions.max,
    }),
  }),
  T.Object({ kind: T.Literal('question'), prompt: T.String({ minLength: 1, maxLength: STORY_LIMITS.promptChars }) }),
]);

const Sticker = T.Union([
  T.Object({
    kind: T.Literal('poll'),
    question: T.String(),
    options: T.Array(T.String()),
    myVote: T.Union([T.Integer(), T.Null()], { description: 'The position the caller voted for; null before they vote' }),
    votes: T.Union([T.Array(T.Integer()), T.Null()], {
      description: 'Votes per option: for the author always, for others once they voted; null otherwise',
    }),
  }),
  T.Object({
    kind: T.Literal('question'),
    prompt: T.String(),
    myAnswer: T.Union([T.String(), T.Null()], { description: "The caller's answer; null before they answer" }),
    answers: T.Union([T.Integer(), T.Null()], { description: 'Answers received: for the author; null for others' }),
  }),
]);

export const Story = T.Object({
  id: Uuid,
  author: PersonSummary,
  pet: T.Union([T.Object({ id: Uuid, name: T.String() }), T.Null()], { description: 'Posted as this pet of the author' }),
  mediaId: Uuid,
  kind: OneOf(['image', 'video'] as const),
  clip: T.Union([T.Object({ startMs: T.Integer(), endMs: T.Integer() }), T.Null()], {
    description: 'A clip of a longer video (split): play the media from startMs to endMs; null plays it whole',
  }),
  audience: Audience,
  overlays: T.Array(Overlay),
  mentions: T.Array(T.Object({ userId: Uuid, username: T.String() }), {
    description: 'People mentioned in the overlays whom the caller may see',
  }),
  hashtag: T.Union([T.String(), T.Null()], { description: 'As it is grouped (lower case, no accents); links to hashtags.page' }),
  linkPostId: T.Union([Uuid, T.Null()], {
    description: "One of the author's posts (open with posts.get; it may be hidden from the caller)",
  }),
  sticker: T.Union([Sticker, T.Null()]),
  createdAt: T.String({ format: 'date-time' }),
  expiresAt: T.String({ format: 'date-time', description: 'When it leaves trays and viewers: 24 hours after it was posted' }),
  expired: T.Boolean({ description: 'Past expiresAt: only its author reads it then (archive, highlights)' }),
  seen: T.Boolean({ description: 'The caller viewed it (stories.view); always true for the author' }),
  views: T.Union([T.Integer(), T.Null()], { description: 'People who viewed it: for the author; null for others' }),
});

const exampleStoryId = '0192a1b2-c3d4-7e5f-8a9b-00000000a701';
const exampleStory = {
  id: exampleStoryId,
  author: examplePerson,
  pet: null,
  mediaId: '0192a1b2-c3d4-7e5f-8a9b-0000000d1a00',
  kind: 'image',
  clip: null,
  audience: 'friends',
  overlays: [{ text: '¡Primer día en la playa! @luna_y_sol', x: 0.5, y: 0.8, color: 'white' }],
  mentions: [{ userId: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', username: 'luna_y_sol' }],
  hashtag: 'playa',
  linkPostId: null,
  sticker: { kind: 'poll', question: '¿Otra vez mañana?', options: ['Sí', 'No'], myVote: null, votes: null },
  createdAt: '2026-11-24T18:00:00.000Z',
  expiresAt: '2026-11-25T18:00:00.000Z',
  expired: false,
  seen: false,
  views: null,
};

export const TrayItem = T.Object({
  author: PersonSummary,
  stories: T.Integer({ description: 'Active stories of this person the caller may see' }),
  unseen: T.Integer({ description: 'Of them, those the caller has not viewed (0: grey ring)' }),
  closeFriends: T.Boolean({ description: 'One of them is for close friends (green ring)' }),
  latestAt: T.String({ format: 'date-time', description: 'When the newest was posted' }),
  expiresAt: T.String({ format: 'date-time', description: 'When the oldest leaves: the item goes when the last does' }),
});

const exampleTrayItem = {
  author: examplePerson,
  stories: 3,
  unseen: 2,
  closeFriends: false,
  latestAt: '2026-11-24T18:00:00.000Z',
  expiresAt: '2026-11-25T09:12:00.000Z',
};

const Viewer = T.Object({ viewer: PersonSummary, viewedAt: T.String({ format: 'date-time' }) });
const Answer = T.Object({
  user: PersonSummary,
  option: T.Union([T.Integer(), T.Null()], { description: 'Poll: the position voted for' }),
  answer: T.Union([T.String(), T.Null()], { description: 'Question: the answer' }),
  answeredAt: T.String({ format: 'date-time' }),
});

export const Highlight = T.Object({
  id: Uuid,
  title: T.String(),
  cover: T.Union([T.Object({ storyId: Uuid, mediaId: Uuid }), T.Null()], {
    description: 'The picture of the highlight: its cover story when the caller may see it, else its first story the caller may see',
  }),
  stories: T.Integer({ description: 'Its stories the caller may see' }),
  updatedAt: T.String({ format: 'date-time' }),
});
const exampleHighlight = {
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000b101',
  title: 'Playa',
  cover: { storyId: exampleStoryId, mediaId: exampleStory.mediaId },
  stories: 4,
  updatedAt: '2026-11-26T10:00:00.000Z',
};

const StoryTarget = T.Object({ storyId: T.String({ format: 'uuid', description: 'The story' }) });

export const storyCalls = {
  'stories.create': {
    description: `Post a story: a ready image or video of yours (media.get says ready), shown for 24 hours. A video plays at most ${STORY_LIMITS.videoMs / 1000} s: a longer one is STORY_TOO_LONG (details.maxDurationMs, durationMs) unless \`split\` is true, which cuts it into clips of ${STORY_LIMITS.videoMs / 1000} s, one story each (at most ${STORY_LIMITS.clips}: beyond, STORY_TOO_LONG too). Overlays carry the text; @username in them mentions people (notified, when they may see the story). Someone else's media, one not ready, or of another kind is NOT_FOUND / MEDIA_NOT_READY and nothing is stored. \`linkPostId\` must be one of your posts (NOT_FOUND otherwise); \`asPetId\` one of your pets. Friends and followers who may see it hear of it on \`feed:<id>\` (\`story.added\`). At most STORIES_PER_DAY stories a day (100 by default; RATE_LIMITED beyond, clips counted one by one).`,
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MEDIA_NOT_READY', 'STORY_TOO_LONG'],
    request: T.Object({
      mediaId: Uuid,
      audience: Audience,
      overlays: T.Optional(T.Array(Overlay, { maxItems: STORY_LIMITS.overlays })),
      hashtag: T.Optional(T.String({ minLength: 1, maxLength: 100, description: 'One hashtag, with or without #' })),
      linkPostId: T.Optional(Uuid),
      sticker: T.Optional(StickerInput),
      asPetId: T.Optional(Uuid),
      split: T.Optional(T.Boolean({ description: 'Cut a video longer than 60 s into clips instead of refusing it' })),
      clientId: CreateKey,
    }),
    response: T.Object({ stories: T.Array(Story, { description: 'The story, or the clips of a split video in order' }) }),
    example: {
      request: {
        mediaId: exampleStory.mediaId,
        audience: 'friends',
        overlays: exampleStory.overlays,
        hashtag: '#playa',
        sticker: { kind: 'poll', question: '¿Otra vez mañana?', options: ['Sí', 'No'] },
        clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000a7',
      },
      response: { stories: [{ ...exampleStory, seen: true, views: 0, sticker: { ...exampleStory.sticker, votes: [0, 0] } }] },
    },
  },
  'stories.delete': {
    description:
      'Delete one of your stories (active or past): it leaves trays, viewers and highlights at once, and followers hear `story.removed` on `feed:<id>`. Someone else’s story is NOT_FOUND.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: StoryTarget,
    response: T.Object({}),
    example: { request: { storyId: exampleStoryId }, response: {} },
  },
  'stories.get': {
    description:
      'One story: an active one the caller may see (audience, blocks, "hide my story from"), or one of the caller’s own, expired or not. Anything else is NOT_FOUND, an expired story of someone else too.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: StoryTarget,
    response: Story,
    example: { request: { storyId: exampleStoryId }, response: exampleStory },
  },
  'stories.byAuthor': {
    description:
      'The active stories of one person that the caller may see, oldest first (the order they play in); an empty list when there are none or the caller may see none. A person who does not exist, or a block either way, is NOT_FOUND.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ userId: Uuid }),
    response: T.Object({ items: T.Array(Story) }),
    example: { request: { userId: exampleFriendId }, response: { items: [exampleStory] } },
  },
  'stories.tray': {
    description:
      'The people whose active stories the caller may see, for the row at the top of the home feed: the caller first when they have any, then those with stories the caller has not seen, then the others; within each, close friends first, then people the caller viewed most in the last 30 days, then the newest. Friends and people the caller follows only; muted people (stories.mute) are left out. At most 100.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({ items: T.Array(TrayItem) }),
    example: { request: {}, response: { items: [exampleTrayItem] } },
  },
  'stories.view': {
    description:
      'Mark an active story as seen by the caller: it counts once per person however often it is called, the author hears `story.viewed` on `user:<authorId>`, and the caller’s tray ring moves. The author viewing their own story counts nothing. A story the caller may not see is NOT_FOUND.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: StoryTarget,
    response: T.Object({ seen: T.Boolean() }),
    example: { request: { storyId: exampleStoryId }, response: { seen: true } },
  },
  'stories.viewers': {
    description:
      'Who viewed one of your stories, newest first, with the count: for the author only (anyone else, NOT_FOUND). People a block stands between you and (either way) are left out of the list, not of the count. New views arrive live as `story.viewed` on your `user:<id>` topic.',
    role: 'user',
    errors: ['NOT_FOUND', 'INVALID_CURSOR'],
    request: T.Object({ storyId: Uuid, cursor: Cursor }),
    response: T.Object({ ...Page(Viewer).properties, views: T.Integer({ description: 'All the story’s viewers' }) }),
    example: {
      request: { storyId: exampleStoryId },
      response: { items: [{ viewer: examplePerson, viewedAt: '2026-11-24T18:05:00.000Z' }], nextCursor: null, views: 1 },
    },
  },
  'stories.answer': {
    description: `Vote in a story's poll (\`option\`, its position from 0) or answer its question (\`answer\`, up to ${STORY_LIMITS.answerChars} characters): once per person (ALREADY_ANSWERED after). The author hears \`story.answered\` on \`user:<authorId>\`; the answer counts as a view. A story without that sticker is INVALID_INPUT; one the caller may not see, NOT_FOUND. The author cannot answer their own.`,
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'ALREADY_ANSWERED'],
    request: T.Object({
      storyId: Uuid,
      option: T.Optional(T.Integer({ minimum: 0, maximum: STORY_LIMITS.pollOptions.max - 1 })),
      answer: T.Optional(T.String({ minLength: 1, maxLength: STORY_LIMITS.answerChars })),
    }),
    response: Story,
    example: {
      request: { storyId: exampleStoryId, option: 0 },
      response: { ...exampleStory, seen: true, sticker: { ...exampleStory.sticker, myVote: 0, votes: [5, 2] } },
    },
  },
  'stories.reply': {
    description:
      'Answer a story (`text`) or react to it (`emoji`, one emoji) in your one-to-one conversation with its author, opened when there is none, under the rules of any message to them (their `messages` setting: MESSAGE_NOT_ALLOWED; from someone not a friend it waits in their requests). The message quotes the story (`story` on ChatMessage), whose thumbnail shows while the story lasts. A story you may not see, or your own, is NOT_FOUND. Retry with the same `clientId`.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MESSAGE_NOT_ALLOWED'],
    request: T.Object({
      storyId: Uuid,
      text: T.Optional(T.String({ minLength: 1, maxLength: CHAT_LIMITS.messageChars })),
      emoji: T.Optional(T.String({ minLength: 1, maxLength: 16, description: 'One emoji (a reaction)' })),
      clientId: T.String({ format: 'uuid', description: 'New for each reply, the same on every retry of it' }),
    }),
    response: ChatMessage,
    example: {
      request: { storyId: exampleStoryId, text: '¡Qué bonita playa!', clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000c9' },
      response: {
        ...exampleMessage,
        text: '¡Qué bonita playa!',
        story: {
          storyId: exampleStoryId,
          authorId: exampleFriendId,
          kind: 'reply',
          mediaId: exampleStory.mediaId,
          expiresAt: exampleStory.expiresAt,
        },
        reactions: [],
      },
    },
  },
  'stories.answers': {
    description:
      'The poll votes or question answers of one of your stories, newest first: for the author only (NOT_FOUND otherwise); people a block stands between you and are left out.',
    role: 'user',
    errors: ['NOT_FOUND', 'INVALID_CURSOR'],
    request: T.Object({ storyId: Uuid, cursor: Cursor }),
    response: Page(Answer),
    example: {
      request: { storyId: exampleStoryId },
      response: { items: [{ user: examplePerson, option: 0, answer: null, answeredAt: '2026-11-24T18:06:00.000Z' }], nextCursor: null },
    },
  },
  'stories.archive': {
    description:
      'All your own stories, active and past, newest first (your archive; expired ones stay while `archive` is on in stories.settings, and always while in a highlight).',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ cursor: Cursor }),
    response: Page(Story),
    example: { request: {}, response: { items: [{ ...exampleStory, seen: true, views: 12 }], nextCursor: null } },
  },
  'stories.highlights': {
    description:
      'The highlights on a profile, in the order its owner set: each with the stories in it that the caller may see (by their audience and "hide my story from", not by age: highlights keep stories beyond 24 hours); a highlight with none the caller may see is left out. A person who does not exist, or a block either way, is NOT_FOUND.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ userId: Uuid }),
    response: T.Object({ items: T.Array(Highlight) }),
    example: { request: { userId: exampleFriendId }, response: { items: [exampleHighlight] } },
  },
  'stories.highlight': {
    description: 'One highlight with its stories the caller may see, in the order its owner set (NOT_FOUND when there are none).',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ highlightId: Uuid }),
    response: T.Object({ highlight: Highlight, items: T.Array(Story) }),
    example: {
      request: { highlightId: exampleHighlight.id },
      response: { highlight: exampleHighlight, items: [{ ...exampleStory, expired: true }] },
    },
  },
  'stories.saveHighlight': {
    description: `Create a highlight (no \`highlightId\`) or replace one of yours: its title (up to ${STORY_LIMITS.highlightTitleChars} characters), its stories in order (up to ${STORY_LIMITS.highlightStories}, each one of your own, active or past, not deleted: NOT_FOUND otherwise) and its cover (one of them; the first when not given). Adding, removing, reordering and renaming are all this call with the new list. At most ${STORY_LIMITS.highlights} highlights (TOO_MANY_HIGHLIGHTS). A new one goes last on your profile.`,
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'TOO_MANY_HIGHLIGHTS'],
    request: T.Object({
      highlightId: T.Optional(Uuid),
      title: T.String({ minLength: 1, maxLength: STORY_LIMITS.highlightTitleChars }),
      storyIds: T.Array(Uuid, { minItems: 1, maxItems: STORY_LIMITS.highlightStories }),
      coverStoryId: T.Optional(Uuid),
    }),
    response: Highlight,
    example: { request: { title: 'Playa', storyIds: [exampleStoryId] }, response: { ...exampleHighlight, stories: 1 } },
  },
  'stories.deleteHighlight': {
    description: 'Delete one of your highlights (its stories stay in your archive). Someone else’s is NOT_FOUND.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ highlightId: Uuid }),
    response: T.Object({}),
    example: { request: { highlightId: exampleHighlight.id }, response: {} },
  },
  'stories.orderHighlights': {
    description: 'Set the order of your highlights on your profile: every one of them, each once (INVALID_INPUT otherwise).',
    role: 'user',
    errors: ['INVALID_INPUT'],
    request: T.Object({ highlightIds: T.Array(Uuid, { maxItems: STORY_LIMITS.highlights }) }),
    response: T.Object({}),
    example: { request: { highlightIds: [exampleHighlight.id] }, response: {} },
  },
  'stories.hide': {
    description: `Hide your stories from people (\`hidden: true\`) whatever their audience, or show them again; at most ${STORY_LIMITS.hidden.toLocaleString('en')} people (TOO_MANY_HIDDEN, nothing changes). People you may not see (a block either way) are NOT_FOUND and nothing changes. Hidden people lose your stories at once: each is sent \`story.removed\` for the active stories they could see.`,
    role: 'user',
    errors: ['NOT_FOUND', 'TOO_MANY_HIDDEN'],
    request: T.Object({ userIds: T.Array(Uuid, { minItems: 1, maxItems: 100 }), hidden: T.Boolean() }),
    response: T.Object({}),
    example: { request: { userIds: [exampleFriendId], hidden: true }, response: {} },
  },
  'stories.mute': {
    description:
      'Leave a person out of your tray (`muted: true`) or bring them back. Their stories stay reachable from their profile; they are not told. A person you may not see is NOT_FOUND; yourself, INVALID_INPUT. At most 10,000 people (TOO_MANY_MUTED, nothing changes).',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'TOO_MANY_MUTED'],
    request: T.Object({ userId: Uuid, muted: T.Boolean() }),
    response: T.Object({ muted: T.Boolean() }),
    example: { request: { userId: exampleFriendId, muted: true }, response: { muted: true } },
  },
  'stories.settings': {
    description:
      'Your story settings, changed when given: the people you hide stories from (first page), the people you muted (people a block now stands between you and are left out of both lists), and `archive` (keep your stories after 24 hours, visible to you alone; on by default; off, the hourly cleanup deletes expired ones that are in no highlight).',
    role: 'user',
    errors: [],
    request: T.Object({ archive: T.Optional(T.Boolean()) }),
    response: T.Object({
      archive: T.Boolean(),
      hidden: T.Array(PersonSummary, { description: 'The first 100 people hidden from, most recent first' }),
      hiddenCount: T.Integer(),
      muted: T.Array(PersonSummary, { description: 'The first 100 people muted, most recent first' }),
      mutedCount: T.Integer(),
    }),
    example: { request: { archive: true }, response: { archive: true, hidden: [examplePerson], hiddenCount: 1, muted: [], mutedCount: 0 } },
  },
} satisfies Record<string, CallSpec>;

export const storyFeedEvents = {
  'story.added': {
    description:
      'Someone whose stories the user may see posted one: read the tray again (stories.tray), or that person’s ring (stories.byAuthor). Ids only, like `feed.post`: what the user may see is decided when they read, so a replay never shows what a later block or "hide from" took away. Sent to friends and followers the story reaches, unless they muted the author; authors with more than 2,000 followers are not announced live.',
    body: T.Object({ authorId: Uuid, storyId: Uuid }),
    example: { authorId: exampleFriendId, storyId: exampleStoryId },
  },
  'story.removed': {
    description:
      'A story the user could see was deleted, or is hidden from them now: take it out (and the tray item when it was the last). Expiry sends nothing: an item leaves at its `expiresAt`.',
    body: T.Object({ authorId: Uuid, storyId: Uuid }),
    example: { authorId: exampleFriendId, storyId: exampleStoryId },
  },
};

export const storyUserEvents = {
  'story.viewed': {
    description:
      'Someone viewed one of your stories for the first time: add them to its viewer list (their name and picture from people.summaries, which leaves out anyone a block now stands between you and; a replay of this topic shows ids only).',
    body: T.Object({ storyId: Uuid, viewerId: Uuid, viewedAt: T.String({ format: 'date-time' }), views: T.Integer() }),
    example: { storyId: exampleStoryId, viewerId: exampleFriendId, viewedAt: '2026-11-24T18:05:00.000Z', views: 7 },
  },
  'story.answered': {
    description:
      'Someone voted in the poll of one of your stories (`option`), or answered its question (`answer`); who by id, as for story.viewed. The totals after it come along (`votes` for a poll, `answers` for a question): show them rather than adding one per event, which would count twice an answer already in a story read just before.',
    body: T.Object({
      storyId: Uuid,
      userId: Uuid,
      option: T.Union([T.Integer(), T.Null()]),
      answer: T.Union([T.String(), T.Null()]),
      answeredAt: T.String({ format: 'date-time' }),
      votes: T.Union([T.Array(T.Integer()), T.Null()], { description: 'A poll: the votes per option now; null for a question' }),
      answers: T.Union([T.Integer(), T.Null()], { description: 'A question: the answers received now; null for a poll' }),
    }),
    example: {
      storyId: exampleStoryId,
      userId: exampleFriendId,
      option: null,
      answer: '¡Sí, vamos!',
      answeredAt: '2026-11-24T18:06:00.000Z',
      votes: null,
      answers: 3,
    },
  },
};
