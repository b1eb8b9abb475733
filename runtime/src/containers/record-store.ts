// Sandbox and container records on disk: one directory per object, holding `state.json` (the
// record, written atomically) next to whatever else belongs to the object (bundle, rootfs, pod
// files). A directory without a state.json is an object whose creation never finished (the
// runtime died in the middle); the manager owning it cleans such leftovers up at start.
//
// Removing is in two parts: the directory is renamed into `<dir>.trash/` at once, and its files
// are deleted from there in the background. Deleting even an empty container's overlay
// directories costs ~10 ms on ext4 (a journal update per directory), which RemoveContainer and
// RemovePodSandbox would otherwise wait for although nothing depends on it; containerd likewise
// frees snapshots later, in its garbage collector. Whatever a crash leaves in the trash is deleted
// at the next start.
//
// The deleting is done by an `rm` process, not by fs.rm: Node's recursive delete runs on the same
// four libuv threads as every other file operation of the runtime, and a delete in progress made
// the next request's file reads wait behind it (measured: +6 ms on the CreateContainer after a
// RemovePodSandbox).
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from '../network/atomic-file.js';
import { mountPoints } from '../linux/index.js';
import { run } from '../network/exec.js';
import { Mutex } from '../network/mutex.js';

/** A container's writable layer can hold gigabytes; whatever a slow delete leaves, init() retries. */
const deleteTimeoutMs = 10 * 60_000;

export interface StoredRecord {
  readonly id: string;
}

export interface LoadedRecords<T> {
  readonly records: T[];
  /** Ids of directories without a record: creations that never finished. */
  readonly unfinished: string[];
}

export class RecordStore<T extends StoredRecord> {
  /** Removed directories wait here for their files to be deleted. */
  private readonly trashDir: string;
  private trashSerial = 0;
  /** One deletion at a time: removing a hundred pods at once must not start a hundred `rm`s. */
  private readonly deletions = new Mutex();

  constructor(
    readonly dir: string,
    /** What kind of record, for messages ("container", "sandbox"). */
    private readonly kind: string,
    /** Where a failed background deletion is reported. */
    private readonly log: (message: string) => void = (message) => console.warn(message),
  ) {
    this.trashDir = `${dir}.trash`;
  }

  dirOf(id: string): string {
    return join(this.dir, id);
  }

  /** Creates the directories, and deletes what an earlier process left in the trash. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await mkdir(this.trashDir, { recursive: true });
    for (const name of await readdir(this.trashDir))
      this.deleteInBackground(join(this.trashDir, name));
  }

  async loadAll(): Promise<LoadedRecords<T>> {
    const records: T[] = [];
    const unfinished: string[] = [];
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const text = await readFileIfExists(join(this.dir, entry.name, 'state.json'));
      if (text === undefined) {
        unfinished.push(entry.name);
        continue;
      }
      try {
        records.push(JSON.parse(text) as T);
      } catch (err) {
        throw new Error(`the ${this.kind} record ${entry.name}/state.json is not valid JSON`, {
          cause: err,
        });
      }
    }
    return { records, unfinished };
  }

  async save(record: T): Promise<void> {
    await mkdir(this.dirOf(record.id), { recursive: true });
    await writeFileAtomic(
      join(this.dirOf(record.id), 'state.json'),
      JSON.stringify(record, null, 2),
    );
  }

  /**
   * Removes the object's directory: gone from `dir` when this resolves, its files deleted soon
   * after. Refuses while anything is still mounted inside it: a recursive delete would walk into
   * the mount and destroy what it shows (an image layer, a hostPath), so callers unmount first
   * and this is the guard that they did.
   */
  async remove(id: string): Promise<void> {
    const dir = this.dirOf(id);
    const inside = [...(await mountPoints())].filter((p) => p === dir || p.startsWith(`${dir}/`));
    if (inside.length > 0) {
      throw new Error(`not removing ${dir}: still mounted there: ${inside.join(', ')}`);
    }
    this.trashSerial += 1;
    const trashed = join(this.trashDir, `${id}.${process.pid}.${this.trashSerial}`);
    try {
      await rename(dir, trashed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // never made, or removed
      throw new Error(`removing ${dir}: ${(err as Error).message}`, { cause: err });
    }
    this.deleteInBackground(trashed);
  }

  private deleteInBackground(path: string): void {
    // --one-file-system: should anything be mounted inside after all, rm leaves it alone.
    void this.deletions
      .run(() => run('rm', ['-rf', '--one-file-system', path], { timeoutMs: deleteTimeoutMs }))
      .catch((err: unknown) =>
        this.log(`deleting the removed ${this.kind} directory ${path}: ${(err as Error).message}`),
      );
  }
}
