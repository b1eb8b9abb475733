// Running commands "on a VM" of the lab: inside its network namespace (only that: the mounts stay
// the host's, so what a runtime mounts and the pods' namespaces under /run/netns are seen by the
// host and by `lab down`), with the VM's variables of docs/lab.md set and a `skiff` on PATH that
// runs this very skiff (same node, flags and entry script: from dist/ and from source alike).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inNetns } from './host-commands.js';
import { controlPlaneOf, type LabPaths, type LabRecord, type LabVm } from './lab-record.js';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** `<state-dir>/bin/skiff`, the `skiff` the VMs' commands run. */
export async function writeSkiffShim(paths: LabPaths): Promise<void> {
  const entry = process.argv[1];
  if (entry === undefined) throw new Error('cannot tell which script runs skiff');
  await mkdir(paths.bin, { recursive: true });
  const argv = [process.execPath, ...process.execArgv, entry].map(quote).join(' ');
  const file = join(paths.bin, 'skiff');
  await writeFile(file, `#!/bin/sh\nexec ${argv} "$@"\n`);
  await chmod(file, 0o755);
}

/** The variables docs/lab.md's steps use on `vm`. */
export function vmEnvironment(
  record: LabRecord,
  vm: LabVm,
  paths: LabPaths,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return {
    ...base,
    PATH: `${paths.bin}:${base.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
    CONTROL_PLANE_IP: controlPlaneOf(record).ip,
    ROUTING: record.routing,
    VM_DIR: vm.dir,
    VM_NAME: vm.name,
    KUBECONFIG: join(vm.dir, 'etc', 'skiff', 'kubeconfig'),
    ...(vm.role === 'node' && {
      NODE_NAME: vm.name,
      NODE_IP: vm.ip,
      POD_CIDR: vm.podCIDR ?? '',
    }),
  };
}

export interface VmCommand {
  readonly record: LabRecord;
  readonly vm: LabVm;
  readonly paths: LabPaths;
  readonly argv: readonly string[];
}

/** A command on the VM with the terminal's stdio (`skiff lab exec`). */
export function spawnOnVm(command: VmCommand, stdio: 'inherit' | 'pipe' = 'inherit'): ChildProcess {
  const [file = '', ...args] = inNetns(command.vm.netns, command.argv);
  return spawn(file, args, {
    stdio,
    env: vmEnvironment(command.record, command.vm, command.paths),
  });
}

export interface Daemon {
  readonly pid: number;
  /** Its exit code or signal once it has exited while this process watched. */
  exited(): number | string | undefined;
}

/**
 * A long-running command on the VM, detached from this process (it outlives `lab up`), its
 * output appended to `logFile`.
 */
export function startDaemonOnVm(command: VmCommand, logFile: string): Daemon {
  const fd = openSync(logFile, 'a');
  try {
    const [file = '', ...args] = inNetns(command.vm.netns, command.argv);
    const child = spawn(file, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: vmEnvironment(command.record, command.vm, command.paths),
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${command.argv.join(' ')}`);
    let code: number | string | undefined;
    child.once('exit', (c, signal) => (code = c ?? signal ?? 'unknown'));
    child.unref();
    return { pid, exited: () => code };
  } finally {
    closeSync(fd);
  }
}

/** Whether process `pid` exists (signal 0: the kernel's own check, no signal is sent). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's; ESRCH: it does not.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
