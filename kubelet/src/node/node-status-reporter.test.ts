import { FakeClock, makeNode } from '@skiff/api/testing';
import { createFakeClient } from '@skiff/client/testing';
import { describe, expect, it } from 'vitest';
import { StatusOnlyRuntime } from '../cri/testing.js';
import type { MachineInfo } from './machine-info.js';
import { NodeStatusReporter } from './node-status-reporter.js';

const machine: MachineInfo = {
  cpus: 2,
  memoryBytes: 4 * 1024 ** 3,
  ephemeralStorageBytes: 50 * 1024 ** 3,
  machineID: 'm1',
  systemUUID: 'u1',
  bootID: 'b1',
  kernelVersion: '6.1.0',
  osImage: 'Debian',
  architecture: 'amd64',
  operatingSystem: 'linux',
};

function setup(objects: Parameters<typeof createFakeClient>[0] = {}) {
  const clock = new FakeClock();
  const client = createFakeClient({ clock, ...objects });
  const runtime = new StatusOnlyRuntime();
  const reporter = new NodeStatusReporter({
    client,
    runtime,
    clock,
    identity: { name: 'node-1', hostname: 'node-1', labels: { zone: 'a' }, taints: [] },
    rootDir: '/',
    internalIP: '192.0.2.7',
    kubeletPort: 10250,
    maxPods: 110,
    machineInfo: () => Promise.resolve(machine),
  });
  return { clock, client, runtime, reporter };
}

const writes = (client: ReturnType<typeof createFakeClient>) =>
  client
    .actions()
    .filter((a) => a.verb !== 'get')
    .map((a) => [a.verb, a.resource, a.subresource ?? '']);

describe('NodeStatusReporter', () => {
  it('registers the node, then writes its status through nodes/status', async () => {
    const { client, reporter } = setup();
    await reporter.register(new AbortController().signal);
    expect(writes(client)).toEqual([
      ['create', 'nodes', ''],
      ['patch', 'nodes', 'status'],
    ]);
    const node = await client.nodes().get('node-1');
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'node-1', zone: 'a' });
    expect(node.status?.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'True' });
    expect(node.status?.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
  });

  it('adopts an existing node, adding only the labels it lacks', async () => {
    const existing = makeNode().name('node-1').labels({ keep: 'me', zone: 'b' }).obj();
    const { client, reporter } = setup({ objects: [existing] });
    await reporter.register(new AbortController().signal);
    expect(writes(client)).toEqual([
      ['create', 'nodes', ''],
      ['patch', 'nodes', ''],
      ['patch', 'nodes', 'status'],
    ]);
    const node = await client.nodes().get('node-1');
    expect(node.metadata.labels).toMatchObject({ keep: 'me', zone: 'a' });
  });

  it('writes the status on change, and otherwise only every 5 minutes', async () => {
    const { client, clock, runtime, reporter } = setup();
    await reporter.register(new AbortController().signal);
    client.clearActions();
    await clock.advance(10_000);
    await reporter.updateNodeStatus();
    expect(writes(client)).toEqual([]);
    runtime.networkReady = false;
    await clock.advance(10_000);
    await reporter.updateNodeStatus();
    expect(writes(client)).toEqual([['patch', 'nodes', 'status']]);
    const ready = (await client.nodes().get('node-1')).status?.conditions?.[0];
    expect(ready).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
    client.clearActions();
    await clock.advance(5 * 60_000);
    await reporter.updateNodeStatus();
    expect(writes(client)).toEqual([['patch', 'nodes', 'status']]);
  });

  it('passes the pod CIDR node IPAM assigned to the runtime, once per change', async () => {
    const { client, runtime, reporter } = setup();
    await reporter.register(new AbortController().signal);
    expect(runtime.podCidrs).toEqual([]);
    await client.nodes().patch('node-1', { spec: { podCIDR: '10.244.1.0/24' } }, { type: 'merge' });
    await reporter.updateNodeStatus();
    await reporter.updateNodeStatus();
    expect(runtime.podCidrs).toEqual(['10.244.1.0/24']);
  });

  it('reports a runtime that stopped answering as NotReady', async () => {
    const { client, runtime, reporter } = setup();
    await reporter.register(new AbortController().signal);
    runtime.down = new Error('connect ENOENT /run/skiff/runtime.sock');
    await reporter.updateNodeStatus();
    const ready = (await client.nodes().get('node-1')).status?.conditions?.[0];
    expect(ready?.message).toBe(
      'container runtime is down: connect ENOENT /run/skiff/runtime.sock',
    );
  });
});
