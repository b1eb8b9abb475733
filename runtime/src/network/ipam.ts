// Host-local IPAM: which pod sandbox holds which address of the node's pod CIDR, kept in one JSON
// file so allocations survive a runtime restart (including kill -9). The kernel is not the record:
// an address is reserved before the sandbox's interface exists and freed only after it is gone,
// so a crash halfway through setUp can never hand the same address to two pods.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-file.js';
import { formatIpv4, requireIpv4 } from '@skiff/api';
import { type PodCidr, podAddressRange } from './pod-cidr.js';
import { KeyedMutex } from './mutex.js';

interface IpamState {
  readonly version: 1;
  /** The last address handed out; the search for a free one starts after it. */
  last?: string;
  /** sandbox id → IPv4 address */
  allocations: Record<string, string>;
}

export class IpamExhaustedError extends Error {
  constructor(cidr: PodCidr, used: number) {
    super(
      `no free pod IP in ${cidr.text}: all ${used} addresses are allocated ` +
        `(network, gateway and broadcast are reserved); tear down pods or give the node a larger podCIDR`,
    );
    this.name = 'IpamExhaustedError';
  }
}

// Keyed by the state file's absolute path, not per Ipam object: two objects over the same file in
// one process (a restart inside a test, two PodNetworks) must still take turns.
const fileLocks = new KeyedMutex();

export class Ipam {
  private readonly file: string;

  constructor(
    file: string,
    private readonly cidr: PodCidr,
  ) {
    this.file = resolve(file);
  }

  /**
   * The sandbox's address: the one it already holds, or a new one. `allocatedNow` tells the
   * caller whether undoing its work should give the address back.
   */
  allocate(sandboxId: string): Promise<{ ip: string; allocatedNow: boolean }> {
    return this.locked(async () => {
      const state = await this.load();
      const held = state.allocations[sandboxId];
      if (held !== undefined) return { ip: held, allocatedNow: false };
      const ip = formatIpv4(this.nextFree(state));
      state.allocations[sandboxId] = ip;
      state.last = ip;
      await this.save(state);
      return { ip, allocatedNow: true };
    });
  }

  /** Frees the sandbox's address; returns it, or undefined if the sandbox held none. */
  release(sandboxId: string): Promise<string | undefined> {
    return this.locked(async () => {
      const state = await this.load();
      const held = state.allocations[sandboxId];
      if (held === undefined) return undefined;
      state.allocations = Object.fromEntries(
        Object.entries(state.allocations).filter(([id]) => id !== sandboxId),
      );
      await this.save(state);
      return held;
    });
  }

  lookup(sandboxId: string): Promise<string | undefined> {
    return this.locked(async () => (await this.load()).allocations[sandboxId]);
  }

  /** Every allocation, sandbox id → address. */
  allocations(): Promise<ReadonlyMap<string, string>> {
    return this.locked(async () => new Map(Object.entries((await this.load()).allocations)));
  }

  private nextFree(state: IpamState): number {
    const { first, last } = podAddressRange(this.cidr);
    const used = new Set(Object.values(state.allocations).map(requireIpv4));
    const size = last - first + 1;
    // Start after the last address handed out rather than at the bottom: a just-freed address is
    // reused last, so a stale ARP entry or conntrack flow for a deleted pod hits nobody.
    const previous = state.last === undefined ? undefined : requireIpv4(state.last);
    const start =
      previous !== undefined && previous >= first && previous < last ? previous + 1 : first;
    for (let i = 0; i < size; i++) {
      const candidate = first + ((start - first + i) % size);
      if (!used.has(candidate)) return candidate;
    }
    throw new IpamExhaustedError(this.cidr, size);
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return fileLocks.run(this.file, fn);
  }

  private async load(): Promise<IpamState> {
    const text = await readFileIfExists(this.file);
    if (text === undefined) return { version: 1, allocations: {} };
    return parseState(text, this.file);
  }

  private async save(state: IpamState): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    // Not fsynced, as CNI's host-local (containerd's IPAM) does not: every allocation stands for
    // a network namespace and a veth, which a power loss takes with it. After one, a record the
    // disk lost belongs to a sandbox that is gone (its release is a no-op), and one it kept
    // without its sandbox is released by reconcile. A crash of the runtime alone loses nothing:
    // the page cache holds the rename. Allocations take turns on one lock, so two fsyncs each
    // (tens of ms on a busy disk) queued every pod starting at once behind the disk.
    await writeFileAtomic(this.file, `${JSON.stringify(state, null, 2)}\n`, { durable: false });
  }
}

function parseState(text: string, file: string): IpamState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`IPAM state ${file} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const bad = (why: string): Error => new Error(`IPAM state ${file} is malformed: ${why}`);
  if (typeof parsed !== 'object' || parsed === null) throw bad('not an object');
  const { version, last, allocations } = parsed as Record<string, unknown>;
  if (version !== 1) throw bad(`unknown version ${JSON.stringify(version)}`);
  if (last !== undefined && typeof last !== 'string') throw bad('"last" is not a string');
  if (typeof allocations !== 'object' || allocations === null) throw bad('no "allocations" object');
  const checked: Record<string, string> = {};
  for (const [id, ip] of Object.entries(allocations)) {
    if (typeof ip !== 'string') throw bad(`allocation of ${id} is not a string`);
    requireIpv4(ip);
    checked[id] = ip;
  }
  return last === undefined
    ? { version, allocations: checked }
    : { version, last, allocations: checked };
}
