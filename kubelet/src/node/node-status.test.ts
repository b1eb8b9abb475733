import type { RuntimeStatus__Output, VersionResponse__Output } from '@skiff/proto';
import { describe, expect, it } from 'vitest';
import { parseNodeLabels, parseTaints } from './labels-and-taints.js';
import type { MachineInfo } from './machine-info.js';
import { parseThresholds } from '../eviction/thresholds.js';
import {
  initialNode,
  nodeAllocatable,
  nodeStatus,
  nodeStatusChanged,
  type NodeStatusInput,
} from './node-status.js';

const gi = 1024 ** 3;
const machine: MachineInfo = {
  cpus: 4,
  memoryBytes: 8 * gi,
  ephemeralStorageBytes: 100 * gi,
  machineID: 'm1',
  systemUUID: 'u1',
  bootID: 'b1',
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  architecture: 'amd64',
  operatingSystem: 'linux',
};
const version: VersionResponse__Output = {
  version: '0.1.0',
  runtime_name: 'skiff',
  runtime_version: '0.1.0',
  runtime_api_version: 'v1',
};
function runtimeStatus(networkReady: boolean): RuntimeStatus__Output {
  return {
    conditions: [
      { type: 'RuntimeReady', status: true, reason: '', message: '' },
      {
        type: 'NetworkReady',
        status: networkReady,
        reason: networkReady ? '' : 'NoBridge',
        message: networkReady ? '' : 'bridge missing',
      },
    ],
  };
}
const input = (fields: Partial<NodeStatusInput> = {}): NodeStatusInput => ({
  machine,
  runtimeVersion: version,
  runtimeStatus: runtimeStatus(true),
  internalIP: '192.0.2.7',
  hostname: 'node-1',
  kubeletPort: 10250,
  maxPods: 110,
  now: '2026-01-01T00:00:00Z',
  ...fields,
});

describe('nodeStatus', () => {
  it('reports capacity, allocatable, addresses, nodeInfo and the kubelet port', () => {
    const s = nodeStatus(input());
    expect(s).toMatchObject({
      capacity: { cpu: '4', memory: '8388608Ki', 'ephemeral-storage': '104857600Ki', pods: '110' },
      allocatable: {
        cpu: '4',
        memory: '8286208Ki',
        'ephemeral-storage': String(90 * gi),
        pods: '110',
      },
      addresses: [
        { type: 'InternalIP', address: '192.0.2.7' },
        { type: 'Hostname', address: 'node-1' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        containerRuntimeVersion: 'skiff://0.1.0',
        kernelVersion: '6.1.0',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        architecture: 'amd64',
        operatingSystem: 'linux',
        machineID: 'm1',
        bootID: 'b1',
      },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          message: 'kubelet has no disk pressure',
        },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          message: 'kubelet has sufficient PID available',
        },
      ],
    });
  });

  it('reports the eviction manager’s pressure as True conditions with the kubelet’s reasons', () => {
    const calm = nodeStatus(input({}));
    const pressed = nodeStatus(
      input({
        pressure: ['MemoryPressure', 'PIDPressure'],
        now: '2026-01-01T00:01:00Z',
        previous: calm,
      }),
    );
    expect(
      pressed.conditions?.map((c) => [c.type, c.status, c.reason, c.lastTransitionTime]),
    ).toEqual([
      ['Ready', 'True', 'KubeletReady', '2026-01-01T00:00:00Z'],
      ['MemoryPressure', 'True', 'KubeletHasInsufficientMemory', '2026-01-01T00:01:00Z'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', '2026-01-01T00:00:00Z'],
      ['PIDPressure', 'True', 'KubeletHasInsufficientPID', '2026-01-01T00:01:00Z'],
    ]);
    expect(pressed.conditions?.[1]?.message).toBe('kubelet has insufficient memory available');
    expect(nodeStatusChanged(calm, pressed)).toBe(true);
  });

  it('is not Ready while the runtime network is not, saying why', () => {
    const ready = nodeStatus(input({ runtimeStatus: runtimeStatus(false) })).conditions?.[0];
    expect(ready).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
    expect(ready?.message).toContain(
      'container runtime network not ready: NetworkReady=false reason:NoBridge message:bridge missing',
    );
    const down = nodeStatus(input({ runtimeStatus: undefined, runtimeError: 'connect ENOENT' }));
    expect(down.conditions?.[0]?.message).toBe('container runtime is down: connect ENOENT');
  });

  it('keeps the transition time while Ready does not change, and sees only real changes', () => {
    const first = nodeStatus(input());
    const later = nodeStatus(input({ now: '2026-01-01T00:05:00Z', previous: first }));
    expect(later.conditions?.[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(later.conditions?.[0]?.lastHeartbeatTime).toBe('2026-01-01T00:05:00Z');
    expect(nodeStatusChanged(first, later)).toBe(false);
    const notReady = nodeStatus(
      input({ now: '2026-01-01T00:06:00Z', previous: later, runtimeStatus: runtimeStatus(false) }),
    );
    expect(notReady.conditions?.[0]?.lastTransitionTime).toBe('2026-01-01T00:06:00Z');
    expect(nodeStatusChanged(later, notReady)).toBe(true);
  });
});

describe('nodeAllocatable', () => {
  it.each<[string, Record<string, string>, string, string]>([
    [
      'the default thresholds',
      { 'memory.available': '100Mi', 'nodefs.available': '10%' },
      `${8 * 1024 * 1024 - 100 * 1024}Ki`,
      String(90 * gi),
    ],
    [
      'configured ones',
      { 'memory.available': '1Gi', 'nodefs.available': '5Gi' },
      `${7 * 1024 * 1024}Ki`,
      String(95 * gi),
    ],
    [
      'none (0% turns a signal off)',
      { 'nodefs.available': '0%' },
      `${8 * 1024 * 1024}Ki`,
      String(100 * gi),
    ],
  ])(
    'leaves out what the hard eviction thresholds hold back: %s',
    (_name, hard, memory, storage) => {
      const allocatable = nodeAllocatable(machine, 110, parseThresholds({ hard }));
      expect([allocatable.memory, allocatable['ephemeral-storage']]).toEqual([memory, storage]);
    },
  );
});

describe('initialNode', () => {
  it('carries the well-known labels, flag labels and taints', () => {
    const node = initialNode(
      {
        name: 'node-1',
        hostname: 'node-1',
        labels: parseNodeLabels('zone=a,role=edge'),
        taints: parseTaints('dedicated=gpu:NoSchedule,spot:NoExecute'),
      },
      machine,
      nodeStatus(input()),
    );
    expect(node.metadata.labels).toMatchObject({
      'kubernetes.io/hostname': 'node-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      zone: 'a',
      role: 'edge',
    });
    expect(node.spec?.taints).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'spot', effect: 'NoExecute' },
    ]);
  });

  it('refuses malformed flags', () => {
    expect(() => parseNodeLabels('novalue')).toThrow('--node-labels');
    expect(() => parseTaints('key=value:Sometimes')).toThrow('--register-with-taints');
  });
});
