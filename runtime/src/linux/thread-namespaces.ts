// Running a few synchronous calls on this thread inside another namespace (namespace-pins.ts for
// a pod's IPC, UTS and network namespaces, rtnetlink.ts for a socket in a pod's netns).
// setns(2) and unshare(2) move only the calling thread, here the event loop's: it enters,
// works and comes back before any other JavaScript runs, so nothing else ever runs inside.

import { closeSync, openSync } from 'node:fs';
import { describeErrno } from './libc.js';

export type NamespaceType = 'ipc' | 'uts' | 'net';

/** CLONE_NEW* by namespace: setns(2)'s nstype, unshare(2)'s flags. */
export const CLONE_NEW: Readonly<Record<NamespaceType, number>> = {
  ipc: 0x08000000,
  uts: 0x04000000,
  net: 0x40000000,
};

/** The libc calls this needs, bound by the caller's koffi loader. */
export interface SetnsCall {
  readonly setns: (fd: number, nstype: number) => number;
  readonly errno: () => number;
}

/** Runs `work` on this thread inside the namespace at `path`, then returns to this thread's own. */
export function withThreadIn<T>(c: SetnsCall, path: string, type: NamespaceType, work: () => T): T {
  const back = openOwn([type]);
  const target = openSync(path, 'r');
  try {
    if (c.setns(target, CLONE_NEW[type]) !== 0)
      throw new Error(`entering ${path}: ${describeErrno(c.errno())}`);
    try {
      return work();
    } finally {
      returnTo(c, back);
    }
  } finally {
    closeSync(target);
    for (const [, fd] of back) closeSync(fd);
  }
}

/** This thread's own namespaces of these types, open, to come back to (the caller closes). */
export function openOwn(types: readonly NamespaceType[]): [NamespaceType, number][] {
  return types.map((type) => [type, openSync(`/proc/thread-self/ns/${type}`, 'r')]);
}

/** Puts this thread back in the namespaces `openOwn` opened. */
export function returnTo(c: SetnsCall, own: readonly [NamespaceType, number][]): void {
  for (const [type, fd] of own) {
    // Cannot fail for root going back to a namespace it holds open; if it ever did, this thread
    // would go on in a pod's namespace, and every process skiff starts after it too.
    if (c.setns(fd, CLONE_NEW[type]) !== 0) {
      throw new Error(
        `returning to the runtime's own ${type} namespace failed (${describeErrno(c.errno())}): restart skiff runtime`,
      );
    }
  }
}
