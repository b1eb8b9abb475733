// How many bytes wait unread in a FIFO: ioctl(FIONREAD), which Linux answers on either end of a
// pipe. Node has no ioctl; koffi (the runtime's FFI, ./libc.ts) calls libc's.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { libcCalls } from './libc.js';

const FIONREAD = 0x541b;

type Ioctl = (fd: number, request: number, type: string, arg: Buffer) => number;

const loadIoctl = libcCalls(
  'conmon gets control lines without waiting for its reads',
  (c): Ioctl => {
    const call = c.lib.func('int ioctl(int fd, unsigned long request, ...)');
    return (fd, request, type, arg) => Number(call(fd, request, type, arg));
  },
);

/**
 * The unread bytes in the FIFO at `path`, opened for writing without blocking (so it fails with
 * ENXIO when nobody reads it); undefined when koffi is unavailable on this host.
 */
export async function fifoBacklog(path: string): Promise<number | undefined> {
  const call = await loadIoctl();
  if (call === null) return undefined;
  const handle = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    const count = Buffer.alloc(4);
    if (call(handle.fd, FIONREAD, 'void *', count) !== 0) {
      throw new Error(`ioctl(FIONREAD) on ${path} failed`);
    }
    return count.readInt32LE(0);
  } finally {
    await handle.close();
  }
}
