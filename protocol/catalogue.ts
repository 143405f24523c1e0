// The catalogue: every call a client can make and every topic it can follow, with the events each
// topic carries. Server handlers, the client library, tests and PROTOCOL.md all read this one
// declaration. Add a call or topic here first; the server refuses to start with a call that has
// no handler.
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { T } from './typebox.ts';
import './formats.ts';
import { callMediaCalls } from './calls/call-media.ts';
import { callCalls, callEvents, callUserEvents } from './calls/calls.ts';
import { ChatMember, ChatMessage, chatCalls, exampleChatId, exampleMessage } from './calls/chats.ts';
import { graphCalls } from './calls/graph.ts';
import { exampleMedia, MediaItem, mediaCalls } from './calls/media.ts';
import { exampleNotification, Notification, notificationCalls } from './calls/notifications.ts';
import { paymentCalls, paymentUserEvents } from './calls/payments.ts';
import { exampleRelation, peopleCalls, Relation } from './calls/people.ts';
import { petsCalls } from './calls/pets.ts';
import { placeCalls } from './calls/places.ts';
import { examplePostEvents, postCalls, ReactionCounts } from './calls/posts.ts';
import { reelAnalyticsCalls } from './calls/reel-analytics.ts';
import { reelCalls } from './calls/reels.ts';
import { soundCalls } from './calls/sounds.ts';
import { storyCalls, storyFeedEvents, storyUserEvents } from './calls/stories.ts';
import { subscriptionCalls, subscriptionUserEvents } from './calls/subscriptions.ts';
import { supportCalls, supportUserEvents } from './calls/support.ts';
import { tokenCalls } from './calls/tokens.ts';
import { treatCalls, treatUserEvents } from './calls/treats.ts';
import { verificationCalls, verificationUserEvents } from './calls/verification.ts';
import { type CallSpec, exampleFriendId, examplePerson, exampleUserId, type TopicSpec, userTopicPattern } from './spec.ts';

export type { CallSpec, Role, TopicSpec } from './spec.ts';

export const User = T.Object({
  id: T.String({ format: 'uuid' }),
  email: T.String(),
  emailVerified: T.Boolean(),
  username: T.String(),
  language: T.String(),
  role: T.String(),
  twoFactorEnabled: T.Boolean(),
  hasPassword: T.Boolean(),
  createdAt: T.String({ format: 'date-time' }),
});

const PresenceStatus = T.Union([T.Literal('online'), T.Literal('away'), T.Literal('offline')]);
const Presence = T.Object({
  userId: T.String(),
  status: PresenceStatus,
  since: T.Integer({ description: 'Unix ms of the last change' }),
  devices: T.Integer({ description: 'Connected sockets' }),
  text: T.String({ description: "The user's status message ('' when none)" }),
});

/** Where a room event stands among the conversation's messages, for replays (see the room topic). */
const AtSeq = T.Integer({ minimum: 0, description: "The conversation's last message seq when this happened" });

export const Calls = {
  'session.get': {
    description: 'Who this socket is: the user, the sign-in session, the node that holds it, and the topics it follows.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({
      userId: T.String(),
      role: T.String(),
      sessionId: T.String(),
      socketId: T.String(),
      node: T.String(),
      topics: T.Array(T.String()),
    }),
    example: {
      request: {},
      response: {
        userId: exampleUserId,
        role: 'user',
        sessionId: '0192a1b2-0000-7000-8000-000000000001',
        socketId: 's-1f2e3d',
        node: 'node-1',
        topics: ['system'],
      },
    },
  },
  'system.announce': {
    description: 'Send an announcement to everyone following the `system` topic (maintenance notices, news). Admins only.',
    role: 'admin',
    errors: ['SESSION_REVOKED'],
    request: T.Object({
      text: T.String({ minLength: 1, maxLength: 2000 }),
      level: T.Union([T.Literal('info'), T.Literal('warning')]),
    }),
    response: T.Object({ seq: T.Integer({ description: 'The seq of the announcement event in the system topic' }) }),
    example: { request: { text: 'Maintenance at 02:00 UTC', level: 'warning' }, response: { seq: 42 } },
  },
  'presence.set': {
    description:
      'Say whether the user is using this device now (`active`: focused, interacting) or not (`idle`: hidden tab, locked screen). Presence is online while any device is active, away while all are idle.',
    role: 'user',
    errors: [],
    request: T.Object({ state: T.Union([T.Literal('active'), T.Literal('idle')]) }),
    response: T.Object({}),
    example: { request: { state: 'idle' }, response: {} },
  },
  'presence.get': {
    description:
      "A user's presence now, with their status message, for those their `presence` setting allows (friends by default; FORBIDDEN otherwise). Follow `presence:<userId>` for changes.",
    role: 'user',
    errors: [],
    request: T.Object({ userId: T.String({ format: 'uuid' }) }),
    response: Presence,
    example: {
      request: { userId: exampleUserId },
      response: { userId: exampleUserId, status: 'online', since: 1795478400000, devices: 2, text: 'Walking Luna 🐕' },
    },
  },
  'presence.setStatus': {
    description: "Set the user's status message (empty to clear). Stored before the reply: an acknowledged status is never lost.",
    role: 'user',
    errors: [],
    request: T.Object({ text: T.String({ maxLength: 140 }) }),
    response: T.Object({ text: T.String(), updatedAt: T.Integer({ description: 'Unix ms' }) }),
    example: { request: { text: 'Walking Luna 🐕' }, response: { text: 'Walking Luna 🐕', updatedAt: 1795478400000 } },
  },
  ...peopleCalls,
  ...petsCalls,
  ...placeCalls,
  ...graphCalls,
  ...notificationCalls,
  ...postCalls,
  ...storyCalls,
  ...reelCalls,
  ...soundCalls,
  ...reelAnalyticsCalls,
  ...treatCalls,
  ...paymentCalls,
  ...subscriptionCalls,
  ...verificationCalls,
  ...supportCalls,
  ...chatCalls,
  ...callCalls,
  ...callMediaCalls,
  ...mediaCalls,
  ...tokenCalls,
} satisfies Record<string, CallSpec>;

export type CallName = keyof typeof Calls;
export type CallRequest<N extends CallName> = Static<(typeof Calls)[N]['request']>;
export type CallResponse<N extends CallName> = Static<(typeof Calls)[N]['response']>;

export const Topics = {
  system: {
    description: 'Announcements to every signed-in user.',
    form: 'system',
    pattern: /^system$/,
    access: 'signed-in',
    events: {
      announcement: {
        description: 'An announcement from the PetAmigos team.',
        body: T.Object({
          text: T.String(),
          level: T.Union([T.Literal('info'), T.Literal('warning')]),
          at: T.Integer({ description: 'Unix ms' }),
        }),
        example: { text: 'Maintenance at 02:00 UTC', level: 'warning', at: 1795478400000 },
      },
    },
  },
  user: {
    description:
      'Events about one user, for that user only: account changes, ended sessions, notifications, relations, saved posts, views and answers of their stories, their treats balances and payments, decisions on their verification request, answers of the team to their support conversation.',
    form: 'user:<userId>',
    pattern: userTopicPattern('user'),
    access: 'self',
    events: {
      'account.updated': {
        description: 'The account changed (email verified, two-factor switched, role changed).',
        body: T.Object({ user: User }),
        example: {
          user: {
            id: exampleUserId,
            email: 'ana@example.com',
            emailVerified: true,
            username: 'ana_luna',
            language: 'es',
            role: 'user',
            twoFactorEnabled: false,
            hasPassword: true,
            createdAt: '2026-11-24T00:00:00.000Z',
          },
        },
      },
      'session.revoked': {
        description: 'A sign-in session of this user ended; sockets of that session are closed with SESSION_REVOKED.',
        body: T.Object({ sessionId: T.String() }),
        example: { sessionId: '0192a1b2-0000-7000-8000-000000000001' },
      },
      'notification.new': {
        description: 'A new notification, with the unread count after it.',
        body: T.Object({ notification: Notification, unread: T.Integer({ minimum: 0 }) }),
        example: { notification: exampleNotification, unread: 1 },
      },
      'notifications.unread': {
        description: 'The unread count changed (read on some device, or notifications removed by a block).',
        body: T.Object({ unread: T.Integer({ minimum: 0 }) }),
        example: { unread: 0 },
      },
      'media.changed': {
        description:
          'One of the user’s media moved on: uploaded, processing (with progress), ready (with its URLs) or failed (with the reason).',
        body: T.Object({ media: MediaItem }),
        example: { media: exampleMedia },
      },
      'chats.unread': {
        description:
          "Unread messages of one conversation changed (a message arrived, it was read on some device, it was muted), with the badge numbers after it. Logged whether or not the user has a socket open. While one is (or when the badge numbers change), a change is logged at once unless the user's counts were logged less than 100 ms before; then it goes out at the end of those 100 ms, together with the other conversations' changes, as one entry of consecutive events, each conversation once with its latest count. While no socket is open, a conversation's other changes are logged at most every 5 s, with its latest count (and when a socket connects).",
        body: T.Object({
          conversationId: T.String(),
          unread: T.Integer({ minimum: 0 }),
          conversations: T.Integer({ minimum: 0 }),
          requests: T.Integer({ minimum: 0 }),
        }),
        example: { conversationId: exampleChatId, unread: 3, conversations: 1, requests: 0 },
      },
      ...storyUserEvents,
      ...treatUserEvents,
      ...paymentUserEvents,
      ...subscriptionUserEvents,
      ...verificationUserEvents,
      ...supportUserEvents,
      ...callUserEvents,
      'saved.changed': {
        description:
          'The user saved or unsaved a post (`posts.save`) on one of their devices, so every device shows it; sent only when that changed something.',
        body: T.Object({
          postId: T.String({ description: 'The post saved or unsaved' }),
          saved: T.Boolean({ description: 'Whether it is saved now' }),
        }),
        example: { postId: examplePostEvents.postId, saved: true },
      },
      'relation.changed': {
        description:
          "How the user stands with someone changed (a request, an accept, an unfriend, a follow, a block), from this user's side.",
        body: T.Object({ userId: T.String(), relation: Relation }),
        example: { userId: exampleFriendId, relation: exampleRelation },
      },
    },
  },
  presence: {
    description: "A user's presence (online, away, offline), for those their `presence` setting allows: friends by default.",
    form: 'presence:<userId>',
    pattern: userTopicPattern('presence'),
    access: 'viewer',
    events: {
      'presence.changed': {
        description: 'The presence or the status message changed.',
        body: T.Object({ userId: T.String(), status: PresenceStatus, since: T.Integer(), text: T.String() }),
        example: { userId: exampleUserId, status: 'away', since: 1795478400000, text: 'Walking Luna 🐕' },
      },
    },
  },
  profile: {
    description:
      "That a user's profile or pets changed. Events say only that and when; fetch what changed with `profile.get`, `pets.list` or `pets.get`, which apply the privacy rules to the caller.",
    form: 'profile:<userId>',
    pattern: userTopicPattern('profile'),
    access: 'viewer',
    events: {
      'profile.changed': {
        description: 'The profile or its privacy settings changed.',
        body: T.Object({ userId: T.String(), at: T.Integer({ description: 'Unix ms' }) }),
        example: { userId: exampleUserId, at: 1795478400000 },
      },
      'pet.changed': {
        description:
          'A pet was added, changed or removed. It names no pet: followers of the profile may not all see the pets. Re-read them with `pets.list` or `pets.get`, which apply the `pets` audience.',
        body: T.Object({ userId: T.String(), at: T.Integer({ description: 'Unix ms' }) }),
        example: { userId: exampleUserId, at: 1795478400000 },
      },
    },
  },
  post: {
    description:
      "One post's live changes, for those who may see it: counts, poll results, comments, edits. Comment events carry ids only: fetch with `comments.get`, which leaves out people blocked on either side.",
    form: 'post:<postId>',
    pattern: userTopicPattern('post'),
    access: 'viewer',
    events: {
      'post.changed': {
        description: 'The post was edited (text or visibility) or deleted.',
        body: T.Object({ postId: T.String(), deleted: T.Boolean(), at: T.Integer() }),
        example: { postId: examplePostEvents.postId, deleted: false, at: 1795478400000 },
      },
      'post.counts': {
        description: 'Reaction, comment or share counts changed.',
        body: T.Object({ postId: T.String(), reactions: ReactionCounts, comments: T.Integer(), shares: T.Integer() }),
        example: { postId: examplePostEvents.postId, reactions: { ...examplePostEvents.counts, like: 4 }, comments: 2, shares: 1 },
      },
      'poll.results': {
        description: 'Votes per option, in option order, and how many people voted.',
        body: T.Object({ postId: T.String(), options: T.Array(T.Integer()), voters: T.Integer() }),
        example: { postId: examplePostEvents.postId, options: [3, 5], voters: 8 },
      },
      'comment.added': {
        description: 'A comment or an answer was added.',
        body: T.Object({ postId: T.String(), commentId: T.String(), parentId: T.Union([T.String(), T.Null()]) }),
        example: { postId: examplePostEvents.postId, commentId: examplePostEvents.commentId, parentId: null },
      },
      'comment.changed': {
        description: 'A comment was edited or deleted.',
        body: T.Object({ postId: T.String(), commentId: T.String(), deleted: T.Boolean() }),
        example: { postId: examplePostEvents.postId, commentId: examplePostEvents.commentId, deleted: false },
      },
      'comment.counts': {
        description: "A comment's reaction counts changed.",
        body: T.Object({ postId: T.String(), commentId: T.String(), reactions: ReactionCounts }),
        example: {
          postId: examplePostEvents.postId,
          commentId: examplePostEvents.commentId,
          reactions: { ...examplePostEvents.counts, haha: 1 },
        },
      },
    },
  },
  feed: {
    description:
      "New posts for the user's home feed: their own, and those of friends and people they follow that they may see; and the stories tray's changes. Authors with more than 2,000 followers are not announced live; their posts appear on the next first page, their stories in the next stories.tray.",
    form: 'feed:<userId>',
    pattern: userTopicPattern('feed'),
    access: 'self',
    events: {
      'feed.post': {
        description: 'A post that belongs at the top of the feed.',
        body: T.Object({ postId: T.String(), authorId: T.String() }),
        example: { postId: examplePostEvents.postId, authorId: exampleFriendId },
      },
      ...storyFeedEvents,
    },
  },
  room: {
    description:
      'One conversation, for its members: messages in seq order, their changes, and membership. Typing and receipts are signals (not replayed). After a `reset`, or a gap in message seqs, read what was missed with `chats.history`.',
    form: 'room:<conversationId>',
    pattern: userTopicPattern('room'),
    access: 'member',
    events: {
      'message.new': {
        description: 'A message, in seq order (the conversation writes its own, `system`, when members change).',
        body: T.Object({ message: ChatMessage }),
        example: { message: exampleMessage },
      },
      'message.changed': {
        description: 'A message was edited, deleted (a tombstone), or pinned or unpinned.',
        body: T.Object({ message: ChatMessage }),
        example: { message: { ...exampleMessage, text: '¿Paseo a las 7?', editedAt: '2026-11-24T18:01:00.000Z' } },
      },
      'message.reacted': {
        description: 'Someone reacted to a message (`emoji` null: took their reaction back), with the counts after it.',
        body: T.Object({
          conversationId: T.String(),
          seq: T.Integer(),
          userId: T.String(),
          emoji: T.Union([T.String(), T.Null()]),
          reactions: ChatMessage.properties.reactions,
        }),
        example: { conversationId: exampleChatId, seq: 42, userId: exampleFriendId, emoji: '❤️', reactions: [{ emoji: '❤️', count: 1 }] },
      },
      'member.changed': {
        description: 'Someone joined, left or was removed, or became or stopped being an admin; `member` is null once they are gone.',
        body: T.Object({ userId: T.String(), member: T.Union([ChatMember, T.Null()]), memberCount: T.Integer(), atSeq: AtSeq }),
        example: {
          userId: exampleFriendId,
          member: { person: examplePerson, role: 'admin', readSeq: 40, deliveredSeq: 42 },
          memberCount: 3,
          atSeq: 42,
        },
      },
      'chat.changed': {
        description: "The group's name or picture changed, or end-to-end encryption of a one-to-one was turned on or off.",
        body: T.Object({
          conversationId: T.String(),
          name: T.Union([T.String(), T.Null()]),
          pictureMediaId: T.Union([T.String(), T.Null()]),
          atSeq: AtSeq,
          encrypted: T.Boolean(),
        }),
        example: { conversationId: exampleChatId, name: 'Paseos 🐾', pictureMediaId: null, atSeq: 42, encrypted: false },
      },
      typing: {
        description: 'A member is typing; show it for about 5 s unless another arrives.',
        body: T.Object({ conversationId: T.String(), userId: T.String() }),
        example: { conversationId: exampleChatId, userId: exampleFriendId },
        signal: true,
      },
      receipt: {
        description:
          "A member's delivery or read pointer moved (`chats.delivered`, `chats.read`). Sending moves the sender's two pointers to the new message without a receipt: a client sets them from the `message.new` of that member.",
        body: T.Object({ conversationId: T.String(), userId: T.String(), deliveredSeq: T.Integer(), readSeq: T.Integer() }),
        example: { conversationId: exampleChatId, userId: exampleFriendId, deliveredSeq: 42, readSeq: 42 },
        signal: true,
      },
    },
  },
  call: {
    description:
      'One call, for the people it rang: its state and participants as they change. Each event carries the whole call; a subscription never replays what happened before (a resume gets a `reset`: read the call again with `calls.get`). Media changes (producers, the router’s epoch) come in `call.changed`; `call.speaker` signals who speaks.',
    form: 'call:<callId>',
    pattern: userTopicPattern('call'),
    access: 'member',
    events: callEvents,
  },
} satisfies Record<string, TopicSpec>;

export type TopicKind = keyof typeof Topics;
export type EventName<K extends TopicKind> = keyof (typeof Topics)[K]['events'] & string;
export type EventBody<K extends TopicKind, E extends EventName<K>> = Static<
  (typeof Topics)[K]['events'][E] extends { body: infer B extends TSchema } ? B : never
>;

/** Which kind of topic a name is, and its parameter (the user id of `user:<id>`). */
export function parseTopic(name: string): { kind: TopicKind; param: string | undefined } | undefined {
  for (const [kind, spec] of Object.entries(Topics) as [TopicKind, TopicSpec][]) {
    const match = spec.pattern.exec(name);
    if (match !== null) return { kind, param: match[1] };
  }
  return undefined;
}

export const requestCheckers = Object.fromEntries(
  Object.entries(Calls).map(([name, spec]) => [name, TypeCompiler.Compile(spec.request as TSchema)]),
) as unknown as Record<CallName, ReturnType<typeof TypeCompiler.Compile>>;
