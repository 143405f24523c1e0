// What moved since the last recorded run: `npm run bench:compare -- [names…] [--since <commit>]
// [--threshold <percent>] [--fail-on-worse]`. For each benchmark with two recorded runs
// (bench/results/), the newest against the one before it, or against the newest run of
// `--since`'s commit; one line per figure, marked when it moved more than the threshold (10%)
// the worse or the better way (bench/comparison.ts says how the way is told). With
// --fail-on-worse, exits 1 when a figure got worse beyond the threshold.
import { existsSync, readdirSync } from 'node:fs';
import { compareRows, formatComparison, pickRuns } from './comparison.ts';
import { readHistory, resolveCommit, resultsDir } from './history.ts';

const USAGE = 'usage: bun bench/compare.ts [names…] [--since <commit>] [--threshold <percent>] [--fail-on-worse]';

function fail(message: string): never {
  console.error(`bench/compare.ts: ${message}\n${USAGE}`);
  process.exit(2);
}

const names: string[] = [];
let since: string | undefined;
let threshold = 10;
let failOnWorse = false;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  if (arg === '--fail-on-worse') failOnWorse = true;
  else if (arg === '--since') since = args[++i] ?? fail('--since needs a commit');
  else if (arg === '--threshold') {
    threshold = Number(args[++i]);
    if (!Number.isFinite(threshold) || threshold < 0) fail('--threshold needs a percentage of 0 or more');
  } else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
  else names.push(arg);
}

// --since takes anything git resolves to a commit (main, HEAD~3) or a prefix of a recorded hash
// (a recorded commit may be one git no longer knows, as after a rebase).
const accepts = since === undefined ? undefined : acceptsCommit(since, resolveCommit(since));

function acceptsCommit(given: string, resolved: string | undefined) {
  const prefix = given.toLowerCase();
  return (commit: string) => commit === resolved || commit.startsWith(prefix);
}

const dir = resultsDir();
const recorded = existsSync(dir)
  ? readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort()
  : [];
const chosen = names.length === 0 ? recorded : recorded.filter((name) => names.some((wanted) => name.startsWith(wanted)));
const unmatched = names.filter((wanted) => !recorded.some((name) => name.startsWith(wanted)));
if (unmatched.length > 0) fail(`no recorded runs of ${unmatched.join(', ')} in ${dir}`);
if (chosen.length === 0) console.log(`no recorded runs in ${dir}: npm run bench records them`);

let worse = 0;
for (const name of chosen) {
  const history = readHistory(dir, name);
  const pair = pickRuns(history.runs, accepts);
  if (pair === undefined) {
    const why =
      since === undefined
        ? `${history.runs.length === 1 ? 'one recorded run' : 'no recorded run'}, nothing to compare`
        : `no earlier run of ${since}`;
    console.log(`bench/${name}: ${why}\n`);
    continue;
  }
  const changes = compareRows(pair.base.rows, pair.latest.rows, threshold);
  worse += changes.filter((change) => change.mark === 'worse').length;
  console.log(`${formatComparison(name, pair.base, pair.latest, changes, threshold).join('\n')}\n`);
}
if (failOnWorse && worse > 0) {
  console.error(`${worse} figure(s) worse by more than ${threshold}%`);
  process.exit(1);
}
