// The served JSON Schema against an independent validator (ajv, strict, with formats): every
// example PROTOCOL.md shows and every example of the catalogue validates against the definition
// it belongs to, and the same examples broken (an extra key, a wrong type) are refused.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningNode } from '../server/node.ts';
import { type SchemaValidator, schemaValidator } from '../test/harness/json-schema.ts';
import { startTestNode, testConfig } from '../test/harness/node.ts';
import { type CallSpec, Calls, type TopicSpec, Topics } from './catalogue.ts';
import { decodeFrame } from './codec.ts';
import { CLOSE_CODES, COMMON_CALL_ERRORS, DOMAIN_ERROR_CODES, ERROR_CODES } from './errors.ts';
import { ClientFrames } from './frames.ts';
import { JSON_SCHEMA_DIALECT, pascal, protocolJsonSchema } from './json-schema.ts';
import { PROTOCOL_VERSION } from './version.ts';

type Frame = Record<string, unknown> & { type: string };

let node: RunningNode;
let cleanup: () => void;
let served: Record<string, unknown>;
let response: Response;
let valid: SchemaValidator;
beforeAll(async () => {
  const config = testConfig();
  cleanup = config.cleanup;
  node = await startTestNode(config);
  response = await fetch(`${node.url}/protocol/schema.json`);
  served = (await response.json()) as Record<string, unknown>;
  valid = schemaValidator(served);
}, 60_000);
afterAll(async () => {
  await node.stop();
  cleanup();
});

const expectValid = (name: string | undefined, value: unknown) => {
  const validate = valid(name);
  expect(validate(value), `${name ?? 'frame'}: ${valid.errorsOf(validate)} in ${JSON.stringify(value)}`).toBe(true);
};
const expectInvalid = (name: string | undefined, value: unknown) =>
  expect(valid(name)(value), `${name ?? 'frame'} accepted ${JSON.stringify(value)}`).toBe(false);

/** Every frame PROTOCOL.md shows, decoded from its hex. */
function documentedFrames(): Frame[] {
  const committed = readFileSync(new URL('../PROTOCOL.md', import.meta.url), 'utf8');
  return [...committed.matchAll(/```\n\{.*\}\n\(\d+ bytes\)\n([0-9a-f \n]+?)\n```/g)].map(
    ([, hex]) => decodeFrame(Buffer.from((hex as string).replace(/\s+/g, ''), 'hex')) as Frame,
  );
}

describe('served', () => {
  test('schema: GET /protocol/schema.json serves the generated document, public, cacheable, its revision as ETag', async () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/schema+json');
    expect(response.headers.get('cache-control')).toContain('max-age=');
    const { document, revision } = protocolJsonSchema();
    expect(served).toEqual(document);
    expect(response.headers.get('etag')).toBe(`"${revision}"`);
    const again = await fetch(`${node.url}/protocol/schema.json`, { headers: { 'if-none-match': `"${revision}"` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const stale = await fetch(`${node.url}/protocol/schema.json`, { headers: { 'if-none-match': '"0000000000000000"' } });
    expect(stale.status).toBe(200);
  });

  test('schema: the document names its dialect, id, protocol version and a revision that hashes its content', () => {
    expect(served).toMatchObject({
      $schema: JSON_SCHEMA_DIALECT,
      $id: `urn:petamigos:protocol:${PROTOCOL_VERSION}`,
      version: PROTOCOL_VERSION,
    });
    const { revision, ...content } = served;
    expect(revision).toBe(createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16));
  });

  test('schema: /openapi/json lists the route', async () => {
    const openapi = (await (await fetch(`${node.url}/openapi/json`)).json()) as { paths: Record<string, { get?: { summary?: string } }> };
    expect(openapi.paths['/protocol/schema.json']?.get?.summary).toBeTruthy();
  });
});

describe('examples', () => {
  test('schema: every frame PROTOCOL.md shows validates, calls, events and replies against their own definitions', () => {
    const frames = documentedFrames();
    const pending = new Map<unknown, string>();
    const checked = { calls: 0, events: 0, replies: 0 };
    for (const frame of frames) {
      expectValid(undefined, frame);
      expectValid(Object.hasOwn(ClientFrames, frame.type) ? 'ClientFrame' : 'ServerFrame', frame);
      if (frame.type === 'call') {
        expectValid(`${pascal(frame.op as string)}Call`, frame);
        expectValid('AnyCall', frame);
        pending.set(frame.ref, `${pascal(frame.op as string)}Reply`);
        checked.calls++;
      } else if (frame.type === 'sub' || frame.type === 'unsub' || frame.type === 'auth') {
        pending.set(frame.ref, `${pascal(frame.type)}Reply`);
      } else if (frame.type === 'event' || frame.type === 'signal') {
        expectValid('AnyEvent', frame);
        checked.events++;
      } else if (frame.type === 'reply') {
        expectValid(pending.get(frame.ref), frame);
        pending.delete(frame.ref);
        checked.replies++;
      }
    }
    const events = Object.values(Topics).reduce((sum, topic) => sum + Object.keys(topic.events).length, 0);
    expect(checked.calls).toBeGreaterThanOrEqual(Object.keys(Calls).length);
    expect(checked.events).toBeGreaterThanOrEqual(events);
    expect(checked.replies).toBeGreaterThanOrEqual(Object.keys(Calls).length);
  });

  test('schema: every example of the catalogue validates against its named definition', () => {
    for (const [op, raw] of Object.entries(Calls)) {
      const spec = raw as CallSpec;
      expectValid(`${pascal(op)}Request`, spec.example.request);
      expectValid(`${pascal(op)}Response`, spec.example.response);
    }
    for (const raw of Object.values(Topics))
      for (const [event, spec] of Object.entries((raw as TopicSpec).events))
        expectValid(`${pascal(event)}${spec.signal ? 'Signal' : 'Event'}Body`, spec.example);
  });

  test('schema: each call has an <Op>Error definition naming exactly its declared and the common codes', () => {
    for (const [op, raw] of Object.entries(Calls)) {
      const spec = raw as CallSpec;
      const error = (code: string) => ({ type: 'error', ref: 1, code, message: 'refused' });
      for (const code of [...spec.errors, ...COMMON_CALL_ERRORS]) expectValid(`${pascal(op)}Error`, error(code));
      const undeclared = Object.keys(DOMAIN_ERROR_CODES).find((code) => !(spec.errors as readonly string[]).includes(code));
      if (undeclared !== undefined) expectInvalid(`${pascal(op)}Error`, error(undeclared));
    }
  });

  test('schema: the error and close codes are all listed', () => {
    for (const code of [...Object.keys(ERROR_CODES), ...Object.keys(DOMAIN_ERROR_CODES)]) expectValid('ErrorCode', code);
    expectInvalid('ErrorCode', 'NO_SUCH_CODE');
    for (const entry of Object.values(CLOSE_CODES)) expectValid('CloseCode', entry.code);
    expectInvalid('CloseCode', 4999);
  });
});

describe('refusals', () => {
  const withExtra = (value: unknown) => ({ ...(value as object), unexpectedField: 1 });

  test('schema: every example with an extra key is refused: call requests and replies, event bodies', () => {
    for (const [op, raw] of Object.entries(Calls)) {
      const spec = raw as CallSpec;
      expectInvalid(`${pascal(op)}Request`, withExtra(spec.example.request));
      if (!Array.isArray(spec.example.response)) expectInvalid(`${pascal(op)}Response`, withExtra(spec.example.response));
    }
    for (const raw of Object.values(Topics))
      for (const [event, spec] of Object.entries((raw as TopicSpec).events))
        expectInvalid(`${pascal(event)}${spec.signal ? 'Signal' : 'Event'}Body`, withExtra(spec.example));
  });

  test('schema: a frame with an extra key, a wrong type, an unknown type or a body of another call is refused', () => {
    expectValid(undefined, { type: 'ping', ts: 1 });
    expectInvalid(undefined, { type: 'ping', ts: 1, extra: true });
    expectInvalid(undefined, { type: 'ping', ts: 'one' });
    expectInvalid(undefined, { type: 'teleport' });
    expectInvalid(undefined, { type: 'call', ref: 0, op: 'session.get' });
    expectInvalid(undefined, { type: 'pong', serverTime: 1795478400000.5 });
    expectInvalid('PresenceSetCall', { type: 'call', ref: 1, op: 'presence.set', body: { state: 5 } });
    expectInvalid('AnyCall', { type: 'call', ref: 1, op: 'presence.set', body: { text: 'hi', level: 'info' } });
    expectInvalid('AnyEvent', { type: 'event', topic: 'system', epoch: 'e', seq: 1, name: 'announcement', body: { text: 'hi' } });
    expectInvalid('AnyEvent', {
      type: 'event',
      topic: 'user:nobody',
      epoch: 'e',
      seq: 1,
      name: 'notifications.unread',
      body: { unread: 0 },
    });
    expectInvalid('SessionGetResponse', { ...Calls['session.get'].example.response, topics: 'system' });
    expectInvalid('PresenceGetRequest', { userId: 'not-a-uuid' });
  });
});
