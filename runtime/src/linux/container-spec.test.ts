// The OCI spec skiff writes, checked as data: namespaces joined by path, mounts, limits as the
// kernel needs them, and the restrictions that keep an unprivileged container unprivileged.
import { describe, expect, it } from 'vitest';
import { containerSpec, type ContainerSpecInput } from './container-spec.js';
import { containerMounts, rootfsPropagation } from './mounts-spec.js';
import { containerNamespaces, pauseNamespaces } from './namespaces-spec.js';
import { limitsFromCri } from './resources-spec.js';

const podFiles = {
  hostsPath: '/s/hosts',
  hostnamePath: '/s/hostname',
  resolvConfPath: '/s/resolv.conf',
  shmPath: '/s/shm',
};
const podModes = { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } as const;

function input(patch: Partial<ContainerSpecInput> = {}): ContainerSpecInput {
  return {
    rootfs: '/c/rootfs',
    readonlyRootfs: false,
    args: ['sh'],
    env: ['PATH=/bin'],
    cwd: '/',
    user: { uid: 0, gid: 0, home: '/root', additionalGids: [] },
    privileged: false,
    capabilities: { add: [], drop: [], addAmbient: [] },
    lastCap: 40,
    boundingSet: (1n << 41n) - 1n,
    noNewPrivileges: false,
    namespaces: containerNamespaces(podModes, '/run/netns/pod', { pausePid: 42 }),
    mounts: containerMounts({ privileged: false, podFiles, requested: [] }),
    rootfsPropagation: 'rprivate',
    limits: {},
    ownOomScoreAdj: 0,
    nofileLimit: 20000,
    cgroupsPath: '/skiff/pod/c1',
    ...patch,
  };
}

describe('containerSpec', () => {
  it('joins the pod network, IPC and UTS namespaces by path and gets its own PID and mount namespaces', () => {
    expect(containerSpec(input()).linux.namespaces).toEqual([
      { type: 'pid' },
      { type: 'network', path: '/run/netns/pod' },
      { type: 'ipc', path: '/proc/42/ns/ipc' },
      { type: 'uts', path: '/proc/42/ns/uts' },
      { type: 'mount' },
    ]);
  });

  it('shares the pause PID namespace in POD mode and uses the host namespaces in NODE mode', () => {
    expect(containerNamespaces({ ...podModes, pid: 'POD' }, '/n', { pausePid: 7 }).pid).toEqual({
      path: '/proc/7/ns/pid',
    });
    const host = containerNamespaces({ network: 'NODE', pid: 'NODE', ipc: 'NODE' }, undefined, {
      pausePid: 7,
    });
    expect(containerSpec(input({ namespaces: host })).linux.namespaces).toEqual([
      { type: 'mount' },
    ]);
  });

  it.each([
    {
      name: 'no terminal without tty',
      terminal: false,
      env: ['PATH=/bin'],
      expected: ['PATH=/bin'],
    },
    {
      name: 'a terminal and TERM=xterm with tty',
      terminal: true,
      env: ['PATH=/bin'],
      expected: ['PATH=/bin', 'TERM=xterm'],
    },
    {
      name: "a terminal and the container's own TERM",
      terminal: true,
      env: ['TERM=vt100'],
      expected: ['TERM=vt100'],
    },
  ])('gives the process $name', ({ terminal, env, expected }) => {
    const spec = containerSpec(input({ terminal, env }));
    expect(spec.process.terminal).toBe(terminal);
    expect(spec.process.env).toEqual(expected);
  });

  it('gives the pause process new IPC and UTS namespaces and the pod hostname', () => {
    const namespaces = pauseNamespaces(podModes, '/run/netns/pod');
    const spec = containerSpec(input({ namespaces, hostname: 'web-0' }));
    expect(spec.hostname).toBe('web-0');
    expect(spec.linux.namespaces.map((n) => n.type)).toEqual([
      'pid',
      'network',
      'ipc',
      'uts',
      'mount',
    ]);
  });

  it('refuses a hostname for a process that joins another UTS namespace', () => {
    expect(() => containerSpec(input({ hostname: 'x' }))).toThrow(/UTS namespace/);
  });

  it('translates CRI resources, treating zero as unset', () => {
    const limits = limitsFromCri({
      cpu_shares: '512',
      cpu_quota: 20000,
      cpu_period: 100000,
      memory_limit_in_bytes: '33554432',
      cpuset_cpus: '0',
      oom_score_adj: -997,
      memory_swap_limit_in_bytes: 0,
      unified: { 'pids.max': '64' },
    });
    const spec = containerSpec(input({ limits }));
    expect(spec.linux.resources).toEqual({
      devices: [{ allow: false, access: 'rwm' }],
      cpu: { shares: 512, quota: 20000, period: 100000, cpus: '0' },
      memory: { limit: 33554432 },
      pids: { limit: 64 },
    });
    // Never below our own oom_score_adj: lowering it needs a capability some hosts withhold.
    expect(spec.process.oomScoreAdj).toBe(0);
    expect(spec.linux.cgroupsPath).toBe('/skiff/pod/c1');
  });

  it('masks kernel files and keeps /sys read-only unless privileged', () => {
    const normal = containerSpec(input());
    expect(normal.linux.maskedPaths).toContain('/proc/kcore');
    expect(normal.linux.readonlyPaths).toContain('/proc/sys');
    expect(normal.mounts.find((m) => m.destination === '/sys')?.options).toContain('ro');
    const privileged = containerSpec(
      input({
        privileged: true,
        mounts: containerMounts({ privileged: true, podFiles, requested: [] }),
      }),
    );
    expect(privileged.linux.maskedPaths).toBeUndefined();
    expect(privileged.mounts.find((m) => m.destination === '/sys')?.options).not.toContain('ro');
    expect(privileged.linux.resources?.devices).toEqual([{ allow: true, access: 'rwm' }]);
  });
});

describe('containerMounts', () => {
  it('binds the pod files and lets a requested mount replace a default one', () => {
    const mounts = containerMounts({
      privileged: false,
      podFiles,
      requested: [
        {
          containerPath: '/etc/hosts',
          hostPath: '/kubelet/hosts',
          readonly: false,
          propagation: 'PROPAGATION_PRIVATE',
        },
        {
          containerPath: '/data/logs',
          hostPath: '/h/logs',
          readonly: true,
          propagation: 'PROPAGATION_HOST_TO_CONTAINER',
        },
        {
          containerPath: '/data',
          hostPath: '/h/data',
          readonly: false,
          propagation: 'PROPAGATION_PRIVATE',
        },
      ],
    });
    const byPath = (p: string) => mounts.filter((m) => m.destination === p);
    expect(byPath('/etc/hosts')).toEqual([
      {
        destination: '/etc/hosts',
        type: 'bind',
        source: '/kubelet/hosts',
        options: ['rbind', 'rw', 'rprivate'],
      },
    ]);
    expect(byPath('/etc/resolv.conf')[0]?.source).toBe('/s/resolv.conf');
    expect(byPath('/dev/shm')[0]?.source).toBe('/s/shm');
    expect(byPath('/data/logs')[0]?.options).toEqual(['rbind', 'ro', 'rslave']);
    const order = mounts.map((m) => m.destination);
    expect(order.indexOf('/data')).toBeLessThan(order.indexOf('/data/logs'));
  });

  it('asks for a slave or shared rootfs when a mount propagates', () => {
    const m = (
      propagation:
        'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL',
    ) => ({
      containerPath: '/x',
      hostPath: '/y',
      readonly: false,
      propagation,
    });
    expect(rootfsPropagation([m('PROPAGATION_PRIVATE')])).toBe('rprivate');
    expect(rootfsPropagation([m('PROPAGATION_HOST_TO_CONTAINER')])).toBe('rslave');
    expect(
      rootfsPropagation([m('PROPAGATION_HOST_TO_CONTAINER'), m('PROPAGATION_BIDIRECTIONAL')]),
    ).toBe('rshared');
  });
});
