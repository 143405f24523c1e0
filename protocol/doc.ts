// PROTOCOL.md, generated: the prose is written here, and every table, field list and byte
// example is computed from the frame schemas, the catalogue, the codes and the codec, so the
// reference cannot drift from what the server does. `bun scripts/protocol-doc.ts` rewrites it; a
// test fails when the committed file differs.
import type { TSchema } from '@sinclair/typebox';
import { DEFAULT_LIMITS } from '../server/gateway/limits.ts';
import { DEFAULT_CHANNELS, PUSH_ONLY_TYPES } from '../server/notifications/types.ts';
import { DEFAULT_PRIVACY, type Privacy } from '../server/people/privacy.ts';
import { type CallName, type CallSpec, Calls, type TopicKind, type TopicSpec, Topics } from './catalogue.ts';
import { encodeFrame } from './codec.ts';
import { CLOSE_CODES, COMMON_CALL_ERRORS, DOMAIN_ERROR_CODES, ERROR_CODES, RETRY_AFTER_MS } from './errors.ts';
import { ClientFrames, Limits, ServerFrames } from './frames.ts';
import { CALL_LIMITS, CALL_MEDIA_LIMITS, SUBSCRIPTION_LIMITS, SUPPORT_LIMITS, TREAT_LIMITS } from './lists.ts';
import { READ_BACK, RETRY_RULE_TEXT, RETRY_RULES, type RetryRule } from './retry.ts';
import { callScopeLine, personalTokensSection } from './scopes-doc.ts';
import { PROTOCOL_VERSION } from './version.ts';

type Schema = TSchema & {
  type?: string;
  const?: unknown;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  pattern?: string;
  format?: string;
  patternProperties?: Record<string, Schema>;
};

/** A table cell holds no raw pipe: it would end the cell. */
const cell = (text: string) => text.replaceAll('|', '\\|');

/** Objects among a union's members: when there are several, each is a numbered form. */
const objectForms = (schema: Schema) =>
  (schema.anyOf ?? []).filter((member) => member.type === 'object' && member.properties !== undefined);

function bounds(schema: Schema): string {
  const found: string[] = [];
  if (schema.minimum !== undefined) found.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) found.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) found.push(`${schema.minLength}+ chars`);
  if (schema.maxLength !== undefined) found.push(`≤ ${schema.maxLength} chars`);
  if (schema.minItems !== undefined) found.push(`${schema.minItems}+ items`);
  if (schema.maxItems !== undefined) found.push(`≤ ${schema.maxItems} items`);
  if (schema.uniqueItems === true) found.push('no repeats');
  if (schema.format !== undefined) found.push(schema.format);
  if (schema.pattern !== undefined) found.push(`matching \`${schema.pattern}\``);
  return found.length > 0 ? ` (${found.join(', ')})` : '';
}

/**
 * A schema's type in words. A map's own fields are the rows under it (`parent.field`); a list's
 * items are `list[]`; the forms of a union of several maps are numbered, and their rows say which.
 */
function typeOf(schema: Schema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.anyOf !== undefined) {
    const forms = objectForms(schema);
    return schema.anyOf
      .map((member) => (forms.length > 1 && forms.includes(member) ? `map (form ${forms.indexOf(member) + 1})` : typeOf(member)))
      .join(' | ');
  }
  switch (schema.type) {
    case 'array':
      return `array${bounds(schema)} of ${typeOf(schema.items as Schema)}`;
    case 'object': {
      if (schema.patternProperties !== undefined) {
        const values = Object.values(schema.patternProperties).map(typeOf).join(' | ');
        return `map of string keys to ${values.includes(' | ') ? `(${values})` : values}`;
      }
      return Object.keys(schema.properties ?? {}).length === 0 ? 'empty map' : 'map';
    }
    case 'integer':
    case 'number':
    case 'string':
      return `${schema.type}${bounds(schema)}`;
    case 'boolean':
      return 'boolean';
    case undefined:
      return 'any';
    default:
      return `${schema.type}${bounds(schema)}`;
  }
}

/** The rows of what a value at `path` holds inside: a map's fields, a list's items, a union's maps, a record's values. */
function inner(schema: Schema, path: string, note: string): string[] {
  if (schema.type === 'object' && schema.properties !== undefined) return fields(schema, `${path}.`, note);
  if (schema.type === 'array' && schema.items !== undefined) return inner(schema.items, `${path}[]`, note);
  if (schema.patternProperties !== undefined)
    return Object.values(schema.patternProperties).flatMap((value) => inner(value, `${path}.<key>`, note));
  if (schema.anyOf !== undefined) {
    const forms = objectForms(schema);
    return schema.anyOf.flatMap((member) =>
      inner(
        member,
        path,
        forms.length > 1 && forms.includes(member) ? `${note}In form ${forms.indexOf(member) + 1} of \`${path}\`. ` : note,
      ),
    );
  }
  return [];
}

function fields(schema: Schema, prefix = '', note = ''): string[] {
  const rows: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const required = schema.required?.includes(name) ? 'yes' : 'no';
    rows.push(
      `| \`${prefix}${name}\` | ${cell(typeOf(property))} | ${required} | ${cell(`${note}${property.description ?? ''}`.trim())} |`,
    );
    rows.push(...inner(property, `${prefix}${name}`, note));
  }
  return rows;
}

function fieldTable(schema: TSchema): string {
  const rows = fields(schema as Schema);
  if (rows.length === 0) return 'No fields: an empty map.\n';
  return `${['| field | type | required | meaning |', '|---|---|---|---|', ...rows].join('\n')}\n`;
}

/** A frame as hex bytes, wrapped at 16 bytes, next to its JSON reading. */
function hexExample(value: unknown): string {
  const bytes = encodeFrame(value);
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0'));
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += 16) lines.push(hex.slice(i, i + 16).join(' '));
  return ['```', `${JSON.stringify(value)}`, `(${bytes.length} bytes)`, ...lines, '```'].join('\n');
}

/** A value's bytes in hex, on one line. */
function hexBytes(value: unknown): string {
  return [...encodeFrame(value)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

const exampleToken = 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';
const userId = '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const sessionId = '0192a1b2-0000-7000-8000-000000000001';
const epoch = '5f2c9a1e7b3d4c60';

function limitsTable(): string {
  const properties = (Limits as unknown as Schema).properties ?? {};
  const rows = Object.entries(properties).map(
    ([name, property]) => `| \`${name}\` | ${DEFAULT_LIMITS[name as keyof typeof DEFAULT_LIMITS]} | ${property.description ?? ''} |`,
  );
  return ['| limit | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

function retryRows(): string {
  const byRule = new Map<RetryRule, string[]>();
  for (const [name, rule] of Object.entries(RETRY_RULES) as [CallName, RetryRule][]) {
    const readBack = READ_BACK[name];
    byRule.set(rule, [...(byRule.get(rule) ?? []), readBack === undefined ? `\`${name}\`` : `\`${name}\` (read back: ${readBack})`]);
  }
  return (['read', 'repeatable', 'key', 'unsafe'] as const)
    .map((rule) => [rule, byRule.get(rule) ?? []] as const)
    .map(([rule, names]) => `| ${rule} | ${names.join(', ')} | ${RETRY_RULE_TEXT[rule]} |`)
    .join('\n');
}

/** What each privacy setting decides; the values and defaults come from the schema and the server. */
const PRIVACY_MEANING: Record<keyof Privacy, string> = {
  profileDetails:
    "Who sees the profile's `bio`, `locale` and `timezone`; a personal profile can be followed (`follows.follow`) only while this is `public`",
  pets: 'Who sees the pets (`pets.list`, `pets.get`) and their count on the profile',
  friendsList: 'Who sees the friends, followers and followed (`friends.list`, `follows.list`) and the friend count on the profile',
  location: "Who sees the profile's `location` (rounded to 0.01°, about 1 km, for everyone but the user)",
  presence: 'Who sees whether the user is online and their status message (`presence.get`, `presence:<id>`)',
  friendRequests: 'Who may send a friend request (`friends_of_friends`: people with at least one friend in common)',
  messages:
    'Who may start a conversation or write in an existing one-to-one conversation (in one the user started, the person they wrote to may answer unless this is `nobody`)',
};

function settingsTables(): string {
  const privacy = (Calls['privacy.get'].response as unknown as Schema).properties ?? {};
  const privacyRows = (Object.keys(DEFAULT_PRIVACY) as (keyof Privacy)[]).map(
    (name) => `| \`${name}\` | ${cell(typeOf(privacy[name] as Schema))} | \`${DEFAULT_PRIVACY[name]}\` | ${PRIVACY_MEANING[name]} |`,
  );
  const yes = (on: boolean) => (on ? 'on' : 'off');
  const channelRows = Object.entries(DEFAULT_CHANNELS).map(
    ([type, channels]) =>
      `| \`${type}\` | ${yes(channels.inApp)} | ${yes(channels.email)} | ${yes(channels.push)} |${(PUSH_ONLY_TYPES as readonly string[]).includes(type) ? ' push only: in-app and email stay off' : ''} |`,
  );
  return [
    '| setting | values | default | decides |',
    '|---|---|---|---|',
    ...privacyRows,
    '',
    'Notification preferences (`notifications.getPreferences`, `notifications.setPreference`), per type:',
    '',
    '| type | in the app | email | web push | note |',
    '|---|---|---|---|---|',
    ...channelRows,
  ].join('\n');
}

function callSection(name: string, spec: CallSpec): string {
  return [
    `### \`${name}\``,
    '',
    `${spec.description} Least role: **${spec.role}**.`,
    '',
    callScopeLine(name, spec),
    '',
    spec.errors.length === 0
      ? 'Errors: only the [common ones](#error-codes).'
      : `Errors: ${spec.errors.map((code) => `\`${code}\``).join(', ')}, and the [common ones](#error-codes).`,
    '',
    'Request body:',
    '',
    fieldTable(spec.request),
    'Reply body:',
    '',
    fieldTable(spec.response),
    'Example call and reply:',
    '',
    hexExample({ type: 'call', ref: 7, op: name, body: spec.example.request }),
    '',
    hexExample({ type: 'reply', ref: 7, body: spec.example.response }),
    '',
  ].join('\n');
}

/**
 * Who may follow each kind of topic, as the gateway decides on `sub` (server/gateway/gateway.ts,
 * server/people/access.ts) and re-decides for current followers when access changes.
 */
const ACCESS: Record<TopicKind, string> = {
  system: 'any signed-in user',
  user: 'only the user it names; anyone else gets `FORBIDDEN`',
  feed: 'only the user it names; anyone else gets `FORBIDDEN`',
  presence: `the user it names, and those their \`presence\` setting lets see it (friends by default, see Settings), never across a block; anyone else gets \`FORBIDDEN\`. When the setting changes, or a friendship or block between them does, a follower who may no longer see it gets a \`revoked\` frame and no more events`,
  profile:
    'any signed-in user not blocked by, or blocking, the user it names, whatever that user’s privacy settings (its events carry only an id and a time; `profile.get` and `pets.list` apply the settings). A blocked pair gets `FORBIDDEN`, and a block ends a subscription with a `revoked` frame. An id that names no user is accepted like any other: nothing ever arrives',
  post: 'whoever may see the post now: its author, and those its visibility lets see it, never across a block. A post that does not exist, is deleted or is not visible to the caller is `FORBIDDEN` alike (never `NOT_FOUND`). When the post is deleted or its visibility changes, or a friendship or block between a follower and its author changes, a follower who may no longer see it gets a `revoked` frame and no more events',
  room: 'the present members of the conversation it names; anyone else gets `FORBIDDEN`, also for a conversation that does not exist. A member who leaves or is removed gets a `revoked` frame and no more events',
  call: 'the people the call rang (and its caller) while they are members of its conversation; anyone else gets `FORBIDDEN`, also for a call that does not exist. A member who leaves or is removed from the conversation gets a `revoked` frame and no more events. A resume never replays (a `reset` instead): nothing from before someone was invited reaches them',
};

function topicSection(kind: TopicKind, spec: TopicSpec): string {
  const access = ACCESS[kind];
  const topic = spec.form.replace(/<\w+>/, userId);
  const events = Object.entries(spec.events).flatMap(([event, eventSpec]) => [
    `#### ${eventSpec.signal ? 'signal' : 'event'} \`${event}\``,
    '',
    eventSpec.description,
    '',
    fieldTable(eventSpec.body),
    hexExample(
      eventSpec.signal
        ? { type: 'signal', topic, name: event, body: eventSpec.example }
        : { type: 'event', topic, epoch, seq: 12, name: event, body: eventSpec.example },
    ),
    '',
  ]);
  return [`### \`${spec.form}\` (${kind})`, '', `${spec.description} Who may follow: ${access}.`, '', ...events].join('\n');
}

/** Maps and arrays nested in a value of `schema`, itself counting 1 when it is one. */
function nestingOf(schema: Schema): number {
  if (schema.anyOf !== undefined) return Math.max(0, ...schema.anyOf.map(nestingOf));
  if (schema.type === 'array') return 1 + nestingOf(schema.items as Schema);
  if (schema.type === 'object')
    return 1 + Math.max(0, ...[...Object.values(schema.properties ?? {}), ...Object.values(schema.patternProperties ?? {})].map(nestingOf));
  return 0;
}

/** The deepest call frame (a client's) and reply frame (the server's) the catalogue defines. */
export function catalogueNesting(): { client: { name: string; depth: number }; server: { name: string; depth: number } } {
  const deepest = (side: 'request' | 'response') =>
    Object.entries(Calls)
      .map(([name, spec]) => ({ name, depth: 1 + nestingOf(spec[side] as Schema) }))
      .reduce((a, b) => (b.depth > a.depth ? b : a));
  return { client: deepest('request'), server: deepest('response') };
}

export function protocolDoc(): string {
  const nesting = catalogueNesting();
  const frameSections = (frames: Record<string, TSchema>, who: string) =>
    Object.entries(frames)
      .map(([type, schema]) => `### \`${type}\` (${who})\n\n${fieldTable(schema)}`)
      .join('\n');
  const errorRows = Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  const domainRows = Object.entries(DOMAIN_ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  const closeRows = Object.entries(CLOSE_CODES).map(([name, entry]) => `| ${entry.code} | \`${name}\` | ${entry.meaning} |`);
  return `# The PetAmigos protocol, version ${PROTOCOL_VERSION}

Everything a client does after signing in travels over **one WebSocket** per client, carrying
**binary frames**, each holding **exactly one MessagePack map**. This document is generated from
the protocol's own declarations (\`protocol/\`, \`bun scripts/protocol-doc.ts\`); a test keeps
them equal, so what is written here is what the server does.

Contents: connecting · framing · handshake · calls · topics and resume · heartbeats · personal
API tokens · limits · error codes · close codes · frames reference · catalogue of calls · catalogue of topics · a
worked session · machine-readable schema.

## Connecting

1. Sign in over HTTP (\`POST /auth/login\`, see \`/openapi\`) to get an access token (valid 15
   minutes) and a refresh token.
2. Open \`GET /ws\` as a WebSocket on the same host (\`wss://\` in production). Any node of the
   cluster accepts any client.
3. Send \`hello\` with the access token as the first frame, within \`helloTimeoutMs\`.

## Framing

- Binary frames only; a text frame closes the socket (1003).
- One MessagePack value per frame, and it must be a map with a string \`type\`. Extension types
  (timestamps included) are never used.
- Field names are the ones in the tables below, and only those: a key no table lists is refused
  (\`INVALID_FRAME\` in a frame, \`INVALID_BODY\` in a call body, \`details.field\` naming it; see Calls).
- A frame larger than \`limits.maxFrameBytes\` closes the socket (1009).
- A frame that is not exactly one well-formed MessagePack value gets \`MALFORMED_FRAME\` with
  \`details.reason\`: \`truncated\` (including a map, array, string or binary longer than the
  bytes that follow), \`more than one value\`, \`too deep\` (maps and arrays nested deeper than
  \`limits.maxDepth\`, ${DEFAULT_LIMITS.maxDepth} by default, the frame's own map counting 1; \`details.maxDepth\` says the
  limit), \`extension type\`, \`reserved byte\` (0xc1), \`invalid UTF-8\` (in any string or
  key), \`container key\` (a map key that is a map or an array) or \`undecodable\`. The bytes are checked before they are decoded, so a frame nested
  thousands deep costs the server no more than any other malformed frame; like every malformed
  frame it counts toward the malformed-frame limit (see Limits). The deepest frame the catalogue
  defines nests ${nesting.client.depth} (a \`${nesting.client.name}\` call) from a client and ${nesting.server.depth} (a \`${nesting.server.name}\` reply) from the
  server.

### How each type travels

The \`type\` column of every table below uses these names; each has one encoding.

| type | MessagePack encoding |
|---|---|
| \`integer\` | The int family, always in the smallest width that holds the value: positive fixint, uint 8/16/32/64 (\`cc\`–\`cf\`) for 0 and above; negative fixint, int 8/16/32/64 (\`d0\`–\`d3\`) below 0. Values stay within ±(2⁵³−1); a Unix time in milliseconds such as 1795478400000 is a uint 64 (\`${hexBytes(1795478400000)}\`). Decode any width into a 64-bit integer. |
| \`number\` | float 64 (\`cb\`) when the value is not whole, never float 32; a whole value (\`latitude\` 48) travels as an \`integer\` above, so decode both. NaN and ±Infinity are not values of any field: the server sends none, and a client frame with one where a number is expected is refused (\`INVALID_FRAME\`, \`INVALID_BODY\`). |
| \`string\` | str (fixstr, str 8/16/32), valid UTF-8. |
| \`boolean\` | \`c3\` true, \`c2\` false. |
| binary | bin 8/16/32 (no field of the catalogue is binary today). |
| \`null\` | nil (\`c0\`). An optional field that is absent is left out of its map, never sent as nil. |
| \`map\` | fixmap, map 16/32 with string keys; its fields are listed under it. |
| \`array of …\` | fixarray, array 16/32 of the named type. |
| \`any\` | One of the above, as the catalogue entry it stands for says. |
| a quoted value (\`"ping"\`) | That exact value, encoded as its type above (a string as str). |
| \`A \\| B\` | Either, each encoded as its own type. |

The server sends every value this way (a test checks every frame of its test suite, both
directions). It reads integers from clients in any width, and a whole float where an integer is
expected, so a client is not refused for a wider encoding than needed; -0 is sent as 0.

A \`ping\` as bytes (a map of 2: \`type\` → \`"ping"\`, \`ts\` → 1):

${hexExample({ type: 'ping', ts: 1 })}

## Handshake

The client sends \`hello\` with its protocol version and token. The server answers \`welcome\`,
or closes the socket with a close code that says why (\`AUTH_FAILED\`, \`TOKEN_EXPIRED\`,
\`SESSION_REVOKED\`, \`VERSION_UNSUPPORTED\`, \`HELLO_REQUIRED\`, \`HANDSHAKE_TIMEOUT\`).

${hexExample({ type: 'hello', version: PROTOCOL_VERSION, token: exampleToken, client: 'ios/2.1.0' })}

${hexExample({ type: 'welcome', version: PROTOCOL_VERSION, socketId: 's-1f2e3d4c5b6a', userId, sessionId, node: 'node-1', heartbeatMs: DEFAULT_LIMITS.heartbeatMs, tokenExpiresAt: 1795479300000, serverTime: 1795478400000, limits: { maxFrameBytes: DEFAULT_LIMITS.maxFrameBytes, maxInFlight: DEFAULT_LIMITS.maxInFlight, callsPerSecond: DEFAULT_LIMITS.callsPerSecond, callBurst: DEFAULT_LIMITS.callBurst, callTimeoutMs: DEFAULT_LIMITS.callTimeoutMs, sendBufferBytes: DEFAULT_LIMITS.sendBufferBytes, retainedEventsPerTopic: DEFAULT_LIMITS.retainedEventsPerTopic, helloTimeoutMs: DEFAULT_LIMITS.helloTimeoutMs, maxSubscriptions: DEFAULT_LIMITS.maxSubscriptions, socketsPerUser: DEFAULT_LIMITS.socketsPerUser, userCallsPerSecond: DEFAULT_LIMITS.userCallsPerSecond, maxDepth: DEFAULT_LIMITS.maxDepth } })}

**Token refresh.** Before \`tokenExpiresAt\`, refresh the token over HTTP (\`POST /auth/refresh\`)
and send it in an \`auth\` frame; the reply carries the new expiry. A socket whose token expires
is closed with \`TOKEN_EXPIRED\`: refresh, reconnect, resume. An \`auth\` frame must name the same
user as the socket.

${hexExample({ type: 'auth', ref: 5, token: exampleToken })}

${hexExample({ type: 'reply', ref: 5, body: { tokenExpiresAt: 1795480200000 } })}

A token that is not valid (expired, malformed, of an ended session) is answered
\`UNAUTHENTICATED\`, with the reason in \`details.reason\` (\`TOKEN_EXPIRED\`, \`TOKEN_INVALID\`,
\`SESSION_REVOKED\`); a valid token of another user is answered \`FORBIDDEN\`.
Either way the socket keeps its identity and its current expiry.

${hexExample({ type: 'error', ref: 5, code: 'UNAUTHENTICATED', message: 'the access token has expired', details: { reason: 'TOKEN_EXPIRED' } })}

Like a call, an \`auth\` counts toward the rate and the requests in flight (\`RATE_LIMITED\`,
\`TOO_MANY_IN_FLIGHT\`, \`DUPLICATE_REF\`).

## Calls

A \`call\` carries a \`ref\` the client chooses (an integer from 1 to 2³²−1, unique among its
requests still in flight) and gets **exactly one** \`reply\` or \`error\` with the same \`ref\`.
Replies may come in any order. A call that gets no reply within \`limits.callTimeoutMs\` gets a
\`TIMEOUT\` error; it may still have taken effect. If the socket drops before the reply, the
client does not know whether the call took effect: retry only what is safe to repeat.

Every object in every frame, call body, reply and event is **closed**: it has exactly the keys its
schema lists (optional ones may be absent), at every depth. A call whose body carries a key the
schema does not list, however deeply nested, is refused with \`INVALID_BODY\` and changes
nothing; \`details.field\` names the first offending key as a dotted path
(\`location.userId\`). A frame with an unlisted key gets \`INVALID_FRAME\` the same way.

${hexExample({ type: 'error', ref: 9, code: 'INVALID_BODY', message: 'location.userId: unexpected property', details: { field: 'location.userId' } })}

## Topics and resume

\`sub\` follows a topic, \`unsub\` stops. Every event carries its \`topic\`, the topic log's
\`epoch\`, and a per-topic \`seq\`: 1, 2, 3, … with no gaps. A client remembers, per topic, the
epoch and seq of the last event it processed.

- **Fresh subscribe** (no \`since\`): the reply's \`seq\` is the topic's last seq now; events
  after it follow.
- **Resume** (\`since\` = the last epoch and seq the client has): the reply comes first, then the
  missed events in order, then live events. Nothing is repeated and nothing is skipped.
- **Reset**: when the missed events are older than what the topic keeps (at least the last
  \`limits.retainedEventsPerTopic\`; a chat room may keep more, as messages sent together are
  kept together), or the epoch changed (the log started over), the server sends a \`reset\` frame with the
  current seq right after the reply. Reload the topic's state (over the relevant calls or HTTP),
  then continue from that seq; live events follow.
- **What a resume may replay depends on who may follow the topic**, so that nobody receives
  anything from before their access began:
  - your own topics (\`user\`, \`feed\`, your own \`presence\`) and \`system\`: every missed event, as
    published;
  - a conversation (\`room\`): the missed events with each message as it is *now* (a deleted one
    as its tombstone, an edited one with its current text only). If any missed event comes from
    before the member joined (or last re-joined), the answer is a \`reset\` instead; read the
    conversation with \`chats.history\`, which starts at the join;
  - someone else's \`presence\`: never replayed, since its events hold past statuses. When events
    were missed the answer is a \`reset\`: read it again with \`presence.get\`;
  - \`profile\` and \`post\` topics: every missed event; they hold only ids, counts and times,
    which whoever may follow the topic now may read anyway.
- Every event carries only what every follower of its topic may see: a quote (\`replyTo\`) of a
  message that some present member may not see is empty in the event, and \`pet.changed\` names
  no pet.
- Replayed and live events may overlap by design on reconnects: drop any event whose seq is not
  greater than the last one processed.
- **Signals** are the ephemeral part of a topic (typing, read receipts): a \`signal\` frame has no
  seq, is sent only to sockets following the topic at that moment, and is never replayed. What
  they say can also be read over calls (\`chats.get\` has every member's read pointer).
- A topic may be followed only by whom its entry in the catalogue of topics allows (\`FORBIDDEN\`
  otherwise, and the socket's other subscriptions stay as they were); a name of no topic is
  \`UNKNOWN_TOPIC\`.

**The reply to \`sub\`** is a \`reply\` with the same \`ref\` whose body is the topic and the
position the client is at: \`{topic, epoch, seq}\`, the same shape for a fresh subscribe and a
resume; a \`reset\` frame, when there is one, comes right after it.

${hexExample({ type: 'sub', ref: 3, topic: 'system', since: { epoch, seq: 40 } })}

${hexExample({ type: 'reply', ref: 3, body: { topic: 'system', epoch, seq: 1450 } })}

${hexExample({ type: 'reset', topic: 'system', epoch, seq: 1450 })}

A \`sub\` counts toward the rate and the requests in flight like a call (\`RATE_LIMITED\`,
\`TOO_MANY_IN_FLIGHT\`, \`DUPLICATE_REF\`). A socket follows at most \`limits.maxSubscriptions\`
(${DEFAULT_LIMITS.maxSubscriptions} by default) topics: a \`sub\` for one more is answered
\`TOO_MANY_SUBSCRIPTIONS\` (with \`details.maxSubscriptions\`); \`unsub\` one first.

**Re-subscribing.** A \`sub\` for a topic the socket already follows, once access is granted,
drops that subscription and starts it over, answered exactly as a first \`sub\`: without
\`since\` a fresh subscribe (the reply's \`seq\` is the last seq now and only later events follow,
so an event published while it starts over may be neither sent live nor replayed); with \`since\`
a resume (the missed events after \`since\`, or a \`reset\`). Re-subscribe with \`since\`, then, and
to fill a gap in a topic already followed. The topic still counts once toward
\`maxSubscriptions\`. A refused re-subscribe (\`FORBIDDEN\`) leaves the subscription as it was.

**\`unsub\`** is always answered with a \`reply\` whose body is \`{topic}\`, whether or not the
socket followed the topic (nothing is checked, counted or refused); no event of the topic follows
the reply.

${hexExample({ type: 'unsub', ref: 4, topic: 'system' })}

${hexExample({ type: 'reply', ref: 4, body: { topic: 'system' } })}

## Heartbeats

Send a \`ping\` at least every \`heartbeatMs\`; the server answers \`pong\` with its time. If no
frame at all arrives from the server for twice \`heartbeatMs\`, treat the connection as dead:
close it, reconnect and resume. The server closes a socket from which nothing arrives for about
twice \`heartbeatMs\` (it also sends WebSocket protocol pings, which clients answer
automatically).

## Reconnecting

On any close that is not final, reconnect with exponential backoff and jitter (for example
250 ms doubling to 10 s, each delay multiplied by a random factor between 0.5 and 1), say
\`hello\` again, and resubscribe every topic with \`since\`. Final closes, after which
reconnecting with the same token cannot succeed: \`AUTH_FAILED\`, \`SESSION_REVOKED\`,
\`VERSION_UNSUPPORTED\`. After \`TOKEN_EXPIRED\`, refresh the token first.

## Failover and retries

Each user, conversation and live stream is served by one actor on one node. When that node dies,
the actor comes back on another node once the other nodes miss three of its heartbeats (about
3 s), or at the latest once its lease expires (\`ACTOR_LEASE_TTL_MS\`, 10 s by default), and
reloads its state from the database; nothing acknowledged is lost. Until then, a
call that needs it is answered with **one** retryable code, \`ACTOR_UNAVAILABLE\`, whose
\`details.retryAfterMs\` (${RETRY_AFTER_MS.ACTOR_UNAVAILABLE} ms) says when to try again. The same code answers a call
whose actor did not reply in time. Like \`TIMEOUT\` and a socket that drops before the reply, it
leaves the client not knowing whether the call took effect. \`MAILBOX_FULL\` (the actor is
overloaded; \`details.retryAfterMs\`: ${RETRY_AFTER_MS.MAILBOX_FULL} ms) means the call did **not** act.

${hexExample({ type: 'error', ref: 7, code: 'ACTOR_UNAVAILABLE', message: 'user.0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b is held by a node that does not answer; retry once its lease expires', details: { retryAfterMs: RETRY_AFTER_MS.ACTOR_UNAVAILABLE } })}

Events are not affected: whatever a user should see is written to their topic log (a
notification's event is delivered by a durable reminder stored with it, retried every second
until the actor is back), so followers get it live once, and devices that were away get it on
resume. What may be retried after an uncertain outcome depends on the call:

| rule | calls | what to do |
|---|---|---|
${retryRows()}

The TypeScript client (\`protocol/client.ts\`) applies these rules itself: after
\`ACTOR_UNAVAILABLE\`, \`TIMEOUT\` or a dropped socket it repeats reads, repeatable calls and
keyed calls that carry their \`clientId\`, and after \`MAILBOX_FULL\` any call, each time after
\`details.retryAfterMs\`, for up to 15 s (\`repeatWithinMs\`); other errors reach the caller at once.

## Media (over HTTP)

Files travel over HTTP, not the socket; everything else about them is in the catalogue
(\`media.get\`, the \`media.changed\` event of \`user:<id>\`, \`attachments\` of \`chats.send\`,
\`mediaIds\` of posts, \`avatarMediaId\`…). Every request carries \`authorization: Bearer <access
token>\`; the OpenAPI document at \`/openapi\` has the exact shapes.

1. \`POST /media/uploads\` with \`{"kind": "image" | "video" | "voice" | "reel" | "blob", "size": <bytes>}\`
   answers \`{media, chunkBytes, uploadUrl, directUploadUrl}\`. Limits: images and voice notes 20
   MB, videos and reels 500 MB, blobs 25 MiB (\`TOO_LARGE\` beyond); voice notes at most 15 min, videos
   at most 10 min and reels 15 s to 10 min long, checked when processed (\`failed\` with the reason
   otherwise). A user has at most 10 uploads started and not completed (\`TOO_MANY_UPLOADS\`, 429,
   \`details: {state: "uploading", limit}\`; \`DELETE <uploadUrl>\` gives one up) and at most 5 GiB of
   stored media (\`QUOTA_EXCEEDED\`, 413, \`details: {usedBytes, quotaBytes}\`, before anything is
   stored; the call \`media.quota\` says where the user stands). Operators may change these numbers
   (\`MEDIA_*\` in .env.example). A \`blob\` is a file encrypted on the device for an end-to-end
   encrypted conversation: stored as it comes (its content is never checked, decoded or
   transcoded), \`ready\` once complete, attachable only to encrypted messages of encrypted
   conversations (its key travels inside the message).
2. Send the bytes in order: \`PUT <uploadUrl>?offset=<n>\` with \`content-type:
   application/octet-stream\` and at most \`chunkBytes\` (8 MiB) per request. After a dropped
   connection, \`GET <uploadUrl>\` says where the upload stands (\`media.received\`); a chunk sent
   from anywhere else is refused with \`OFFSET_MISMATCH\`. With S3 storage, \`directUploadUrl\` takes
   the whole file in one \`PUT\` instead (presigned, one hour).
3. \`POST <uploadUrl>/complete\` checks what the bytes are (by their content, never the name or a
   declared type; an image is decoded in full at once): \`UNSUPPORTED_MEDIA\` otherwise (playlists
   and file lists are never media), \`TOO_MANY_PIXELS\` for an image over 50 megapixels (read from its
   header), and nothing stays stored. With 10 of the user's media already processing it answers
   \`TOO_MANY_UPLOADS\` (429, \`details.state: "processing"\`): the upload stays, complete it again
   later. Then the media is \`processing\`: \`media.changed\` events report progress, then
   \`ready\` with \`urls\`, or \`failed\` with a \`failure\` reason (among them a file that is not
   plainly the container its bytes start as, or whose processing took too long), a \`failureCode\`
   (\`TOO_LONG\`, \`CONTAINER_MISMATCH\`, \`MEDIA_TIMEOUT\`, …) and \`failureDetails\` with its numbers,
   for clients to word in the user's language.

\`POST /media\` does all three for a file of up to 20 MB sent as \`multipart/form-data\` with the
fields \`kind\` and \`file\`. The \`urls\` of a ready media are signed paths on the node that work for a
few hours (images: \`small|medium|large\` \`.webp\` and \`.jpg\`; videos and reels: \`master.m3u8\` (HLS,
relative links included) and \`thumb.jpg\`; voice notes: \`voice.ogg\` and \`voice.m4a\`; blobs: \`blob\`). Media can be attached
only by their owner, once ready (\`NOT_FOUND\`, \`MEDIA_NOT_READY\`).

\`media.delete\` removes one of the caller's ready or failed media and frees its bytes at once. A
media still shown by a post, a pet, a profile picture, a group picture, a message or a story is refused with
\`MEDIA_IN_USE\` (\`details.usedBy\` names those kinds): remove it from there first (delete the post
or message, change the picture), since others see those.

## Stories

A story is a ready image or video of the author's (upload it as any media, then
\`stories.create\`), shown for 24 hours. How a client shows them:

- **The tray.** \`stories.tray\` gives one item per person, already in order (the caller first,
  then people with unseen stories). Draw a ring per item: green when \`closeFriends\`, coloured
  while \`unseen > 0\`, grey otherwise. Follow \`feed:<yourId>\`: on \`story.added\` read the tray
  again (or that person's ring); on \`story.removed\` drop the story, and the item with its last
  one. Nothing is sent when a story expires: drop an item at its \`expiresAt\` (the oldest story's
  expiry; read the person's ring again then, as newer stories may remain), and a story at its own
  \`expiresAt\` in an open viewer. After that instant the server answers \`NOT_FOUND\` for it to
  anyone but its author.
- **Playing.** \`stories.byAuthor\` gives a person's active stories oldest first. Show an image
  for about 5 s and a video for its length; a story with a \`clip\` plays only \`startMs\` to
  \`endMs\` of its media (a longer video split into 60 s clips, one story each). Get each story's
  media URLs with \`media.get\` and preload the next. Call \`stories.view\` once a story is shown
  (not for your own): the author sees you in \`stories.viewers\`; nobody else does.
- **Overlays** place \`text\` with its centre at \`x\`, \`y\` (fractions of the width and height
  from the top left, the same in right-to-left languages) in one of the named colours.
  \`mentions\` link to the people named; \`hashtag\` to \`hashtags.page\`; \`linkPostId\` to
  \`posts.get\` (which may be \`NOT_FOUND\` for the viewer).
- **Stickers.** A poll takes \`stories.answer\` with \`option\`, a question with \`answer\`; once.
  Vote counts come back to the voter; the author sees everything (\`stories.answers\`, and
  \`story.answered\` live).
- **Your own stories.** \`views\` is the count; \`story.viewed\` on \`user:<yourId>\` adds a
  viewer live (ids only: get names with \`people.summaries\`). \`stories.archive\` lists every
  story you kept (\`stories.settings\` \`archive\`), active or past; highlights
  (\`stories.saveHighlight\`, \`stories.highlights\` on a profile) keep chosen ones visible to
  their audience beyond 24 hours.
- **Replies.** \`stories.reply\` sends a message (text, or one emoji) in the one-to-one
  conversation with the author. The message's \`story\` names the story; show its \`mediaId\` as a
  thumbnail until \`expiresAt\` (after it the server sends \`mediaId: null\`).

## Reels

A reel is a vertical video of 15 s to 10 min: upload it with kind \`reel\` (the pipeline measures
its length and makes the HLS ladder), then \`reels.create\`. A reel is also a post, and
\`reel.post.id\` is the reel's id:

- **Reactions, comments, saves, shares, the caption's history and deleting** are the posts calls
  on that id (\`posts.react\`, \`comments.add\`, \`posts.save\`, \`posts.history\`,
  \`posts.delete\`), with the same rules; \`reels.edit\` changes the caption and audience (as
  \`posts.edit\` would, which keeps a reel to \`public\` or \`friends\`), the cover frame and the
  duet and stitch switches. A reel shows in home feeds, hashtag pages and saved posts as the post
  it is, whose one media is of kind \`reel\`: open the player with \`reels.get\`.
- **Playing.** Get the media's URLs with \`media.get\` (\`master.m3u8\`), show the cover frame
  (\`coverMs\` into the video) until it plays, and preload the next and previous reels.
- **Reporting what was watched.** Every few seconds while playing, and when the player closes,
  send \`reels.watch\` with what was watched since the last report, per reel: milliseconds
  (replays included), whether it reached its end, whether the viewer swiped away before 2 s
  (\`skipped\`), and where it was shown (\`source\`). A view counts once per viewer when their
  total passes 2 s (or half the reel); a viewer's watch time counts up to 5 plays of the reel.
  Do not repeat a batch whose answer was lost: drop it (a repeat may count its time twice).
- **Tabs.** \`reels.forYou\` is the recommended feed, 10 a page: pass \`nextCursor\` to go on in
  the same session (no reel comes twice in one); each item's \`why\` gives the four terms of its
  score and the rule that placed it, for a "why am I seeing this" sheet. \`reels.following\`
  lists reels of the people you follow, newest first; \`reels.byAuthor\` a profile's grid.
  \`reels.notInterested\` takes a reel out of your feeds and lowers its creator and hashtags.
- **Made on the server: trims, filters, sounds, duets, stitches.** Upload your clip (kind
  \`video\` or \`reel\`), then \`reels.compose\` says what to make of it: the part kept
  (\`trim\`), a colour \`filter\` (the nine of \`protocol/filters.ts\`, each a 3×4 colour matrix
  over sRGB values with offsets: preview it live with the same numbers, for example an SVG
  \`feColorMatrix\` with \`color-interpolation-filters="sRGB"\`; the server bakes it with the same
  arithmetic), and at most one of a \`sound\` laid under it, a \`duet\` (your clip left, the
  original right, as long as the shorter) or a \`stitch\` (1 to 5 s of the original, then your
  clip). The answer is a new \`reel\` media: follow it with \`media.changed\` and post it with
  \`reels.create\` once ready. Face-tracking effects are not offered.
- **Sounds and credits.** A reel whose audio is its own (no sound laid under it, no duet) gives
  an original sound (\`reel.sound\`, named with \`soundTitle\` or shown as "original sound –
  creator"); a duet is heard, and credited, with the original's sound. \`sounds.get\` gives a
  sound (its audio is the file \`sound.m4a\` of its \`mediaId\`: \`media.get\`),
  \`sounds.reels\` its page, \`sounds.trending\` the most used in a language. A sound is there
  for whoever may see its reel while that reel is public; \`reel.remix\` credits the reel a duet
  or stitch was made from (\`unavailable\` once deleted, or for someone it is hidden from).
  Remixing a reel needs it public with its switch on (\`REMIX_NOT_ALLOWED\`).

## Voice and video calls

A call belongs to a conversation and rings its other members. Its media goes through the
platform's SFU (mediasoup): every participant sends each track once to the call's router, which
forwards it to the others. Any WebRTC stack works; the shapes are mediasoup's (mediasoup-client
in a browser speaks them as they are).

- **Placing a call.** \`calls.start\` with the conversation, \`video\` and a new \`clientId\`
  (a retry with the same one answers the same call). It is allowed exactly when sending a message
  to the conversation is (\`MESSAGE_NOT_ALLOWED\` otherwise, \`NOT_FOUND\` when you are not in it).
  The caller is in the call at once. Follow \`call:<callId>\` for \`call.changed\`: each carries the
  whole call (\`state\` \`ringing\` → \`active\` → \`ended\` with \`endReason\`, and every
  participant's state).
- **Ringing.** Every session of every callee, on any node, gets \`call.incoming\` on its
  \`user:\` topic (a device resuming that topic catches up on it); ring until \`call.cancelled\`
  for that call arrives (either may come twice after a server failure: key them by call id):
  \`answered\` or \`declined\` on another of your devices, \`missed\` after
  the ring time (\`CALL_RING_SECONDS\`, 30 s by default), \`ended\` when the caller hung up.
  \`calls.accept\` answers (only the device that answered takes part: another device's accept is
  \`ANSWERED_ELSEWHERE\`), \`calls.decline\` declines.
- **A device that goes away.** When the socket in a call closes (or its server dies), its person
  stays in the call for \`CALL_RECONNECT_SECONDS\` (30 s by default); \`calls.accept\` or
  \`calls.join\` from any of their devices within it takes the gone one's place (then media again
  from \`calls.media\`). Not back in time, they leave (a one-to-one call ends \`completed\`). A
  call lasts at most \`CALL_MAX_SECONDS\` (12 hours by default) from its answer.
- **Busy.** A callee already in a call is not rung (\`busy\` in the participants); a one-to-one
  call to them ends at once with \`endReason: busy\`. Nobody is in two calls: starting, answering
  or joining another is \`ALREADY_IN_CALL\`. A conversation has one call in progress at most:
  \`calls.start\` while one is answers \`CALL_IN_PROGRESS\` with \`details.callId\`.
- **Ending.** One-to-one: a decline ends it \`declined\`; no answer in time, \`missed\`; the caller
  hanging up before an answer, \`cancelled\`; either side leaving (\`calls.leave\`) after it,
  \`completed\`. A group call goes on while anyone is in it: members who did not answer in time
  stop ringing, and any member of the group may \`calls.join\` and \`calls.leave\` at will
  (at most ${CALL_LIMITS.videoParticipants} people in a video call, ${CALL_LIMITS.audioParticipants} in a voice call: \`CALL_FULL\`).
- **Afterwards.** The conversation gets a system message (\`action: call\`, with
  \`call.outcome\` and \`call.durationSeconds\`; \`actorId\` started it, \`userIds\` took part);
  its \`clientId\` is the call's id. \`calls.history\` lists your calls, newest first.
- **Media.** Only the device in the call (the socket that started, answered or joined it) may
  negotiate media (\`NOT_IN_CALL\` otherwise): \`calls.media\` gives the router's RTP capabilities,
  the ICE servers (STUN, and TURN with credentials that lapse) and the router's \`epoch\`;
  \`calls.createTransport\` a \`send\` and a \`recv\` WebRTC transport (one of each:
  another replaces it), \`calls.connectTransport\` your DTLS parameters; \`calls.produce\` each
  track with its \`source\` (\`mic\`, \`camera\` in video calls, \`screen\`, \`screenAudio\`;
  one per source); for everyone else's producers, listed in \`media.producers\` of each
  \`call.changed\`, \`calls.consume\` (paused) then \`calls.setConsumer { paused: false }\`.
  Mute and camera off are \`calls.setProducer { paused }\`, a stopped screen share
  \`calls.closeProducer\`; a simulcast video's layer (0 the smallest) is chosen with
  \`calls.setConsumer { spatialLayer }\` from the size you show it at; after a network change,
  \`calls.restartIce\`. \`call.speaker\` (a signal) names who speaks. When the node holding the
  router dies, \`call.mediaLost\` (a signal) says so once the other nodes miss its heartbeats
  (about 3 s), and the call makes a router on another node at once: \`call.changed\` then
  brings a new \`media.epoch\` (media back 2.9–4.4 s after the node died, measured in browsers). Whenever \`media.epoch\` changes (that, or the router's SFU
  worker died), everything of the old router is gone: start again from \`calls.media\`. Leaving the call, or its end, closes your
  transports. Every id is checked against the caller's own: someone else's transport, producer or
  consumer is \`NOT_FOUND\`; parameters the router cannot take are \`INVALID_INPUT\` with
  \`details.field\`; limits: ${CALL_MEDIA_LIMITS.encodings} simulcast layers, ${CALL_MEDIA_LIMITS.codecs} codecs,
  ${CALL_MEDIA_LIMITS.maxIncomingBitrate / 1_000_000} Mbit/s sent in all.
- **Access.** Only the people a call rang (and its caller, and group members who joined it)
  may read it or follow its topic, and only while they are in its conversation: removed from a
  group, a follower gets \`revoked\` and is taken out of the call. A resume of \`call:\` is
  always a \`reset\` (re-read with \`calls.get\`), so nothing from before someone was invited
  reaches them.

## Treats

Treats are the platform's virtual currency, kept in a double-entry ledger: every movement is a
transfer whose entries sum to zero, so a call never creates or loses treats, and a wallet never
goes below zero however many spends arrive at once.

- **Two balances** (\`treats.balance\`): the \`wallet\` (treats bought and granted, which the
  person spends) and \`earned\` (their share of what others spent on them, kept apart; not
  spendable). \`treats.changed\` on \`user:<yourId>\` gives both after every movement: show those
  numbers rather than adding amounts up.
- **History** (\`treats.history\`): every movement newest first, with the balance after it.
- **Tips** (\`treats.tip\`): treats from the wallet to the author of a post or reel the caller may
  see; the author earns ${TREAT_LIMITS.creatorSharePercent} % (rounded up), the platform keeps the
  rest. Retry with the same \`clientId\`: a retry answers the first transfer and moves nothing. A
  wallet short of the amount is \`NOT_ENOUGH_TREATS\` (\`details.balance\`, \`details.needed\`).
- **The monthly allowance** (\`treats.allowance\`, \`treats.claimAllowance\`): the treats the
  person's plan grants each calendar month (UTC), claimed when they choose; claiming twice moves
  nothing more, and subscribing mid-month makes the rest of the better plan's allowance claimable.
- **Buying a pack** (PayPal, Mercado Pago or SPEI):
  \`payments.options\` lists the packs with their prices per currency (minor units) and the
  methods offered; \`payments.checkout\` answers the payment with \`approveUrl\`; send the buyer
  there. The provider brings them back to \`<APP_URL>/payments/<id>/return\`; then
  \`payments.capture\` settles it (safe to repeat; a Mercado Pago cash payment stays \`created\`
  until it is paid at the store). The provider's webhook settles it too, whichever comes first, once:
  \`payments.changed\` and \`treats.changed\` tell every device. SPEI (MXN) answers \`spei\`
  instead of \`approveUrl\`: the payment's own CLABE, its reference and until when; show them
  (with copy buttons) and wait for \`payments.changed\`. A provider reporting another
  amount or currency leaves it \`fraud_suspected\`, with nothing credited.

## Plans and subscriptions

- **The plans** (\`subscriptions.plans\`): free, basic, premium and pro, each with its price a
  month per currency (minor units), its monthly treats and its entitlements; \`mine\` is the
  caller's plan now. A call a plan unlocks answers \`PLAN_REQUIRED\` (\`details.plan\`: the cheapest
  plan that has it) to anyone without it: show an upgrade offer, not an error.
- **Subscribing** (\`subscriptions.checkout\`): PayPal and Mercado Pago answer
  \`subscription.approveUrl\`, where the buyer approves a monthly charge; they come back to
  \`<APP_URL>/subscriptions/<id>/return\`; call \`subscriptions.sync\` (safe to repeat) until it is
  \`active\`, or wait for \`subscriptions.changed\`. SPEI answers \`payment\`: the first month's
  transfer instructions (show them as for a pack). Each month's money is a payment in
  \`payments.list\` (\`plan\`, \`subscriptionId\`), with its receipt.
- **Renewals**: PayPal and Mercado Pago charge each month themselves. SPEI is never charged:
  ${SUBSCRIPTION_LIMITS.reminderDays} days before the period ends a new payment with its own CLABE and
  reference arrives (\`payments.changed\`), to pay by transfer. Unpaid at the period's end it is
  \`past_due\` and the plan holds ${SUBSCRIPTION_LIMITS.graceDays} more days (\`holdsUntil\`), then it
  expires and the person is back on free.
- **Cancelling** (\`subscriptions.cancel\`): the provider stops charging at once; the plan holds
  until \`currentPeriodEnd\`. A higher plan bought while one is live replaces it once its first
  month is paid (no proration); the same or a lower plan is \`ALREADY_SUBSCRIBED\`.

## Support

- **Writing** (\`support.send\`): the first message opens the caller's conversation with the
  PetAmigos team; later ones join it until it is closed (by the caller, \`support.close\`, or by the
  team). The message is stored before the reply (send a \`clientId\` to retry safely) and reaches
  the team's helpdesk (Chatwoot) afterwards, however long it is down. On a plan with
  \`prioritySupport\` (Pro) the conversation is marked priority for the team; the plan is read at
  every message. At most ${SUPPORT_LIMITS.messagesPerHour} messages an hour of ${SUPPORT_LIMITS.textChars} characters. A server without a
  helpdesk answers \`SUPPORT_UNAVAILABLE\` (\`support.history\` says \`available: false\`).
- **Answers**: each answer of the team, and each message the caller sent from another device,
  arrives as \`support.message\` on \`user:<id>\` (replayed on resume like every event of that
  topic); \`support.closed\` when the conversation closes. \`support.history\` reads everything back,
  newest first. Internal notes of the team never reach the caller.

${personalTokensSection()}
## Settings and their defaults

A user who never changed a setting has the default below; \`privacy.get\` and
\`notifications.getPreferences\` answer the settings in force. Audiences: \`public\` (anyone not
blocked on either side), \`friends\`, \`close_friends\` (friends in the user's close-friends circle,
\`friends.setClose\`), \`only_me\`; a block always hides everything, and the user always sees their own.
Privacy settings (\`privacy.update\`):

${settingsTables()}

With in-app off a notification of that type is not stored at all. Email goes only to a verified
address. Other preferences start empty: no one muted in the feed, no post hidden, no hashtag shown
less (\`feed.controls\`), and no conversation muted (\`chats.mute\` without \`minutes\` mutes for good).

## Limits

The welcome carries the limits in force; these are the defaults.

${limitsTable()}

- Calls beyond the rate get \`RATE_LIMITED\` with \`details.retryAfterMs\`; ${DEFAULT_LIMITS.maxRateLimitedInARow} rate-limited calls in a
  row close the socket with \`FLOODING\`.
- **Malformed frames:** every frame answered \`MALFORMED_FRAME\` (not one MessagePack map with a
  known \`type\`) or \`INVALID_FRAME\` (a known frame with a field missing, of the wrong type, or not
  listed) counts; any valid frame sets the count back to zero. The ${DEFAULT_LIMITS.maxMalformedInARow}th in a row is not
  answered: it closes the socket with \`PROTOCOL_VIOLATION\` (4002). Nothing else counts: not an
  error about a call's body (\`INVALID_BODY\`), an unknown call or topic, a refusal, or a second
  \`hello\` (answered \`INVALID_FRAME\`, but a valid frame). Before the \`hello\`, any frame that is not a
  valid \`hello\` closes the socket with \`HELLO_REQUIRED\` at once.
- **Per user**, over every node: a socket beyond \`socketsPerUser\` is closed with \`TOO_MANY_SOCKETS\` (4010),
  on its hello or, when the user's other sockets are on other nodes, just after its welcome; the
  user's older sockets stay. Calls beyond \`userCallsPerSecond\` over all the user's sockets (a
  burst of one second's calls, then that rate) get \`RATE_LIMITED\` with \`details.retryAfterMs\`,
  like the per-socket rate. Each node decides at once for the user's sockets it holds and tells
  the others through a shared count, so with sockets on several nodes a user may pass it by up to
  a burst per extra node for a moment, until every node knows.
- **Per address**: at most ${DEFAULT_LIMITS.pendingSocketsPerAddress} sockets from one client address may wait for their hello on a node;
  the upgrade of one more is answered HTTP 429 (\`RATE_LIMITED\`).
- **Slow readers:** the server buffers up to \`sendBufferBytes\` of unsent data per socket. A socket
  that stops reading beyond that is dropped without a close frame (clients see 1006). Nothing is
  lost for the client: reconnect and resume.

## Error codes

Errors of a request carry its \`ref\`; errors about a frame that had no valid \`ref\` carry none.
Any call may get these codes, which are not repeated under each call: ${COMMON_CALL_ERRORS.map((code) => `\`${code}\``).join(', ')}.
Besides them, a call answers only the codes its entry in the catalogue of calls lists, each
described once in the second table (which also holds the codes of the HTTP API).

| code | meaning |
|---|---|
${errorRows.join('\n')}

Codes of the calls themselves, in the same \`error\` frame, and of the HTTP API (\`{"error": {"code", "message", "details"}}\`):

| code | meaning |
|---|---|
${domainRows.join('\n')}

## Close codes

| code | name | meaning |
|---|---|---|
${closeRows.join('\n')}

## Frames reference

${frameSections(ClientFrames, 'client → server')}
${frameSections(ServerFrames, 'server → client')}
## Catalogue of calls

${Object.entries(Calls)
  .map(([name, spec]) => callSection(name, spec as CallSpec))
  .join('\n')}
## Catalogue of topics

${Object.entries(Topics)
  .map(([kind, spec]) => topicSection(kind as TopicKind, spec as TopicSpec))
  .join('\n')}
## A worked session

1. Connect to \`wss://petamigos.example/ws\` and say hello:

${hexExample({ type: 'hello', version: PROTOCOL_VERSION, token: exampleToken })}

2. The server welcomes the socket (see Handshake). Follow the user's own topic:

${hexExample({ type: 'sub', ref: 1, topic: `user:${userId}` })}

${hexExample({ type: 'reply', ref: 1, body: { topic: `user:${userId}`, epoch, seq: 4 } })}

3. An event arrives when the user signs out one of their other devices:

${hexExample({ type: 'event', topic: `user:${userId}`, epoch, seq: 5, name: 'session.revoked', body: { sessionId } })}

4. Ask who the socket is:

${hexExample({ type: 'call', ref: 2, op: 'session.get', body: {} })}

5. The network drops. Reconnect, say hello again, and resume from the last event (seq 5):

${hexExample({ type: 'sub', ref: 1, topic: `user:${userId}`, since: { epoch, seq: 5 } })}

   The reply comes first, then events 6, 7, … that happened while away, then live ones.

## Machine-readable schema

\`GET /protocol/schema.json\` (no sign-in) serves this protocol as one JSON Schema document (draft
2020-12, named in its \`$schema\`), generated from the same declarations as this page. Its root
accepts any frame; \`$defs\` names every part: the frames (\`ClientFrame\`, \`ServerFrame\`,
\`HelloFrame\`, …), each call's request, reply body and frames (\`PresenceSetStatusRequest\`,
\`PresenceSetStatusResponse\`, \`PresenceSetStatusCall\`, \`PresenceSetStatusReply\`, and
\`PresenceSetStatusError\`, an \`error\` frame whose \`code\` is one the call declares or a common
one; \`AnyCall\` is any call), each topic's name pattern (\`UserTopic\`, …) and events (\`MessageNewEvent\` with its
\`MessageNewEventBody\`, signals as \`TypingSignal\`; \`AnyEvent\` is any of them), the replies to
\`sub\`, \`unsub\` and \`auth\` (\`SubReply\`, …), the error codes (\`ErrorCode\`), the close codes
(\`CloseCode\`) and the limits with their defaults (\`Limits\`). Shapes used in many places
(\`PersonSummary\`, \`ChatMessage\`, …) are one definition each, referenced with \`$ref\`. MessagePack
maps are JSON objects there, MessagePack integers are \`integer\`, and the examples of this page
are its \`examples\`.

Versions: \`$id\` is \`urn:petamigos:protocol:${PROTOCOL_VERSION}\` and \`version\` is the protocol version of
\`hello\` (it changes only with an incompatible change); \`revision\` is a hash of the content, which
changes with any change, and is also the response's \`ETag\` (cacheable; revalidate with
\`If-None-Match\`). \`version\` and \`revision\` are annotations: tell a strict validator they are
keywords (ajv: \`ajv.addVocabulary(['version', 'revision'])\`).

To generate types from it, give it to a JSON Schema code generator, for example
\`quicktype --src-lang schema --lang swift -o Protocol.swift schema.json\`.

Test vectors for a client's codec (frames as bytes with their meaning, the canonical encoding,
malformed inputs and what they get) and scenarios to play against a server are in the repository's
\`protocol/conformance/\` (its README explains them; \`bun scripts/conformance.ts <ws-url> <token>\`
plays the scenarios against any server).
`;
}
