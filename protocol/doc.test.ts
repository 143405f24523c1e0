import { readFileSync } from 'node:fs';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { expect, test } from 'vitest';
import { Calls, Topics } from './catalogue.ts';
import { decodeFrame } from './codec.ts';
import { protocolDoc } from './doc.ts';
import { CLOSE_CODES, COMMON_CALL_ERRORS, DOMAIN_ERROR_CODES, ERROR_CODES } from './errors.ts';
import { ClientFrames, ServerFrames } from './frames.ts';

const committed = readFileSync(new URL('../PROTOCOL.md', import.meta.url), 'utf8');

test('PROTOCOL.md is exactly what the catalogue generates (run `bun scripts/protocol-doc.ts` after changing the protocol)', () => {
  expect(committed).toBe(protocolDoc());
});

test('PROTOCOL.md names every frame, call, topic event, error code and close code', () => {
  for (const type of [...Object.keys(ClientFrames), ...Object.keys(ServerFrames)]) expect(committed).toContain(`### \`${type}\``);
  for (const call of Object.keys(Calls)) expect(committed).toContain(`### \`${call}\``);
  for (const topic of Object.values(Topics))
    for (const [event, spec] of Object.entries(topic.events as Record<string, { signal?: true }>))
      expect(committed).toContain(`#### ${spec.signal ? 'signal' : 'event'} \`${event}\``);
  for (const code of [...Object.keys(ERROR_CODES), ...Object.keys(DOMAIN_ERROR_CODES)]) expect(committed).toContain(`| \`${code}\` |`);
  for (const entry of Object.values(CLOSE_CODES)) expect(committed).toContain(`| ${entry.code} |`);
});

test('PROTOCOL.md hex examples decode to the JSON printed above them', () => {
  const blocks = [...committed.matchAll(/```\n(\{.*\})\n\((\d+) bytes\)\n([0-9a-f \n]+?)\n```/g)];
  expect(blocks.length).toBeGreaterThanOrEqual(15);
  for (const [, json, length, hex] of blocks) {
    const bytes = Uint8Array.from(
      (hex as string)
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => Number.parseInt(pair, 16)),
    );
    expect(bytes.length).toBe(Number(length));
    expect(decodeFrame(bytes)).toEqual(JSON.parse(json as string));
  }
});

test('every example in the catalogue matches its own schema (requests, replies, events)', () => {
  const problems: string[] = [];
  const check = (what: string, schema: TSchema, value: unknown) => {
    const first = Value.Errors(schema, value).First();
    if (first !== undefined) problems.push(`${what}: ${first.path} ${first.message}`);
  };
  for (const [name, spec] of Object.entries(Calls)) {
    check(`${name} request`, spec.request, spec.example.request);
    check(`${name} response`, spec.response, spec.example.response);
  }
  for (const [kind, topic] of Object.entries(Topics))
    for (const [event, spec] of Object.entries(topic.events)) check(`${kind} ${event}`, spec.body, spec.example);
  expect(problems).toEqual([]);
});

/** The dotted path of every field inside a schema, through lists (`[]`), unions and maps of keys (`.<key>`). */
function fieldPaths(schema: TSchema, prefix = ''): string[] {
  const paths: string[] = [];
  const inside = (node: TSchema, path: string) => {
    if (node.type === 'object' && node.properties !== undefined) paths.push(...fieldPaths(node, `${path}.`));
    if (node.type === 'array' && node.items !== undefined) inside(node.items as TSchema, `${path}[]`);
    for (const value of Object.values((node.patternProperties ?? {}) as Record<string, TSchema>)) inside(value, `${path}.<key>`);
    for (const member of (node.anyOf ?? []) as TSchema[]) inside(member, path);
  };
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) {
    paths.push(`${prefix}${name}`);
    inside(property, `${prefix}${name}`);
  }
  return paths;
}

/** The text under a heading, up to the next heading of the same or a higher level. */
function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n${heading}`);
  expect(start, `no heading ${heading}`).toBeGreaterThanOrEqual(0);
  expect(doc.indexOf(`\n${heading}`, start + 1), `two headings ${heading}`).toBe(-1);
  const level = heading.split(' ')[0] as string;
  const rest = doc.slice(start + heading.length + 1);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return next === -1 ? rest : rest.slice(0, next);
}

test('PROTOCOL.md lists every field at every depth of every call, event and frame (through lists, unions and maps)', () => {
  const doc = protocolDoc();
  const missing: string[] = [];
  const expectRows = (what: string, schema: TSchema, text: string) => {
    for (const path of fieldPaths(schema)) if (!text.includes(`\n| \`${path}\` | `)) missing.push(`${what}: ${path}`);
  };
  let checked = 0;
  for (const [name, spec] of Object.entries(Calls)) {
    const [request, reply] = section(doc, `### \`${name}\``).split('\nReply body:\n') as [string, string];
    expectRows(`${name} request`, spec.request, request);
    expectRows(`${name} reply`, spec.response, reply);
    checked += fieldPaths(spec.request).length + fieldPaths(spec.response).length;
  }
  for (const topic of Object.values(Topics))
    for (const [event, spec] of Object.entries(topic.events as Record<string, { body: TSchema; signal?: true }>)) {
      expectRows(event, spec.body, section(doc, `#### ${spec.signal ? 'signal' : 'event'} \`${event}\``));
      checked += fieldPaths(spec.body).length;
    }
  for (const [type, schema] of [...Object.entries(ClientFrames), ...Object.entries(ServerFrames)])
    expectRows(`frame ${type}`, schema, section(doc, `### \`${type}\` (`).split('\n```')[0] as string);
  expect(checked).toBeGreaterThan(2000);
  expect(missing).toEqual([]);
});

test('examples: posts.edit answers the text it sets, and every example entity points at its @mention or #tag in the text', () => {
  const edit = Calls['posts.edit'].example;
  expect(edit.response.text).toBe(edit.request.text);
  const wrong: string[] = [];
  const visit = (value: unknown, where: string) => {
    if (typeof value !== 'object' || value === null) return;
    const { text, entities } = value as { text?: unknown; entities?: { type: string; start: number; end: number; value: string }[] };
    if (typeof text === 'string' && Array.isArray(entities))
      for (const entity of entities)
        if (text.slice(entity.start, entity.end) !== `${entity.type === 'mention' ? '@' : '#'}${entity.value}`)
          wrong.push(`${where}: ${JSON.stringify(entity)} in ${JSON.stringify(text)}`);
    for (const [key, inner] of Object.entries(value)) visit(inner, `${where}.${key}`);
  };
  for (const [name, spec] of Object.entries(Calls)) visit(spec.example, name);
  for (const topic of Object.values(Topics))
    for (const [event, spec] of Object.entries(topic.events as Record<string, { example: unknown }>)) visit(spec.example, event);
  expect(wrong).toEqual([]);
});

test('error codes: each is described in one table only, and every call declares only described codes beyond the common ones', () => {
  const protocol = new Set(Object.keys(ERROR_CODES));
  expect(Object.keys(DOMAIN_ERROR_CODES).filter((code) => protocol.has(code))).toEqual([]);
  const common = new Set<string>(COMMON_CALL_ERRORS);
  for (const [name, spec] of Object.entries(Calls))
    for (const code of spec.errors as readonly string[]) {
      expect(Object.hasOwn(DOMAIN_ERROR_CODES, code), `${name}: ${code}`).toBe(true);
      expect(common.has(code), `${name}: ${code} is common`).toBe(false);
    }
});
