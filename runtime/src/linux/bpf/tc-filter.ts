// A BPF program on a link's ingress, the way `tc qdisc add dev X clsact` and `tc filter replace
// dev X ingress prio P handle 1 bpf direct-action fd N` put it there, sent as rtnetlink messages
// (iproute2's tc only takes a program from an ELF file or a pin). The filter holds the program:
// it outlives the process that loaded it and goes away with its link.
//
// The filter runs in direct-action mode: the program's return value is the verdict (TC_ACT_*),
// and TC_ACT_UNSPEC hands the packet to the next filter, or to the stack when there is none, so a
// program of ours composes with anyone else's on the same link.
import {
  attribute,
  attributes,
  exchange,
  message,
  NLA_F_NESTED,
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
  requireCalls,
  RtnetlinkError,
  u32,
} from '../rtnetlink-exchange.js';

const RTM_NEWQDISC = 36;
const RTM_NEWTFILTER = 44;
const RTM_DELTFILTER = 45;
const RTM_GETTFILTER = 46;

const TCA_KIND = 1;
const TCA_OPTIONS = 2;
const TCA_BPF_FD = 6;
const TCA_BPF_NAME = 7;
const TCA_BPF_FLAGS = 8;
const TCA_BPF_ID = 11;
const TCA_BPF_FLAG_ACT_DIRECT = 1;

/** The clsact qdisc's handle (ffff:) and parent; its ingress hook is ffff:fff2. */
const CLSACT_HANDLE = 0xffff0000;
const TC_H_CLSACT = 0xfffffff1;
const CLSACT_INGRESS = 0xfffffff2;
const FILTER_HANDLE = 1;
/** ETH_P_IP in network byte order, as tcm_info's low half wants it: IPv4 packets only. */
const ETH_P_IP_BE = 0x0008;

const TCMSG_LEN = 20;
const ENOENT = 2;
const EEXIST = 17;
const EINVAL = 22;

export const TC_ACT_UNSPEC = -1;
export const TC_ACT_OK = 0;
export const TC_ACT_SHOT = 2;
export const TC_ACT_REDIRECT = 7;

export interface IngressFilter {
  /** The filter's priority on the link (lower runs first); ours, so replacing it touches no one else's. */
  readonly priority: number;
  /** The program's name as loaded (`tc filter show` prints it). */
  readonly name: string;
}

/** Attaches (or swaps in) the program `programFd` on link `ifindex`'s ingress. */
export async function attachIngressProgram(
  ifindex: number,
  filter: IngressFilter,
  programFd: number,
  netnsPath?: string,
): Promise<void> {
  const c = await requireCalls();
  // A bad priority is refused before the link is touched, not after its qdisc is added.
  const filterInfo = info(filter.priority);
  const clsact = message(
    RTM_NEWQDISC,
    NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    tcmsg(ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0),
    [attribute(TCA_KIND, Buffer.from('clsact\0'))],
  );
  try {
    exchange(c, netnsPath, clsact, () => undefined);
  } catch (err) {
    if (!isErrno(err, EEXIST)) throw withContext(err, `adding a clsact qdisc to link ${ifindex}`);
  }
  const options = Buffer.concat([
    attribute(TCA_BPF_FD, u32(programFd)),
    attribute(TCA_BPF_NAME, Buffer.from(`${filter.name}\0`)),
    attribute(TCA_BPF_FLAGS, u32(TCA_BPF_FLAG_ACT_DIRECT)),
  ]);
  const request = message(
    RTM_NEWTFILTER,
    NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
    tcmsg(ifindex, FILTER_HANDLE, CLSACT_INGRESS, filterInfo),
    [attribute(TCA_KIND, Buffer.from('bpf\0')), attribute(TCA_OPTIONS | NLA_F_NESTED, options)],
  );
  try {
    exchange(c, netnsPath, request, () => undefined);
  } catch (err) {
    throw withContext(err, `attaching BPF program ${filter.name} to link ${ifindex}'s ingress`);
  }
}

/** Removes our filter from link `ifindex`'s ingress; false when it was not there. */
export async function detachIngressProgram(
  ifindex: number,
  filter: IngressFilter,
  netnsPath?: string,
): Promise<boolean> {
  const c = await requireCalls();
  const request = message(
    RTM_DELTFILTER,
    NLM_F_REQUEST | NLM_F_ACK,
    tcmsg(ifindex, FILTER_HANDLE, CLSACT_INGRESS, info(filter.priority)),
    [attribute(TCA_KIND, Buffer.from('bpf\0'))],
  );
  try {
    exchange(c, netnsPath, request, () => undefined);
    return true;
  } catch (err) {
    // No clsact (EINVAL) or no such filter (ENOENT): nothing of ours was there.
    if (isErrno(err, ENOENT) || isErrno(err, EINVAL)) return false;
    throw withContext(err, `removing BPF filter ${filter.name} from link ${ifindex}`);
  }
}

export interface AttachedProgram {
  readonly priority: number;
  readonly name: string;
  /** The kernel's id of the program (`bpftool prog show id N`). */
  readonly programId: number | undefined;
}

/** The BPF filters on link `ifindex`'s ingress (none without a clsact qdisc). */
export async function listIngressPrograms(
  ifindex: number,
  netnsPath?: string,
): Promise<AttachedProgram[]> {
  const c = await requireCalls();
  const request = message(
    RTM_GETTFILTER,
    NLM_F_REQUEST | NLM_F_DUMP,
    tcmsg(ifindex, 0, CLSACT_INGRESS, 0),
    [],
  );
  const found: AttachedProgram[] = [];
  try {
    exchange(c, netnsPath, request, (_type, body) => {
      const attrs = attributes(body.subarray(TCMSG_LEN));
      const options = attrs.get(TCA_OPTIONS);
      if (attrs.get(TCA_KIND)?.toString('latin1') !== 'bpf\0' || options === undefined) return;
      const bpf = attributes(options);
      const name = bpf.get(TCA_BPF_NAME);
      const id = bpf.get(TCA_BPF_ID);
      found.push({
        priority: body.readUInt32LE(16) >>> 16,
        name: name === undefined ? '' : name.toString('utf8').replace(/\0+$/, ''),
        programId: id === undefined ? undefined : id.readUInt32LE(0),
      });
    });
  } catch (err) {
    if (isErrno(err, EINVAL)) return [];
    throw withContext(err, `listing link ${ifindex}'s ingress filters`);
  }
  return found;
}

function tcmsg(ifindex: number, handle: number, parent: number, tcmInfo: number): Buffer {
  const out = Buffer.alloc(TCMSG_LEN);
  out.writeInt32LE(ifindex, 4);
  out.writeUInt32LE(handle >>> 0, 8);
  out.writeUInt32LE(parent >>> 0, 12);
  out.writeUInt32LE(tcmInfo >>> 0, 16);
  return out;
}

/** tcm_info of a filter: its priority in the high half, the protocol it sees in the low. */
function info(priority: number): number {
  if (!Number.isInteger(priority) || priority < 1 || priority > 0xffff) {
    throw new Error(`invalid tc filter priority ${priority}`);
  }
  return ((priority << 16) | ETH_P_IP_BE) >>> 0;
}

function isErrno(err: unknown, errno: number): boolean {
  return err instanceof RtnetlinkError && err.errno === errno;
}

function withContext(err: unknown, what: string): Error {
  return new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
