// Getting the mediasoup worker: scripts/sfu-worker.mjs (install time) and locateWorker (a node's
// start) against real files, a real HTTP server standing in for mediasoup's GitHub release, and
// real processes. The build from sources takes minutes and is not repeated here: the suite's
// install step (`npm test`) ran it, and sfu/sfu.test.ts uses what it made.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../server/platform/config.ts';
import { createTempDir, type TempDir } from '../test/harness/services.ts';
import { cachedWorkerPath, locateWorker, MEDIASOUP_VERSION } from './worker.ts';

const SCRIPT = new URL('../scripts/sfu-worker.mjs', import.meta.url).pathname;
const NODE = Bun.which('node') ?? process.execPath;
const TARBALL = `mediasoup-worker-${MEDIASOUP_VERSION}-${process.platform}-${process.arch}.tgz`;

/** Runs the install step's script with exactly `env` (PATH=/nonexistent unless given: no build tools, so no build). */
async function runScript(args: string[], env: Record<string, string>) {
  const child = Bun.spawn([NODE, SCRIPT, ...args], { env: { PATH: '/nonexistent', ...env }, stdout: 'pipe', stderr: 'pipe' });
  const [code, stdout, stderr] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  return { code, stdout, stderr };
}

/** A file that behaves as a mediasoup worker does when started without MEDIASOUP_VERSION (exit 41), or not. */
function fakeWorker(path: string, exitWithoutVersion: number): void {
  writeFileSync(path, `#!/bin/sh\nexit ${exitWithoutVersion}\n`);
  chmodSync(path, 0o755);
}

/** A port nothing listens on (it was free a moment ago): connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let dir: TempDir;
beforeAll(() => {
  dir = createTempDir('sfu-worker');
});
afterAll(() => dir.remove());

test('sfu worker: a node looks for the cached worker where scripts/sfu-worker.mjs puts it', async () => {
  const cases: Record<string, string>[] = [
    { PETAMIGOS_CACHE_DIR: '/srv/cache/pa' },
    { XDG_CACHE_HOME: '/srv/xdg' },
    { HOME: process.env.HOME ?? '/root' },
  ];
  for (const env of cases) {
    const { code, stdout } = await runScript(['--cache-path'], env);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(cachedWorkerPath(loadConfig(env).sfu.cacheDir));
  }
  expect(cachedWorkerPath('/srv/cache/pa')).toBe(`/srv/cache/pa/mediasoup-worker-${MEDIASOUP_VERSION}-${process.platform}-${process.arch}`);
});

describe("mediasoup's prebuilt worker", () => {
  let release: ReturnType<typeof Bun.serve>;
  beforeAll(() => {
    // Two releases laid out as GitHub's: one whose worker runs here, one whose does not.
    for (const [name, exit] of [
      ['good', 41],
      ['bad', 1],
    ] as const) {
      const folder = join(dir.path, name, MEDIASOUP_VERSION);
      mkdirSync(folder, { recursive: true });
      fakeWorker(join(folder, 'mediasoup-worker'), exit);
      const tar = spawnSync('tar', ['-czf', TARBALL, 'mediasoup-worker'], { cwd: folder });
      expect(tar.status).toBe(0);
    }
    release = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: (request) => {
        const path = join(dir.path, new URL(request.url).pathname);
        return existsSync(path) ? new Response(Bun.file(path)) : new Response('Not Found', { status: 404 });
      },
    });
  });
  afterAll(() => release.stop(true));

  test('sfu worker: downloaded from the release as mediasoup does, checked to run here, and cached', async () => {
    const cacheDir = join(dir.path, 'cache-good');
    const { code, stderr } = await runScript(['--require'], {
      PETAMIGOS_CACHE_DIR: cacheDir,
      MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL: `${release.url.origin}/good`,
    });
    expect(code).toBe(0);
    expect(stderr).toContain("downloaded mediasoup's prebuilt worker");
    const cached = cachedWorkerPath(cacheDir);
    expect(spawnSync(cached, [], { env: {} }).status).toBe(41);

    // The next run finds it in the cache and fetches nothing.
    const again = await runScript(['--require'], {
      PETAMIGOS_CACHE_DIR: cacheDir,
      MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL: 'http://127.0.0.1:1',
    });
    expect(again.code).toBe(0);
    expect(again.stderr.trim()).toBe(`petamigos: sfu worker: cached: ${cached}`);
  });

  test('sfu worker: a prebuilt that does not run here is not cached; without build tools it names the Debian packages and still exits 0', async () => {
    const cacheDir = join(dir.path, 'cache-bad');
    const env = { PETAMIGOS_CACHE_DIR: cacheDir, MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL: `${release.url.origin}/bad` };
    const { code, stderr } = await runScript([], env);
    expect(code).toBe(0);
    expect(stderr).toContain('the prebuilt worker does not run on this machine');
    expect(stderr).toContain('missing Debian packages meson ninja-build pkg-config g++');
    expect(stderr).toContain('libsrtp2-dev');
    expect(stderr).toContain('calls and live will be unavailable (not an install failure)');
    expect(existsSync(cachedWorkerPath(cacheDir))).toBe(false);
    expect((await runScript(['--require'], env)).code).toBe(1);
  });

  test('sfu worker: offline, the download fails at once and says so in one line', async () => {
    const base = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const { code, stderr } = await runScript([], {
      PETAMIGOS_CACHE_DIR: join(dir.path, 'cache-offline'),
      MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL: base,
    });
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stderr.split('\n').filter((line) => line.includes('prebuilt'))).toEqual([
      `petamigos: sfu worker: prebuilt worker unreachable (${base}/${MEDIASOUP_VERSION}/${TARBALL}: ECONNREFUSED)`,
    ]);
  });
});

test('sfu worker: a node says why it has no worker: a wrong MEDIASOUP_WORKER_BIN, a binary that is no worker, an empty cache', () => {
  const cacheDir = join(dir.path, 'cache-empty');
  expect(locateWorker({ workerBin: '/nonexistent', cacheDir })).toEqual({
    available: false,
    reason: 'MEDIASOUP_WORKER_BIN (/nonexistent) is not an executable file',
  });
  expect(locateWorker({ workerBin: '/bin/true', cacheDir })).toEqual({ available: false, reason: '/bin/true does not run here (exit 0)' });
  const empty = locateWorker({ workerBin: undefined, cacheDir });
  expect(empty.available).toBe(false);
  expect(empty.available || empty.reason).toBe(
    `no mediasoup ${MEDIASOUP_VERSION} worker at ${cachedWorkerPath(cacheDir)} (run \`node scripts/sfu-worker.mjs\`, or set MEDIASOUP_WORKER_BIN)`,
  );
  const fake = join(dir.path, 'looks-like-a-worker');
  fakeWorker(fake, 41);
  expect(locateWorker({ workerBin: fake, cacheDir })).toEqual({ available: true, workerBin: fake });
});
