// One embedded database per DATA_DIR: PGlite would corrupt a folder that two processes write.
// The lock is a file holding the owner's pid, created atomically; a lock left by a process that
// no longer exists (or by an earlier process that had this pid) is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { DataDirLockedError } from '../../errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: its own pid in a lock file is stale unless listed here. */
const held = new Set<string>();

/** Takes the lock or throws DataDirLockedError; returns the function that releases it. */
export function acquireDirLock(lockPath: string, dataDir: string): () => void {
  if (held.has(lockPath)) throw new DataDirLockedError(dataDir, 'this process');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(lockPath);
      return () => {
        if (!held.delete(lockPath)) return;
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder) && holder !== process.pid) {
        throw new DataDirLockedError(dataDir, `process ${holder}`);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(dataDir, 'another process (the lock file keeps reappearing)');
}
