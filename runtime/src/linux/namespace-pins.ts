// A pod's IPC and UTS namespaces without a pause process: made by unshare(2) and pinned by bind
// mounts of their nsfs files, as `ip netns add` pins a network namespace (and as CRI-O does with
// its `pinns` helper when it drops the infra container). Containers join them by path; nothing
// runs for them, so nothing can die and take the sandbox with it.
//
// Why not a pause container: on this project's hosts a pause costs conmon, `runc create` (with
// `runc init`), `runc start` and at the end `runc kill` and `runc delete` — six processes and a
// rootfs mount per pod, about a third of a pod's start. A pod that shares one PID namespace
// (shareProcessNamespace) still gets a pause: a PID namespace needs a living init.
//
// The calls run on the event loop's own thread, synchronously: unshare(2) and setns(2) move only
// the calling thread between IPC, UTS and network namespaces, so this thread enters the new ones,
// sets the hostname and the pod's sysctls, bind-mounts them, and returns to its own before any
// other code of this process runs on it (no await in between). Each step is a few microseconds.
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { describeErrno, libcCalls } from './libc.js';
import { CLONE_NEW, openOwn, returnTo, withThreadIn } from './thread-namespaces.js';
import { sysctlNamespace } from './sysctls.js';

const MS_BIND = 0x1000;
const MNT_DETACH = 0x2;
const EINVAL = 22;
const ENOENT = 2;

/** The files a pod's IPC and UTS namespaces are pinned to (absent: the node's is used). */
export interface PinnedNamespaces {
  readonly ipc?: string;
  readonly uts?: string;
}

export interface PinRequest {
  /** Pin files are made in this (existing) directory. */
  readonly dir: string;
  readonly ipc: boolean;
  /** Set as the new UTS namespace's hostname; undefined: no UTS namespace of the pod's own. */
  readonly hostname: string | undefined;
  /** The pod's network namespace, entered to set `net.*` sysctls (undefined: hostNetwork). */
  readonly netnsPath: string | undefined;
  /** Namespaced sysctls (checked by checkPodSysctls), set inside the new namespaces. */
  readonly sysctls: Readonly<Record<string, string>>;
}

interface Libc {
  readonly unshare: (flags: number) => number;
  readonly setns: (fd: number, nstype: number) => number;
  readonly sethostname: (name: string, length: number) => number;
  readonly mount: (
    source: string,
    target: string,
    fstype: null,
    flags: number,
    data: null,
  ) => number;
  readonly umount2: (target: string, flags: number) => number;
  readonly errno: () => number;
}

/** Whether this process can pin namespaces (koffi has a binary for this platform). */
export async function canPinNamespaces(): Promise<boolean> {
  return (await loadLibc()) !== null;
}

/**
 * Makes the pod's IPC and UTS namespaces (as asked), sets its hostname and sysctls in them (and
 * the `net.*` ones in `netnsPath`), and pins them in `request.dir`. On failure nothing stays
 * pinned and the error names the step.
 */
export async function pinNamespaces(request: PinRequest): Promise<PinnedNamespaces> {
  const c = await requireLibc();
  const pins: { ipc?: string; uts?: string } = {};
  if (request.ipc) pins.ipc = `${request.dir}/ipc`;
  if (request.hostname !== undefined) pins.uts = `${request.dir}/uts`;
  // The mount points: empty files, as `ip netns add` makes them.
  for (const [, path] of pinList(pins)) closeSync(openSync(path, 'w'));
  try {
    inNamespaces(c, request, pins);
  } catch (err) {
    unpin(c, pins);
    throw err;
  }
  return pins;
}

/** Unmounts the pins (the namespaces go once no container is in them). Repeating it is harmless. */
export async function unpinNamespaces(pins: PinnedNamespaces): Promise<void> {
  const c = await loadLibc();
  // Without koffi nothing was pinned here (the sandboxes kept a pause process).
  if (c !== null) unpin(c, pins);
}

/** /proc/net/dev as the network namespace at `netnsPath` sees it (a pod's interface counters). */
export async function readNetDevIn(netnsPath: string): Promise<string> {
  const c = await requireLibc();
  return withThreadIn(c, netnsPath, 'net', () => readFileSync('/proc/thread-self/net/dev', 'utf8'));
}

function inNamespaces(c: Libc, request: PinRequest, pins: PinnedNamespaces): void {
  const flags = (pins.ipc ? CLONE_NEW.ipc : 0) | (pins.uts ? CLONE_NEW.uts : 0);
  const inNetwork = ([name]: [string, string]): boolean =>
    sysctlNamespace(name.replaceAll('/', '.')) === 'network';
  const netSysctls = Object.entries(request.sysctls).filter(inNetwork);
  const ownSysctls = Object.entries(request.sysctls).filter((entry) => !inNetwork(entry));
  if (flags !== 0) {
    const back = openOwn(['ipc', 'uts']);
    try {
      check(c, c.unshare(flags), 'unshare');
      try {
        if (request.hostname !== undefined) {
          check(
            c,
            c.sethostname(request.hostname, Buffer.byteLength(request.hostname)),
            `setting the hostname ${JSON.stringify(request.hostname)}`,
          );
        }
        for (const [name, value] of ownSysctls) writeSysctl(name, value);
        for (const [type, path] of pinList(pins)) {
          check(
            c,
            c.mount(`/proc/thread-self/ns/${type}`, path, null, MS_BIND, null),
            `pinning the ${type} namespace on ${path}`,
          );
        }
      } finally {
        returnTo(c, back);
      }
    } finally {
      for (const [, fd] of back) closeSync(fd);
    }
  }
  if (netSysctls.length > 0 && request.netnsPath !== undefined) {
    withThreadIn(c, request.netnsPath, 'net', () => {
      for (const [name, value] of netSysctls) writeSysctl(name, value);
    });
  }
}

/** A sysctl by its dotted name (or Kubernetes' slash form) through /proc/sys. */
function writeSysctl(name: string, value: string): void {
  const path = `/proc/sys/${name.includes('/') ? name : name.replaceAll('.', '/')}`;
  try {
    writeFileSync(path, value);
  } catch (err) {
    throw new Error(`setting sysctl ${name}=${value}: ${(err as Error).message}`, { cause: err });
  }
}

/** The pins as [namespace type, file] pairs. */
function pinList(pins: PinnedNamespaces): ['ipc' | 'uts', string][] {
  const list: ['ipc' | 'uts', string][] = [];
  if (pins.ipc !== undefined) list.push(['ipc', pins.ipc]);
  if (pins.uts !== undefined) list.push(['uts', pins.uts]);
  return list;
}

function unpin(c: Libc, pins: PinnedNamespaces): void {
  for (const [, path] of pinList(pins)) {
    // Not mounted (never pinned, or unpinned before) or not there: nothing to undo.
    if (c.umount2(path, MNT_DETACH) !== 0) {
      const errno = c.errno();
      if (errno !== EINVAL && errno !== ENOENT) {
        throw new Error(`unpinning the namespace on ${path}: ${describeErrno(errno)}`);
      }
    }
  }
}

function check(c: Libc, result: number, step: string): void {
  if (result !== 0) throw new Error(`${step}: ${describeErrno(c.errno())}`);
}

async function requireLibc(): Promise<Libc> {
  const c = await loadLibc();
  if (c === null) throw new Error('pinning namespaces needs koffi, which cannot load here');
  return c;
}

const loadLibc = libcCalls('sandboxes keep a pause process', (c): Libc => {
  const unshare = c.lib.func('int unshare(int flags)');
  const setns = c.lib.func('int setns(int fd, int nstype)');
  const sethostname = c.lib.func('int sethostname(const char *name, size_t len)');
  const mount = c.lib.func(
    'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data)',
  );
  const umount2 = c.lib.func('int umount2(const char *target, int flags)');
  return {
    unshare: (flags) => Number(unshare(flags)),
    setns: (fd, nstype) => Number(setns(fd, nstype)),
    sethostname: (name, length) => Number(sethostname(name, length)),
    mount: (...args) => Number(mount(...args)),
    umount2: (target, flags) => Number(umount2(target, flags)),
    errno: c.errno,
  };
});
