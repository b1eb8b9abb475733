// Writes a volume's files so a container never sees half an update (Kubernetes'
// pkg/volume/util/atomic_writer.go): the files go to a fresh hidden directory `..<time>`, the
// `..data` symlink is switched to it with one rename, and each top-level name is a symlink
// through `..data`. An unchanged payload writes nothing; the old directory goes after the switch.
import {
  chmod,
  mkdir,
  readFile,
  readdir,
  readlink,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Payload } from './payload.js';

const DATA_DIR = '..data';

/** Refuses paths that would leave the volume: absolute, or with a `..` element. */
export function validatePath(path: string): void {
  if (path === '' || path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '')) {
    throw new Error(`invalid path ${JSON.stringify(path)} in volume payload`);
  }
}

async function currentPayloadMatches(dir: string, payload: Payload): Promise<boolean> {
  let target: string;
  try {
    target = await readlink(join(dir, DATA_DIR));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const listed = await listFiles(join(dir, target));
  if (listed.length !== payload.size) return false;
  for (const [path, file] of payload) {
    try {
      if (!(await readFile(join(dir, target, path))).equals(file.data)) return false;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
  return true;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out;
}

/** Makes `dir` show exactly `payload`; answers whether anything was written. */
export async function writePayload(dir: string, payload: Payload, now: number): Promise<boolean> {
  for (const path of payload.keys()) validatePath(path);
  await mkdir(dir, { recursive: true });
  if (await currentPayloadMatches(dir, payload)) return false;
  const previous = await readlink(join(dir, DATA_DIR)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const tsDir = `..${new Date(now).toISOString().replace(/[:.]/g, '_')}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  for (const [path, file] of payload) {
    const full = join(dir, tsDir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, file.data);
    await chmod(full, file.mode);
  }
  await mkdir(join(dir, tsDir), { recursive: true });
  // The switch: a new symlink renamed over the old one is atomic.
  await symlink(tsDir, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, DATA_DIR));
  const topLevel = new Set([...payload.keys()].map((p) => p.split('/')[0] ?? p));
  for (const name of topLevel) {
    const link = join(dir, name);
    const existing = await readlink(link).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'EINVAL') return undefined;
      throw err;
    });
    if (existing !== join(DATA_DIR, name)) {
      await rm(link, { recursive: true, force: true });
      await symlink(join(DATA_DIR, name), link);
    }
  }
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('..') || topLevel.has(entry)) continue;
    await rm(join(dir, entry), { recursive: true, force: true });
  }
  if (previous !== undefined && previous !== tsDir) {
    await rm(join(dir, previous), { recursive: true, force: true });
  }
  return true;
}
