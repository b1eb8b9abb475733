import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Volume } from '@skiff/api';
import { makeConfigMap, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { checkHostPath } from './host-path.js';
import { volumePayload, type PayloadContext } from './payload.js';

const context: PayloadContext = {
  pod: makePod()
    .name('web')
    .namespace('ns')
    .labels({ app: 'web', tier: 'front' })
    .container('app', { resources: { limits: { memory: '64Mi' } } })
    .obj(),
  podIPs: ['10.0.0.5'],
  hostIPs: ['192.0.2.1'],
  nodeAllocatable: { cpu: '2', memory: '4Gi' },
  sources: {
    configMap: (ns, name) =>
      Promise.resolve(
        name === 'cfg'
          ? makeConfigMap().name('cfg').namespace(ns).data({ a: '1', b: '2' }).obj()
          : undefined,
      ),
    secret: (ns, name) =>
      Promise.resolve(
        name === 'sec'
          ? {
              metadata: { name, namespace: ns },
              data: { token: Buffer.from('s3cret').toString('base64') },
            }
          : undefined,
      ),
  },
};

async function files(volume: Volume): Promise<Record<string, [string, string]> | undefined> {
  const payload = await volumePayload(volume, context);
  if (payload === undefined) return undefined;
  return Object.fromEntries(
    [...payload].map(([path, f]) => [path, [f.data.toString('utf8'), f.mode.toString(8)]]),
  );
}

describe('volumePayload', () => {
  it('configMap: every key, or the items asked for with their modes', async () => {
    expect(await files({ name: 'v', configMap: { name: 'cfg' } })).toEqual({
      a: ['1', '644'],
      b: ['2', '644'],
    });
    expect(
      await files({
        name: 'v',
        configMap: {
          name: 'cfg',
          defaultMode: 0o400,
          items: [{ key: 'b', path: 'dir/b.txt', mode: 0o600 }],
        },
      }),
    ).toEqual({ 'dir/b.txt': ['2', '600'] });
  });

  it('secret: decoded values', async () => {
    expect(await files({ name: 'v', secret: { secretName: 'sec' } })).toEqual({
      token: ['s3cret', '644'],
    });
  });

  it('downwardAPI: labels as key="value" lines, fields and resources', async () => {
    expect(
      await files({
        name: 'v',
        downwardAPI: {
          items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
            {
              path: 'mem',
              resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' },
            },
          ],
        },
      }),
    ).toEqual({
      labels: ['app="web"\ntier="front"', '644'],
      name: ['web', '644'],
      mem: ['64', '644'],
    });
  });

  it('projected: sources merged into one directory', async () => {
    expect(
      await files({
        name: 'v',
        projected: {
          sources: [
            { configMap: { name: 'cfg', items: [{ key: 'a', path: 'a' }] } },
            { secret: { name: 'sec' } },
          ],
        },
      }),
    ).toEqual({ a: ['1', '644'], token: ['s3cret', '644'] });
  });

  it('missing objects: nothing for optional ones, an error otherwise', async () => {
    expect(await files({ name: 'v', configMap: { name: 'nope', optional: true } })).toEqual({});
    await expect(files({ name: 'v', configMap: { name: 'nope' } })).rejects.toThrow(
      'configmap "nope" not found',
    );
    await expect(
      files({ name: 'v', configMap: { name: 'cfg', items: [{ key: 'zz', path: 'z' }] } }),
    ).rejects.toThrow('key "zz" not found in ConfigMap cfg');
  });

  it('emptyDir and hostPath have no payload', async () => {
    expect(await files({ name: 'v', emptyDir: {} })).toBeUndefined();
    expect(await files({ name: 'v', hostPath: { path: '/tmp' } })).toBeUndefined();
  });
});

describe('checkHostPath', () => {
  it('creates what *OrCreate asks for and refuses a wrong kind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-hostpath-'));
    try {
      await checkHostPath(join(dir, 'made'), 'DirectoryOrCreate');
      await checkHostPath(join(dir, 'made'), 'Directory');
      await checkHostPath(join(dir, 'file'), 'FileOrCreate');
      await checkHostPath(join(dir, 'file'), 'File');
      await writeFile(join(dir, 'plain'), 'x');
      await expect(checkHostPath(join(dir, 'plain'), 'Directory')).rejects.toThrow(
        `hostPath type check failed: ${join(dir, 'plain')} is not a directory`,
      );
      await expect(checkHostPath(join(dir, 'absent'), 'Socket')).rejects.toThrow(
        'is not a socket file',
      );
      await checkHostPath(join(dir, 'absent'), '');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
