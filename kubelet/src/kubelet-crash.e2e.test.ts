// End to end: the kubelet crashes. A real `skiff kubelet` process runs pods through a real
// runtime (skiff runtime, then containerd), is killed with SIGKILL — no shutdown, no last status
// write, nothing flushed — and started again with the same flags. The new process must adopt what
// the runtime still runs: the same sandboxes and containers (no restart, no duplicate), the
// restart counts the runtime's labels carry, and probes that run again (readiness still follows
// the container's file, liveness is probed) — and a container that exited while no kubelet ran is
// restarted and counted once. Needs root (skipped with a warning outside CI).
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { errorMessage, type Container, type ContainerStatus, type Pod } from '@skiff/api';
import type { Client } from '@skiff/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POD_UID_LABEL } from './container/labels.js';
import { startApiAndRuntime } from './testing/api-and-runtime.js';
import { E2E_RUNTIMES, skipE2eRuntime, type E2eRuntime } from './testing/e2e-runtime.js';
import { startSkiffKubelet, type SkiffKubeletProcess } from './testing/skiff-kubelet-process.js';
import { untilRead } from './testing/until-read.js';

const execFileAsync = promisify(execFile);
const NODE = 'crash-e2e';
const BUSYBOX = 'skiff.local/busybox:latest';

/**
 * Waits (up to 2 min: a kubelet process start and syncs on a loaded machine) for `ok`; on a
 * timeout the error carries the last value read, which says what the kubelet did instead.
 */
async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  try {
    return await untilRead(what, async () => (last = await read()), ok, 120_000);
  } catch (err) {
    throw new Error(`${errorMessage(err)}; last read: ${JSON.stringify(last)}`, { cause: err });
  }
}

async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((path) => path.startsWith(`${dir}/`));
  for (const path of mounts) await execFileAsync('umount', [path]);
}

const isReady = (p: Pod): boolean =>
  p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const app = (p: Pod): ContainerStatus | undefined => p.status?.containerStatuses?.[0];

describe.each(E2E_RUNTIMES)('a SIGKILLed kubelet process restarted on %s', (runtimeName) => {
  const skipped = skipE2eRuntime(runtimeName, 'the kubelet crash-adoption test');
  let client: Client;
  let runtime: E2eRuntime;
  let kubeletArgs: string[] = [];
  let kubelet: SkiffKubeletProcess | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (skipped) return;
    let apiUrl: string;
    ({ apiUrl, client, runtime } = await startApiAndRuntime(
      'skiff-kubelet-crash-e2e-',
      cleanups,
      runtimeName,
    ));
    const kubeconfig = join(runtime.dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: e2e, cluster: {server: "${apiUrl}"}}]`,
        'users: [{name: e2e, user: {}}]',
        'contexts: [{name: e2e, context: {cluster: e2e, user: e2e}}]',
        'current-context: e2e',
        '',
      ].join('\n'),
    );
    const rootDir = join(runtime.dir, 'kubelet');
    await mkdir(rootDir, { recursive: true });
    kubeletArgs = [
      ...['--kubeconfig', kubeconfig, '--hostname-override', NODE],
      ...['--container-runtime-endpoint', runtime.endpoint, '--root-dir', rootDir],
      ...['--pod-logs-dir', join(runtime.dir, 'pods'), '--resolv-conf', ''],
      ...['--node-ip', '127.0.0.1', '--address', '127.0.0.1', '--port', '0'],
    ];
    kubelet = await startSkiffKubelet(kubeletArgs, join(runtime.dir, 'kubelet-1.log'));
    // The last kubelet stops before the runtime does (cleanups run in reverse). A failed test
    // leaves its pods' tmpfs volumes mounted (no kubelet tore them down): unmount them, so the
    // runtime's stop can remove the temp dir.
    cleanups.push(async () => {
      await kubelet?.stop('SIGTERM');
      await unmountUnder(rootDir);
    });
  }, 180_000);

  afterAll(async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  }, 180_000);

  const pod = (name: string, script: string, fields: Partial<Container> = {}): Pod => ({
    metadata: { name },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 2,
      volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }],
      containers: [
        {
          name: 'app',
          image: BUSYBOX,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', script],
          volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
          ...fields,
        },
      ],
    },
  });

  const probed = (type: 'Readiness' | 'Liveness', podName: string, text: string): number =>
    [...text.matchAll(/^prober_probe_total\{([^}]*)\} (\d+)$/gm)]
      .filter(([, labels]) => labels?.includes(`probe_type="${type}"`))
      .filter(([, labels]) => labels?.includes(`pod="${podName}"`))
      .reduce((sum, [, , n]) => sum + Number(n), 0);

  it('adopts running pods without restarting them: same containers, counts kept, probes resumed', async () => {
    const pods = client.pods('default');
    // Ready while /scratch/ready exists; live as long as `true` runs.
    const steady = await pods.create(
      pod('steady', 'touch /scratch/ready; exec sleep 3600', {
        readinessProbe: {
          exec: { command: ['cat', '/scratch/ready'] },
          periodSeconds: 1,
          failureThreshold: 1,
        },
        livenessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
      }),
    );
    // Exits once, then runs: restartCount 1 is what the runtime's labels must carry over.
    const restarted = await pods.create(
      pod(
        'restarted',
        'if [ -e /scratch/once ]; then exec sleep 3600; fi; touch /scratch/once; exit 1',
      ),
    );
    // Runs until told to stop: it exits (7) while no kubelet is there to see it.
    const exiting = await pods.create(
      pod(
        'exits-while-down',
        'while [ ! -e /scratch/stop ]; do sleep 1; done; rm /scratch/stop; exit 7',
      ),
    );
    const before = {
      steady: await until('steady Running and Ready', () => pods.get('steady'), isReady),
      restarted: await until(
        'restarted running after one restart',
        () => pods.get('restarted'),
        (p) => app(p)?.restartCount === 1 && app(p)?.state?.running !== undefined,
      ),
    };
    await until(
      'exits-while-down running',
      () => pods.get('exits-while-down'),
      (p) => app(p)?.state?.running !== undefined,
    );
    const runtimeState = async (uid: string) => ({
      sandboxes: (await runtime.cri.listPodSandbox({ label_selector: { [POD_UID_LABEL]: uid } }))
        .filter((s) => s.state === 'SANDBOX_READY')
        .map((s) => s.id),
      running: (await runtime.cri.listContainers({ label_selector: { [POD_UID_LABEL]: uid } }))
        .filter((c) => c.state === 'CONTAINER_RUNNING')
        .map((c) => c.id),
    });
    const steadyUid = steady.metadata.uid ?? '';
    const restartedUid = restarted.metadata.uid ?? '';
    const runtimeBefore = {
      steady: await runtimeState(steadyUid),
      restarted: await runtimeState(restartedUid),
    };
    expect(runtimeBefore.steady.running).toHaveLength(1);
    expect(runtimeBefore.restarted.running).toHaveLength(1);

    // The crash: nothing of the first kubelet's shutdown runs.
    expect(await kubelet?.stop('SIGKILL')).toBeNull();
    const exitingUid = exiting.metadata.uid ?? '';
    const [exitingContainer] = (await runtimeState(exitingUid)).running;
    await runtime.cri.execSync(exitingContainer ?? '', ['touch', '/scratch/stop'], 10);
    await until(
      'exits-while-down exited with no kubelet running',
      () => runtime.cri.listContainers({ label_selector: { [POD_UID_LABEL]: exitingUid } }),
      (list) => list.every((c) => c.state === 'CONTAINER_EXITED'),
    );
    kubelet = await startSkiffKubelet(kubeletArgs, join(runtime.dir, 'kubelet-2.log'));
    const port = kubelet.port;
    await until(
      'the new kubelet registered (its port in the Node)',
      () => client.nodes().get(NODE),
      (n) => n.status?.daemonEndpoints?.kubeletEndpoint?.Port === port,
    );

    // Probes run again: the new kubelet probes both, and readiness follows the file.
    const metrics = (): Promise<string> =>
      fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    await until(
      'readiness and liveness probed by the new kubelet',
      metrics,
      (text) => probed('Readiness', 'steady', text) > 0 && probed('Liveness', 'steady', text) > 0,
    );
    const steadyContainer = runtimeBefore.steady.running[0] ?? '';
    await runtime.cri.execSync(steadyContainer, ['rm', '/scratch/ready'], 10);
    await until(
      'steady unready once its file is gone',
      () => pods.get('steady'),
      (p) => !isReady(p),
    );
    await runtime.cri.execSync(steadyContainer, ['touch', '/scratch/ready'], 10);
    const after = {
      steady: await until('steady Ready again', () => pods.get('steady'), isReady),
      restarted: await pods.get('restarted'),
    };

    // Nothing was restarted or made twice, and the API says so too.
    expect(await runtimeState(steadyUid)).toEqual(runtimeBefore.steady);
    expect(await runtimeState(restartedUid)).toEqual(runtimeBefore.restarted);
    for (const name of ['steady', 'restarted'] as const) {
      expect(app(after[name])?.containerID).toBe(app(before[name])?.containerID);
      expect(app(after[name])?.restartCount).toBe(app(before[name])?.restartCount);
      expect(app(after[name])?.state?.running?.startedAt).toBe(
        app(before[name])?.state?.running?.startedAt,
      );
      expect(after[name].status?.phase).toBe('Running');
    }
    expect(app(after.restarted)?.lastState?.terminated?.exitCode).toBe(1);
    // What exited unseen is restarted by the new kubelet and counted once, with its exit.
    const exited = await until(
      'exits-while-down restarted by the new kubelet',
      () => pods.get('exits-while-down'),
      (p) => app(p)?.restartCount === 1 && app(p)?.state?.running !== undefined,
    );
    expect(app(exited)?.lastState?.terminated).toMatchObject({ exitCode: 7, reason: 'Error' });
    // No container was killed and no sandbox made again.
    const events = await client.events('default').list();
    expect(
      events.items
        .filter((e) => e.reason === 'Killing' || e.reason === 'SandboxChanged')
        .map((e) => `${e.involvedObject.name ?? ''}: ${e.reason ?? ''} ${e.message ?? ''}`),
    ).toEqual([]);

    // The adopted pods are still the kubelet's to stop.
    for (const [name, uid] of [
      ['steady', steadyUid],
      ['restarted', restartedUid],
      ['exits-while-down', exitingUid],
    ] as const) {
      await pods.delete(name);
      await until(
        `${name} stopped and removed`,
        () => runtime.cri.listPodSandbox({ label_selector: { [POD_UID_LABEL]: uid } }),
        (list) => list.length === 0,
      );
    }
  }, 600_000);
});
