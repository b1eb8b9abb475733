import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecordStore } from './record-store.js';

interface Thing {
  readonly id: string;
  readonly note: string;
}

describe('RecordStore', () => {
  let root: string;
  let dir: string;
  let logged: string[];
  const open = async (): Promise<RecordStore<Thing>> => {
    const store = new RecordStore<Thing>(dir, 'thing', (message) => logged.push(message));
    await store.init();
    return store;
  };
  const trashIsEmpty = (): Promise<void> =>
    vi.waitFor(async () => expect(await readdir(`${dir}.trash`)).toEqual([]), {
      timeout: 10_000,
    });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'skiff-record-store-'));
    dir = join(root, 'things');
    logged = [];
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('takes a removed directory away at once and deletes its files in the background', async () => {
    const store = await open();
    await store.save({ id: 'a1', note: 'hello' });
    await mkdir(join(store.dirOf('a1'), 'upper', 'etc'), { recursive: true });
    await writeFile(join(store.dirOf('a1'), 'upper', 'etc', 'hosts'), '127.0.0.1 localhost\n');

    await store.remove('a1');

    expect(existsSync(store.dirOf('a1'))).toBe(false);
    expect((await store.loadAll()).records).toEqual([]);
    await trashIsEmpty();
    expect(logged).toEqual([]);
  });

  it('treats removing a directory that was never made as done', async () => {
    const store = await open();
    await store.remove('never');
    expect(await readdir(dir)).toEqual([]);
  });

  it('deletes what an earlier process left in the trash when it starts', async () => {
    await mkdir(join(`${dir}.trash`, 'b2.123.1', 'work', 'work'), { recursive: true });
    await writeFile(join(`${dir}.trash`, 'b2.123.1', 'state.json'), '{}');
    await open();
    await trashIsEmpty();
  });

  it('loads records and reports directories without one as unfinished', async () => {
    const store = await open();
    await store.save({ id: 'c3', note: 'kept' });
    await mkdir(store.dirOf('d4'));
    expect(await store.loadAll()).toEqual({
      records: [{ id: 'c3', note: 'kept' }],
      unfinished: ['d4'],
    });
  });
});
