// The rtnetlink socket and message codec shared by the link calls (rtnetlink.ts) and the traffic
// control calls (bpf/tc-filter.ts): build a request (a header, a fixed struct, attributes), send
// it on a NETLINK_ROUTE socket, read until its ACK or the end of its dump, and turn an error
// reply into the errno it carries.
//
// A netlink socket belongs to the network namespace it was created in, so for another namespace
// this thread enters it, creates the socket and comes back before any other code runs on it
// (thread-namespaces.ts). The exchange itself is a few synchronous calls.
import { describeErrno, libcCalls } from './libc.js';
import { withThreadIn } from './thread-namespaces.js';

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0x80000;
const NETLINK_ROUTE = 0;

const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
export const NLM_F_REQUEST = 0x1;
const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_REPLACE = 0x100;
export const NLM_F_DUMP = 0x300;
export const NLA_F_NESTED = 0x8000;

const NLMSG_HDRLEN = 16;

/** The kernel refused a request: the errno its error reply carried. */
export class RtnetlinkError extends Error {
  constructor(readonly errno: number) {
    super(describeErrno(errno));
    this.name = 'RtnetlinkError';
  }
}

export interface Calls {
  readonly socket: (domain: number, type: number, protocol: number) => number;
  readonly send: (fd: number, buf: Buffer, length: number, flags: number) => number;
  readonly recv: (fd: number, buf: Buffer, length: number, flags: number) => number;
  readonly close: (fd: number) => number;
  readonly setns: (fd: number, nstype: number) => number;
  readonly errno: () => number;
}

const loadCalls = libcCalls('rtnetlink is unavailable', (c): Calls => {
  const socket = c.lib.func('int socket(int domain, int type, int protocol)');
  const send = c.lib.func('long send(int fd, const void *buf, size_t len, int flags)');
  const recv = c.lib.func('long recv(int fd, void *buf, size_t len, int flags)');
  const close = c.lib.func('int close(int fd)');
  const setns = c.lib.func('int setns(int fd, int nstype)');
  return {
    socket: (...args) => Number(socket(...args)),
    send: (...args) => Number(send(...args)),
    recv: (...args) => Number(recv(...args)),
    close: (fd) => Number(close(fd)),
    setns: (fd, nstype) => Number(setns(fd, nstype)),
    errno: c.errno,
  };
});

/** Whether koffi can load here; without it no rtnetlink call can run. */
export async function rtnetlinkAvailable(): Promise<boolean> {
  return (await loadCalls()) !== null;
}

export async function requireCalls(): Promise<Calls> {
  const c = await loadCalls();
  if (c === null) throw new Error('rtnetlink needs koffi, which cannot load here');
  return c;
}

/** Sends one request and reads replies until its ACK or the end of its dump. */
export function exchange(
  c: Calls,
  netnsPath: string | undefined,
  request: Buffer,
  onMessage: (type: number, body: Buffer) => void,
): void {
  const fd = openSocket(c, netnsPath);
  try {
    if (c.send(fd, request, request.length, 0) !== request.length) {
      throw new Error(`sending to rtnetlink: ${describeErrno(c.errno())}`);
    }
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      const n = c.recv(fd, buf, buf.length, 0);
      if (n < 0) throw new Error(`reading rtnetlink: ${describeErrno(c.errno())}`);
      let offset = 0;
      let more = false;
      while (offset + NLMSG_HDRLEN <= n) {
        const length = buf.readUInt32LE(offset);
        const type = buf.readUInt16LE(offset + 4);
        const flags = buf.readUInt16LE(offset + 6);
        if (length < NLMSG_HDRLEN || offset + length > n)
          throw new Error('truncated rtnetlink reply');
        const body = buf.subarray(offset + NLMSG_HDRLEN, offset + length);
        if (type === NLMSG_DONE) return;
        if (type === NLMSG_ERROR) {
          const error = body.readInt32LE(0);
          if (error === 0) return;
          throw new RtnetlinkError(-error);
        }
        onMessage(type, Buffer.from(body));
        more ||= (flags & NLM_F_MULTI) !== 0;
        offset += align(length);
      }
      // A reply that is neither an ACK nor part of a dump ends the exchange.
      if (!more) return;
    }
  } finally {
    c.close(fd);
  }
}

function openSocket(c: Calls, netnsPath: string | undefined): number {
  const open = (): number => {
    const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) throw new Error(`opening an rtnetlink socket: ${describeErrno(c.errno())}`);
    return fd;
  };
  return netnsPath === undefined ? open() : withThreadIn(c, netnsPath, 'net', open);
}

/** The top-level attributes of a netlink payload, by type (the nested flag bit cleared). */
export function attributes(payload: Buffer): Map<number, Buffer> {
  const found = new Map<number, Buffer>();
  let offset = 0;
  while (offset + 4 <= payload.length) {
    const length = payload.readUInt16LE(offset);
    const type = payload.readUInt16LE(offset + 2) & 0x3fff;
    if (length < 4 || offset + length > payload.length) break;
    found.set(type, payload.subarray(offset + 4, offset + length));
    offset += align(length);
  }
  return found;
}

export function message(
  type: number,
  flags: number,
  header: Buffer,
  attrs: readonly Buffer[],
): Buffer {
  const body = Buffer.concat([header, ...attrs]);
  const head = Buffer.alloc(NLMSG_HDRLEN);
  head.writeUInt32LE(NLMSG_HDRLEN + body.length, 0);
  head.writeUInt16LE(type, 4);
  head.writeUInt16LE(flags, 6);
  head.writeUInt32LE(1, 8);
  return Buffer.concat([head, body]);
}

export function attribute(type: number, value: Buffer): Buffer {
  const out = Buffer.alloc(align(4 + value.length));
  out.writeUInt16LE(4 + value.length, 0);
  out.writeUInt16LE(type, 2);
  value.copy(out, 4);
  return out;
}

export function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value, 0);
  return out;
}

export const align = (length: number): number => (length + 3) & ~3;
