// Which kubeconfig a verb reads when given no flag: kubectl's places first, then `skiff up`'s.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/skiff-process.js';
import { upKubeconfigIfNoOther } from './connection.js';

const nonRoot = 1000;

describe("skiff up's kubeconfig as the last resort", () => {
  it('is used when neither KUBECONFIG nor ~/.kube/config exists', async () => {
    const home = await tempDir();
    await mkdir(join(home, '.skiff'));
    await writeFile(join(home, '.skiff', 'kubeconfig'), '');
    expect(await upKubeconfigIfNoOther({ HOME: home }, nonRoot)).toBe(
      join(home, '.skiff', 'kubeconfig'),
    );
  });

  it('gives way to KUBECONFIG and to ~/.kube/config', async () => {
    const home = await tempDir();
    await mkdir(join(home, '.skiff'));
    await writeFile(join(home, '.skiff', 'kubeconfig'), '');
    expect(await upKubeconfigIfNoOther({ HOME: home, KUBECONFIG: '/x' }, nonRoot)).toBeUndefined();
    await mkdir(join(home, '.kube'));
    await writeFile(join(home, '.kube', 'config'), '');
    expect(await upKubeconfigIfNoOther({ HOME: home }, nonRoot)).toBeUndefined();
  });

  it('is not invented when skiff up has not run', async () => {
    const home = await tempDir();
    expect(await upKubeconfigIfNoOther({ HOME: home }, nonRoot)).toBeUndefined();
  });
});
