// Calls of the messenger: one-to-one conversations (one per pair, created by the first message;
// from someone who is not a friend it arrives as a request), groups (name, picture, up to 1,024
// members, admins), messages with replies, reactions, edits and tombstones, pins, search, typing,
// delivery and read pointers, mute, and the public keys of optional end-to-end encryption.
//
// Every message of a conversation has a seq: 1, 2, 3, … with no gaps, in the order the
// conversation's room actor accepted them. A client that has seen seq n and gets n + 2 missed one
// and reads it with `chats.history`. `clientId` (chosen by the sender) makes a send idempotent: a
// retry of the same send answers the message already stored, and members see it once.

import { CALL_END_REASONS, CHAT_LIMITS } from '../lists.ts';
import {
  type CallSpec,
  CreateKey,
  Cursor,
  exampleFriendId,
  examplePerson,
  exampleUserId,
  OneOf,
  Page,
  PersonSummary,
  Uuid,
} from '../spec.ts';
import { T } from '../typebox.ts';

export const exampleChatId = '0192a1b2-c3d4-7e5f-8a9b-00000000c4a7';
const Seq = T.Integer({ minimum: 1, description: 'Position of the message in its conversation: 1, 2, 3, …' });
const ChatTarget = T.Object({ conversationId: Uuid });
const Base64 = (maxLength: number, description: string) => T.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength, description });
const Emoji = T.String({ minLength: 1, maxLength: 16, description: 'One emoji' });

const Encrypted = T.Object(
  {
    senderKeyId: Uuid,
    recipientKeyId: Uuid,
    iv: Base64(16, 'The 12-byte AES-GCM nonce'),
    ciphertext: Base64(CHAT_LIMITS.ciphertextChars, 'AES-GCM ciphertext with its tag'),
  },
  {
    description:
      'End-to-end encrypted content (one-to-one only): AES-256-GCM under a key both ends derive with X25519 from their own private key and the other public key (HKDF-SHA-256, info "petamigos-e2ee-v1"). The plaintext is a UTF-8 JSON envelope `{ "v": 2, "text", "files": [{ "mediaId", "key", "iv", "type", "name", "size" }] }` (format 1, before it: the text alone): each attachment is a `blob` media encrypted on the device with AES-256-GCM under its own random `key` and `iv`, and `type`, `name`, `size` are those of the original file. The server never sees any of it.',
  },
);

const SystemAction = OneOf(
  ['created', 'added', 'removed', 'left', 'renamed', 'picture', 'admin', 'accepted', 'encrypted', 'unencrypted', 'call'] as const,
  {
    description:
      'encrypted / unencrypted: `actorId` turned end-to-end encryption of the one-to-one conversation on or off. call: a call of the conversation ended (`call` says how); `actorId` started it, `userIds` took part',
  },
);

const CallSummary = T.Object(
  {
    callId: Uuid,
    video: T.Boolean(),
    durationSeconds: T.Integer({ minimum: 0, description: 'From the first answer to the end; 0 for a call nobody answered' }),
    outcome: OneOf(CALL_END_REASONS),
  },
  { description: 'The call a `call` system message is about (null for every other action)' },
);

export const ChatMessage = T.Object({
  conversationId: Uuid,
  seq: Seq,
  id: Uuid,
  senderId: T.Union([Uuid, T.Null()], { description: 'Null for messages the conversation itself writes (system)' }),
  clientId: T.Union([Uuid, T.Null()]),
  kind: OneOf(['text', 'encrypted', 'system'] as const),
  text: T.String({ description: 'Empty for encrypted, system and deleted messages' }),
  encrypted: T.Union([Encrypted, T.Null()]),
  replyTo: T.Union([
    T.Object({
      seq: Seq,
      senderId: T.Union([Uuid, T.Null()], { description: 'Null (and the preview empty) when the reader may not see the quoted message' }),
      preview: T.String({
        description:
          'The first 120 characters of its text; empty when deleted or encrypted, or when it was sent before the reader joined (in a `message.new` event: before any present member joined)',
      }),
    }),
    T.Null(),
  ]),
  system: T.Union([
    T.Object({
      action: SystemAction,
      actorId: Uuid,
      userIds: T.Array(Uuid),
      name: T.Union([T.String(), T.Null()]),
      call: T.Union([CallSummary, T.Null()]),
    }),
    T.Null(),
  ]),
  attachments: T.Array(T.Object({ id: Uuid, kind: OneOf(['image', 'video', 'voice', 'blob'] as const) }), {
    description:
      'Media shown with the message; fetch their URLs with `media.get`. `blob`: a file encrypted on the device (encrypted messages only), its key in the encrypted envelope',
  }),
  story: T.Union(
    [
      T.Object({
        storyId: Uuid,
        authorId: Uuid,
        kind: OneOf(['reply', 'reaction'] as const, { description: 'An answer to the story, or a reaction (the text is the emoji)' }),
        mediaId: T.Union([Uuid, T.Null()], {
          description: 'The story’s picture to show as a thumbnail; null once the story expired (at expiresAt)',
        }),
        expiresAt: T.String({ format: 'date-time', description: 'When the story expires: stop showing the thumbnail then' }),
      }),
      T.Null(),
    ],
    { description: 'The story this message answers (stories.reply), or null' },
  ),
  postId: T.Union([Uuid, T.Null()], {
    description:
      "A post shared in the message (a reel is a post: its id is the reel's). Only its id: open it with posts.get (or reels.get), which applies your own access; a post you may not see, or deleted, answers NOT_FOUND — show it as unavailable",
  }),
  reactions: T.Array(T.Object({ emoji: T.String(), count: T.Integer({ minimum: 1 }) })),
  myReaction: T.Optional(T.Union([T.String(), T.Null()], { description: "In replies to the caller's reads only" })),
  pinned: T.Boolean(),
  createdAt: T.String({ format: 'date-time' }),
  editedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  deletedAt: T.Union([T.String({ format: 'date-time' }), T.Null()], { description: 'A tombstone: text and content are gone' }),
});

export const exampleMessage = {
  conversationId: exampleChatId,
  seq: 42,
  id: '0192a1b2-c3d4-7e5f-8a9b-0000000000a1',
  senderId: exampleUserId,
  clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000c1',
  kind: 'text',
  text: '¿Paseo a las 6?',
  encrypted: null,
  replyTo: null,
  system: null,
  attachments: [],
  story: null,
  postId: null,
  reactions: [{ emoji: '👍', count: 1 }],
  pinned: false,
  createdAt: '2026-11-24T18:00:00.000Z',
  editedAt: null,
  deletedAt: null,
};

const Me = T.Object({
  role: OneOf(['member', 'admin'] as const),
  state: OneOf(['active', 'request'] as const, { description: 'request: a message request the caller has not accepted yet' }),
  readSeq: T.Integer({ minimum: 0 }),
  joinedSeq: T.Integer({ minimum: 0, description: 'The caller sees messages after this seq' }),
  mutedUntil: T.Union([T.String({ format: 'date-time' }), T.Null()]),
});

const Chat = T.Object({
  id: Uuid,
  kind: OneOf(['direct', 'group'] as const),
  name: T.Union([T.String(), T.Null()], { description: 'Groups only' }),
  pictureMediaId: T.Union([Uuid, T.Null()]),
  peer: T.Union([PersonSummary, T.Null()], { description: 'One-to-one only: the other person' }),
  memberCount: T.Integer({ minimum: 1 }),
  lastSeq: T.Integer({ minimum: 0 }),
  unread: T.Integer({ minimum: 0 }),
  lastMessage: T.Union([ChatMessage, T.Null()]),
  lastActivityAt: T.String({ format: 'date-time' }),
  encrypted: T.Boolean({
    description:
      'One-to-one only: end-to-end encryption is on (`chats.encryption`); the server then takes only `encrypted` messages with `blob` attachments (E2EE_REQUIRED)',
  }),
  me: Me,
});

const exampleChat = {
  id: exampleChatId,
  kind: 'direct',
  name: null,
  pictureMediaId: null,
  peer: examplePerson,
  memberCount: 2,
  lastSeq: 42,
  unread: 1,
  lastMessage: exampleMessage,
  lastActivityAt: '2026-11-24T18:00:00.000Z',
  encrypted: false,
  me: { role: 'member', state: 'active', readSeq: 41, joinedSeq: 0, mutedUntil: null },
};

export const ChatMember = T.Object({
  person: PersonSummary,
  role: OneOf(['member', 'admin'] as const),
  readSeq: T.Integer({ minimum: 0, description: 'Read up to here; 0 for a message request not yet accepted' }),
  deliveredSeq: T.Integer({ minimum: 0, description: 'Received by one of their devices up to here' }),
});

const ChatDetail = T.Object({
  chat: Chat,
  members: T.Array(ChatMember),
  e2eeAvailable: T.Boolean(),
  canSend: T.Boolean({
    description:
      'False in a one-to-one conversation whose other person does not take messages from the caller now (their current `messages` setting, a declined request, a block): sends, edits and reactions would be refused with MESSAGE_NOT_ALLOWED. Always true in a group the caller is in.',
  }),
});

const Send = T.Object({
  conversationId: T.Optional(Uuid),
  to: T.Optional(T.String({ format: 'uuid', description: 'One-to-one: the other person; the conversation is created if needed' })),
  clientId: T.String({ format: 'uuid', description: 'Chosen by the sender, new per message, the same on every retry of it' }),
  text: T.Optional(T.String({ maxLength: CHAT_LIMITS.messageChars })),
  encrypted: T.Optional(Encrypted),
  replyTo: T.Optional(Seq),
  post: T.Optional(
    T.String({
      format: 'uuid',
      description:
        'Share a post (or a reel, by its id) you may see (NOT_FOUND otherwise), with or without text. Not in an end-to-end encrypted conversation (E2EE_REQUIRED): put a link in the encrypted content there',
    }),
  ),
  attachments: T.Optional(
    T.Array(Uuid, {
      maxItems: CHAT_LIMITS.attachments,
      uniqueItems: true,
      description:
        'Your own ready media from the media pipeline: images, videos, voice notes; in an end-to-end encrypted conversation `blob` media only (files encrypted on the device), with `encrypted` content',
    }),
  ),
});

const ReadPointer = T.Object({ conversationId: Uuid, seq: T.Integer({ minimum: 0 }) });
const Counts = T.Object({
  conversations: T.Integer({ minimum: 0, description: 'Conversations with unread messages, muted ones left out' }),
  requests: T.Integer({ minimum: 0, description: 'Message requests with unread messages' }),
});
const MessageRef = T.Object({ conversationId: Uuid, seq: Seq });
const ok = T.Object({});

export const chatCalls = {
  'chats.list': {
    description: 'Conversations, the most recently active first: `inbox` or message `requests`.',
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ folder: T.Optional(OneOf(['inbox', 'requests'] as const)), cursor: Cursor }),
    response: Page(Chat),
    example: { request: { folder: 'inbox' }, response: { items: [exampleChat], nextCursor: null } },
  },
  'chats.get': {
    description:
      'One conversation with its members and their read and delivery pointers; `e2eeAvailable` when both people of a one-to-one have published keys.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: ChatTarget,
    response: ChatDetail,
    example: {
      request: { conversationId: exampleChatId },
      response: {
        chat: exampleChat,
        members: [{ person: examplePerson, role: 'member', readSeq: 42, deliveredSeq: 42 }],
        e2eeAvailable: false,
        canSend: true,
      },
    },
  },
  'chats.direct': {
    description: 'The one-to-one conversation with someone, if there is one yet (it starts with the first `chats.send` with `to`).',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MESSAGE_NOT_ALLOWED'],
    request: T.Object({ userId: Uuid }),
    response: T.Object({ conversationId: T.Union([Uuid, T.Null()]) }),
    example: { request: { userId: exampleFriendId }, response: { conversationId: exampleChatId } },
  },
  'chats.createGroup': {
    description: `Start a group with people who let the caller message them (friends, or anyone whose settings allow), up to ${CHAT_LIMITS.groupMembers} members. The caller is its admin.`,
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MEDIA_NOT_READY'],
    request: T.Object({
      name: T.String({ minLength: 1, maxLength: CHAT_LIMITS.groupNameChars }),
      userIds: T.Array(Uuid, { minItems: 1, maxItems: CHAT_LIMITS.addAtOnce, uniqueItems: true }),
      pictureMediaId: T.Optional(Uuid),
      clientId: CreateKey,
    }),
    response: Chat,
    example: {
      request: { name: 'Paseos del parque', userIds: [exampleFriendId], clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000d2' },
      response: { ...exampleChat, kind: 'group', name: 'Paseos del parque', peer: null, me: { ...exampleChat.me, role: 'admin' } },
    },
  },
  'chats.send': {
    description:
      "Send a message: to a conversation (`conversationId`) or to a person (`to`). Text or `encrypted` content (not both), with or without `attachments` and a shared `post` (a message of attachments or a post alone needs neither). Answered once the message is stored; a retry with the same `clientId` answers the same message. Sending reads the conversation: the sender's read and delivery pointers move to the message (members see it as the `message.new`, with no `receipt`). MESSAGE_NOT_ALLOWED when the recipient does not accept messages from the caller (privacy, a declined request, a block). In a one-to-one conversation the other person's current `messages` setting applies to every message, not only the first (a conversation they started stays open to the person they wrote to unless they take messages from nobody); edits and reactions follow the same rule. E2EE_REQUIRED for text, or attachments other than `blob`, in a conversation whose encryption is on; INVALID_INPUT for a `blob` in one whose encryption is off.",
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MESSAGE_NOT_ALLOWED', 'E2EE_REQUIRED', 'MEDIA_NOT_READY'],
    request: Send,
    response: ChatMessage,
    example: {
      request: { conversationId: exampleChatId, clientId: exampleMessage.clientId, text: '¿Paseo a las 6?' },
      response: exampleMessage,
    },
  },
  'chats.history': {
    description: `Messages of a conversation in seq order, at most ${CHAT_LIMITS.historyPage}: the newest (no seq given), those before \`before\`, or those after \`after\` (to catch up after a gap). \`more\` says whether more lie in that direction.`,
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ conversationId: Uuid, before: T.Optional(Seq), after: T.Optional(T.Integer({ minimum: 0 })) }),
    response: T.Object({ items: T.Array(ChatMessage), more: T.Boolean() }),
    example: { request: { conversationId: exampleChatId, after: 41 }, response: { items: [exampleMessage], more: false } },
  },
  'chats.edit': {
    description:
      'Change the text of your own message, within 15 minutes of sending it. Encrypted messages are sent anew instead; E2EE_REQUIRED once the conversation is encrypted.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MESSAGE_NOT_ALLOWED', 'E2EE_REQUIRED', 'EDIT_WINDOW_CLOSED'],
    request: T.Object({ conversationId: Uuid, seq: Seq, text: T.String({ minLength: 1, maxLength: CHAT_LIMITS.messageChars }) }),
    response: ChatMessage,
    example: {
      request: { conversationId: exampleChatId, seq: 42, text: '¿Paseo a las 7?' },
      response: { ...exampleMessage, text: '¿Paseo a las 7?', editedAt: '2026-11-24T18:01:00.000Z' },
    },
  },
  'chats.delete': {
    description: 'Delete a message for everyone: your own, or anyone’s when you are a group admin. It stays as a tombstone.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: MessageRef,
    response: ChatMessage,
    example: {
      request: { conversationId: exampleChatId, seq: 42 },
      response: { ...exampleMessage, text: '', reactions: [], deletedAt: '2026-11-24T18:02:00.000Z' },
    },
  },
  'chats.react': {
    description: 'React to a message with one emoji (replacing your earlier one), or remove your reaction with null.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MESSAGE_NOT_ALLOWED'],
    request: T.Object({ conversationId: Uuid, seq: Seq, emoji: T.Union([Emoji, T.Null()]) }),
    response: T.Object({ reactions: ChatMessage.properties.reactions, myReaction: T.Union([T.String(), T.Null()]) }),
    example: {
      request: { conversationId: exampleChatId, seq: 42, emoji: '❤️' },
      response: { reactions: [{ emoji: '❤️', count: 1 }], myReaction: '❤️' },
    },
  },
  'chats.pin': {
    description: `Pin or unpin a message of a group (admins; at most ${CHAT_LIMITS.pins} pinned).`,
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'TOO_MANY_PINS'],
    request: T.Object({ conversationId: Uuid, seq: Seq, pinned: T.Boolean() }),
    response: ChatMessage,
    example: { request: { conversationId: exampleChatId, seq: 42, pinned: true }, response: { ...exampleMessage, pinned: true } },
  },
  'chats.pins': {
    description: 'The pinned messages of a conversation, newest first.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: ChatTarget,
    response: T.Object({ items: T.Array(ChatMessage) }),
    example: { request: { conversationId: exampleChatId }, response: { items: [{ ...exampleMessage, pinned: true }] } },
  },
  'chats.search': {
    description: 'Messages of one conversation whose text contains the words (case and accents ignored), newest first.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'INVALID_CURSOR'],
    request: T.Object({ conversationId: Uuid, query: T.String({ minLength: 1, maxLength: 100 }), cursor: Cursor }),
    response: Page(ChatMessage),
    example: { request: { conversationId: exampleChatId, query: 'paseo' }, response: { items: [exampleMessage], nextCursor: null } },
  },
  'chats.typing': {
    description: 'Say the caller is typing: members see a `typing` signal. Send it at most every 3 s while typing; more often is ignored.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: ChatTarget,
    response: ok,
    example: { request: { conversationId: exampleChatId }, response: {} },
  },
  'chats.read': {
    description: 'Move the read pointer forward to `seq` (never back). Members see a `receipt`; the unread counts of every session follow.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: ReadPointer,
    response: T.Object({ readSeq: T.Integer({ minimum: 0 }), unread: T.Integer({ minimum: 0 }) }),
    example: { request: { conversationId: exampleChatId, seq: 42 }, response: { readSeq: 42, unread: 0 } },
  },
  'chats.delivered': {
    description: 'Say a device of the caller has received the messages up to `seq` (send it after a batch arrives, not per message).',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: ReadPointer,
    response: T.Object({ deliveredSeq: T.Integer({ minimum: 0 }) }),
    example: { request: { conversationId: exampleChatId, seq: 42 }, response: { deliveredSeq: 42 } },
  },
  'chats.unread': {
    description: 'The badge numbers: conversations and message requests with unread messages.',
    role: 'user',
    errors: [],
    request: ok,
    response: Counts,
    example: { request: {}, response: { conversations: 2, requests: 0 } },
  },
  'chats.accept': {
    description: 'Accept a message request: it moves to the inbox, and the sender sees read receipts from now on.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: ChatTarget,
    response: Chat,
    example: { request: { conversationId: exampleChatId }, response: exampleChat },
  },
  'chats.decline': {
    description: 'Decline a message request: it disappears, and further messages from that sender are refused.',
    role: 'user',
    errors: ['NOT_FOUND', 'NOT_A_REQUEST'],
    request: ChatTarget,
    response: ok,
    example: { request: { conversationId: exampleChatId }, response: {} },
  },
  'chats.mute': {
    description: 'Mute a conversation for `minutes`, or for good (no minutes), or unmute (`muted: false`). Muted ones leave the badge.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ conversationId: Uuid, muted: T.Boolean(), minutes: T.Optional(T.Integer({ minimum: 1, maximum: 525_600 })) }),
    response: T.Object({ mutedUntil: T.Union([T.String({ format: 'date-time' }), T.Null()]) }),
    example: { request: { conversationId: exampleChatId, muted: true, minutes: 60 }, response: { mutedUntil: '2026-11-24T19:00:00.000Z' } },
  },
  'chats.leave': {
    description: 'Leave a group. The last admin to leave hands the role to the longest-standing member.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: ChatTarget,
    response: ok,
    example: { request: { conversationId: exampleChatId }, response: {} },
  },
  'chats.addMembers': {
    description: 'Add people to a group (admins), up to 1,024 members in all; each must let the caller message them.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'GROUP_FULL'],
    request: T.Object({
      conversationId: Uuid,
      userIds: T.Array(Uuid, { minItems: 1, maxItems: CHAT_LIMITS.addAtOnce, uniqueItems: true }),
    }),
    response: T.Object({ memberCount: T.Integer() }),
    example: { request: { conversationId: exampleChatId, userIds: [exampleFriendId] }, response: { memberCount: 3 } },
  },
  'chats.removeMember': {
    description: 'Remove someone from a group (admins).',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND'],
    request: T.Object({ conversationId: Uuid, userId: Uuid }),
    response: T.Object({ memberCount: T.Integer() }),
    example: { request: { conversationId: exampleChatId, userId: exampleFriendId }, response: { memberCount: 2 } },
  },
  'chats.setAdmin': {
    description: 'Make a member an admin of the group, or not (admins).',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'LAST_ADMIN'],
    request: T.Object({ conversationId: Uuid, userId: Uuid, admin: T.Boolean() }),
    response: ok,
    example: { request: { conversationId: exampleChatId, userId: exampleFriendId, admin: true }, response: {} },
  },
  'chats.update': {
    description: "Rename a group or change its picture (admins). Members see it as a message and a 'chat.changed' event.",
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MEDIA_NOT_READY'],
    request: T.Object({
      conversationId: Uuid,
      name: T.Optional(T.String({ minLength: 1, maxLength: CHAT_LIMITS.groupNameChars })),
      pictureMediaId: T.Optional(T.Union([Uuid, T.Null()])),
    }),
    response: Chat,
    example: {
      request: { conversationId: exampleChatId, name: 'Paseos 🐾' },
      response: { ...exampleChat, kind: 'group', name: 'Paseos 🐾' },
    },
  },
  'chats.encryption': {
    description:
      'Turn end-to-end encryption of a one-to-one conversation on or off (either person). Both see it as a message (`encrypted` / `unencrypted`) and a `chat.changed` event; while it is on, the server refuses plaintext (E2EE_REQUIRED). Turning it on again changes nothing; MESSAGE_NOT_ALLOWED where a message would be (a block, a declined request).',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MESSAGE_NOT_ALLOWED'],
    request: T.Object({ conversationId: Uuid, encrypted: T.Boolean() }),
    response: Chat,
    example: { request: { conversationId: exampleChatId, encrypted: true }, response: { ...exampleChat, encrypted: true } },
  },
  'keys.publish': {
    description:
      'Publish the public half of this device’s X25519 key pair for end-to-end encrypted conversations (the private half never leaves the device). The newest key is the one others encrypt to.',
    role: 'user',
    errors: ['INVALID_INPUT'],
    request: T.Object({ publicKey: Base64(44, 'The raw 32-byte X25519 public key') }),
    response: T.Object({ keyId: Uuid }),
    example: {
      request: { publicKey: 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=' },
      response: { keyId: '0192a1b2-c3d4-7e5f-8a9b-0000000000ee' },
    },
  },
  'keys.get': {
    description:
      "Someone's public keys for end-to-end encryption: the newest first (encrypt to it), older ones to read earlier messages. NOT_FOUND when they have none. The safety number two people compare is made from their newest keys: for each person, SHA-512 applied 5,200 times, each time to (the previous result ‖ raw key), the first time's previous result being (0x0000 ‖ raw key ‖ UTF-8 user id) (as Signal's numeric fingerprint); the first 30 bytes, as six 5-byte big-endian numbers mod 100,000, give 30 digits; the 30 digits of the smaller user id come first: 60 digits, shown as 12 groups of 5.",
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ userId: Uuid }),
    response: T.Object({ keys: T.Array(T.Object({ keyId: Uuid, publicKey: T.String(), createdAt: T.String({ format: 'date-time' }) })) }),
    example: {
      request: { userId: exampleFriendId },
      response: {
        keys: [
          {
            keyId: '0192a1b2-c3d4-7e5f-8a9b-0000000000ee',
            publicKey: 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=',
            createdAt: '2026-11-24T18:00:00.000Z',
          },
        ],
      },
    },
  },
} satisfies Record<string, CallSpec>;
