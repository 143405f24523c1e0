// The protocol as one JSON Schema document (draft 2020-12), served at GET /protocol/schema.json
// for native clients to validate frames and generate code from. Computed from the same TypeBox
// declarations the gateway checks frames with (frames, catalogue, codes, limits), so it cannot
// drift from the server. Every schema gets a stable PascalCase name under `$defs`; the schemas the
// catalogue shares (PersonSummary, ChatMessage, …) are referenced rather than repeated, so a code
// generator makes one type of each.
import { createHash } from 'node:crypto';
import type { TSchema } from '@sinclair/typebox';
import { DEFAULT_LIMITS } from '../server/gateway/limits.ts';
import { ChatMember, ChatMessage } from './calls/chats.ts';
import { MediaItem } from './calls/media.ts';
import { Notification } from './calls/notifications.ts';
import { Relation } from './calls/people.ts';
import { Comment, Post, ReactionCounts } from './calls/posts.ts';
import { type CallSpec, Calls, type TopicSpec, Topics, User } from './catalogue.ts';
import { CLOSE_CODES, COMMON_CALL_ERRORS, DOMAIN_ERROR_CODES, ERROR_CODES } from './errors.ts';
import { ClientFrames, FrameReplies, Limits, ServerFrames } from './frames.ts';
import { PersonSummary } from './spec.ts';
import { PROTOCOL_VERSION } from './version.ts';

type Json = Record<string, unknown>;

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const JSON_SCHEMA_ID = `urn:petamigos:protocol:${PROTOCOL_VERSION}`;

/** Schemas the catalogue uses in many places; each becomes one `$defs` entry of this name. */
const SHARED: Record<string, TSchema> = {
  ChatMember,
  ChatMessage,
  Comment,
  MediaItem,
  Notification,
  PersonSummary,
  Post,
  ReactionCounts,
  Relation,
  User,
};

/** `presence.setStatus` → `PresenceSetStatus`, `message.new` → `MessageNew`. */
export const pascal = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });

/** The plain JSON of a TypeBox schema: its symbols dropped, shared schemas replaced by `$ref`s. */
function plain(schema: TSchema, shared: Map<string, string>): Json {
  const json = JSON.parse(JSON.stringify(schema)) as Json;
  const walk = (node: unknown, top: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, false));
    if (node === null || typeof node !== 'object') return node;
    const name = top ? undefined : shared.get(JSON.stringify(node));
    if (name !== undefined) return ref(name);
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, false)]));
  };
  return walk(json, true) as Json;
}

function defsOf(): Record<string, Json> {
  const shared = new Map(Object.entries(SHARED).map(([name, schema]) => [JSON.stringify(schema), name]));
  const defs: Record<string, Json> = {};
  const define = (name: string, schema: Json) => {
    if (Object.hasOwn(defs, name)) throw new Error(`json-schema: two schemas are named ${name}`);
    defs[name] = schema;
  };
  const frame = (schema: TSchema, properties: Json = {}) => {
    const json = plain(schema, shared);
    return { ...json, properties: { ...(json.properties as Json), ...properties } };
  };
  for (const [name, schema] of Object.entries(SHARED)) define(name, plain(schema, shared));

  const limits = plain(Limits, shared);
  const limitProperties = Object.fromEntries(
    Object.entries(limits.properties as Record<string, Json>).map(([name, property]) => [
      name,
      { ...property, default: DEFAULT_LIMITS[name as keyof typeof DEFAULT_LIMITS] },
    ]),
  );
  const { heartbeatMs, maxMalformedInARow, maxRateLimitedInARow, pendingSocketsPerAddress } = DEFAULT_LIMITS;
  define('Limits', {
    ...limits,
    description: `The limits in force, sent in \`welcome\`; \`default\` is the value out of the box. Beyond them, out of the box: \`heartbeatMs\` ${heartbeatMs} (also in \`welcome\`), ${maxMalformedInARow} refused frames in a row close the socket with PROTOCOL_VIOLATION, ${maxRateLimitedInARow} rate-limited calls in a row with FLOODING, and at most ${pendingSocketsPerAddress} sockets of one address may wait for their hello.`,
    properties: limitProperties,
  });

  for (const [type, schema] of Object.entries(ClientFrames)) define(`${pascal(type)}Frame`, frame(schema));
  for (const [type, schema] of Object.entries(ServerFrames))
    define(`${pascal(type)}Frame`, frame(schema, type === 'welcome' ? { limits: ref('Limits') } : {}));
  define('ClientFrame', {
    description: 'Any frame a client sends',
    oneOf: Object.keys(ClientFrames).map((type) => ref(`${pascal(type)}Frame`)),
  });
  define('ServerFrame', {
    description: 'Any frame the server sends',
    oneOf: Object.keys(ServerFrames).map((type) => ref(`${pascal(type)}Frame`)),
  });
  for (const [type, schema] of Object.entries(FrameReplies)) {
    define(`${pascal(type)}ReplyBody`, { ...plain(schema, shared), description: `The body of the reply to \`${type}\`` });
    define(`${pascal(type)}Reply`, frame(ServerFrames.reply, { body: ref(`${pascal(type)}ReplyBody`) }));
  }

  for (const [op, raw] of Object.entries(Calls)) {
    const spec = raw as CallSpec;
    const name = pascal(op);
    const role = `Least role: ${spec.role}.`;
    define(`${name}Request`, {
      ...plain(spec.request, shared),
      description: `${spec.description} ${role}`,
      examples: [spec.example.request],
    });
    define(`${name}Response`, {
      ...plain(spec.response, shared),
      description: `The reply body of \`${op}\``,
      examples: [spec.example.response],
    });
    define(`${name}Call`, frame(ClientFrames.call, { op: { type: 'string', const: op }, body: ref(`${name}Request`) }));
    define(`${name}Reply`, frame(ServerFrames.reply, { body: ref(`${name}Response`) }));
    // What the call may be refused with: its own codes and those every call may get.
    define(`${name}Error`, {
      ...frame(ServerFrames.error, { code: { enum: [...spec.errors, ...COMMON_CALL_ERRORS] } }),
      description: `An \`error\` answering \`${op}\`: one of its declared codes or a common one`,
    });
  }
  define('AnyCall', {
    description: 'A `call` frame of any call in the catalogue, its body checked',
    oneOf: Object.keys(Calls).map((op) => ref(`${pascal(op)}Call`)),
  });

  const topicRefs: Json[] = [];
  const eventRefs: Json[] = [];
  for (const [kind, raw] of Object.entries(Topics)) {
    const spec = raw as TopicSpec;
    const topicName = `${pascal(kind)}Topic`;
    define(topicName, {
      type: 'string',
      pattern: spec.pattern.source,
      description: `\`${spec.form}\`: ${spec.description} Who may follow: ${spec.access}.`,
    });
    topicRefs.push(ref(topicName));
    for (const [event, eventSpec] of Object.entries(spec.events)) {
      const kindOf = eventSpec.signal ? 'Signal' : 'Event';
      const name = `${pascal(event)}${kindOf}`;
      define(`${name}Body`, { ...plain(eventSpec.body, shared), description: eventSpec.description, examples: [eventSpec.example] });
      const base = eventSpec.signal ? ServerFrames.signal : ServerFrames.event;
      define(name, frame(base, { topic: ref(topicName), name: { type: 'string', const: event }, body: ref(`${name}Body`) }));
      eventRefs.push(ref(name));
    }
  }
  define('TopicName', { description: 'The name of a topic of the catalogue', anyOf: topicRefs });
  define('AnyEvent', { description: 'An `event` or `signal` frame of any topic, its body checked', oneOf: eventRefs });

  const codes = { ...ERROR_CODES, ...DOMAIN_ERROR_CODES };
  define('ErrorCode', {
    type: 'string',
    description: 'The `code` of an `error` frame: protocol codes, then the codes calls answer with',
    anyOf: Object.entries(codes).map(([code, meaning]) => ({ const: code, description: meaning })),
  });
  define('CloseCode', {
    type: 'integer',
    description: 'The WebSocket close codes the server uses',
    oneOf: Object.entries(CLOSE_CODES).map(([name, entry]) => ({ const: entry.code, title: name, description: entry.meaning })),
  });
  return defs;
}

let cached: { document: Json; revision: string } | undefined;

/**
 * The document, with `version` (the protocol version, which changes only with an incompatible
 * change) and `revision` (a hash of everything else, which changes with any change).
 */
export function protocolJsonSchema(): { document: Json; revision: string } {
  if (cached !== undefined) return cached;
  const body = {
    $schema: JSON_SCHEMA_DIALECT,
    $id: JSON_SCHEMA_ID,
    title: `The PetAmigos protocol, version ${PROTOCOL_VERSION}`,
    description:
      'Every frame of the WebSocket protocol (MessagePack maps, shown here as JSON: see PROTOCOL.md), every call with its request and reply, every topic with its events, the error and close codes and the limits. The root accepts any frame; `$defs` names each part. `version` and `revision` are annotations: a strict validator (ajv) must be told they are keywords.',
    version: PROTOCOL_VERSION,
    oneOf: [ref('ClientFrame'), ref('ServerFrame')],
    $defs: defsOf(),
  };
  const revision = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
  const { $defs, ...head } = body;
  cached = { document: { ...head, revision, $defs }, revision };
  return cached;
}
