// Files every container of a pod shares, kept in the sandbox's directory and bind-mounted into
// each container: /etc/hosts, /etc/hostname, /etc/resolv.conf, and a tmpfs for /dev/shm (POSIX
// shared memory is shared within a pod, like the IPC namespace it belongs with).
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mountFilesystem } from './mount-calls.js';
import type { PodFiles } from './mounts-spec.js';
import { isMountPoint } from './mountinfo.js';
import { unmountIfMounted } from './overlay.js';

export interface PodFilesInput {
  readonly hostname: string;
  /** The pod's address; undefined for hostNetwork pods, which see the host's /etc/hosts. */
  readonly ip?: string;
  readonly dns?: {
    readonly servers: readonly string[];
    readonly searches: readonly string[];
    readonly options: readonly string[];
  };
  /** hostIPC pods use the host's /dev/shm. */
  readonly hostIpc: boolean;
}

const shmSize = '64m';

export function podFilePaths(dir: string, hostIpc: boolean): PodFiles {
  return {
    hostsPath: join(dir, 'hosts'),
    hostnamePath: join(dir, 'hostname'),
    resolvConfPath: join(dir, 'resolv.conf'),
    shmPath: hostIpc ? '/dev/shm' : join(dir, 'shm'),
  };
}

/** Writes (or rewrites) the files and mounts the shm tmpfs; safe to repeat. */
export async function preparePodFiles(dir: string, input: PodFilesInput): Promise<PodFiles> {
  const paths = podFilePaths(dir, input.hostIpc);
  await mkdir(dir, { recursive: true });
  await writeFile(paths.hostnamePath, `${input.hostname}\n`);
  if (input.ip === undefined) await copyOrEmpty('/etc/hosts', paths.hostsPath);
  else await writeFile(paths.hostsPath, hostsFile(input.hostname, input.ip));
  const dns = input.dns;
  if (dns !== undefined && dns.servers.length + dns.searches.length + dns.options.length > 0) {
    await writeFile(paths.resolvConfPath, resolvConf(dns));
  } else {
    // No DNS policy from the kubelet (or Default policy): the node's resolver, as containerd does.
    await copyOrEmpty('/etc/resolv.conf', paths.resolvConfPath);
  }
  if (!input.hostIpc) {
    await mkdir(paths.shmPath, { recursive: true });
    if (!(await isMountPoint(paths.shmPath))) {
      await mountFilesystem({
        fstype: 'tmpfs',
        source: 'shm',
        target: paths.shmPath,
        flags: ['nosuid', 'nodev', 'noexec'],
        data: `mode=1777,size=${shmSize}`,
      });
    }
  }
  return paths;
}

/** Unmounts the shm tmpfs and deletes the files; safe to repeat. */
export async function releasePodFiles(dir: string): Promise<void> {
  await unmountIfMounted(join(dir, 'shm'));
  for (const name of ['hosts', 'hostname', 'resolv.conf', 'shm']) {
    await rm(join(dir, name), { recursive: true, force: true });
  }
}

export function hostsFile(hostname: string, ip: string): string {
  return [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    `${ip}\t${hostname}`,
    '',
  ].join('\n');
}

export function resolvConf(dns: NonNullable<PodFilesInput['dns']>): string {
  const lines = [
    ...dns.servers.map((s) => `nameserver ${s}`),
    ...(dns.searches.length > 0 ? [`search ${dns.searches.join(' ')}`] : []),
    ...(dns.options.length > 0 ? [`options ${dns.options.join(' ')}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

async function copyOrEmpty(from: string, to: string): Promise<void> {
  try {
    await copyFile(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`copying ${from}: ${(err as Error).message}`, { cause: err });
    }
    await writeFile(to, '');
  }
}
