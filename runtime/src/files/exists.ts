import { stat } from 'node:fs/promises';

/** Whether `path` exists; any answer but "no such file" is an error naming the path. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new Error(`checking ${path}: ${(err as Error).message}`, { cause: err });
  }
}
