import { join } from 'node:path';
import { loadRestConfig } from '@skiff/client';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/skiff-process.js';
import { writeKubeconfig } from './kubeconfig-file.js';

describe('writeKubeconfig', () => {
  it('writes a kubeconfig the client reads as kubectl would: server and namespace', async () => {
    const dir = await tempDir('skiff-up-kubeconfig-');
    const path = join(dir, 'kubeconfig');
    await writeKubeconfig(path, 'http://127.0.0.1:6443');
    const config = await loadRestConfig({ kubeconfig: path });
    expect(config.server).toBe('http://127.0.0.1:6443');
    expect(config.namespace).toBe('default');
  });
});
