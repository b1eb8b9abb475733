// `skiff kubelet` as a real process: its usage, and bad flags refused before anything is
// contacted. Running pods is the e2e test in @skiff/kubelet (kubelet/src/kubelet.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSkiff } from '../testing/skiff-process.js';

// Real processes, started from source: the time a loaded 2-core machine needs.
describe('skiff kubelet', { timeout: 120_000 }, () => {
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
      '--config',
      '--pod-manifest-path',
      '--eviction-hard',
      '--eviction-soft',
      '--eviction-soft-grace-period',
      '--healthz-port',
      '--cgroup-driver',
      '--eviction-minimum-reclaim',
      '--image-gc-high-threshold',
      '--image-gc-low-threshold',
      '--minimum-image-ttl-duration',
    ]) {
      expect(run.output()).toContain(flag);
    }
  });

  it.each([
    [['--register-with-taints', 'dedicated=gpu:Sometimes'], '--register-with-taints'],
    [['--node-labels', 'novalue'], '--node-labels'],
    [['--max-pods', '0'], '--max-pods "0": not a positive integer'],
    [['--container-runtime-endpoint', 'tcp://1.2.3.4:1'], 'want unix:///path/to/socket'],
    [['--eviction-hard', 'memory.available=1Gi'], '--eviction-hard: "memory.available=1Gi" is not'],
    [['--eviction-hard', 'memory.free<1Gi'], 'unsupported eviction signal memory.free'],
    [
      ['--eviction-soft', 'memory.available<1Gi'],
      'grace period must be specified for the soft eviction threshold memory.available',
    ],
    [['--cgroup-driver', 'systemd'], '--cgroup-driver "systemd": only "cgroupfs" is supported'],
    [['--healthz-port', '70000'], '--healthz-port'],
    [
      ['--image-gc-low-threshold', '90'],
      'imageGCLowThresholdPercent (--image-gc-low-threshold) 90 must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) 85',
    ],
    [
      ['--eviction-minimum-reclaim', 'nodefs.available=-1Gi'],
      'negative eviction minimum reclaim specified for nodefs.available',
    ],
    [
      ['--minimum-image-ttl-duration', 'soon'],
      '--minimum-image-ttl-duration "soon": not a duration',
    ],
  ])('refuses %j before contacting anything', async (args, message) => {
    const run = startSkiff(['kubelet', '--kubeconfig', '/nonexistent/kubeconfig', ...args]);
    expect(await run.exit).toBe(1);
    expect(run.errors()).toContain(message);
  });

  const configFile = (body: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'kubelet-config-')), 'config.yaml');
    writeFileSync(
      path,
      `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n${body}`,
    );
    return path;
  };

  it.each([
    [
      'an unknown field',
      'memoryManagerPolicy: Static\n',
      'KubeletConfiguration.memoryManagerPolicy: unknown field',
    ],
    [
      'the systemd cgroup driver',
      'cgroupDriver: systemd\n',
      'KubeletConfiguration.cgroupDriver: Unsupported value: "systemd"',
    ],
    [
      'a bad eviction threshold',
      'evictionHard:\n  nodefs.available: "120%"\n',
      'KubeletConfiguration.evictionHard[nodefs.available]: Invalid value: "120%"',
    ],
    ['a wrong type', 'maxPods: many\n', 'KubeletConfiguration.maxPods: Invalid value: "many"'],
    ['a duration without unit', 'syncFrequency: "60"\n', 'KubeletConfiguration.syncFrequency'],
    // The file's own value is used when no flag is given: this endpoint is then refused.
    [
      'its bad runtime endpoint',
      'containerRuntimeEndpoint: tcp://1.2.3.4:1\n',
      'want unix:///path/to/socket',
    ],
    ['not YAML', 'maxPods: [\n', '--config'],
  ])('refuses a --config file with %s', async (_name, body, message) => {
    const run = startSkiff([
      'kubelet',
      '--kubeconfig',
      '/nonexistent/kubeconfig',
      '--config',
      configFile(body),
    ]);
    expect(await run.exit).toBe(1);
    expect(run.errors()).toContain(message);
  });

  it('lets flags given on the command line override the --config file', async () => {
    const path = configFile('maxPods: 20\ncontainerRuntimeEndpoint: tcp://1.2.3.4:1\n');
    // --max-pods wins over the file's valid maxPods (and is refused)…
    const badFlag = startSkiff([
      'kubelet',
      '--kubeconfig',
      '/nonexistent/kubeconfig',
      '--config',
      path,
      '--max-pods',
      '0',
    ]);
    expect(await badFlag.exit).toBe(1);
    expect(badFlag.errors()).toContain('--max-pods "0": not a positive integer');
    // …and --container-runtime-endpoint over the file's bad one: the next failure is the kubeconfig.
    const goodFlag = startSkiff([
      'kubelet',
      '--kubeconfig',
      '/nonexistent/kubeconfig',
      '--config',
      path,
      '--container-runtime-endpoint',
      'unix:///nonexistent/runtime.sock',
    ]);
    expect(await goodFlag.exit).toBe(1);
    expect(goodFlag.errors()).not.toContain('want unix:///');
    expect(goodFlag.errors()).toContain('/nonexistent/kubeconfig');
  });
});
