// The conformance scenarios played against a real node (real PostgreSQL, Redis and NATS) over a
// real WebSocket, by the same runner a client author runs against any server: every answer has
// the expected shape, and every frame the server sends validates against its served JSON Schema,
// each reply against the definition of what it answers (as does every frame the scenarios send).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from '../../test/harness/accounts.ts';
import { type SchemaValidator, schemaValidator } from '../../test/harness/json-schema.ts';
import { wsUrl } from '../../test/harness/ws.ts';
import { pascal } from '../json-schema.ts';
import { difference, runScenario } from './runner.ts';
import type { Scenario, VectorFile } from './vectors.ts';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')) as VectorFile;

let env: AccountsEnv;
let user: RegisteredUser;
let valid: SchemaValidator;
beforeAll(async () => {
  env = await startAccountsEnv('conformance');
  user = await env.register();
  valid = schemaValidator((await (await fetch(`${env.node.url}${vectors.schema.path}`)).json()) as Record<string, unknown>);
});
afterAll(async () => {
  await env.close();
});

type Frame = { type?: string; ref?: number; op?: string };

/** Plays a scenario; returns its result and what in the server's frames the schema refused. */
async function play(scenario: Scenario) {
  const replyDefinition = new Map<number | undefined, string>();
  const refused: string[] = [];
  let frames = 0;
  const check = (name: string, frame: unknown) => {
    const validate = valid(name);
    if (!validate(frame)) refused.push(`${name} ${JSON.stringify(frame)}: ${valid.errorsOf(validate)}`);
  };
  const result = await runScenario(scenario, {
    url: wsUrl(env.node.url),
    token: user.tokens.accessToken,
    onSend: (sent) => {
      check('ClientFrame', sent);
      const { type, ref, op } = sent as Frame;
      if (type === 'call' && typeof op === 'string') replyDefinition.set(ref, `${pascal(op)}Reply`);
      else if (type === 'sub' || type === 'unsub' || type === 'auth') replyDefinition.set(ref, `${pascal(type)}Reply`);
    },
    onFrame: (received) => {
      frames++;
      check('ServerFrame', received);
      const { type, ref } = received as Frame;
      const definition = replyDefinition.get(ref);
      if (type === 'reply' && definition !== undefined) check(definition, received);
      if (type === 'event' || type === 'signal') check('AnyEvent', received);
    },
  });
  return { result, refused, frames };
}

describe('scenarios', () => {
  test.each(vectors.scenarios.map((scenario) => [scenario.name, scenario] as const))('conformance: %s', async (_name, scenario) => {
    const { result, refused, frames } = await play(scenario);
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(refused).toEqual([]);
    if (scenario.steps.some((step) => 'expect' in step)) expect(frames).toBeGreaterThan(0);
  });

  test('conformance: a scenario expecting another answer than the server gives fails, naming the step', async () => {
    const scenario = vectors.scenarios[0] as Scenario;
    const wrong = JSON.parse(JSON.stringify(scenario).replace('"UNKNOWN_CALL"', '"UNKNOWN_TOPIC"')) as Scenario;
    const { result } = await play({ ...wrong, steps: wrong.steps.slice(0, 6) });
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/^step 6: no frame like .*UNKNOWN_TOPIC.*\/code: expected "UNKNOWN_TOPIC", got "UNKNOWN_CALL"/);
    const closing = { name: 'wrong close', description: '', steps: [{ sendHex: 'c1' }, { expectClose: 1000 }] } satisfies Scenario;
    expect((await play(closing)).result).toMatchObject({ ok: false, failure: 'step 2: expected the socket closed with 1000, got 4001' });
  });
});

describe('matching', () => {
  test('conformance: frames match when equal everywhere but at the varying pointers, with the same keys in every map', () => {
    const varying = new Set(['/serverTime']);
    expect(difference({ type: 'pong', serverTime: 0 }, { type: 'pong', serverTime: 17 }, varying)).toBeUndefined();
    expect(difference({ type: 'pong', serverTime: 0 }, { type: 'pong' }, varying)).toBe('/serverTime is missing');
    expect(difference({ type: 'pong', serverTime: 0 }, { type: 'pong', serverTime: 1, ts: 1 }, varying)).toMatch(/^\/ts:/);
    expect(difference({ a: [1, 2] }, { a: [1, 2, 3] }, new Set())).toMatch(/^\/a:/);
    expect(difference({ a: { 'b/c': 1 } }, { a: { 'b/c': 2 } }, new Set())).toMatch(/^\/a\/b~1c:/);
    expect(difference({ a: { 'b/c': 1 } }, { a: { 'b/c': 2 } }, new Set(['/a/b~1c']))).toBeUndefined();
  });
});
