// Which capabilities a container's process holds. The default set is the one containerd and
// Docker give an unprivileged container: enough to behave like root inside its own filesystem
// (chown, setuid, bind low ports), nothing that reaches the host (no SYS_ADMIN, NET_ADMIN,
// SYS_MODULE, SYS_PTRACE). Privileged containers, and `add: ALL`, get every capability the
// runtime itself holds in its bounding set: asking for more makes runc/crun fail the container
// ("unable to apply caps: operation not permitted") on a host that withholds some, as containerd
// knows and avoids.
import type { OciCapabilities } from './oci-spec.js';

/** Linux capabilities by number (capability.h); the kernel's cap_last_cap says how many exist. */
const ALL_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;

export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

export interface CapabilityRequest {
  readonly privileged: boolean;
  /** CRI names, with or without the CAP_ prefix; "ALL" means every capability. */
  readonly add: readonly string[];
  readonly drop: readonly string[];
  readonly addAmbient: readonly string[];
  /** /proc/sys/kernel/cap_last_cap: capabilities above it would be rejected by the runtime. */
  readonly lastCap: number;
  /** The runtime's own bounding set (CapBnd in /proc/self/status), bit n = capability n. */
  readonly boundingSet: bigint;
}

/** CapBnd of a /proc/<pid>/status text, as a bit mask. */
export function boundingSetOf(status: string): bigint {
  const hex = /^CapBnd:\s*([0-9a-f]+)$/im.exec(status)?.[1];
  if (hex === undefined) throw new Error('no CapBnd line in the process status');
  return BigInt(`0x${hex}`);
}

export function capabilitySets(request: CapabilityRequest): OciCapabilities {
  const known = ALL_CAPABILITIES.slice(0, request.lastCap + 1);
  const held = known.filter((_name, bit) => (request.boundingSet >> BigInt(bit)) & 1n);
  const canonical = (name: string): string => {
    const upper = name.toUpperCase();
    const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!(known as readonly string[]).includes(full)) {
      throw new Error(`unknown capability ${JSON.stringify(name)}`);
    }
    return full;
  };
  const isAll = (name: string): boolean => name.toUpperCase() === 'ALL';
  let caps = new Set<string>(request.privileged ? held : DEFAULT_CAPABILITIES);
  if (!request.privileged) {
    if (request.add.some(isAll)) caps = new Set(held);
    if (request.drop.some(isAll)) caps = new Set();
    for (const name of request.add) if (!isAll(name)) caps.add(canonical(name));
    for (const name of request.drop) if (!isAll(name)) caps.delete(canonical(name));
  }
  const ambient = request.addAmbient.map(canonical);
  for (const name of ambient) caps.add(name);
  const list = [...caps].sort();
  return {
    bounding: list,
    effective: list,
    permitted: list,
    // Empty since CVE-2022-24769: inheritable capabilities leak into setuid-less execs.
    inheritable: [],
    ambient: [...new Set(ambient)].sort(),
  };
}
