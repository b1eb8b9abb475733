import { describe, expect, it } from 'vitest';
import type { CgroupStats } from '../linux/index.js';
import type { SandboxRecord } from './sandbox-record.js';
import { parseNetDev, podSandboxStats } from './sandbox-stats.js';

const record: SandboxRecord = {
  id: 'pod1',
  name: 'web',
  namespace: 'default',
  uid: 'u1',
  attempt: 0,
  labels: { app: 'web' },
  annotations: {},
  hostname: 'web',
  logDirectory: '',
  runtimeHandler: '',
  modes: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
  cgroupParent: '/kubepods/pod1',
  ownsCgroupParent: false,
  createdAtNs: '1',
  phase: 'ready',
  ip: '10.88.0.2',
  pausePid: 42,
};

const counters: CgroupStats = {
  cpuUsageNs: 5000,
  memoryUsageBytes: 4096,
  memoryWorkingSetBytes: 2048,
  memoryRssBytes: 1024,
  pageFaults: 1,
  majorPageFaults: 0,
  nrThrottled: 0,
  oomKills: 0,
  processCount: 3,
};

const usage = (name: string) => ({
  name,
  rx_bytes: { value: '1' },
  rx_errors: { value: '0' },
  tx_bytes: { value: '2' },
  tx_errors: { value: '0' },
});

describe('podSandboxStats', () => {
  it("reports the pod cgroup's usage, eth0 as the default interface and the process count", () => {
    const stats = podSandboxStats(record, {
      nowNs: 7n,
      cgroup: counters,
      interfaces: [usage('net1'), usage('eth0')],
      containers: [],
    });
    expect(stats.attributes).toMatchObject({ id: 'pod1', labels: { app: 'web' } });
    expect(stats.linux?.cpu?.usage_core_nano_seconds).toEqual({ value: '5000' });
    expect(stats.linux?.memory?.working_set_bytes).toEqual({ value: '2048' });
    expect(stats.linux?.network?.default_interface?.name).toBe('eth0');
    expect(stats.linux?.network?.interfaces.map((i) => i.name)).toEqual(['net1']);
    expect(stats.linux?.process).toEqual({ timestamp: '7', process_count: { value: '3' } });
  });

  it('has no usage for a pod that is not running', () => {
    const stats = podSandboxStats(record, {
      nowNs: 7n,
      cgroup: undefined,
      interfaces: [],
      containers: [],
    });
    expect(stats.linux).toMatchObject({ cpu: null, memory: null, network: null, process: null });
  });
});

describe('parseNetDev', () => {
  it('reads bytes and errors of every interface but loopback', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0',
      '  eth0:    1296      16    1    0    0     0          0         0      866      11    2    0    0     0       0          0',
    ].join('\n');
    expect(parseNetDev(text)).toEqual([
      {
        name: 'eth0',
        rx_bytes: { value: '1296' },
        rx_errors: { value: '1' },
        tx_bytes: { value: '866' },
        tx_errors: { value: '2' },
      },
    ]);
  });
});
