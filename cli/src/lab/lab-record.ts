// What `skiff lab up` made, written to `<state-dir>/lab.json` *before* each thing is made: the
// VMs' network namespaces, the segment's switch namespace, the host's veth, the processes it
// started. `skiff lab down` works from this record alone, so it cleans up after a crash of `up`
// (or of the machine's processes) as well as after a clean run.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export type Routing = 'host-gw' | 'vxlan';

export interface LabVm {
  readonly name: string;
  readonly role: 'control-plane' | 'node';
  /** Its network namespace: /run/netns/<netns>. */
  readonly netns: string;
  readonly ip: string;
  /** Nodes only: the range its runtime gives pods (and its Node's spec.podCIDR). */
  readonly podCIDR?: string;
  /** $VM_DIR: the root of every path the VM's components use. */
  readonly dir: string;
}

export interface LabProcess {
  readonly vm: string;
  readonly name: string;
  readonly pid: number;
}

export interface LabRecord {
  readonly id: string;
  readonly routing: Routing;
  /** The VMs' segment, e.g. 10.213.0.0/24. */
  readonly subnet: string;
  readonly prefixLength: number;
  /** The namespace holding the segment's bridge. */
  readonly switchNetns: string;
  /** The host's own leg on the segment (so the host reaches the apiserver), and its address. */
  readonly hostInterface: string;
  readonly hostIP: string;
  readonly dnsUpstream?: string;
  readonly vms: readonly LabVm[];
  readonly processes: readonly LabProcess[];
}

export interface LabPaths {
  readonly dir: string;
  readonly record: string;
  readonly kubeconfig: string;
  readonly bin: string;
  readonly logs: string;
  readonly vms: string;
  log(vm: string, what: string): string;
}

export function labPaths(stateDir: string): LabPaths {
  const dir = resolve(stateDir);
  const logs = join(dir, 'logs');
  return {
    dir,
    record: join(dir, 'lab.json'),
    kubeconfig: join(dir, 'kubeconfig'),
    bin: join(dir, 'bin'),
    logs,
    vms: join(dir, 'vms'),
    log: (vm, what) => join(logs, `${vm}-${what}.log`),
  };
}

/** The record, or undefined when the state dir holds none. */
export async function readLabRecord(paths: LabPaths): Promise<LabRecord | undefined> {
  let text: string;
  try {
    text = await readFile(paths.record, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return JSON.parse(text) as LabRecord;
}

/** Written whole and renamed into place: a crash leaves the old record or the new one. */
export async function writeLabRecord(paths: LabPaths, record: LabRecord): Promise<void> {
  await mkdir(paths.dir, { recursive: true });
  const tmp = `${paths.record}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(tmp, paths.record);
}

export function controlPlaneOf(record: LabRecord): LabVm {
  const vm = record.vms.find((v) => v.role === 'control-plane');
  if (vm === undefined) throw new Error('the lab record names no control plane');
  return vm;
}

export function findVm(record: LabRecord, name: string): LabVm {
  const vm = record.vms.find((v) => v.name === name);
  if (vm === undefined) {
    throw new Error(`no VM ${JSON.stringify(name)}: ${record.vms.map((v) => v.name).join(', ')}`);
  }
  return vm;
}
