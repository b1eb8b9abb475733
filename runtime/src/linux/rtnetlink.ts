// rtnetlink through koffi, for the link attributes this project's hosts' iproute2 cannot set:
// Debian 12 ships iproute2 6.1, and `gso_ipv4_max_size` / `gro_ipv4_max_size` (IPv4 BIG TCP,
// kernel 6.3) came with iproute2 6.3. Only what the pod network needs: list the links of a
// network namespace with those sizes, and set them on one link.
// The socket and the codec are rtnetlink-exchange.ts's.
import { errorMessage } from '@skiff/api';
import {
  attribute,
  attributes,
  exchange,
  message,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
  requireCalls,
  u32,
} from './rtnetlink-exchange.js';

export { rtnetlinkAvailable } from './rtnetlink-exchange.js';

const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;

const IFLA_IFNAME = 3;
const IFLA_IFALIAS = 20;
const IFLA_LINKINFO = 18;
const IFLA_INFO_KIND = 1;
const IFLA_GSO_IPV4_MAX_SIZE = 63;
const IFLA_GRO_IPV4_MAX_SIZE = 64;

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;

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

function ifinfomsg(index: number): Buffer {
  const header = Buffer.alloc(IFINFOMSG_LEN);
  header.writeInt32LE(index, 4);
  return header;
}
