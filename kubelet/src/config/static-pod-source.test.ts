import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { StaticPodSource } from './static-pod-source.js';

const manifest = (image: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: c, image: ${image}}]}\n`;

async function setup(): Promise<{
  dir: string;
  clock: FakeClock;
  source: StaticPodSource;
  logs: string[];
}> {
  const dir = await mkdtemp(join(tmpdir(), 'static-pods-'));
  const clock = new FakeClock();
  const logs: string[] = [];
  const source = new StaticPodSource({
    path: dir,
    nodeName: 'node-1',
    clock,
    log: (m) => logs.push(m),
  });
  return { dir, clock, source, logs };
}

describe('StaticPodSource', () => {
  it('reports a new file as added, a changed one as removed and added, a deleted one as removed', async () => {
    const { dir, clock, source } = await setup();
    await writeFile(join(dir, 'web.yaml'), manifest('nginx'));
    const first = await source.reload();
    expect(first.removed).toEqual([]);
    expect(first.added).toHaveLength(1);
    const uid = first.added[0] ?? '';
    expect(source.get(uid)?.metadata.annotations?.['kubernetes.io/config.seen']).toBe(
      new Date(clock.now()).toISOString(),
    );
    expect(source.byName('default', 'web-node-1')?.metadata.uid).toBe(uid);

    expect(await source.reload()).toEqual({ added: [], removed: [] });

    await writeFile(join(dir, 'web.yaml'), manifest('nginx:2'));
    const changed = await source.reload();
    expect(changed.removed.map((p) => p.metadata.uid)).toEqual([uid]);
    expect(changed.added).toHaveLength(1);
    expect(changed.added[0]).not.toBe(uid);

    await rm(join(dir, 'web.yaml'));
    const removed = await source.reload();
    expect(removed.removed.map((p) => p.metadata.uid)).toEqual(changed.added);
    expect(source.list()).toEqual([]);
  });

  it('skips hidden files and logs a bad manifest without dropping the others', async () => {
    const { dir, source, logs } = await setup();
    await writeFile(join(dir, 'web.yaml'), manifest('nginx'));
    await writeFile(join(dir, '.web.yaml.swp'), 'garbage: [');
    await writeFile(join(dir, 'bad.yaml'), 'kind: [');
    const { added } = await source.reload();
    expect(added).toHaveLength(1);
    expect(logs.join('\n')).toContain('bad.yaml: not valid YAML or JSON');
    expect(logs.join('\n')).not.toContain('.swp');
  });

  it('keeps its pods when the directory cannot be read', async () => {
    const { dir, source, logs } = await setup();
    await writeFile(join(dir, 'web.yaml'), manifest('nginx'));
    await source.reload();
    await rm(dir, { recursive: true });
    expect(await source.reload()).toEqual({ added: [], removed: [] });
    expect(source.list()).toHaveLength(1);
    expect(logs.join('\n')).toContain('reading static pod path');
  });
});
