// The recorded history of each benchmark: bench/results/<name>.json holds its last KEPT_RUNS runs,
// each with the commit it measured, whether the tree had uncommitted changes, when and on what
// host it ran, with which BENCH_* settings, and the rows it printed through `row`
// (bench/stats.ts). bench/run.ts appends to it; bench/compare.ts reads it. BENCH_RESULTS_DIR
// points both at another folder (tests do).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Runs kept per benchmark, oldest dropped first, so the committed files stay small. */
export const KEPT_RUNS = 30;

const repository = new URL('..', import.meta.url).pathname;

const Figures = Type.Record(Type.String(), Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()])));
const Host = Type.Object({
  cpu: Type.String(),
  cores: Type.Integer(),
  bun: Type.String(),
  platform: Type.String(),
  /** One-minute load average when the benchmark started: how busy the machine already was. */
  load: Type.Number(),
});
const Run = Type.Object({
  commit: Type.String(),
  /** Uncommitted changes outside bench/results when it ran: the figures are not the commit's alone. */
  dirty: Type.Boolean(),
  date: Type.String(),
  host: Host,
  /** The BENCH_* environment variables set (sizes, BENCH_NODE_FLAGS): runs with others differ. */
  settings: Type.Record(Type.String(), Type.String()),
  rows: Figures,
});
const History = Type.Object({ benchmark: Type.String(), runs: Type.Array(Run) });

export type Host = Static<typeof Host>;
export type Run = Static<typeof Run>;
export type History = Static<typeof History>;

/** A results file that is not valid JSON or not of the expected shape: it is left as it is. */
export class ResultsFileError extends Error {
  readonly code = 'RESULTS_FILE_INVALID';
  constructor(
    readonly path: string,
    detail: string,
    options?: { cause: unknown },
  ) {
    super(`${path}: not a benchmark history (${detail}); fix or remove it`, options);
    this.name = 'ResultsFileError';
  }
}

export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR || join(repository, 'bench/results');
}

const pathOf = (dir: string, benchmark: string) => join(dir, `${benchmark}.json`);

/** The history of `benchmark`; an empty one when it has never been recorded. */
export function readHistory(dir: string, benchmark: string): History {
  const path = pathOf(dir, benchmark);
  if (!existsSync(path)) return { benchmark, runs: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ResultsFileError(path, 'not JSON', { cause: error });
  }
  if (!Value.Check(History, parsed)) {
    const [first] = Value.Errors(History, parsed);
    throw new ResultsFileError(path, first === undefined ? 'unexpected shape' : `${first.path || '/'}: ${first.message}`);
  }
  return parsed;
}

/** Appends `run` to the history of `benchmark`, keeping the newest `keep` runs. */
export function appendRun(dir: string, benchmark: string, run: Run, keep = KEPT_RUNS): History {
  const history = readHistory(dir, benchmark);
  const runs = [...history.runs, run].slice(-keep);
  // Fixed key order, whatever order the caller built `run` in: the files diff line by line.
  const ordered: History = {
    benchmark,
    runs: runs.map((one) => ({
      commit: one.commit,
      dirty: one.dirty,
      date: one.date,
      host: { cpu: one.host.cpu, cores: one.host.cores, bun: one.host.bun, platform: one.host.platform, load: one.host.load },
      settings: Object.fromEntries(Object.entries(one.settings).sort(([a], [b]) => (a < b ? -1 : 1))),
      rows: one.rows,
    })),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(pathOf(dir, benchmark), `${JSON.stringify(ordered, null, 2)}\n`);
  return ordered;
}

/**
 * The BENCH_* variables that shape a run; where results go (BENCH_RESULTS_*) does not. The files
 * are committed: a password in a URL (BENCH_DATABASE_URL) is masked, and a variable named like a
 * secret is left out.
 */
export function benchSettings(env: Record<string, string | undefined> = process.env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env)
      .filter(
        (entry): entry is [string, string] =>
          entry[0].startsWith('BENCH_') &&
          !entry[0].startsWith('BENCH_RESULTS_') &&
          !/(^|_)(SECRET|PASSWORD|TOKEN|KEY|CREDENTIALS?)(_|$)/.test(entry[0]) &&
          entry[1] !== undefined,
      )
      .map(([name, value]): [string, string] => [name, value.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@')])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

export function describeHost(): Host {
  const [load = 0] = loadavg();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    bun: Bun.version,
    platform: `${process.platform} ${process.arch}`,
    load: Math.round(load * 100) / 100,
  };
}

function git(args: string[], cwd = repository): string | undefined {
  const result = Bun.spawnSync(['git', ...args], { cwd, stdout: 'pipe', stderr: 'pipe' });
  return result.exitCode === 0 ? result.stdout.toString().trim() : undefined;
}

/** The commit checked out in `cwd`, and whether anything outside bench/results differs from it. */
export function gitState(cwd = repository): { commit: string; dirty: boolean } {
  const commit = git(['rev-parse', 'HEAD'], cwd);
  if (commit === undefined) return { commit: 'unknown', dirty: true };
  const status = git(['status', '--porcelain', '--', '.', ':(exclude)bench/results'], cwd);
  return { commit, dirty: status !== '' };
}

/** The full hash of `ref` when git knows it; otherwise undefined (a recorded commit may be gone). */
export function resolveCommit(ref: string): string | undefined {
  return git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
}

export interface BenchmarkOutcome {
  exitCode: number;
  /** The history as written, when the run was recorded. */
  history?: History;
}

/**
 * Runs one benchmark script in its own process, its output passed through. With `record`, the
 * rows it printed are appended to its history (only when it exited 0 and printed at least one).
 */
export function runBenchmark(
  script: string,
  benchmark: string,
  options: { record: boolean; dir: string; env?: Record<string, string | undefined> },
): BenchmarkOutcome {
  const environment = options.env ?? process.env;
  const state = gitState();
  const date = new Date().toISOString();
  const host = describeHost();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-rows-'));
  const out = join(scratch, 'rows.json');
  try {
    const env = { ...environment, BENCH_RESULTS_OUT: options.record ? out : '' };
    const child = Bun.spawnSync([process.execPath, script], { stdout: 'inherit', stderr: 'inherit', env });
    const exitCode = child.exitCode ?? 1;
    if (!options.record || exitCode !== 0) return { exitCode };
    if (!existsSync(out)) {
      console.error(`bench/${benchmark}: printed no row through row(), nothing recorded`);
      return { exitCode };
    }
    const rows: unknown = JSON.parse(readFileSync(out, 'utf8'));
    if (!Value.Check(Figures, rows)) throw new ResultsFileError(out, 'rows of an unexpected shape');
    const history = appendRun(options.dir, benchmark, {
      commit: state.commit,
      dirty: state.dirty,
      date,
      host,
      settings: benchSettings(environment),
      rows,
    });
    return { exitCode, history };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
