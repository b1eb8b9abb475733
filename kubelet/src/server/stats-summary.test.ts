// The Summary API: what /stats/summary says about the node, its pods and their containers.
import { FakeClock } from '@skiff/api/testing';
import { realClock } from '@skiff/api';
import type { ContainerStats__Output } from '@skiff/proto';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusOnlyRuntime } from '../cri/testing.js';
import type { StreamingService } from '../cri/index.js';
import { startKubeletServer, type KubeletServer } from './server.js';
import { busyNsFromProcStat, NodeCpuSampler, summaryFrom } from './stats-summary.js';

function stats(
  pod: string,
  container: string,
  usage: { nanoCores?: number; workingSet?: number } | undefined,
): ContainerStats__Output {
  return {
    attributes: {
      id: `${pod}-${container}`,
      metadata: { name: container, attempt: 0 },
      labels: {
        'io.kubernetes.pod.name': pod,
        'io.kubernetes.pod.namespace': 'default',
        'io.kubernetes.pod.uid': `uid-${pod}`,
        'io.kubernetes.container.name': container,
      },
      annotations: {},
    },
    cpu: usage
      ? {
          timestamp: '0',
          usage_core_nano_seconds: { value: '5000000000' },
          usage_nano_cores:
            usage.nanoCores === undefined ? null : { value: String(usage.nanoCores) },
        }
      : null,
    memory: usage
      ? {
          timestamp: '0',
          working_set_bytes: { value: String(usage.workingSet ?? 0) },
          available_bytes: null,
          usage_bytes: null,
          rss_bytes: null,
          page_faults: null,
          major_page_faults: null,
        }
      : null,
    writable_layer: null,
    swap: null,
  };
}

describe('the Summary API', () => {
  it("groups running containers into their pods and sums each pod's usage", () => {
    const summary = summaryFrom({
      nodeName: 'node-a',
      now: Date.UTC(2026, 0, 1),
      containers: [
        stats('web', 'nginx', { nanoCores: 2_000_000, workingSet: 10 * 2 ** 20 }),
        stats('web', 'sidecar', { nanoCores: 1_000_000, workingSet: 2 ** 20 }),
        stats('done', 'job', undefined),
      ],
    });
    expect(summary.pods).toHaveLength(1);
    const [web] = summary.pods;
    expect(web?.podRef).toEqual({ name: 'web', namespace: 'default', uid: 'uid-web' });
    expect(web?.containers.map((c) => c.name)).toEqual(['nginx', 'sidecar']);
    expect(web?.cpu?.usageNanoCores).toBe(3_000_000);
    expect(web?.memory?.workingSetBytes).toBe(11 * 2 ** 20);
  });

  it("measures the node's CPU as busy time over elapsed time and its memory less inactive files", () => {
    const summary = summaryFrom({
      nodeName: 'node-a',
      now: 0,
      nodeCpu: { previous: { atMs: 0, busyNs: 1e9 }, current: { atMs: 1000, busyNs: 1.5e9 } },
      nodeMemory: { capacityBytes: 8e9, usageBytes: 3e9, inactiveFileBytes: 1e9 },
      containers: [],
    });
    expect(summary.node.cpu?.usageNanoCores).toBe(500_000_000);
    expect(summary.node.memory?.workingSetBytes).toBe(2e9);
    expect(summary.node.memory?.availableBytes).toBe(6e9);
  });

  it("reads busy time from /proc/stat's first line, idle and iowait left out", () => {
    expect(busyNsFromProcStat('cpu  100 20 30 5000 70 1 2 3 0 0\ncpu0 1 2 3\n')).toBe(1.56e9);
  });

  it('takes a first reading a moment before the first request, then reuses the last one', async () => {
    const clock = new FakeClock(0);
    let busy = 0;
    const sampler = new NodeCpuSampler(clock, () => Promise.resolve((busy += 1e8)));
    const first = sampler.sample();
    await clock.waitForTimers();
    await clock.advance(200);
    expect(await first).toEqual({
      previous: { atMs: 0, busyNs: 1e8 },
      current: { atMs: 200, busyNs: 2e8 },
    });
    await clock.advance(10_000);
    expect(await sampler.sample()).toEqual({
      previous: { atMs: 200, busyNs: 2e8 },
      current: { atMs: 10_200, busyNs: 3e8 },
    });
  });
});

const noStreams: StreamingService = {
  exec: () => Promise.reject(new Error('no streams here')),
  attach: () => Promise.reject(new Error('no streams here')),
  portForward: () => Promise.reject(new Error('no streams here')),
};

describe('GET /stats/summary', () => {
  let server: KubeletServer | undefined;
  afterEach(() => server?.close());

  it("serves the runtime's container stats as pods", async () => {
    const runtime = Object.assign(new StatusOnlyRuntime(), {
      listContainerStats: () =>
        Promise.resolve([stats('web', 'nginx', { nanoCores: 7, workingSet: 9 })]),
    });
    server = await startKubeletServer({
      address: '127.0.0.1',
      port: 0,
      registry: new Registry(),
      clock: realClock,
      lastRelist: () => 0,
      pods: { list: () => [], get: () => undefined },
      runtime,
      streaming: noStreams,
      nodeName: 'node-a',
      log: () => undefined,
    });
    const response = await fetch(`http://127.0.0.1:${server.port}/stats/summary`);
    expect(response.status).toBe(200);
    const summary = (await response.json()) as ReturnType<typeof summaryFrom>;
    expect(summary.node.nodeName).toBe('node-a');
    expect(summary.pods[0]?.containers[0]).toMatchObject({
      name: 'nginx',
      cpu: { usageNanoCores: 7 },
      memory: { workingSetBytes: 9 },
    });
  });
});
