import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { appendRun, type Run } from './history.ts';

const script = new URL('./compare.ts', import.meta.url).pathname;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-compare-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const run = (commit: string, p50: number): Run => ({
  commit,
  dirty: false,
  date: '2026-12-06T09:00:00.000Z',
  host: { cpu: 'AMD EPYC', cores: 2, bun: '1.4.5', platform: 'linux x64', load: 0.5 },
  settings: {},
  rows: { 'calls: gateway': { 'p50 µs': p50 } },
});

function compare(...args: string[]) {
  const child = Bun.spawnSync([process.execPath, script, ...args], {
    env: { ...process.env, BENCH_RESULTS_DIR: dir },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  return { code: child.exitCode, out: child.stdout.toString(), err: child.stderr.toString() };
}

describe('bench/compare.ts', () => {
  test('shows the newest run against the one before; --fail-on-worse exits 1 on a regression', () => {
    appendRun(dir, 'gateway', run('aaaa1111', 20));
    appendRun(dir, 'gateway', run('bbbb2222', 30));
    const shown = compare();
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('bench/gateway: bbbb2222 (2026-12-06 09:00 UTC) against aaaa1111');
    expect(shown.out).toMatch(/p50 µs +20 → +30 +\+50\.0% {2}worse/);

    expect(compare('--fail-on-worse').code).toBe(1);
    expect(compare('--fail-on-worse', '--threshold', '60').code).toBe(0);
  });

  test('--since compares with the newest run of that commit', () => {
    appendRun(dir, 'gateway', run('aaaa1111', 20));
    appendRun(dir, 'gateway', run('bbbb2222', 30));
    appendRun(dir, 'gateway', run('cccc3333', 31));
    expect(compare('--since', 'aaaa', '--fail-on-worse').code).toBe(1);
    expect(compare('--fail-on-worse').code).toBe(0);
    expect(compare('--since', 'dddd').out).toContain('bench/gateway: no earlier run of dddd');
  });

  test('one recorded run is nothing to compare; an unknown name or option is a usage error', () => {
    appendRun(dir, 'gateway', run('aaaa1111', 20));
    expect(compare('gateway').out).toContain('bench/gateway: one recorded run, nothing to compare');
    expect(compare('nope').code).toBe(2);
    expect(compare('--threshold', 'ten').code).toBe(2);
    const unknown = compare('--fail');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown option --fail');
  });
});
