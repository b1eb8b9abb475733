// `skiff kubelet` as a real process: its usage, and bad flags refused before anything is
// contacted. Running pods is the e2e test in @skiff/kubelet (kubelet/src/kubelet.test.ts).
import { describe, expect, it } from 'vitest';
import { startSkiff } from '../testing/skiff-process.js';

describe('skiff kubelet', () => {
  it('prints its usage with the kubelet flag names', async () => {
    const run = startSkiff(['kubelet', '--help']);
    expect(await run.exit).toBe(0);
    for (const flag of [
      '--kubeconfig',
      '--hostname-override',
      '--container-runtime-endpoint',
      '--root-dir',
      '--port',
      '--node-ip',
      '--node-labels',
      '--register-with-taints',
      '--max-pods',
      '--cluster-dns',
      '--cluster-domain',
    ]) {
      expect(run.output()).toContain(flag);
    }
  });

  it.each([
    [['--register-with-taints', 'dedicated=gpu:Sometimes'], '--register-with-taints'],
    [['--node-labels', 'novalue'], '--node-labels'],
    [['--max-pods', '0'], '--max-pods "0": not a positive integer'],
    [['--container-runtime-endpoint', 'tcp://1.2.3.4:1'], 'want unix:///path/to/socket'],
  ])('refuses %j before contacting anything', async (args, message) => {
    const run = startSkiff(['kubelet', '--kubeconfig', '/nonexistent/kubeconfig', ...args]);
    expect(await run.exit).toBe(1);
    expect(run.errors()).toContain(message);
  });
});
