import { readFileSync } from 'node:fs';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { expect, test } from 'vitest';
import { Calls, Topics } from './catalogue.ts';
import { decodeFrame } from './codec.ts';
import { protocolDoc } from './doc.ts';
import { CLOSE_CODES, DOMAIN_ERROR_CODES, ERROR_CODES } from './errors.ts';
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
