// Sandbox and container records on disk: one directory per object, holding `state.json` (the
// record, written atomically) next to whatever else belongs to the object (bundle, rootfs, pod
// files). A directory without a state.json is an object whose creation never finished (the
// runtime died in the middle); the manager owning it cleans such leftovers up at start.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from '../network/atomic-file.js';
import { mountPoints } from '../linux/index.js';

export interface StoredRecord {
  readonly id: string;
}

export interface LoadedRecords<T> {
  readonly records: T[];
  /** Ids of directories without a record: creations that never finished. */
  readonly unfinished: string[];
}

export class RecordStore<T extends StoredRecord> {
  constructor(
    readonly dir: string,
    /** What kind of record, for messages ("container", "sandbox"). */
    private readonly kind: string,
  ) {}

  dirOf(id: string): string {
    return join(this.dir, id);
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
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
   * Deletes the object's directory. Refuses while anything is still mounted inside it: a
   * recursive delete would walk into the mount and destroy what it shows (an image layer, a
   * hostPath), so callers unmount first and this is the guard that they did.
   */
  async remove(id: string): Promise<void> {
    const dir = this.dirOf(id);
    const inside = [...(await mountPoints())].filter((p) => p === dir || p.startsWith(`${dir}/`));
    if (inside.length > 0) {
      throw new Error(`not removing ${dir}: still mounted there: ${inside.join(', ')}`);
    }
    await rm(dir, { recursive: true, force: true });
  }
}
