// rtnetlink through koffi, for the link attributes this project's hosts' iproute2 cannot set:
// Debian 12 ships iproute2 6.1, and `gso_ipv4_max_size` / `gro_ipv4_max_size` (IPv4 BIG TCP,
// kernel 6.3) came with iproute2 6.3. Only what the pod network needs: list the links of a
// network namespace with those sizes, and set them on one link.
//
// A netlink socket belongs to the network namespace it was created in, so for another namespace
// this thread enters it, creates the socket and comes back before any other code runs on it
// (thread-namespaces.ts). The exchange itself is a few synchronous calls.
import { errorMessage } from '@skiff/api';
import { describeErrno, libcCalls } from './libc.js';
import { withThreadIn } from './thread-namespaces.js';

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0x80000;
const NETLINK_ROUTE = 0;

const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const NLM_F_REQUEST = 0x1;
const NLM_F_MULTI = 0x2;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP = 0x300;

const IFLA_IFNAME = 3;
const IFLA_IFALIAS = 20;
const IFLA_LINKINFO = 18;
const IFLA_INFO_KIND = 1;
const IFLA_GSO_IPV4_MAX_SIZE = 63;
const IFLA_GRO_IPV4_MAX_SIZE = 64;

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;

const NLMSG_HDRLEN = 16;
const IFINFOMSG_LEN = 16;

export interface LinkSizes {
  readonly index: number;
  readonly name: string;
  readonly up: boolean;
  readonly loopback: boolean;
  readonly alias: string | undefined;
  /** `bridge`, `veth`, `vxlan`…; undefined for a physical device. */
  readonly kind: string | undefined;
  /** Largest IPv4 GSO packet the kernel builds for this device; undefined before kernel 6.3. */
  readonly gsoIpv4MaxSize: number | undefined;
  readonly groIpv4MaxSize: number | undefined;
}

interface Calls {
  readonly socket: (domain: number, type: number, protocol: number) => number;
  readonly send: (fd: number, buf: Buffer, length: number, flags: number) => number;
  readonly recv: (fd: number, buf: Buffer, length: number, flags: number) => number;
  readonly close: (fd: number) => number;
  readonly setns: (fd: number, nstype: number) => number;
  readonly errno: () => number;
}

const loadCalls = libcCalls('pod veths keep the default GSO size (64 KiB)', (c): Calls => {
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

/** Whether koffi can load here; without it nothing in this file can run. */
export async function rtnetlinkAvailable(): Promise<boolean> {
  return (await loadCalls()) !== null;
}

/** The links of the namespace at `netnsPath` (this thread's own when undefined). */
export async function listLinkSizes(netnsPath?: string): Promise<LinkSizes[]> {
  const c = await requireCalls();
  const request = message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, ifinfomsg(0), []);
  const links: LinkSizes[] = [];
  exchange(c, netnsPath, request, (type, body) => {
    if (type === RTM_NEWLINK) links.push(parseLink(body));
  });
  return links;
}

/**
 * Sets the IPv4 GSO and GRO maximum sizes of the link named `name` (BIG TCP above 65536), in the
 * namespace at `netnsPath` (this thread's own when undefined).
 */
export async function setLinkIpv4GsoGroMaxSize(
  name: string,
  size: number,
  netnsPath?: string,
): Promise<void> {
  if (!Number.isInteger(size) || size < 1 || size > 0x7fffffff) {
    throw new Error(`invalid GSO size ${size}`);
  }
  const c = await requireCalls();
  const request = message(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, ifinfomsg(0), [
    attribute(IFLA_IFNAME, Buffer.from(`${name}\0`)),
    attribute(IFLA_GSO_IPV4_MAX_SIZE, u32(size)),
    attribute(IFLA_GRO_IPV4_MAX_SIZE, u32(size)),
  ]);
  try {
    exchange(c, netnsPath, request, () => undefined);
  } catch (err) {
    throw new Error(`setting the IPv4 GSO/GRO size of ${name} to ${size}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

async function requireCalls(): Promise<Calls> {
  const c = await loadCalls();
  if (c === null) throw new Error('rtnetlink needs koffi, which cannot load here');
  return c;
}

/** Sends one request and reads replies until its ACK or the end of its dump. */
function exchange(
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
          throw new Error(describeErrno(-error));
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

function parseLink(body: Buffer): LinkSizes {
  const index = body.readInt32LE(4);
  const flags = body.readUInt32LE(8);
  const attrs = attributes(body.subarray(IFINFOMSG_LEN));
  const text = (value: Buffer | undefined): string | undefined =>
    value === undefined ? undefined : value.toString('utf8').replace(/\0+$/, '');
  const number = (value: Buffer | undefined): number | undefined =>
    value === undefined || value.length < 4 ? undefined : value.readUInt32LE(0);
  const linkinfo = attrs.get(IFLA_LINKINFO);
  return {
    index,
    name: text(attrs.get(IFLA_IFNAME)) ?? `if${index}`,
    up: (flags & IFF_UP) !== 0,
    loopback: (flags & IFF_LOOPBACK) !== 0,
    alias: text(attrs.get(IFLA_IFALIAS)),
    kind: linkinfo === undefined ? undefined : text(attributes(linkinfo).get(IFLA_INFO_KIND)),
    gsoIpv4MaxSize: number(attrs.get(IFLA_GSO_IPV4_MAX_SIZE)),
    groIpv4MaxSize: number(attrs.get(IFLA_GRO_IPV4_MAX_SIZE)),
  };
}

/** The top-level attributes of a netlink payload, by type (the nested flag bit cleared). */
function attributes(payload: Buffer): Map<number, Buffer> {
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

function message(type: number, flags: number, header: Buffer, attrs: readonly Buffer[]): Buffer {
  const body = Buffer.concat([header, ...attrs]);
  const head = Buffer.alloc(NLMSG_HDRLEN);
  head.writeUInt32LE(NLMSG_HDRLEN + body.length, 0);
  head.writeUInt16LE(type, 4);
  head.writeUInt16LE(flags, 6);
  head.writeUInt32LE(1, 8);
  return Buffer.concat([head, body]);
}

function ifinfomsg(index: number): Buffer {
  const header = Buffer.alloc(IFINFOMSG_LEN);
  header.writeInt32LE(index, 4);
  return header;
}

function attribute(type: number, value: Buffer): Buffer {
  const out = Buffer.alloc(align(4 + value.length));
  out.writeUInt16LE(4 + value.length, 0);
  out.writeUInt16LE(type, 2);
  value.copy(out, 4);
  return out;
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value, 0);
  return out;
}

const align = (length: number): number => (length + 3) & ~3;
