// Assembles an OCI config.json from decisions made elsewhere (argv, user, namespaces, mounts,
// limits). Pure: everything it needs is passed in, so tests can check a spec without a kernel.
import { capabilitySets } from './capabilities.js';
import type { OciMount, OciSpec } from './oci-spec.js';
import { ociNamespaces, ownsUts, type NamespacePlan } from './namespaces-spec.js';
import type { ResolvedUser } from './passwd.js';
import type { OciSeccomp } from './seccomp.js';
import { allowedOomScoreAdj, ociResources, type ResourceLimits } from './resources-spec.js';

export interface ContainerSpecInput {
  /** Host path of the mounted rootfs (the overlay's merged directory). */
  readonly rootfs: string;
  readonly readonlyRootfs: boolean;
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  /**
   * CRI `tty`: the process gets a terminal (the OCI runtime makes a pty and hands its master to
   * conmon) and, as containerd's WithTTY gives it, TERM=xterm unless the env names a TERM.
   */
  readonly terminal?: boolean;
  readonly user: ResolvedUser;
  readonly privileged: boolean;
  readonly capabilities: {
    readonly add: readonly string[];
    readonly drop: readonly string[];
    readonly addAmbient: readonly string[];
  };
  /** /proc/sys/kernel/cap_last_cap of the host. */
  readonly lastCap: number;
  /** The runtime's own bounding set: what "every capability" can mean. */
  readonly boundingSet: bigint;
  readonly noNewPrivileges: boolean;
  /** Set only for a process that owns its UTS namespace (the pause container). */
  readonly hostname?: string;
  readonly namespaces: NamespacePlan;
  readonly mounts: readonly OciMount[];
  readonly rootfsPropagation: string;
  readonly limits: ResourceLimits;
  /** This process's own oom_score_adj, the lowest the container may be given. */
  readonly ownOomScoreAdj: number;
  /**
   * RLIMIT_NOFILE for the container: this process's own hard limit. Raising a hard limit needs
   * CAP_SYS_RESOURCE, which some hosts withhold even from root, and the OCI runtime would fail.
   */
  readonly nofileLimit: number;
  /** cgroupfs-style path, e.g. /skiff/<sandbox>/<container>. */
  readonly cgroupsPath: string;
  readonly sysctls?: Readonly<Record<string, string>>;
  /** CRI's masked/readonly paths; empty lists mean "the defaults". */
  readonly maskedPaths?: readonly string[];
  readonly readonlyPaths?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  /** The resolved filter; ignored for a privileged container. */
  readonly seccomp?: OciSeccomp;
}

// containerd's defaults: kernel interfaces that leak host information or allow host changes.
const defaultMaskedPaths = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
const defaultReadonlyPaths = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

export function containerSpec(input: ContainerSpecInput): OciSpec {
  if (input.hostname !== undefined && !ownsUts(input.namespaces)) {
    throw new Error('a hostname can only be set by a process with a UTS namespace of its own');
  }
  const oomScoreAdj = allowedOomScoreAdj(input.limits.oomScoreAdj, input.ownOomScoreAdj);
  const spec: OciSpec = {
    ociVersion: '1.0.2',
    process: {
      terminal: input.terminal === true,
      user: {
        uid: input.user.uid,
        gid: input.user.gid,
        ...(input.user.additionalGids.length > 0 && { additionalGids: input.user.additionalGids }),
      },
      args: [...input.args],
      env: terminalEnv(input.env, input.terminal === true),
      cwd: input.cwd,
      capabilities: capabilitySets({
        privileged: input.privileged,
        add: input.capabilities.add,
        drop: input.capabilities.drop,
        addAmbient: input.capabilities.addAmbient,
        lastCap: input.lastCap,
        boundingSet: input.boundingSet,
      }),
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: input.nofileLimit, soft: input.nofileLimit }],
      noNewPrivileges: input.noNewPrivileges,
      ...(oomScoreAdj !== undefined && { oomScoreAdj }),
    },
    root: { path: input.rootfs, readonly: input.readonlyRootfs },
    ...(input.hostname !== undefined && { hostname: input.hostname }),
    mounts: [...input.mounts],
    ...(input.annotations !== undefined && { annotations: { ...input.annotations } }),
    linux: {
      namespaces: ociNamespaces(input.namespaces),
      resources: ociResources(input.limits, input.privileged),
      cgroupsPath: input.cgroupsPath,
      rootfsPropagation: input.rootfsPropagation,
      ...(input.sysctls !== undefined &&
        Object.keys(input.sysctls).length > 0 && { sysctl: { ...input.sysctls } }),
    },
  };
  if (!input.privileged) {
    if (input.seccomp !== undefined) spec.linux.seccomp = input.seccomp;
    spec.linux.maskedPaths = nonEmptyOr(input.maskedPaths, defaultMaskedPaths);
    spec.linux.readonlyPaths = nonEmptyOr(input.readonlyPaths, defaultReadonlyPaths);
  }
  return spec;
}

function nonEmptyOr(value: readonly string[] | undefined, fallback: readonly string[]): string[] {
  return [...(value !== undefined && value.length > 0 ? value : fallback)];
}

function terminalEnv(env: readonly string[], terminal: boolean): string[] {
  return terminal && !env.some((e) => e.startsWith('TERM=')) ? [...env, 'TERM=xterm'] : [...env];
}
