#!/usr/bin/env node
// The two commands of the quick start, for a fresh clone with only Node.js and npm:
//   npm start  -> install dependencies if needed, get the SFU's worker if needed, build the web
//                 client if needed, run a node
//   npm test   -> the same, then run every test instead of a node
// Plain Node.js with built-in modules only: it runs before anything is installed. Bun itself is
// an npm dependency (package `bun`), so nothing is fetched from outside the npm registry.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const stampPath = join(root, 'node_modules', '.petamigos-install');
const say = (line) => process.stderr.write(`petamigos: ${line}\n`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    say(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function installedFingerprint() {
  const lock = join(root, 'package-lock.json');
  return createHash('sha256')
    .update(readFileSync(join(root, 'package.json')))
    .update(existsSync(lock) ? readFileSync(lock) : '')
    .digest('hex');
}

/** Installs dependencies when node_modules is missing or older than package.json / the lock. */
function ensureInstalled() {
  const have = existsSync(stampPath) ? readFileSync(stampPath, 'utf8') : '';
  if (have === installedFingerprint() && existsSync(bin('bun'))) return;
  say('installing dependencies (npm install)…');
  // `npm install`, not `npm ci`: npm 11 leaves other platforms' optional packages (biome,
  // rolldown) out of the lock file, and `npm ci` then refuses it as out of sync.
  const args = ['install', '--no-audit', '--no-fund'];
  // Any MEDIASOUP_WORKER_BIN makes mediasoup's postinstall a no-op (where npm runs it): offline it
  // would fail the whole install, and ensureSfuWorker gets the worker instead.
  const env = { ...process.env, MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN || 'scripts/sfu-worker.mjs' };
  const npm = process.env.npm_execpath;
  // npm_execpath is npm's own CLI script when we run under `npm start` / `npm test`.
  if (npm?.endsWith('.js')) run(process.execPath, [npm, ...args], { env });
  else run('npm', args, { shell: process.platform === 'win32', env });
  writeFileSync(stampPath, installedFingerprint());
}

/**
 * The mediasoup worker for calls and live (scripts/sfu-worker.mjs): found in a moment once
 * cached; the first time downloaded or built (minutes). It exits 0 without one: a node then runs
 * with calls and live unavailable.
 */
function ensureSfuWorker() {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'sfu-worker.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.error || result.status !== 0)
    say(`scripts/sfu-worker.mjs failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); going on without it`);
}

function newestMtime(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Builds the web client when client/dist is missing or older than its sources. */
function ensureClientBuilt() {
  const built = join(root, 'client', 'dist', 'index.html');
  const sources = Math.max(newestMtime(join(root, 'client')), statSync(join(root, 'package-lock.json')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  say('building the web client…');
  run(bin('bun'), ['--bun', bin('vite'), 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn']);
}

/** Runs a child to completion, passing signals on, and resolves with its exit code. */
function supervise(command, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
  });
}

/** Reads vitest's JSON report: every test counts, and a file that failed to load counts once. */
function summarize(reportPath) {
  if (!existsSync(reportPath)) return undefined;
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  let passed = 0;
  let failed = 0;
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    if (tests.length === 0 && file.status === 'failed') failed += 1;
    for (const test of tests) {
      if (test.status === 'passed') passed += 1;
      else if (test.status === 'failed') failed += 1;
    }
  }
  return { passed, failed };
}

async function main() {
  const [command = 'start', ...rest] = process.argv.slice(2);
  ensureInstalled();
  ensureSfuWorker();
  ensureClientBuilt();
  if (command === 'install') return 0;
  if (command === 'start') return supervise(bin('bun'), ['server/main.ts', ...rest]);
  if (command === 'test') {
    const reportDir = join(root, '.test-results');
    const reportPath = join(reportDir, 'vitest.json');
    mkdirSync(reportDir, { recursive: true });
    rmSync(reportPath, { force: true });
    const code = await supervise(bin('bun'), ['--bun', bin('vitest'), 'run', ...rest], {
      ...process.env,
      PETAMIGOS_TEST_REPORT: reportPath,
    });
    const counts = summarize(reportPath);
    // The last line of a test run, read by CI: "N passed, M failed".
    if (counts === undefined) process.stdout.write(`0 passed, 1 failed\n`);
    else process.stdout.write(`${counts.passed} passed, ${counts.failed + (code !== 0 && counts.failed === 0 ? 1 : 0)} failed\n`);
    return code;
  }
  say(`unknown command ${command} (start, test or install)`);
  return 2;
}

process.exit(await main());
