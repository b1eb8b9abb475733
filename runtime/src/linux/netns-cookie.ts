// A network namespace's cookie (SO_NETNS_COOKIE, Linux 5.14+): a 64-bit number the kernel gives
// each namespace once per boot and never gives again. Things kept outside a namespace but meant
// for it (the pod fast path's pins in the BPF filesystem) are named by it, not by the inode of
// /proc/<pid>/ns/net: a freed namespace's inode number goes to the next namespace made, which
// would then find the old one's leftovers as if they were its own.
import { describeErrno, libcCalls } from './libc.js';
import { withThreadIn } from './thread-namespaces.js';

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0x80000;
const SOL_SOCKET = 1;
const SO_NETNS_COOKIE = 71;

interface Calls {
  readonly socket: (domain: number, type: number, protocol: number) => number;
  readonly getsockopt: (
    fd: number,
    level: number,
    name: number,
    value: Buffer,
    length: Buffer,
  ) => number;
  readonly close: (fd: number) => number;
  readonly setns: (fd: number, nstype: number) => number;
  readonly errno: () => number;
}

const loadCalls = libcCalls('network namespace cookies are unavailable', (c): Calls => {
  const socket = c.lib.func('int socket(int domain, int type, int protocol)');
  const getsockopt = c.lib.func(
    'int getsockopt(int fd, int level, int name, void *value, uint32_t *length)',
  );
  const close = c.lib.func('int close(int fd)');
  const setns = c.lib.func('int setns(int fd, int nstype)');
  return {
    socket: (...args) => Number(socket(...args)),
    getsockopt: (fd, level, name, value, length) =>
      Number(getsockopt(fd, level, name, value, length)),
    close: (fd) => Number(close(fd)),
    setns: (fd, nstype) => Number(setns(fd, nstype)),
    errno: c.errno,
  };
});

/** The cookie of the namespace at `netnsPath` (this thread's own when undefined). */
export async function netnsCookie(netnsPath?: string): Promise<bigint> {
  const c = await loadCalls();
  if (c === null) throw new Error('reading a network namespace cookie needs koffi');
  const open = (): number => {
    const fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw new Error(`opening a socket: ${describeErrno(c.errno())}`);
    return fd;
  };
  // The socket belongs to the namespace it is made in, whatever the thread does next.
  const fd = netnsPath === undefined ? open() : withThreadIn(c, netnsPath, 'net', open);
  try {
    const value = Buffer.alloc(8);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(8, 0);
    if (c.getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, value, length) !== 0) {
      throw new Error(`reading SO_NETNS_COOKIE: ${describeErrno(c.errno())}`);
    }
    return value.readBigUInt64LE(0);
  } finally {
    c.close(fd);
  }
}
