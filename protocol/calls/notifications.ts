// Calls about notifications: the inbox (its unread count lives in the user actor and arrives live
// on `user:<id>`), per-type delivery preferences, and web push subscriptions (VAPID).

import { PUSH_ONLY_TYPES } from '../lists.ts';
import { type CallSpec, Cursor, examplePerson, OneOf, Page, PersonSummary, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

export const NOTIFICATION_TYPES = [
  'friend.request',
  'friend.accepted',
  'follow.new',
  'pet.lost',
  'post.mention',
  'post.comment',
  'comment.reply',
  'post.reaction',
  'comment.reaction',
  'post.share',
  'story.mention',
  'chat.message',
  'call.incoming',
  'verification.approved',
  'verification.rejected',
] as const;
const NotificationType = OneOf(NOTIFICATION_TYPES);

export const Notification = T.Object({
  id: Uuid,
  type: T.String({ description: `One of ${NOTIFICATION_TYPES.join(', ')}; clients show unknown types generically` }),
  actor: T.Union([PersonSummary, T.Null()]),
  data: T.Record(T.String(), T.String(), {
    description:
      'Type-specific facts: for pet.lost `petId`, `pet` (its name) and `note`; for post and comment types `postId` (and `commentId`, and `kind` for reactions); for story.mention `storyId`; for verification.approved `requestId`, for verification.rejected `requestId` and `reason` (the admin’s words; actor null: the decision is the platform’s)',
  }),
  createdAt: T.String({ format: 'date-time' }),
  read: T.Boolean(),
});
export const exampleNotification = {
  id: '0192a1b2-2222-7000-8000-000000000001',
  type: 'friend.request',
  actor: examplePerson,
  data: {},
  createdAt: '2026-11-24T09:00:00.000Z',
  read: false,
};

const Preference = T.Object({ type: NotificationType, inApp: T.Boolean(), email: T.Boolean(), push: T.Boolean() });
const Unread = T.Object({ unread: T.Integer({ minimum: 0 }) });

export const notificationCalls = {
  'notifications.list': {
    description:
      "The caller's notifications, newest first, with the unread count. Notifications from people blocked on either side are never listed.",
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ cursor: Cursor, unreadOnly: T.Optional(T.Boolean()) }),
    response: T.Object({ ...Page(Notification).properties, unread: T.Integer({ minimum: 0 }) }),
    example: { request: {}, response: { items: [exampleNotification], nextCursor: null, unread: 1 } },
  },
  'notifications.markRead': {
    description: 'Mark some notifications read. Every session of the user gets the new count (`notifications.unread`).',
    role: 'user',
    errors: [],
    request: T.Object({ ids: T.Array(Uuid, { minItems: 1, maxItems: 100 }) }),
    response: Unread,
    example: { request: { ids: [exampleNotification.id] }, response: { unread: 0 } },
  },
  'notifications.markAllRead': {
    description: 'Mark every notification read.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: Unread,
    example: { request: {}, response: { unread: 0 } },
  },
  'notifications.getPreferences': {
    description: 'How each type of notification reaches the caller: in the app, by email, by web push.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({ items: T.Array(Preference) }),
    example: {
      request: {},
      response: { items: [{ type: 'friend.request', inApp: true, email: true, push: true }] },
    },
  },
  'notifications.setPreference': {
    description: `Change how one type reaches the caller; absent channels stay. With \`inApp\` off the type is not stored at all. ${PUSH_ONLY_TYPES.join(' and ')} are pushed only while you have no session open (the app shows them itself): turning their \`inApp\` or \`email\` on is INVALID_INPUT with \`details.field\`.`,
    role: 'user',
    errors: ['INVALID_INPUT'],
    request: T.Object(
      { type: NotificationType, inApp: T.Optional(T.Boolean()), email: T.Optional(T.Boolean()), push: T.Optional(T.Boolean()) },
      { additionalProperties: false },
    ),
    response: Preference,
    example: { request: { type: 'follow.new', email: false }, response: { type: 'follow.new', inApp: true, email: false, push: false } },
  },
  'push.getKey': {
    description: "The server's VAPID public key (base64url), for `PushManager.subscribe({ applicationServerKey })`.",
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({ publicKey: T.String() }),
    example: {
      request: {},
      response: { publicKey: 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U' },
    },
  },
  'push.subscribe': {
    description:
      "Register this browser's push subscription (from `PushSubscription.toJSON()`). The endpoint must be https on a known push service; re-registering an endpoint moves it to the caller.",
    role: 'user',
    errors: ['INVALID_INPUT', 'PUSH_SERVICE_NOT_ALLOWED'],
    request: T.Object({
      endpoint: T.String({ minLength: 8, maxLength: 1024 }),
      keys: T.Object({ p256dh: T.String({ minLength: 80, maxLength: 100 }), auth: T.String({ minLength: 16, maxLength: 32 }) }),
    }),
    response: T.Object({ id: Uuid }),
    example: {
      request: {
        endpoint: 'https://fcm.googleapis.com/fcm/send/cV1e…',
        keys: {
          p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
          auth: 'tBHItJI5svbpez7KI4CCXg',
        },
      },
      response: { id: '0192a1b2-3333-7000-8000-000000000001' },
    },
  },
  'push.unsubscribe': {
    description: "Remove one of the caller's push subscriptions by endpoint.",
    role: 'user',
    errors: [],
    request: T.Object({ endpoint: T.String({ minLength: 8, maxLength: 1024 }) }),
    response: T.Object({}),
    example: { request: { endpoint: 'https://fcm.googleapis.com/fcm/send/cV1e…' }, response: {} },
  },
} satisfies Record<string, CallSpec>;
