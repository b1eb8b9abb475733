// mount(2) and umount2(2) called from the runtime's own process, through koffi (./libc.ts).
// Every container and pod sandbox mounts its rootfs (and a pod its /dev/shm) on create and
// unmounts them on stop; with
// the `mount` and `umount` programs each of those was a process of its own, forked from a
// runtime of ~100 MB, and on a loaded 2-core machine every new process first waits its turn for
// a CPU — tens of milliseconds per container under load, where the system call itself takes well
// under one. containerd mounts with the system call too (in its shim).
//
// The calls run on libuv's thread pool (koffi's async calls), never on the event loop: an
// unmount syncs the filesystem and may take milliseconds. Where koffi cannot load (a platform it
// has no binary for), the programs are used as before, with the same flags and options.
import { inspect } from 'node:util';
import { run } from '../network/exec.js';
import { describeErrno, libcCalls } from './libc.js';

/** The MS_* flags skiff mounts with, by the name mount(8) gives them. */
const mountFlagBits = { nosuid: 0x2, nodev: 0x4, noexec: 0x8 } as const;
export type MountFlag = keyof typeof mountFlagBits;

const MNT_DETACH = 0x2;
const EBUSY = 16;

export interface MountRequest {
  /** The filesystem type (overlay, tmpfs). */
  readonly fstype: string;
  /** The source as /proc/self/mountinfo shows it (overlay, shm). */
  readonly source: string;
  readonly target: string;
  readonly flags?: readonly MountFlag[];
  /** The filesystem's own options (lowerdir=…, size=…), comma-separated. */
  readonly data: string;
}

type Syscall = (...args: unknown[]) => void;

interface Libc {
  readonly mount: Syscall;
  readonly umount2: Syscall;
  readonly errno: () => number;
}

/** The calls, or null when koffi has no binary for this platform. */
const loadLibc = libcCalls('mounting with the mount(8) program', (c): Libc => {
  const mount = c.lib.func(
    'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
  );
  const umount2 = c.lib.func('int umount2(const char *target, int flags)');
  return {
    mount: (...args) => void mount.async(...args),
    umount2: (...args) => void umount2.async(...args),
    errno: c.errno,
  };
});

/** Whether mounts are made by system calls in this process (false: by the programs). */
export async function mountsBySystemCall(): Promise<boolean> {
  return (await loadLibc()) !== null;
}

export async function mountFilesystem(request: MountRequest): Promise<void> {
  const flags = request.flags ?? [];
  const c = await loadLibc();
  if (c === null) {
    const options = [...flags, request.data].filter((o) => o !== '').join(',');
    await run('mount', ['-t', request.fstype, '-o', options, request.source, request.target]);
    return;
  }
  const bits = flags.reduce((sum, flag) => sum | mountFlagBits[flag], 0);
  const errno = await call(c, c.mount, [
    request.source,
    request.target,
    request.fstype,
    bits,
    request.data,
  ]);
  if (errno !== 0) {
    throw new Error(
      `mounting ${request.fstype} on ${request.target}: ${describeErrno(errno)} (options ${request.data})`,
    );
  }
}

/**
 * Unmounts `target`. A mount still busy (a process lingers in it) is detached lazily: it leaves
 * the tree now and is freed when its last user goes.
 */
export async function unmountFilesystem(target: string): Promise<void> {
  const c = await loadLibc();
  if (c === null) {
    try {
      await run('umount', [target]);
    } catch (err) {
      if (!/busy/i.test((err as Error).message)) throw err;
      await run('umount', ['-l', target]);
    }
    return;
  }
  let errno = await call(c, c.umount2, [target, 0]);
  if (errno === EBUSY) errno = await call(c, c.umount2, [target, MNT_DETACH]);
  if (errno !== 0) throw new Error(`unmounting ${target}: ${describeErrno(errno)}`);
}

/** Runs a libc call that returns 0 or -1 on the thread pool; resolves with its errno (0: done). */
function call(c: Libc, fn: Syscall, args: readonly unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    fn(...args, (err: unknown, result: unknown) => {
      if (err !== null && err !== undefined) {
        reject(err instanceof Error ? err : new Error(inspect(err)));
        return;
      }
      // koffi hands the worker's errno to the callback's thread for the callback's duration.
      resolve(result === 0 ? 0 : c.errno());
    });
  });
}
