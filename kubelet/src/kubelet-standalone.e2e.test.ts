// End to end: Kubernetes' standalone mode. `skiff kubelet` as a real process with no --kubeconfig
// and no apiserver anywhere runs the static pods of --pod-manifest-path through a real runtime
// (skiff runtime, then containerd): a manifest appears and its pod runs, a changed manifest
// replaces the pod, a removed one stops and removes it — and the kubelet never reaches for an
// apiserver. Needs root (skipped with a warning outside CI).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POD_NAME_LABEL } from './container/labels.js';
import {
  E2E_RUNTIMES,
  skipE2eRuntime,
  startE2eRuntime,
  type E2eRuntime,
} from './testing/e2e-runtime.js';
import { startSkiffKubelet, type SkiffKubeletProcess } from './testing/skiff-kubelet-process.js';
import { untilRead } from './testing/until-read.js';

const NODE = 'standalone-e2e';
const manifest = (greeting: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: kube-system
spec:
  containers:
    - name: web
      image: skiff.local/busybox:latest
      imagePullPolicy: IfNotPresent
      command: [sh, -c, 'echo ${greeting}; exec sleep 3600']
`;

describe.each(E2E_RUNTIMES)('a standalone kubelet (no --kubeconfig) on %s', (runtimeName) => {
  const skipped = skipE2eRuntime(runtimeName, 'the standalone kubelet test');
  let runtime: E2eRuntime;
  let kubelet: SkiffKubeletProcess | undefined;
  let manifests = '';
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (skipped) return;
    runtime = await startE2eRuntime(runtimeName);
    cleanups.push(() => runtime.stop());
    manifests = join(runtime.dir, 'manifests');
    await mkdir(manifests, { recursive: true });
    await writeFile(join(manifests, 'web.yaml'), manifest('hello'));
    const config = join(runtime.dir, 'kubelet.yaml');
    // Manifests are read every second, so a change shows within the test.
    await writeFile(
      config,
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nfileCheckFrequency: 1s\n',
    );
    kubelet = await startSkiffKubelet(
      [
        ...['--config', config, '--hostname-override', NODE, '--pod-manifest-path', manifests],
        ...['--container-runtime-endpoint', runtime.endpoint, '--root-dir', runtime.dir],
        ...['--pod-logs-dir', join(runtime.dir, 'pods'), '--resolv-conf', ''],
        ...['--node-ip', '127.0.0.1', '--address', '127.0.0.1', '--port', '0'],
      ],
      join(runtime.dir, 'kubelet.log'),
    );
    cleanups.push(async () => {
      await kubelet?.stop('SIGTERM');
    });
  }, 180_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, 180_000);

  const webContainers = () =>
    runtime.cri.listContainers({ label_selector: { [POD_NAME_LABEL]: `web-${NODE}` } });

  it('runs, replaces and removes static pods with no apiserver at all', async () => {
    const first = await untilRead(
      'the static pod running',
      webContainers,
      (list) => list.some((c) => c.state === 'CONTAINER_RUNNING'),
      120_000,
    );
    const healthz = await fetch(`http://127.0.0.1:${kubelet?.port ?? 0}/healthz`);
    expect(await healthz.text()).toBe('ok');

    // A changed manifest is a new pod (a new UID): the old one stops, the new one runs.
    await writeFile(join(manifests, 'web.yaml'), manifest('again'));
    const replaced = await untilRead(
      'the changed static pod running in place of the first',
      webContainers,
      (list) =>
        list.some((c) => c.state === 'CONTAINER_RUNNING' && !first.some((f) => f.id === c.id)) &&
        list.every((c) => c.state !== 'CONTAINER_RUNNING' || !first.some((f) => f.id === c.id)),
      120_000,
    );
    expect(replaced.filter((c) => c.state === 'CONTAINER_RUNNING')).toHaveLength(1);

    // A removed manifest: its pod stops and leaves the runtime.
    await rm(join(manifests, 'web.yaml'));
    await untilRead(
      'the static pod removed from the runtime',
      () => runtime.cri.listPodSandbox({ label_selector: { [POD_NAME_LABEL]: `web-${NODE}` } }),
      (list) => list.length === 0,
      120_000,
    );

    const log = (await kubelet?.log()) ?? '';
    expect(log).toContain('standalone');
    expect(log).not.toMatch(/apiserver: |registered \(InternalIP|mirror pod of/);
    expect(await kubelet?.stop('SIGTERM')).toBe(0);
  }, 360_000);
});
