// The filesystems a container sees besides its root: the kernel's pseudo filesystems, a minimal
// /dev (the OCI runtime creates null, zero, full, random, urandom, tty and ptmx in it), the
// pod's shared files (/etc/hosts, /etc/hostname, /etc/resolv.conf, /dev/shm) and the binds the
// kubelet asks for. A requested mount replaces a default one at the same path, which is how the
// kubelet's own /etc/hosts wins over ours.
import { posix } from 'node:path';
import type { PropagationName } from './cri-values.js';
import type { OciMount } from './oci-spec.js';

export interface PodFiles {
  readonly hostsPath: string;
  readonly hostnamePath: string;
  readonly resolvConfPath: string;
  /** The pod's /dev/shm: a tmpfs on the host shared by all its containers. */
  readonly shmPath: string;
}

export interface RequestedMount {
  readonly containerPath: string;
  readonly hostPath: string;
  readonly readonly: boolean;
  readonly propagation: PropagationName;
}

export interface MountsInput {
  readonly privileged: boolean;
  /** Undefined for the pause container, which needs none of the pod files. */
  readonly podFiles?: PodFiles;
  readonly requested: readonly RequestedMount[];
}

export function containerMounts(input: MountsInput): OciMount[] {
  const ro = input.privileged ? [] : ['ro'];
  const defaults: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    {
      destination: '/dev/mqueue',
      type: 'mqueue',
      source: 'mqueue',
      options: ['nosuid', 'noexec', 'nodev'],
    },
    {
      destination: '/sys',
      type: 'sysfs',
      source: 'sysfs',
      options: ['nosuid', 'noexec', 'nodev', ...ro],
    },
    {
      destination: '/sys/fs/cgroup',
      type: 'cgroup',
      source: 'cgroup',
      options: ['nosuid', 'noexec', 'nodev', 'relatime', ...ro],
    },
  ];
  const files = input.podFiles;
  if (files !== undefined) {
    defaults.push(
      bind('/etc/hosts', files.hostsPath, false),
      bind('/etc/hostname', files.hostnamePath, false),
      bind('/etc/resolv.conf', files.resolvConfPath, false),
      bind('/dev/shm', files.shmPath, false),
    );
  } else {
    defaults.push({
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
    });
  }
  const requested = input.requested.map((m) => {
    if (!posix.isAbsolute(m.containerPath)) {
      throw new Error(`mount container_path ${JSON.stringify(m.containerPath)} is not absolute`);
    }
    if (m.hostPath === '') {
      throw new Error(
        `mount at ${m.containerPath} has no host_path (image volumes are not supported)`,
      );
    }
    const mount = bind(posix.normalize(m.containerPath), m.hostPath, m.readonly);
    mount.options = [
      ...(mount.options ?? []).filter((o) => o !== 'rprivate'),
      propagationOption(m.propagation),
    ];
    return mount;
  });
  const overridden = new Set(requested.map((m) => m.destination));
  // Parents before children, so a bind at /data/logs is not hidden by a later bind at /data.
  const sortedRequested = [...requested].sort(
    (a, b) => depth(a.destination) - depth(b.destination),
  );
  return [...defaults.filter((m) => !overridden.has(m.destination)), ...sortedRequested];
}

/** The rootfs propagation the requested mounts need: shared or slave mounts need a non-private root. */
export function rootfsPropagation(requested: readonly RequestedMount[]): string {
  if (requested.some((m) => m.propagation === 'PROPAGATION_BIDIRECTIONAL')) return 'rshared';
  if (requested.some((m) => m.propagation === 'PROPAGATION_HOST_TO_CONTAINER')) return 'rslave';
  return 'rprivate';
}

function bind(destination: string, source: string, readonly: boolean): OciMount {
  return {
    destination,
    type: 'bind',
    source,
    options: ['rbind', 'rprivate', ...(readonly ? ['ro'] : ['rw'])],
  };
}

function propagationOption(propagation: PropagationName): string {
  switch (propagation) {
    case 'PROPAGATION_BIDIRECTIONAL':
      return 'rshared';
    case 'PROPAGATION_HOST_TO_CONTAINER':
      return 'rslave';
    default:
      return 'rprivate';
  }
}

function depth(path: string): number {
  return path.split('/').filter(Boolean).length;
}
