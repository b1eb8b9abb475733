// Shared by this folder's tests: real stores in real temporary directories, cleaned up after.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Watch, WatchEvent } from '../../interface.js';
import {
  openEmbeddedStorage,
  type EmbeddedStorage,
  type EmbeddedStorageOptions,
} from '../index.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-embedded-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a store (closed automatically after the test). Compaction is off unless asked for. */
export async function openStore(
  dir: string,
  options: Partial<EmbeddedStorageOptions> = {},
): Promise<EmbeddedStorage> {
  const store = await openEmbeddedStorage({
    compactionIntervalMs: 0,
    warn: () => undefined,
    ...options,
    dir,
  });
  cleanups.push(() => store.close());
  return store;
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : new TextDecoder().decode(b);

/** The next `n` events of a watch (it stays open), as strings like "put a=1@3 prev=0@2". */
export async function take(watch: Watch, n: number): Promise<string[]> {
  const iterator = watch[Symbol.asyncIterator]();
  const out: string[] = [];
  while (out.length < n) {
    const next = await iterator.next();
    if (next.done) throw new Error(`watch ended after ${out.length} of ${n} events`);
    out.push(describe(next.value));
  }
  return out;
}

export function describe(e: WatchEvent): string {
  const prev = e.prevKv ? ` prev=${dec(e.prevKv.value)}@${e.prevKv.modRevision}` : '';
  const value = e.type === 'put' ? `=${dec(e.kv.value)}` : '';
  return `${e.type} ${e.kv.key}${value}@${e.kv.modRevision}${prev}`;
}
