// The pod fast path on one node (decision 0023): its two programs loaded for the node's podCIDR,
// to-pods on the uplink (and the VXLAN device), to-nodes on every pod's host veth and pinned for
// the runtime to put on the veths of pods yet to come (@skiff/runtime's pod-fast-path.ts).
// Loading again (a new podCIDR, a restart) swaps the programs in place on every link: a filter
// is replaced, never removed and re-added, so no packet meets a link without one.
import { errorMessage } from '@skiff/api';
import {
  attachIngressProgram,
  BPF_PROG_TYPE_SCHED_CLS,
  closeFd,
  createCounterMap,
  detachIngressProgram,
  ensureBpfFilesystem,
  fastPathPinDir,
  kernelFunctionId,
  listLinkSizes,
  listPodHostVeths,
  loadProgram,
  pinObject,
  readCounter,
  removeFastPathPins,
  TO_NODES_FILTER,
  TO_NODES_PIN,
  TO_PODS_FILTER,
} from '@skiff/runtime/bpf';
import { mkdir, rm } from 'node:fs/promises';
import { assembleFastPath, COUNTER, COUNTER_ENTRIES } from './programs.js';

export interface FastPathOptions {
  readonly clusterCIDR: string;
  readonly podCIDR: string;
  /** The node's network namespace, when it is not this process's own (tests, the benchmark). */
  readonly netnsPath?: string;
}

export interface FastPathCounters {
  readonly toNodesPackets: bigint;
  readonly toNodesBytes: bigint;
  readonly toPodsPackets: bigint;
  readonly toPodsBytes: bigint;
}

/** What the kernel is told: kfuncs are only for GPL-compatible programs. */
const LICENSE = 'Dual MIT/GPL';

export class FastPath {
  private constructor(
    readonly options: FastPathOptions,
    private readonly countersFd: number,
    private readonly toNodesFd: number,
    private readonly toPodsFd: number,
  ) {}

  /** Loads the node's programs, or throws saying why this kernel cannot have the fast path. */
  static async load(options: FastPathOptions): Promise<FastPath> {
    const ctLookupId = kernelFunctionId('bpf_skb_ct_lookup');
    const ctReleaseId = kernelFunctionId('bpf_ct_release');
    if (ctLookupId instanceof Error) throw needsConntrackKfuncs(ctLookupId);
    if (ctReleaseId instanceof Error) throw needsConntrackKfuncs(ctReleaseId);
    const countersFd = await createCounterMap('skiff_fastpath', COUNTER_ENTRIES);
    const loaded: number[] = [countersFd];
    try {
      const programs = assembleFastPath({ ...options, ctLookupId, ctReleaseId, countersFd });
      const load = async (instructions: Buffer, name: string): Promise<number> => {
        const fd = await loadProgram({
          type: BPF_PROG_TYPE_SCHED_CLS,
          instructions,
          license: LICENSE,
          name,
        });
        loaded.push(fd);
        return fd;
      };
      const toNodes = await load(programs.toNodes, TO_NODES_FILTER.name);
      const toPods = await load(programs.toPods, TO_PODS_FILTER.name);
      return new FastPath(options, countersFd, toNodes, toPods);
    } catch (err) {
      for (const fd of loaded) await closeFd(fd);
      throw err;
    }
  }

  /**
   * Pins to-nodes under the namespace's directory, where the runtime takes it for each new pod
   * veth. A pin cannot be replaced in place: a pod veth made meanwhile gets the old program or
   * none, and the next attach() sets it right.
   */
  async pin(): Promise<void> {
    await ensureBpfFilesystem();
    const pin = `${await fastPathPinDir(this.options.netnsPath)}/${TO_NODES_PIN}`;
    await rm(pin, { force: true });
    await mkdir(pin.slice(0, pin.lastIndexOf('/')), { recursive: true });
    await pinObject(this.toNodesFd, pin);
  }

  /**
   * Puts the programs on the node's links: to-pods on `ingressDevices` (the uplink, the VXLAN
   * device) and to-nodes on every pod veth there is. Replacing a filter with the same program is
   * harmless, so each sync does it all: pods made before the pin get theirs here.
   */
  async attach(ingressDevices: readonly string[]): Promise<void> {
    const { netnsPath } = this.options;
    const links = await listLinkSizes(netnsPath);
    for (const name of ingressDevices) {
      const link = links.find((l) => l.name === name);
      if (link === undefined) throw new Error(`no link ${name} to put the fast path on`);
      await attachIngressProgram(link.index, TO_PODS_FILTER, this.toPodsFd, netnsPath);
    }
    for (const veth of await listPodHostVeths(netnsPath)) {
      try {
        await attachIngressProgram(veth.index, TO_NODES_FILTER, this.toNodesFd, netnsPath);
      } catch (err) {
        // A pod removed since the listing took its veth along: nothing to attach to.
        const still = await listLinkSizes(netnsPath);
        if (still.some((l) => l.index === veth.index)) throw err;
      }
    }
  }

  async counters(): Promise<FastPathCounters> {
    const read = (index: number): Promise<bigint> => readCounter(this.countersFd, index);
    return {
      toNodesPackets: await read(COUNTER.toNodesPackets),
      toNodesBytes: await read(COUNTER.toNodesBytes),
      toPodsPackets: await read(COUNTER.toPodsPackets),
      toPodsBytes: await read(COUNTER.toPodsBytes),
    };
  }

  /** Closes this process's handles; the links' filters keep the programs running. */
  async close(): Promise<void> {
    for (const fd of [this.toNodesFd, this.toPodsFd, this.countersFd]) await closeFd(fd);
  }
}

/**
 * Takes the fast path off every link of the namespace and removes its pin: packets go through the
 * node's stack again (`skiff podnet --cleanup`, or a switch to --fast-path=false).
 */
export async function removeFastPath(netnsPath?: string): Promise<void> {
  await removeFastPathPins(netnsPath);
  for (const link of await listLinkSizes(netnsPath)) {
    await detachIngressProgram(link.index, TO_PODS_FILTER, netnsPath);
    await detachIngressProgram(link.index, TO_NODES_FILTER, netnsPath);
  }
}

function needsConntrackKfuncs(err: Error): Error {
  return new Error(
    `the pod fast path needs the kernel's conntrack kfuncs (Linux 6.1+ with BTF): ${errorMessage(err)}`,
  );
}
