// Calls of personal API tokens, a Pro entitlement: make one (its secret shown once), list them,
// revoke one. The tokens authenticate the HTTP API (`Authorization: Bearer pat_…`) and the
// WebSocket (the `hello` token) within their scopes (protocol/scopes.ts). These calls themselves
// need a signed-in session: a personal token never manages tokens.
import { API_TOKEN_LIMITS, API_TOKEN_PREFIX, API_TOKEN_SCOPES } from '../lists.ts';
import { type CallSpec, OneOf, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const Scopes = T.Array(OneOf(API_TOKEN_SCOPES), {
  minItems: 1,
  maxItems: API_TOKEN_SCOPES.length,
  uniqueItems: true,
  description:
    '`read`: calls that change nothing; `write`: calls that change things, messages aside; `chats`: conversations, reading and sending',
});

const ApiToken = T.Object({
  id: Uuid,
  name: T.String({ description: 'The name its owner gave it, to tell tokens apart' }),
  scopes: Scopes,
  createdAt: T.String({ format: 'date-time' }),
  lastUsedAt: T.Union([T.String({ format: 'date-time' }), T.Null()], {
    description: `When it last authenticated a request or a socket's call (to the minute: it moves at most every ${API_TOKEN_LIMITS.lastUsedEveryMs / 1000} s); null if never`,
  }),
  expiresAt: T.Union([T.String({ format: 'date-time' }), T.Null()], { description: 'When it stops working; null: when revoked' }),
  expired: T.Boolean({ description: 'Whether `expiresAt` has passed: it no longer works, and no longer counts against the limit' }),
});

const exampleToken = {
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000707a',
  name: 'Feeding log script',
  scopes: ['read', 'write'] as ('read' | 'write' | 'chats')[],
  createdAt: '2026-12-01T09:00:00.000Z',
  lastUsedAt: null,
  expiresAt: '2027-03-01T09:00:00.000Z',
  expired: false,
};

export const tokenCalls = {
  'tokens.create': {
    description: `Make a personal API token (Pro: PLAN_REQUIRED otherwise) with a name of 1 to ${API_TOKEN_LIMITS.nameChars} characters, its scopes, and optionally the days it lasts (at most ${API_TOKEN_LIMITS.maxExpiresInDays}; none: until revoked). The answer holds its \`secret\` (\`${API_TOKEN_PREFIX}\` then 43 characters): shown this once, never again (only its hash is kept). At most ${API_TOKEN_LIMITS.live} tokens at once (TOO_MANY_TOKENS: revoke one first) and ${API_TOKEN_LIMITS.createsPerHour} creations an hour (RATE_LIMITED). A name of only spaces is INVALID_INPUT (\`details.field\`: name).`,
    role: 'user',
    errors: ['PLAN_REQUIRED', 'TOO_MANY_TOKENS', 'INVALID_INPUT'],
    request: T.Object({
      name: T.String({ minLength: 1, maxLength: API_TOKEN_LIMITS.nameChars, description: 'Trimmed; what the settings list shows' }),
      scopes: Scopes,
      expiresInDays: T.Optional(
        T.Integer({ minimum: 1, maximum: API_TOKEN_LIMITS.maxExpiresInDays, description: 'Days from now it stops working; absent: never' }),
      ),
    }),
    response: T.Object({
      token: ApiToken,
      secret: T.String({
        description: `The token to send as \`Authorization: Bearer …\` or in \`hello\`; starts with \`${API_TOKEN_PREFIX}\`; shown once`,
      }),
    }),
    example: {
      request: { name: 'Feeding log script', scopes: ['read', 'write'], expiresInDays: 90 },
      response: { token: exampleToken, secret: `${API_TOKEN_PREFIX}L5mPBtProd731BpDmyHTgC9q4gx7GxZHfruU9YnUrNg` },
    },
  },
  'tokens.list': {
    description: `The caller's personal tokens that were not revoked, newest first (expired ones too, marked): never their secrets. \`entitled\` says whether the caller's plan has personal tokens now (a lapsed plan keeps the tokens listed, but they do not work).`,
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({
      items: T.Array(ApiToken, { description: `All of them: at most ${API_TOKEN_LIMITS.live} live, so one page` }),
      limit: T.Integer({ description: 'How many live tokens one person may hold' }),
      entitled: T.Boolean({ description: 'Whether the caller’s plan includes personal tokens (Pro)' }),
    }),
    example: { request: {}, response: { items: [exampleToken], limit: API_TOKEN_LIMITS.live, entitled: true } },
  },
  'tokens.revoke': {
    description:
      'Revoke one of the caller’s tokens: it stops working at once, on HTTP and on sockets opened with it (closed with SESSION_REVOKED). Someone else’s token, or one already revoked, is NOT_FOUND. Allowed whatever the plan.',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ tokenId: Uuid }),
    response: T.Object({}),
    example: { request: { tokenId: exampleToken.id }, response: {} },
  },
} satisfies Record<string, CallSpec>;
