import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { Calls, Topics } from './catalogue.ts';
import { decodeFrame } from './codec.ts';
import { protocolDoc } from './doc.ts';
import { CLOSE_CODES, ERROR_CODES } from './errors.ts';
import { ClientFrames, ServerFrames } from './frames.ts';

const committed = readFileSync(new URL('../PROTOCOL.md', import.meta.url), 'utf8');

test('PROTOCOL.md is exactly what the catalogue generates (run `bun scripts/protocol-doc.ts` after changing the protocol)', () => {
  expect(committed).toBe(protocolDoc());
});

test('PROTOCOL.md names every frame, call, topic event, error code and close code', () => {
  for (const type of [...Object.keys(ClientFrames), ...Object.keys(ServerFrames)]) expect(committed).toContain(`### \`${type}\``);
  for (const call of Object.keys(Calls)) expect(committed).toContain(`### \`${call}\``);
  for (const topic of Object.values(Topics))
    for (const event of Object.keys(topic.events)) expect(committed).toContain(`#### event \`${event}\``);
  for (const code of Object.keys(ERROR_CODES)) expect(committed).toContain(`| \`${code}\` |`);
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
