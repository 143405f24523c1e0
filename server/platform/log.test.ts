import { expect, test } from 'vitest';
import { runNodeToExit } from '../../test/harness/processes.ts';
import { createTempDir } from '../../test/harness/services.ts';

// A node that cannot reach its database fails at start: exit code 1 and one fatal log line.
const unreachable = 'postgres://petamigos:secret@127.0.0.1:1/none';

test('log: LOG_FORMAT=json writes one JSON object a line, with level, time, node and message', async () => {
  const dir = createTempDir('log-json');
  try {
    const result = await runNodeToExit({ LOG_FORMAT: 'json', DATABASE_URL: unreachable, DATA_DIR: dir.path, NODE_ID: 'log-test' });
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const fatal = lines.find((line) => line.level === 60);
    expect(fatal).toMatchObject({ node: 'log-test', msg: expect.stringContaining('node.start() | failed: database: cannot reach') });
    expect(typeof fatal?.time).toBe('string');
    expect(result.stdout).not.toContain('secret');
  } finally {
    dir.remove();
  }
});

test('log: LOG_FORMAT=pretty writes readable lines for a terminal', async () => {
  const dir = createTempDir('log-pretty');
  try {
    const result = await runNodeToExit({ LOG_FORMAT: 'pretty', DATABASE_URL: unreachable, DATA_DIR: dir.path });
    expect(result.code).toBe(1);
    const line = result.stdout.split('\n').find((text) => text.includes('node.start() | failed'));
    expect(line).toBeDefined();
    expect(line?.startsWith('{')).toBe(false);
    expect(line).toContain('FATAL');
  } finally {
    dir.remove();
  }
});
