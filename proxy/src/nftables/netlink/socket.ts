// A NETLINK_NETFILTER socket, through koffi (the C FFI the runtime uses for its system calls:
// Node has no netlink sockets). The socket is made in the node's network namespace — the
// proxy's own, or a named one (`ip netns exec <name>`, as the tests and `skiff lab` run the
// proxy) — and stays there: a socket keeps the namespace it was created in, so only its
// creation enters the namespace, on this thread, and leaves again at once.
//
// The kernel handles a batch inside send(2) (validation, commit and every acknowledgement
// happen before the call returns), so sending runs on libuv's thread pool and the replies are
// then read without waiting.
import { closeSync, openSync } from 'node:fs';
import { getSystemErrorMap, inspect } from 'node:util';
import { parseReplies, type NlReply } from './attributes.js';

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_NETFILTER = 12;
const CLONE_NEWNET = 0x40000000;
const MSG_DONTWAIT = 0x40;
const EAGAIN = 11;
const RECEIVE_BUFFER = 1 << 16;

type Call = (...args: unknown[]) => unknown;
type AsyncCall = (...args: unknown[]) => void;

interface Libc {
  readonly socket: Call;
  readonly setns: Call;
  readonly close: Call;
  readonly recv: Call;
  readonly sendAsync: AsyncCall;
  readonly errno: () => number;
}

let libc: Promise<Libc> | undefined;

async function openLibc(): Promise<Libc> {
  // Loaded on first use, not with the module: a host without koffi's binary still starts.
  const { default: koffi } = await import('koffi');
  const lib = koffi.load('libc.so.6');
  const send = lib.func('long send(int fd, const void *buf, unsigned long len, int flags)');
  return {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    setns: lib.func('int setns(int fd, int nstype)'),
    close: lib.func('int close(int fd)'),
    recv: lib.func('long recv(int fd, _Out_ void *buf, unsigned long len, int flags)'),
    sendAsync: (...args) => void send.async(...args),
    errno: () => koffi.errno(),
  };
}

export function describeErrno(errno: number): string {
  const [name, message] = getSystemErrorMap().get(-Math.abs(errno)) ?? [
    `errno ${errno}`,
    'unknown error',
  ];
  return `${name} (${message})`;
}

export class NetfilterSocket {
  private constructor(
    private readonly c: Libc,
    private readonly fd: number,
  ) {}

  /** A socket in `netns` (a name under /run/netns), or in this process's namespace. */
  static async open(netns?: string): Promise<NetfilterSocket> {
    libc ??= openLibc();
    const c = await libc;
    const fd = netns === undefined ? createSocket(c) : inNamespace(c, netns, () => createSocket(c));
    return new NetfilterSocket(c, fd);
  }

  /** Sends one batch; resolves with every reply the kernel queued for it. */
  async exchange(batch: Buffer): Promise<NlReply[]> {
    const sent = await new Promise<number>((resolve, reject) => {
      this.c.sendAsync(this.fd, batch, batch.length, 0, (err: unknown, result: unknown) => {
        if (err !== null && err !== undefined) {
          reject(err instanceof Error ? err : new Error(inspect(err)));
          return;
        }
        // koffi hands the worker's errno to the callback's thread for the callback's duration.
        resolve(Number(result) < 0 ? -this.c.errno() : Number(result));
      });
    });
    if (sent < 0) throw new Error(`sending an nf_tables batch: ${describeErrno(-sent)}`);
    const replies: NlReply[] = [];
    const buf = Buffer.alloc(RECEIVE_BUFFER);
    for (;;) {
      const n = Number(this.c.recv(this.fd, buf, buf.length, MSG_DONTWAIT));
      if (n < 0) {
        const errno = this.c.errno();
        if (errno === EAGAIN) return replies;
        throw new Error(`reading nf_tables replies: ${describeErrno(errno)}`);
      }
      if (n === 0) return replies;
      replies.push(...parseReplies(buf.subarray(0, n)));
    }
  }

  close(): void {
    this.c.close(this.fd);
  }
}

function createSocket(c: Libc): number {
  const fd = Number(c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER));
  if (fd < 0) throw new Error(`opening a netfilter netlink socket: ${describeErrno(c.errno())}`);
  return fd;
}

/** Runs `fn` with this thread in network namespace `name`, and returns to the own one. */
function inNamespace<T>(c: Libc, name: string, fn: () => T): T {
  const own = openSync('/proc/thread-self/ns/net', 'r');
  try {
    const target = openSync(`/run/netns/${name}`, 'r');
    const entered = Number(c.setns(target, CLONE_NEWNET)) === 0;
    const errno = entered ? 0 : c.errno();
    closeSync(target);
    if (!entered) throw new Error(`entering network namespace ${name}: ${describeErrno(errno)}`);
    const outcome = attempt(fn);
    // Staying in the other namespace would move every later socket of this process there.
    if (Number(c.setns(own, CLONE_NEWNET)) !== 0)
      throw new Error(`leaving network namespace ${name}: ${describeErrno(c.errno())}`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  } finally {
    closeSync(own);
  }
}

function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
