// A state file that is either the old content or the new one, never half of either, even if the
// runtime is killed mid-write: write a temp file, rename it over the old one. Durable (the
// default), it also survives the machine losing power: the temp file is fsynced before the
// rename, and the directory after it so the rename itself is on disk.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

let tempCounter = 0;

export interface AtomicWriteOptions {
  /**
   * Default true. False for state that a power loss makes moot anyway: the rename still never
   * shows half a file to a restarted process (the page cache outlives it), and the two fsyncs
   * (tens of ms each on a busy disk) are saved.
   */
  readonly durable?: boolean;
}

export async function writeFileAtomic(
  path: string,
  content: string,
  { durable = true }: AtomicWriteOptions = {},
): Promise<void> {
  tempCounter += 1;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${tempCounter}.tmp`);
  try {
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(content, 'utf8');
      if (durable) await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw new Error(`writing ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (!durable) return;
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** The file's content, or undefined if it does not exist yet. */
export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`reading ${path}: ${(err as Error).message}`, { cause: err });
  }
}
