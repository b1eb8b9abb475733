// One process per store directory. Two processes appending to one log would interleave records
// and corrupt it, so the store holds `LOCK`, created exclusively and holding the owner's PID.
// Node has no flock(), so a lock left by a crashed process (kill -9) is recognised by its PID no
// longer being alive and taken over, as PostgreSQL does with postmaster.pid. Locks this process
// holds are also remembered in memory: a second open in the same process is refused, while a
// stale lock that merely carries our PID (a restarted container is PID 1 every time) is not.
// Limitation: two processes starting at the same instant on a directory whose previous owner
// died could both take over the stale lock; a lab machine's `skiff up` does not do that.
import { open, readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UnavailableError } from '../errors.js';

export interface DirLock {
  release(): Promise<void>;
}

const LOCK_FILE = 'LOCK';
/** Lock files held by this process. */
const held = new Set<string>();

export async function lockDir(dir: string): Promise<DirLock> {
  // The real path, so two spellings of one directory (symlinks, ../) are one lock.
  const path = join(await realpath(dir), LOCK_FILE);
  if (held.has(path)) {
    throw new UnavailableError(`embedded store ${dir} is already open in this process`);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      held.add(path);
      return {
        release: async () => {
          held.delete(path);
          await rm(path, { force: true });
        },
      };
    } catch (err) {
      if (!hasCode(err, 'EEXIST') || attempt > 0) throw lockError(path, err);
    }
    const owner = await readOwner(path);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      throw new UnavailableError(
        `embedded store ${dir} is already open in process ${owner}; stop it first, ` +
          `or remove ${path} if that process is not a skiff store`,
      );
    }
    await rm(path, { force: true });
  }
}

async function readOwner(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch (err) {
    // Removed by its owner between our open and read: treat as stale, the retry will tell.
    if (hasCode(err, 'ENOENT')) return undefined;
    throw err;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return hasCode(err, 'EPERM');
  }
}

function lockError(path: string, err: unknown): Error {
  return new UnavailableError(`cannot create lock file ${path}`, { cause: err });
}

function hasCode(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code;
}
