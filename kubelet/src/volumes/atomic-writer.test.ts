import { lstat, mkdtemp, readFile, readlink, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validatePath, writePayload } from './atomic-writer.js';
import type { Payload } from './payload.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'skiff-atomic-writer-'));
  dirs.push(d);
  return d;
}

const payload = (files: Record<string, string>, mode = 0o644): Payload =>
  new Map(Object.entries(files).map(([k, v]) => [k, { data: Buffer.from(v), mode }]));

describe('writePayload', () => {
  it('shows each key as a symlink through ..data, with its mode', async () => {
    const dir = await tempDir();
    expect(await writePayload(dir, payload({ a: '1', 'sub/b': '2' }, 0o600), 0)).toBe(true);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('1');
    expect(await readFile(join(dir, 'sub', 'b'), 'utf8')).toBe('2');
    expect((await lstat(join(dir, 'a'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'a'))).toBe('..data/a');
    expect((await stat(join(dir, 'a'))).mode & 0o777).toBe(0o600);
  });

  it('writes nothing when unchanged, and swaps everything when changed', async () => {
    const dir = await tempDir();
    await writePayload(dir, payload({ a: '1', b: '2' }), 0);
    expect(await writePayload(dir, payload({ a: '1', b: '2' }), 1)).toBe(false);
    expect(await writePayload(dir, payload({ a: 'new' }), 2)).toBe(true);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('new');
    const entries = (await readdir(dir)).filter((e) => !e.startsWith('..'));
    expect(entries).toEqual(['a']);
    expect((await readdir(dir)).filter((e) => e.startsWith('..') && e !== '..data')).toHaveLength(
      1,
    );
  });

  it('refuses paths that leave the volume', () => {
    expect(() => validatePath('../etc/passwd')).toThrow('invalid path');
    expect(() => validatePath('/abs')).toThrow('invalid path');
    expect(() => validatePath('ok/file')).not.toThrow();
  });
});
