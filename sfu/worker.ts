// Where this node's mediasoup worker binary is, and whether it runs here. MEDIASOUP_WORKER_BIN
// when it is set, and then only it (a wrong path there is reported, not papered over by another
// binary); else the cache that scripts/sfu-worker.mjs fills at install time. That script is plain
// Node.js and cannot import this file, so the cache file's name is written in both;
// sfu/worker.test.ts keeps them equal.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import mediasoupPackage from 'mediasoup/package.json' with { type: 'json' };
import type { SfuConfig } from '../server/platform/config.ts';

/** The installed mediasoup: its worker binary must be built from the same version. */
export const MEDIASOUP_VERSION: string = mediasoupPackage.version;

/** The cache file of the worker for a mediasoup version on this machine. */
export function cachedWorkerPath(cacheDir: string, version = MEDIASOUP_VERSION): string {
  return join(cacheDir, `mediasoup-worker-${version}-${platform()}-${arch()}`);
}

/** Whether this node can run SFU workers, and if not, why (health and logs say it). */
export type SfuAvailability = { available: true; workerBin: string } | { available: false; reason: string };

/**
 * Runs a worker binary once without MEDIASOUP_VERSION in its environment: a mediasoup worker
 * exits with 41 at once then (its main.cpp), anything else (a shared library missing, another
 * architecture) fails before that. mediasoup's own postinstall checks its download this way.
 */
function runsHere(path: string): string | undefined {
  const result = spawnSync(path, [], { env: {}, encoding: 'utf8', timeout: 10_000 });
  if (result.status === 41) return undefined;
  const said = (result.stderr ?? '').trim().split('\n')[0] ?? '';
  const how = result.error?.message ?? (result.signal === null ? `exit ${result.status}` : `signal ${result.signal}`);
  return `${path} does not run here (${how}${said === '' ? '' : `: ${said}`})`;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Finds the worker binary for the installed mediasoup and checks that it runs on this machine. */
export function locateWorker(config: Pick<SfuConfig, 'workerBin' | 'cacheDir'>): SfuAvailability {
  let path: string;
  if (config.workerBin !== undefined) {
    path = config.workerBin;
    if (!isExecutableFile(path)) return { available: false, reason: `MEDIASOUP_WORKER_BIN (${path}) is not an executable file` };
  } else {
    path = cachedWorkerPath(config.cacheDir);
    if (!isExecutableFile(path))
      return {
        available: false,
        reason: `no mediasoup ${MEDIASOUP_VERSION} worker at ${path} (run \`node scripts/sfu-worker.mjs\`, or set MEDIASOUP_WORKER_BIN)`,
      };
  }
  const failure = runsHere(path);
  return failure === undefined ? { available: true, workerBin: path } : { available: false, reason: failure };
}
