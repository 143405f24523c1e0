// The systemd template in deploy/ against the code: it supervises `bun server/main.ts`, gives each
// instance its own NODE_ID and DATA_DIR, does not restart after an invalid configuration (exit
// 78), waits longer than the node's own shutdown timeout, and its example environment files hold
// only declared variables that pass validation (never NODE_ID or DATA_DIR, which would override
// the per-node values). systemd-analyze, where installed, accepts the unit.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { allVariables, loadConfig } from '../server/platform/config.ts';

const repo = new URL('../', import.meta.url).pathname;
const unit = readFileSync(`${repo}deploy/petamigos@.service`, 'utf8');
const settings = unit
  .split('\n')
  .filter((line) => /^[A-Za-z]+=/.test(line))
  .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
const setting = (name: string) => settings.filter(([key]) => key === name).map(([, value]) => value);

/** KEY=value lines of an env file. */
const envFile = (path: string) =>
  Object.fromEntries(
    readFileSync(`${repo}${path}`, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;

test('systemd: each instance runs bun server/main.ts with NODE_ID and DATA_DIR of its own', () => {
  expect(setting('ExecStart')).toEqual(['/opt/petamigos/node_modules/.bin/bun server/main.ts']);
  expect(setting('Environment')).toContain('NODE_ID=%i');
  expect(setting('Environment')).toContain('DATA_DIR=/var/lib/petamigos/%i');
  expect(setting('StateDirectory')).toEqual(['petamigos/%i']);
  expect(setting('ReadWritePaths')).toEqual(['/var/lib/petamigos/%i']);
});

test('systemd: it restarts a node that died but not one whose configuration is invalid, and outwaits its clean stop', () => {
  expect(setting('Restart')).toEqual(['always']);
  const main = readFileSync(`${repo}server/main.ts`, 'utf8');
  const configExit = main.match(/const EXIT_CONFIG = (\d+);/)?.[1];
  expect(setting('RestartPreventExitStatus')).toEqual([configExit]);
  const shutdownMs = loadConfig({}).shutdownTimeoutMs;
  expect(Number(setting('TimeoutStopSec')[0]) * 1000).toBeGreaterThan(shutdownMs);
  expect(setting('KillSignal')).toEqual(['SIGTERM']);
});

test('systemd: the example environment files hold declared variables that pass validation, never NODE_ID or DATA_DIR', () => {
  const declared = new Set(allVariables().map((variable) => variable.name));
  const cluster = envFile('deploy/cluster.env.example');
  const node = envFile('deploy/node-1.env.example');
  for (const name of [...Object.keys(cluster), ...Object.keys(node)]) expect(declared).toContain(name);
  for (const file of [cluster, node]) {
    expect(file).not.toHaveProperty('NODE_ID');
    expect(file).not.toHaveProperty('DATA_DIR');
  }
  const fromUnit = Object.fromEntries(setting('Environment').map((line) => line.replace('%i', 'node-1').split('=') as [string, string]));
  const config = loadConfig({ ...cluster, ...node, ...fromUnit });
  expect([config.nodeId, config.dataDir, config.port]).toEqual(['node-1', '/var/lib/petamigos/node-1', 3001]);
});

test.skipIf(Bun.which('systemd-analyze') === null)('systemd: systemd-analyze verify accepts an instance of the template', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'petamigos-unit-'));
  try {
    // The unit's ExecStart must exist for verify: point it at this checkout's bun.
    writeFileSync(join(dir, 'petamigos@.service'), unit.replace('/opt/petamigos/node_modules/.bin/bun', `${repo}node_modules/.bin/bun`));
    writeFileSync(join(dir, 'petamigos@node-1.service'), readFileSync(join(dir, 'petamigos@.service')));
    const run = Bun.spawnSync(['systemd-analyze', 'verify', '--man=no', join(dir, 'petamigos@node-1.service')], { stderr: 'pipe' });
    expect(run.stderr.toString()).toBe('');
    expect(run.exitCode).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
