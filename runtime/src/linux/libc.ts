// libc through koffi, the C FFI the runtime makes its system calls with (Node has no mount(2),
// unshare(2), setns(2) or ioctl(2)); its prebuilt binary ships inside its npm package, so there
// is no build step. Loaded once, on first use rather than with a module: a host koffi has no
// binary for still starts, and each caller says what it does without (the programs instead, or
// a pause process).
import type { LibraryHandle } from 'koffi';
import { getSystemErrorMap } from 'node:util';

export interface Libc {
  readonly lib: LibraryHandle;
  /** errno of this thread's last call (in an async call's callback: the worker's). */
  readonly errno: () => number;
  /** Where a Buffer's bytes are, for structures that hold pointers (bpf(2)'s attributes). */
  readonly address: (buffer: Buffer) => bigint;
}

let loaded: Promise<Libc | Error> | undefined;

/** libc, or why koffi cannot load on this host. */
export function loadLibc(): Promise<Libc | Error> {
  loaded ??= open();
  return loaded;
}

async function open(): Promise<Libc | Error> {
  try {
    const { default: koffi } = await import('koffi');
    return {
      lib: koffi.load('libc.so.6'),
      errno: () => koffi.errno(),
      address: (buffer) => koffi.address(buffer),
    };
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * A loader for the calls `bind` makes from libc: they are bound once, on the first call; where
 * koffi cannot load, it resolves null after one warning saying what is done without.
 */
export function libcCalls<T>(without: string, bind: (c: Libc) => T): () => Promise<T | null> {
  let calls: Promise<T | null> | undefined;
  return () => {
    calls ??= loadLibc().then((c) => {
      if (!(c instanceof Error)) return bind(c);
      console.warn(`${without}: koffi is unavailable (${String(c)})`);
      return null;
    });
    return calls;
  };
}

/** `ENOENT (No such file or directory)` for an errno. */
export function describeErrno(errno: number): string {
  const [name, message] = getSystemErrorMap().get(-errno) ?? [`errno ${errno}`, 'unknown error'];
  return `${name} (${message})`;
}
