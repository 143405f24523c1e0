// PROTOCOL.md's section on personal API tokens, generated from the scopes' own declarations
// (scopes.ts, lists.ts) so the rules printed are the rules the gateway and the guard apply.
import type { CallSpec } from './catalogue.ts';
import { API_TOKEN_LIMITS, API_TOKEN_PREFIX } from './lists.ts';
import { CHAT_CALLS, HTTP_SCOPES, NEVER_CALLS, NEVER_NAMESPACES, scopeOfCall } from './scopes.ts';

const code = (text: string) => `\`${text}\``;

/** The line under a call's heading: what a personal token needs to make it. */
export function callScopeLine(name: string, spec: CallSpec): string {
  const needed = scopeOfCall(name, spec);
  return needed === 'never' ? 'Personal API tokens: **never** (a signed-in session only).' : `Personal API tokens: scope **${needed}**.`;
}

export function personalTokensSection(): string {
  const endpoints = Object.entries(HTTP_SCOPES).map(([endpoint, scope]) => `| ${code(endpoint)} | ${scope} |`);
  return `## Personal API tokens

A user on the Pro plan may make personal API tokens for their own scripts and tools
(\`tokens.create\`, \`tokens.list\`, \`tokens.revoke\`, or the web app's settings). A token's secret
starts with ${code(API_TOKEN_PREFIX)}; it is shown once, when made, and only its hash is kept. Send it
wherever an access token goes: the \`hello\` frame's \`token\`, or \`Authorization: Bearer ${API_TOKEN_PREFIX}…\`
on HTTP. A token has a name, one or more scopes, and optionally an expiry (at most
${API_TOKEN_LIMITS.maxExpiresInDays} days); a person holds at most ${API_TOKEN_LIMITS.live} live tokens.

- **Scopes.** ${code('read')}: calls that change nothing; ${code('write')}: calls that change things,
  conversations aside; ${code('chats')}: everything in conversations, reading and sending. Each
  call needs exactly one scope (printed under each call below), decided in this order: **never**
  for staff calls, for the namespaces ${NEVER_NAMESPACES.map((namespace) => code(`${namespace}.*`)).join(', ')}
  and for ${NEVER_CALLS.map(code).join(', ')} (account security, money and what is said to the support team need a signed-in
  session); ${code('chats')} for ${code('chats.*')}, ${code('calls.*')} and ${CHAT_CALLS.map(code).join(', ')}; ${code('read')} for
  the calls whose retry rule is \`read\` (they change nothing); ${code('write')} for every other.
  Following a topic needs ${code('read')}, a conversation's (\`room:\`) or a call's (\`call:\`) ${code('chats')}. Anything
  outside the token's scopes is \`SCOPE_DENIED\` (\`details.needed\`), and nothing is done.
- **HTTP.** Only these endpoints take a personal token; every other protected one (sign-in,
  sessions, passwords, two-factor, staff) answers it 403 \`SCOPE_DENIED\`:

| endpoint | scope |
|---|---|
${endpoints.join('\n')}

- **Ending.** A revoked token is refused at once (HTTP 401 \`TOKEN_REVOKED\`), and sockets opened
  with it are closed with \`SESSION_REVOKED\`. An expired one is \`TOKEN_EXPIRED\` (its sockets are
  closed so). When its owner's plan no longer includes tokens it stops working: HTTP answers 403
  \`PLAN_REQUIRED\`, a \`hello\` is closed with \`AUTH_FAILED\`. A node trusts a plan it checked for
  at most ${API_TOKEN_LIMITS.planCheckMs / 1000} s, and re-checks sockets opened with tokens as often, so
  a lapsed plan or a missed revocation ends them within that time.
- A socket opened with a token keeps it: an \`auth\` frame with a session's access token (or the
  reverse) is \`FORBIDDEN\`. Its \`sessionId\` is the token's id; its \`tokenExpiresAt\` the token's
  expiry. A token's \`lastUsedAt\` moves at most every ${API_TOKEN_LIMITS.lastUsedEveryMs / 1000} s.
`;
}
