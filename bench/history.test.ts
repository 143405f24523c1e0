import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { appendRun, benchSettings, gitState, KEPT_RUNS, ResultsFileError, type Run, readHistory, runBenchmark } from './history.ts';

const stats = new URL('./stats.ts', import.meta.url).pathname;
const repository = new URL('..', import.meta.url).pathname;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A benchmark script in the temp folder that prints through bench/stats.ts, then runs `tail`. */
function fakeBenchmark(body: string, tail = ''): string {
  const script = join(dir, 'fake.ts');
  writeFileSync(script, `import { row } from ${JSON.stringify(stats)};\n${body}\n${tail}\n`);
  return script;
}

const git = (args: string[], cwd = repository) =>
  Bun.spawnSync(['git', '-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args], { cwd, stdout: 'pipe' })
    .stdout.toString()
    .trim();

const run = (commit: string): Run => ({
  commit,
  dirty: false,
  date: '2026-12-06T09:00:00.000Z',
  host: { cpu: 'AMD EPYC', cores: 2, bun: '1.4.5', platform: 'linux x64', load: 0.5 },
  settings: { BENCH_A: '1', BENCH_B: '2' },
  rows: { calls: { 'p50 µs': 20 } },
});

describe('runBenchmark', () => {
  test('appends the rows a benchmark printed, with the commit it measured and the host', () => {
    const script = fakeBenchmark(`
      console.log(row('calls: gateway', { 'p50 µs': 20.123456789, 'seq/s': 48000, complete: 'true' }));
      console.log(row('calls: gateway', { 'p50 µs': 21 }));
      console.log(row('ratio / bare', { 'p50 ratio': Number.NaN }));`);
    const env = { ...process.env, BENCH_FAKE_SIZE: '7', BENCH_RESULTS_DIR: dir };
    expect(runBenchmark(script, 'fake', { record: true, dir, env }).exitCode).toBe(0);
    runBenchmark(script, 'fake', { record: true, dir });

    const history = readHistory(dir, 'fake');
    expect(history.benchmark).toBe('fake');
    expect(history.runs).toHaveLength(2);
    const [recorded] = history.runs;
    expect(recorded?.commit).toBe(git(['rev-parse', 'HEAD']));
    expect(typeof recorded?.dirty).toBe('boolean');
    expect(Date.parse(recorded?.date ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(recorded?.host).toMatchObject({ cores: expect.any(Number), bun: Bun.version });
    // The settings that shape the run are kept; where its results go is not one of them.
    expect(recorded?.settings.BENCH_FAKE_SIZE).toBe('7');
    expect(Object.keys(recorded?.settings ?? {}).filter((name) => name.startsWith('BENCH_RESULTS_'))).toEqual([]);
    expect(history.runs[1]?.settings.BENCH_FAKE_SIZE).toBeUndefined();
    expect(recorded?.rows).toEqual({
      'calls: gateway': { 'p50 µs': 20.1235, 'seq/s': 48000, complete: 'true' },
      'calls: gateway #2': { 'p50 µs': 21 },
      'ratio / bare': { 'p50 ratio': 'NaN' },
    });
  });

  test('a benchmark that fails, or a run without recording, adds nothing', () => {
    const failing = fakeBenchmark(`console.log(row('calls', { 'p50 µs': 20 }));`, 'process.exit(3);');
    expect(runBenchmark(failing, 'fake', { record: true, dir }).exitCode).toBe(3);
    expect(existsSync(join(dir, 'fake.json'))).toBe(false);

    const passing = fakeBenchmark(`console.log(row('calls', { 'p50 µs': 20 }));`);
    expect(runBenchmark(passing, 'fake', { record: false, dir })).toEqual({ exitCode: 0 });
    expect(existsSync(join(dir, 'fake.json'))).toBe(false);
  });

  test('a benchmark that printed no row records nothing', () => {
    const silent = fakeBenchmark(`console.log(typeof row);`);
    expect(runBenchmark(silent, 'fake', { record: true, dir }).history).toBeUndefined();
    expect(existsSync(join(dir, 'fake.json'))).toBe(false);
  });
});

describe('appendRun', () => {
  test(`keeps the newest ${KEPT_RUNS} runs`, () => {
    for (let i = 1; i <= KEPT_RUNS + 2; i++) appendRun(dir, 'fake', run(`commit-${i}`));
    const commits = readHistory(dir, 'fake').runs.map((one) => one.commit);
    expect(commits).toHaveLength(KEPT_RUNS);
    expect(commits[0]).toBe('commit-3');
    expect(commits.at(-1)).toBe(`commit-${KEPT_RUNS + 2}`);
  });

  test('writes fixed key order, two-space JSON and a final newline, whatever order the run was built in', () => {
    const shuffled = {
      rows: { calls: { 'p50 µs': 20 } },
      settings: { BENCH_B: '2', BENCH_A: '1' },
      host: { load: 0.5, platform: 'linux x64', bun: '1.4.5', cores: 2, cpu: 'AMD EPYC' },
    };
    appendRun(dir, 'fake', { ...shuffled, date: '2026-12-06T09:00:00.000Z', dirty: false, commit: 'abc' });
    expect(readFileSync(join(dir, 'fake.json'), 'utf8')).toBe(`${JSON.stringify({ benchmark: 'fake', runs: [run('abc')] }, null, 2)}\n`);
  });

  test('refuses a results file that is not a history, and leaves it as it was', () => {
    const path = join(dir, 'fake.json');
    for (const text of ['{"benchmark": "fake", "runs": [{"commit": 1}]}', 'not json']) {
      writeFileSync(path, text);
      expect(() => appendRun(dir, 'fake', run('abc'))).toThrow(ResultsFileError);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });
});

describe('benchSettings', () => {
  test('keeps the BENCH_* variables, masks a password in a URL and leaves out secrets', () => {
    const env = {
      BENCH_CALLS: '500',
      BENCH_DATABASE_URL: 'postgres://bench:hunter2@db:5432/bench',
      BENCH_JWT_SECRET: 'x',
      BENCH_ACCESS_TOKEN: 'y',
      BENCH_TOKENS: '5000',
      BENCH_RESULTS_DIR: '/tmp/r',
      PATH: '/usr/bin',
    };
    expect(benchSettings(env)).toEqual({
      BENCH_CALLS: '500',
      BENCH_DATABASE_URL: 'postgres://bench:***@db:5432/bench',
      BENCH_TOKENS: '5000',
    });
  });
});

describe('gitState', () => {
  test('the commit checked out; dirty when anything outside bench/results changed', () => {
    git(['init', '-q', dir], dir);
    writeFileSync(join(dir, 'a.ts'), 'export {};\n');
    git(['add', '.'], dir);
    git(['commit', '-q', '-m', 'first'], dir);
    expect(gitState(dir)).toEqual({ commit: git(['rev-parse', 'HEAD'], dir), dirty: false });

    mkdirSync(join(dir, 'bench/results'), { recursive: true });
    writeFileSync(join(dir, 'bench/results/fake.json'), '{}\n');
    expect(gitState(dir).dirty).toBe(false);

    writeFileSync(join(dir, 'a.ts'), 'export const changed = 1;\n');
    expect(gitState(dir).dirty).toBe(true);
  });

  test('outside a repository the commit is unknown and counted dirty', () => {
    expect(gitState(dir)).toEqual({ commit: 'unknown', dirty: true });
  });
});

describe('bench/run.ts', () => {
  test('a name that is no benchmark, or an unknown option, is a usage error and runs nothing', () => {
    const runner = new URL('./run.ts', import.meta.url).pathname;
    for (const [args, message] of [
      [['nope'], 'no benchmark named nope'],
      [['codec', '--dry'], 'unknown option --dry'],
    ] as const) {
      const child = Bun.spawnSync([process.execPath, runner, ...args], {
        env: { ...process.env, BENCH_RESULTS_DIR: dir },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      expect(child.exitCode).toBe(2);
      expect(child.stderr.toString()).toContain(message);
      expect(child.stdout.toString()).not.toContain('== bench/');
    }
  });
});
