// Shared measuring helpers for the benchmarks: percentiles and a fixed output format. Every row
// printed through `row` is also recorded; when BENCH_RESULTS_OUT names a file (bench/run.ts sets
// it), the recorded rows are written there as JSON when the process exits, and run.ts appends
// them to the benchmark's history in bench/results/.
import { readFileSync, writeFileSync } from 'node:fs';

export function percentile(sortedMicros: readonly number[], p: number): number {
  if (sortedMicros.length === 0) return Number.NaN;
  const index = Math.min(sortedMicros.length - 1, Math.ceil((p / 100) * sortedMicros.length) - 1);
  return sortedMicros[Math.max(0, index)] as number;
}

/** User + system CPU seconds a process has used (Linux /proc; ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface LatencySummary {
  count: number;
  perSecond: number;
  p50us: number;
  p99us: number;
}

/** Runs `once` sequentially `count` times and summarises the latencies. */
export async function measureSequential(count: number, once: () => Promise<unknown>): Promise<LatencySummary> {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await once();
    samples.push((performance.now() - t0) * 1000);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { count, perSecond: count / seconds, p50us: percentile(samples, 50), p99us: percentile(samples, 99) };
}

/** Keeps `inFlight` calls running until `count` have completed; reports throughput. */
export async function measureConcurrent(count: number, inFlight: number, once: () => Promise<unknown>): Promise<number> {
  let started = 0;
  const began = performance.now();
  const lane = async () => {
    while (started < count) {
      started++;
      await once();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return count / ((performance.now() - began) / 1000);
}

/** Runs `once` for each viewer in turn and prints pages/s, p50, p95 and max (ms) under `label`. */
export async function measurePages(label: string, viewers: readonly string[], once: (viewerId: string) => Promise<unknown>): Promise<void> {
  const samples: number[] = [];
  const started = performance.now();
  for (const viewerId of viewers) {
    const t0 = performance.now();
    await once(viewerId);
    samples.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  console.log(
    row(label, {
      'pages/s': viewers.length / seconds,
      'p50 ms': percentile(samples, 50),
      'p95 ms': percentile(samples, 95),
      'max ms': samples.at(-1) ?? 0,
    }),
  );
}

/** The figures printed so far: row label → figure name (its unit in the name) → value. */
const recorded = new Map<string, Record<string, number | string>>();

export function row(label: string, values: Record<string, number | string>): string {
  record(label, values);
  const cells = Object.entries(values).map(([key, value]) => `${key}=${typeof value === 'number' ? formatNumber(value) : value}`);
  return `${label.padEnd(34)} ${cells.join('  ')}`;
}

function record(label: string, values: Record<string, number | string>): void {
  const out = process.env.BENCH_RESULTS_OUT;
  if (out === undefined || out === '') return;
  if (recorded.size === 0) process.on('exit', () => writeFileSync(out, `${JSON.stringify(Object.fromEntries(recorded), null, 2)}\n`));
  // A label printed twice keeps both rows: the second as "label #2".
  let key = label.trim();
  for (let n = 2; recorded.has(key); n++) key = `${label.trim()} #${n}`;
  recorded.set(key, Object.fromEntries(Object.entries(values).map(([name, value]) => [name, recordable(value)])));
}

/** JSON has no NaN or Infinity: those are kept as text. Six significant digits are far below the noise. */
function recordable(value: number | string): number | string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? value : Number(value.toPrecision(6));
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Number.isInteger(value)) return String(value);
  // Ratios and scores below 1 (an NDCG, a hit rate) need more than one decimal to be read.
  return Math.abs(value) < 1 ? value.toFixed(3) : value.toFixed(1);
}

/** The object types whose live count rose between two collections (the ops gc answer), by how much, most first. */
export function objectsGained(before: Record<string, number>, after: Record<string, number>): [string, number][] {
  return Object.entries(after)
    .map(([type, count]): [string, number] => [type, count - (before[type] ?? 0)])
    .filter(([, gained]) => gained > 0)
    .sort((a, b) => b[1] - a[1]);
}
