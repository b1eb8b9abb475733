// End to end: node-pressure eviction on a real machine. The kubelet runs with a hard
// memory.available threshold set a little below what the machine has free when the test starts;
// a BestEffort pod then fills a tmpfs emptyDir with more than that margin, so the node really
// runs short by the kubelet's own reading (the root memory cgroup). The kubelet reports
// MemoryPressure, evicts that pod — Failed, reason Evicted, Kubernetes' message, DisruptionTarget
// — leaves a pod within its requests running, and refuses a new BestEffort pod while the
// pressure lasts. On skiff runtime and on containerd. Needs root (skipped with a warning outside
// CI).
import { mkdir } from 'node:fs/promises';
import type { Pod } from '@skiff/api';
import type { Client } from '@skiff/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kubelet } from '../kubelet.js';
import { startApiAndRuntime } from '../testing/api-and-runtime.js';
import { E2E_RUNTIMES, skipE2eRuntime, type E2eRuntime } from '../testing/e2e-runtime.js';
import { e2eKubeletOptions } from '../testing/e2e-kubelet-options.js';
import { untilRead } from '../testing/until-read.js';
import { observationsFrom, readNodeReadings } from './node-stats.js';
import { parseThresholds } from './thresholds.js';

/** Eviction waits on a machine filling 6 GiB of memory: a longer limit than the default. */
const until = <T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean) =>
  untilRead(what, read, ok, 90_000);

const NODE = 'eviction-e2e';
const BUSYBOX = 'skiff.local/busybox:latest';
const Mi = 1024 * 1024;
/**
 * How far below today's free memory the threshold sits, and how much the hog writes. The margin
 * is wide because the signal is the whole machine's: other processes and their page cache move it
 * by hundreds of MiB while the test runs, and the pressure must end once the hog is gone.
 */
const MARGIN_MI = 3072;
const FILL_MI = 6144;

describe.each(E2E_RUNTIMES)('eviction under real memory pressure on %s', (runtimeName) => {
  const skipped = skipE2eRuntime(runtimeName, 'the eviction end-to-end test');
  let client: Client;
  let runtime: E2eRuntime;
  let kubelet: Kubelet;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (skipped) return;
    ({ client, runtime } = await startApiAndRuntime('skiff-eviction-e2e-', cleanups, runtimeName));
    await mkdir(runtime.dir, { recursive: true });
    const now = observationsFrom(
      await readNodeReadings({
        rootDir: runtime.dir,
        imageFsMountpoint: () => Promise.resolve(undefined),
        log: () => undefined,
      }),
    )['memory.available'];
    if (now === undefined) throw new Error('memory.available cannot be read on this machine');
    const thresholdKi = Math.floor((now.available - MARGIN_MI * Mi) / 1024);
    kubelet = await Kubelet.start({
      ...e2eKubeletOptions(client, runtime, NODE),
      nodeStatusUpdateFrequencyMs: 1000,
      evictionThresholds: parseThresholds({ hard: { 'memory.available': `${thresholdKi}Ki` } }),
      evictionMonitoringIntervalMs: 1000,
      // Long enough for the test to see MemoryPressure after the hog is gone.
      evictionPressureTransitionPeriodMs: 60_000,
    });
    cleanups.push(() => kubelet.shutdown());
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, 120_000);

  const pod = (name: string, script: string, fields: Partial<Pod['spec']> = {}): Pod => ({
    metadata: { name },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name,
          image: BUSYBOX,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', script],
        },
      ],
      ...fields,
    },
  });

  it('evicts the pod that fills memory (Failed/Evicted, the kubelet’s message), keeps a pod within its requests and refuses new BestEffort pods', async () => {
    const calm = pod('calm', 'sleep 3600');
    const [calmContainer] = calm.spec.containers;
    if (calmContainer) {
      calmContainer.resources = { requests: { memory: '64Mi' }, limits: { memory: '64Mi' } };
    }
    await client.pods('default').create(calm);
    await until(
      'the calm pod running',
      () => client.pods('default').get('calm'),
      (p) => p.status?.phase === 'Running',
    );
    const hog = pod('hog', `dd if=/dev/zero of=/fill/blob bs=1M count=${FILL_MI} && sleep 3600`, {
      volumes: [{ name: 'fill', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } }],
    });
    const [hogContainer] = hog.spec.containers;
    if (hogContainer) hogContainer.volumeMounts = [{ name: 'fill', mountPath: '/fill' }];
    await client.pods('default').create(hog);

    const evicted = await until(
      'the hog evicted',
      () => client.pods('default').get('hog'),
      (p) => p.status?.phase === 'Failed',
    );
    expect(evicted.status?.reason).toBe('Evicted');
    expect(evicted.status?.message).toMatch(
      /^The node was low on resource: memory\. Threshold quantity: \d+(Ki|Mi|Gi)?, available: \d+(Ki|Mi|Gi)?\. Container hog was using \d+(Ki|Mi|Gi)?, request is 0, has larger consumption of memory\. $/,
    );
    expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'TerminationByKubelet',
    });

    const node = await until(
      'MemoryPressure on the node',
      () => client.nodes().get(NODE),
      (n) =>
        n.status?.conditions?.some((c) => c.type === 'MemoryPressure' && c.status === 'True') ??
        false,
    );
    expect(node.status?.conditions?.find((c) => c.type === 'MemoryPressure')).toMatchObject({
      reason: 'KubeletHasInsufficientMemory',
      message: 'kubelet has insufficient memory available',
    });
    const events = await until(
      'the Evicted and EvictionThresholdMet events',
      () => client.events('default').list(),
      (list) =>
        list.items.some((e) => e.reason === 'Evicted' && e.involvedObject.name === 'hog') &&
        list.items.some((e) => e.reason === 'EvictionThresholdMet'),
    );
    expect(events.items.find((e) => e.reason === 'EvictionThresholdMet')?.message).toBe(
      'Attempting to reclaim memory',
    );

    const metrics = await (await fetch(`http://127.0.0.1:${kubelet.port}/metrics`)).text();
    expect(metrics).toContain('kubelet_evictions{eviction_signal="memory.available"} 1');

    // While MemoryPressure lasts, a new BestEffort pod is refused without ever running.
    await client.pods('default').create(pod('late', 'sleep 3600'));
    const refused = await until(
      'the late BestEffort pod refused',
      () => client.pods('default').get('late'),
      (p) => p.status?.phase === 'Failed',
    );
    expect([refused.status?.reason, refused.status?.message]).toEqual([
      'Evicted',
      'Pod was rejected: The node had condition: [MemoryPressure]. ',
    ]);
    expect(refused.status?.containerStatuses?.[0]?.state?.running).toBeUndefined();

    // The hog's tmpfs is given back, so the pressure ends with one eviction: calm keeps running.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await client.pods('default').get('calm')).status?.phase).toBe('Running');
  }, 180_000);
});
