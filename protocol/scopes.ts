// Which scope of a personal API token each call, topic and HTTP endpoint needs (API_TOKEN_SCOPES
// in lists.ts). The rule, in order:
//   1. never: staff calls (any role above `user`), account security and money: the namespaces in
//      NEVER_NAMESPACES (tokens themselves, payments, subscriptions, end-to-end keys, push
//      endpoints, and support: what is said to the team as the account holder, who asks agents
//      for account changes) and the calls in NEVER_CALLS. These need a signed-in session.
//   2. chats: every call of a conversation (`chats.*`, `calls.*`) and the calls in CHAT_CALLS.
//   3. read: the calls that change nothing, i.e. whose retry rule is `read` (retry.ts, declared
//      for every call).
//   4. write: everything else.
// Topics need `read`, a conversation's (`room:`) and a call's (`call:`) `chats`. HTTP endpoints are refused to personal
// tokens unless HTTP_SCOPES lists them (sign-in, sessions, passwords, two-factor and staff
// endpoints never are).
import type { API_TOKEN_SCOPES } from './lists.ts';
import { RETRY_RULES } from './retry.ts';
import type { CallSpec } from './spec.ts';

export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
/** What a call needs of a personal token: one scope, or `never` (only a signed-in session). */
export type ScopeNeed = ApiTokenScope | 'never';

export const NEVER_NAMESPACES = ['tokens', 'payments', 'subscriptions', 'keys', 'push', 'support'] as const;
/** Outside those namespaces, calls that turn security off or move money. */
export const NEVER_CALLS = ['chats.encryption', 'treats.tip'] as const;
/** Calls outside `chats.*` that read or write a conversation. */
export const CHAT_CALLS = ['stories.reply'] as const;

const NEVER = new Set<string>(NEVER_CALLS);
const CHATS = new Set<string>(CHAT_CALLS);

export function scopeOfCall(name: string, spec: Pick<CallSpec, 'role'>): ScopeNeed {
  const namespace = name.split('.')[0] as string;
  if (spec.role !== 'user' || NEVER.has(name) || (NEVER_NAMESPACES as readonly string[]).includes(namespace)) return 'never';
  if (namespace === 'chats' || namespace === 'calls' || CHATS.has(name)) return 'chats';
  return (RETRY_RULES as Record<string, string>)[name] === 'read' ? 'read' : 'write';
}

/** A topic of this kind (`room`, `user`, …): a conversation's or a call's needs `chats`, any other `read`. */
export const scopeOfTopic = (kind: string): ApiTokenScope => (kind === 'room' || kind === 'call' ? 'chats' : 'read');

/**
 * The HTTP endpoints a personal token may use, as `METHOD /path` with Elysia's `:param`; any
 * other protected endpoint answers it 403 SCOPE_DENIED.
 */
export const HTTP_SCOPES: Record<string, ApiTokenScope> = {
  'GET /auth/me': 'read',
  'GET /users/by-username/:username': 'read',
  'POST /media/': 'write',
  'POST /media/uploads': 'write',
  'GET /media/uploads/:id': 'read',
  'PUT /media/uploads/:id': 'write',
  'DELETE /media/uploads/:id': 'write',
  'POST /media/uploads/:id/complete': 'write',
};

export const scopeOfEndpoint = (method: string, route: string): ScopeNeed => HTTP_SCOPES[`${method.toUpperCase()} ${route}`] ?? 'never';

/** Whether a token of `scopes` may do what needs `need`. */
export const scopeAllows = (scopes: readonly string[], need: ScopeNeed): boolean => need !== 'never' && scopes.includes(need);
