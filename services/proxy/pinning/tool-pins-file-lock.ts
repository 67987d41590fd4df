import fs from 'node:fs';

/** How long a writer waits for another one before giving up; writes hold the lock for milliseconds. */
const WAIT_LIMIT_MS = 2_000;
const RETRY_EVERY_MS = 5;
/** A lock file older than this was left by a process that died while writing: it is taken over. */
const STALE_AFTER_MS = 10_000;

export class ToolPinsFileLocked extends Error {
  constructor(lockFile: string) {
    super(`the tool pins file is locked by another writer (${lockFile}) for more than ${WAIT_LIMIT_MS} ms`);
    this.name = 'ToolPinsFileLocked';
  }
}

/**
 * Runs `critical` while holding `FILE.lock`, created with O_EXCL so that one writer at a time, among the
 * proxy replicas sharing a volume and the CLI, reads and rewrites the pins file (atomic on local
 * filesystems and NFSv3+). Synchronous because pins are recorded inside a synchronous tool listing;
 * the wait is bounded and only happens when two writers collide, which is rare (pins change seldom).
 */
export function withToolPinsFileLock<T>(file: string, critical: () => T): T {
  const lockFile = `${file}.lock`;
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid} ${new Date().toISOString()}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (removeIfStale(lockFile)) continue;
      if (Date.now() >= deadline) throw new ToolPinsFileLocked(lockFile);
      sleepSync(RETRY_EVERY_MS);
    }
  }
  try {
    return critical();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function removeIfStale(lockFile: string): boolean {
  try {
    if (Date.now() - fs.statSync(lockFile).mtimeMs < STALE_AFTER_MS) return false;
    fs.rmSync(lockFile, { force: true });
    return true;
  } catch {
    // Released between our attempt and the stat: try again at once.
    return true;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
