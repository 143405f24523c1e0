// Runs every benchmark in bench/ one after the other: `npm run bench` or `bun bench/run.ts`
// [names…] [--no-record]. Each prints its own figures and its baseline's, measured in the same
// run; each run is appended to bench/results/<name>.json (bench/history.ts) unless --no-record.
// `npm run bench:compare` shows what moved since the run before.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KEPT_RUNS, resultsDir, runBenchmark } from './history.ts';

const here = new URL('.', import.meta.url).pathname;
// Modules the benchmarks and these scripts share, not benchmarks themselves.
const skip = new Set([
  'run.ts',
  'stats.ts',
  'bare-ws-server.ts',
  'seed-social.ts',
  'seed-stories.ts',
  'history.ts',
  'comparison.ts',
  'compare.ts',
  'accounts.ts',
]);
const args = process.argv.slice(2);
const record = !args.includes('--no-record');
const unknownFlag = args.find((arg) => arg.startsWith('--') && arg !== '--no-record');
if (unknownFlag !== undefined) {
  console.error(`bench/run.ts: unknown option ${unknownFlag} (usage: bun bench/run.ts [names…] [--no-record])`);
  process.exit(2);
}
const only = args.filter((arg) => !arg.startsWith('--'));
const files = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !skip.has(name))
  .sort()
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)));
const unmatched = only.filter((name) => !files.some((file) => file.startsWith(name)));
if (unmatched.length > 0) {
  console.error(`bench/run.ts: no benchmark named ${unmatched.join(', ')}`);
  process.exit(2);
}
for (const file of files) {
  const name = file.slice(0, -'.ts'.length);
  console.log(`\n== bench/${file}`);
  const dir = resultsDir();
  const outcome = runBenchmark(`${here}${file}`, name, { record, dir });
  if (outcome.exitCode !== 0) {
    console.error(`bench/${file} failed with exit code ${outcome.exitCode}${record ? '; not recorded' : ''}`);
    process.exit(1);
  }
  if (outcome.history !== undefined) {
    const path = join(dir, `${name}.json`);
    const shown = relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path);
    console.log(`recorded in ${shown}: ${outcome.history.runs.length} of at most ${KEPT_RUNS} runs kept`);
  }
}
