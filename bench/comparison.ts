// What moved between two recorded runs of a benchmark (bench/history.ts), figure by figure, and
// which way is better for each figure, told from its name. The rules, first match wins:
//   1. lower is better: errors, lag and CPU use (`errors`, `errors/s`, `lag ms`, `idle CPU %`);
//   2. higher is better: rates and speeds (`/s` ending a unit, `per s`, `per second`, the word
//      `speed`, `real time` as in "× real time"), so `req/s ratio` (ours / bare) is higher-better.
//      Not the word "rate": a "user rate" check's cost is not a rate;
//   3. lower is better: durations (`ns`, `µs`, `us`, `ms`, `s`, `sec`, `seconds`, `min`), sizes
//      (`B`, `bytes`, `kB`, `KiB`, `MB`, `MiB`, `GB`, `GiB`), latency percentiles and maxima
//      (`p50`, `p99`, `max`) and ratios (the word `ratio`, `×` or `x` alone, `a / b` in the name);
//   4. lower is better: any other figure of a ratio row (its label has `a / b`, e.g.
//      "bare / gateway (target ≤ 1.5)"): a ratio is written as a cost, ours against the baseline;
//   5. otherwise no direction: the change is shown, marked "moved" beyond the threshold, and never
//      counts as worse. A ratio that is better higher says so with a rate or speed in its name
//      (`req/s ratio`, `speed of bare`).
import type { Run } from './history.ts';

export type Direction = 'higher' | 'lower';
type Figure = number | string;

const LOWER_FIRST = [/\berrors?\b/, /\blag\b/, /\bcpu\b/];
const HIGHER = [/\/s(?![a-z])/, /\bper s(ec|econd)?\b/, /\bspeed\b/, /\breal time\b/];
const LOWER_UNITS = new Set(
  ['ns', 'µs', 'μs', 'us', 'ms', 's', 'sec', 'secs', 'second', 'seconds', 'min', 'minutes']
    .concat(['b', 'byte', 'bytes', 'kb', 'kib', 'mb', 'mib', 'gb', 'gib'])
    .concat(['max', 'ratio', '×', 'x']),
);
const PERCENTILE = /^p\d+(\.\d+)?$/;
const RATIO = / \/ /;

/** Which way is better for figure `key` of row `label`; undefined when its name does not say. */
export function direction(label: string, key: string): Direction | undefined {
  const name = key.toLowerCase();
  if (LOWER_FIRST.some((rule) => rule.test(name))) return 'lower';
  if (HIGHER.some((rule) => rule.test(name))) return 'higher';
  const words = name.split(/[\s()[\],;:=/]+/).filter(Boolean);
  if (words.some((word) => LOWER_UNITS.has(word) || PERCENTILE.test(word)) || RATIO.test(name)) return 'lower';
  if (RATIO.test(label)) return 'lower';
  return undefined;
}

export type Mark = 'worse' | 'better' | 'moved' | 'changed' | 'new' | 'gone';

export interface FigureChange {
  label: string;
  key: string;
  before?: Figure;
  after?: Figure;
  /** Change from `before` to `after` in %, when both are numbers (±Infinity from 0). */
  percent?: number;
  direction?: Direction;
  mark?: Mark;
}

/** Change in % of a figure; a change from 0 is infinite unless it stays 0. */
export function percentChange(before: number, after: number): number {
  if (before === after) return 0;
  if (before === 0) return after > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return ((after - before) / Math.abs(before)) * 100;
}

function compareFigure(label: string, key: string, before: Figure | undefined, after: Figure | undefined, threshold: number): FigureChange {
  const change: FigureChange = { label, key, before, after };
  const way = direction(label, key);
  if (way !== undefined) change.direction = way;
  if (before === undefined) return { ...change, mark: 'new' };
  if (after === undefined) return { ...change, mark: 'gone' };
  if (typeof before !== 'number' || typeof after !== 'number') return before === after ? change : { ...change, mark: 'changed' };
  const percent = percentChange(before, after);
  change.percent = percent;
  if (!(Math.abs(percent) > threshold)) return change;
  if (way === undefined) return { ...change, mark: 'moved' };
  return { ...change, mark: (way === 'higher') === percent > 0 ? 'better' : 'worse' };
}

/** Every figure of either run, in the newer run's order, then those only the older one has. */
export function compareRows(before: Run['rows'], after: Run['rows'], thresholdPercent: number): FigureChange[] {
  const changes: FigureChange[] = [];
  const labels = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  for (const label of labels) {
    const old = before[label] ?? {};
    const now = after[label] ?? {};
    const keys = [...new Set([...Object.keys(now), ...Object.keys(old)])];
    for (const key of keys) changes.push(compareFigure(label, key, old[key], now[key], thresholdPercent));
  }
  return changes;
}

/**
 * The newest run and the one to compare it with: the run before it, or with `since` the newest
 * earlier run whose commit `since` accepts. Undefined when there is no such pair.
 */
export function pickRuns(runs: readonly Run[], since?: (commit: string) => boolean): { base: Run; latest: Run } | undefined {
  const latest = runs.at(-1);
  if (latest === undefined) return undefined;
  const earlier = runs.slice(0, -1);
  const base = since === undefined ? earlier.at(-1) : earlier.findLast((run) => since(run.commit));
  return base === undefined ? undefined : { base, latest };
}

const describeRun = (run: Run) =>
  `${run.commit.slice(0, 9)}${run.dirty ? ' with uncommitted changes' : ''} (${run.date.slice(0, 16).replace('T', ' ')} UTC)`;
const hostOf = (run: Run) => `${run.host.cpu} ×${run.host.cores}`;

/** Four significant digits, more than bench/stats.ts prints, so that a small ratio's change shows. */
function show(figure: Figure | undefined): string {
  if (figure === undefined) return '—';
  if (typeof figure === 'string') return figure;
  if (!Number.isFinite(figure) || Number.isInteger(figure)) return figure.toLocaleString('en-US');
  if (Math.abs(figure) >= 1000) return Math.round(figure).toLocaleString('en-US');
  return String(Number(figure.toPrecision(4)));
}

function showPercent(percent: number | undefined): string {
  if (percent === undefined) return '';
  if (!Number.isFinite(percent)) return 'from 0';
  return `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

/** The BENCH_* settings that differ, as " — different settings (NAME: before → after, …)". */
function settingsChanged(before: Run['settings'], after: Run['settings']): string {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changed = names
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name] ?? 'unset'} → ${after[name] ?? 'unset'}`);
  return changed.length === 0 ? '' : ` — different settings (${changed.join(', ')})`;
}

/** The report of one benchmark: a header, then one line per figure under its row's label. */
export function formatComparison(
  benchmark: string,
  base: Run,
  latest: Run,
  changes: readonly FigureChange[],
  thresholdPercent: number,
): string[] {
  const hosts =
    hostOf(base) === hostOf(latest) ? '' : ` — different hosts (${hostOf(base)}, then ${hostOf(latest)}): the comparison means less`;
  const settings = settingsChanged(base.settings, latest.settings);
  const lines = [`bench/${benchmark}: ${describeRun(latest)} against ${describeRun(base)}${hosts}${settings}`];
  let label: string | undefined;
  for (const change of changes) {
    if (change.label !== label) {
      label = change.label;
      lines.push(`  ${label}`);
    }
    const mark = change.mark === undefined ? '' : change.mark === 'moved' ? 'moved (direction unknown)' : change.mark;
    const figures = `${show(change.before).padStart(12)} → ${show(change.after).padStart(12)}`;
    lines.push(`    ${change.key.padEnd(26)}${figures}  ${showPercent(change.percent).padStart(8)}  ${mark}`.trimEnd());
  }
  const count = (mark: Mark) => changes.filter((change) => change.mark === mark).length;
  lines.push(
    `  ${count('worse')} worse, ${count('better')} better beyond ${thresholdPercent}%; ${count('moved')} moved without a known direction; ${count('changed') + count('new') + count('gone')} changed, new or gone`,
  );
  return lines;
}
