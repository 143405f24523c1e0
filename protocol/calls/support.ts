// Calls of support: a person writes to the PetAmigos team (`support.send`; the first message opens
// their conversation), reads it back (`support.history`) and may close it (`support.close`). The
// team answers from Chatwoot; each answer, and the conversation's closing, arrives on the person's
// `user:<id>` topic (`support.message`, `support.closed`). A conversation of someone whose plan has
// `prioritySupport` (Pro) is marked priority for the team.
import { SUPPORT_AUTHORS, SUPPORT_LIMITS, SUPPORT_STATUSES } from '../lists.ts';
import { type CallSpec, CreateKey, Cursor, OneOf, Page, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const SupportConversation = T.Object({
  id: Uuid,
  status: OneOf(SUPPORT_STATUSES, { description: '`open`: the team answers here; `closed`: the next message opens a new conversation' }),
  priority: T.Boolean({ description: 'Marked priority for the team (the person’s plan has `prioritySupport`)' }),
  createdAt: T.String({ format: 'date-time' }),
  closedAt: T.Union([T.String({ format: 'date-time' }), T.Null()], { description: 'When it was closed; null while open' }),
});

const SupportMessage = T.Object({
  id: Uuid,
  conversationId: Uuid,
  author: OneOf(SUPPORT_AUTHORS, { description: '`user`: the person; `agent`: someone of the team' }),
  agentName: T.Union([T.String(), T.Null()], { description: "The agent's name as the team shows it; null for the person's own" }),
  text: T.String(),
  createdAt: T.String({ format: 'date-time' }),
});

const exampleConversation = {
  id: '0192a1b2-6666-7000-8000-0000000000c1',
  status: 'open',
  priority: true,
  createdAt: '2026-12-07T10:00:00.000Z',
  closedAt: null,
};
const exampleMessage = {
  id: '0192a1b2-6666-7000-8000-0000000000d1',
  conversationId: exampleConversation.id,
  author: 'user',
  agentName: null,
  text: 'My Pro badge does not show on my profile.',
  createdAt: '2026-12-07T10:00:00.000Z',
};
const exampleReply = {
  ...exampleMessage,
  id: '0192a1b2-6666-7000-8000-0000000000d2',
  author: 'agent',
  agentName: 'Lucía',
  text: 'Thanks! It shows again now; reload the page.',
  createdAt: '2026-12-07T10:05:00.000Z',
};

export const supportCalls = {
  'support.send': {
    description: `Write to the PetAmigos team: ${SUPPORT_LIMITS.textChars} characters at most, not blank. The message goes into the caller's open conversation, or opens one (${SUPPORT_LIMITS.openConversations} open at a time). It is stored before the reply and handed to the team afterwards, retried until the team's helpdesk takes it. On a plan with \`prioritySupport\` (Pro) the conversation is marked priority; a plan that changes shows with the next message. At most ${SUPPORT_LIMITS.messagesPerHour} messages an hour (RATE_LIMITED). SUPPORT_UNAVAILABLE (nothing stored) when this server has no helpdesk configured. Every session of the caller gets the message as \`support.message\` on \`user:<id>\`.`,
    role: 'user',
    errors: ['INVALID_INPUT', 'SUPPORT_UNAVAILABLE'],
    request: T.Object({
      text: T.String({ minLength: 1, maxLength: SUPPORT_LIMITS.textChars }),
      clientId: CreateKey,
    }),
    response: T.Object({ conversation: SupportConversation, message: SupportMessage }),
    example: {
      request: { text: exampleMessage.text, clientId: '0192a1b2-6666-7000-8000-0000000000e1' },
      response: { conversation: exampleConversation, message: exampleMessage },
    },
  },
  'support.history': {
    description: `The caller's support messages, theirs and the team's, newest first (${SUPPORT_LIMITS.page} a page), across their conversations; \`conversation\`: the latest (null before the first message); \`available\`: whether this server has a helpdesk (support.send works).`,
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ cursor: Cursor }),
    response: T.Object({
      conversation: T.Union([SupportConversation, T.Null()]),
      available: T.Boolean({ description: 'A helpdesk is configured: support.send works' }),
      page: Page(SupportMessage),
    }),
    example: {
      request: {},
      response: { conversation: exampleConversation, available: true, page: { items: [exampleReply, exampleMessage], nextCursor: null } },
    },
  },
  'support.close': {
    description:
      "Close the caller's open conversation (the team sees it resolved); the next message opens a new one. Answers the conversation as it is now, or null when none was open.",
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({ conversation: T.Union([SupportConversation, T.Null()]) }),
    example: {
      request: {},
      response: { conversation: { ...exampleConversation, status: 'closed', closedAt: '2026-12-07T11:00:00.000Z' } },
    },
  },
} satisfies Record<string, CallSpec>;

export const supportUserEvents = {
  'support.message': {
    description:
      "A message of the user's support conversation: an agent's answer, or one the user sent (so every device shows it). Internal notes of the team never come.",
    body: T.Object({ message: SupportMessage }),
    example: { message: exampleReply },
  },
  'support.closed': {
    description: "The user's support conversation was closed: by the team (resolved) or by the user on another device.",
    body: T.Object({ conversation: SupportConversation }),
    example: { conversation: { ...exampleConversation, status: 'closed', closedAt: '2026-12-07T11:00:00.000Z' } },
  },
};
