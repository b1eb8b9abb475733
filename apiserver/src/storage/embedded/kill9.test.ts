// Durability across kill -9: every write the store acknowledged must survive a SIGKILL at an
// arbitrary moment (mid-batch, mid-rotation, mid-snapshot), with its value and revision.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dec, enc, openStore, tempDir } from './testing/fixtures.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const writer = fileURLToPath(new URL('./kill9-writer.fixture.ts', import.meta.url));

/** Runs the writer until it has acknowledged at least `acks` writes, then SIGKILLs it. */
async function writeThenKill(
  dir: string,
  round: number,
  acks: number,
): Promise<Map<string, number>> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', writer, dir, String(round)],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const acknowledged = new Map<string, number>();
  let partial = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const [, key, revision] = line.split(' ');
      if (key && revision) acknowledged.set(key, Number(revision));
    }
    if (acknowledged.size >= acks && child.exitCode === null) child.kill('SIGKILL');
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  if (signal !== 'SIGKILL') throw new Error(`writer exited with ${code}: ${stderr}`);
  return acknowledged;
}

describe('embedded storage: durability', () => {
  it('keeps every acknowledged write across kill -9 and keeps accepting writes', async () => {
    const dir = await tempDir();
    const rounds = 3;
    const all = new Map<string, number>();
    for (let round = 0; round < rounds; round++) {
      // Each round reopens what the previous kill left behind, so recovery itself is exercised.
      const acked = await writeThenKill(dir, round, 1500);
      expect(acked.size).toBeGreaterThanOrEqual(1500);
      for (const [key, revision] of acked) all.set(key, revision);
    }
    const store = await openStore(dir);
    const missing: string[] = [];
    for (const [key, revision] of all) {
      const kv = await store.get(key);
      if (!kv || kv.modRevision !== revision || dec(kv.value) !== `value of ${key}`) {
        missing.push(`${key}@${revision}: ${kv ? `${dec(kv.value)}@${kv.modRevision}` : 'absent'}`);
      }
    }
    expect(missing).toEqual([]);
    const highest = Math.max(...all.values());
    const next = await store.create('after-crash', enc('x'));
    expect(next.modRevision).toBeGreaterThan(highest);
  }, 120_000);
});
