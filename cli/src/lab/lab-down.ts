// `skiff lab down`: from what `lab up` recorded, stops the components (the runtimes last), removes
// every pod through its node's runtime — started again for that if it has died, since only the
// runtime knows a pod's mounts, cgroups and network namespace —, kills whatever still runs in the
// VMs' namespaces, deletes the namespaces (and with them every route, VXLAN device and rule made
// inside) and the VMs' directories. The logs stay. Safe to run again after a partial run.
import { readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { errorMessage, pollUntil, realClock } from '@skiff/api';
import { RemoteCri } from '@skiff/kubelet';
import { removeFastPathPins } from '@skiff/runtime/bpf';
import { pidsInNetns } from './host-commands.js';
import { removeLabNetwork } from './lab-network.js';
import {
  labPaths,
  readLabRecord,
  type LabPaths,
  type LabRecord,
  type LabVm,
} from './lab-record.js';
import { isAlive, startDaemonOnVm } from './vm-shell.js';
import { runtimeRootOf, runtimeSocketOf } from './vm-layout.js';

type Report = (line: string) => void;

/** Mount points at or under `dir`, from this process's mount table (the host's: see vm-shell). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  return table
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\040/g, ' '))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}

async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  return pollUntil(() => Promise.resolve(pids.every((p) => !isAlive(p))), 100, {
    clock: realClock,
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** SIGTERM, then SIGKILL after `graceMs`: `pids` must be the lab's (checked by the caller). */
async function terminate(pids: readonly number[], graceMs: number): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals): void => {
    if (isAlive(pid)) process.kill(pid, name);
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  if (await waitGone(pids, graceMs)) return;
  for (const pid of pids) signal(pid, 'SIGKILL');
  await waitGone(pids, 5000);
}

/** The recorded runtimes (or every other component) still running in their VM, last first. */
function recordedAlive(record: LabRecord, runtimes: boolean): number[] {
  return record.processes
    .filter((p) => (p.name === 'runtime') === runtimes)
    .filter((p) => {
      const vm = record.vms.find((v) => v.name === p.vm);
      return vm !== undefined && pidsInNetns(vm.netns).includes(p.pid);
    })
    .map((p) => p.pid)
    .reverse();
}

/** Every pod sandbox of `vm`'s runtime stopped and removed; starts the runtime if none answers. */
async function removePods(
  record: LabRecord,
  vm: LabVm,
  paths: LabPaths,
  report: Report,
): Promise<void> {
  const socket = runtimeSocketOf(vm);
  if (!existsSync(runtimeRootOf(vm))) return;
  const cri = new RemoteCri(`unix://${socket}`);
  let started: number | undefined;
  try {
    const answers = (): Promise<boolean> =>
      cri.version().then(
        () => true,
        () => false,
      );
    if (!(await answers())) {
      const argv = ['skiff', 'runtime', '--socket', socket, '--root', runtimeRootOf(vm)];
      const more = ['--bridge', 'cni0', ...(vm.podCIDR ? ['--pod-cidr', vm.podCIDR] : [])];
      started = startDaemonOnVm(
        { record, vm, paths, argv: [...argv, ...more] },
        paths.log(vm.name, 'runtime-down'),
      ).pid;
      const up = await pollUntil(answers, 200, {
        clock: realClock,
        signal: AbortSignal.timeout(60_000),
      });
      if (!up)
        throw new Error(`its runtime did not answer; see ${paths.log(vm.name, 'runtime-down')}`);
    }
    const sandboxes = await cri.listPodSandbox();
    for (const sandbox of sandboxes) {
      await cri.stopPodSandbox(sandbox.id);
      await cri.removePodSandbox(sandbox.id);
    }
    if (sandboxes.length > 0) report(`• ${vm.name}: removed ${sandboxes.length} pod(s)`);
  } catch (err) {
    report(`${vm.name}: removing its pods: ${errorMessage(err)}`);
  } finally {
    cri.close();
    if (started !== undefined) await terminate([started], 30_000);
  }
}

/** Resolves true when everything recorded is gone. */
export async function labDown(options: { stateDir: string; log: Report }): Promise<boolean> {
  const paths = labPaths(options.stateDir);
  const record = await readLabRecord(paths);
  if (record === undefined) {
    options.log(`no lab recorded in ${paths.dir}: nothing to remove`);
    return true;
  }
  let ok = true;
  const report: Report = (line) => {
    if (!line.startsWith('•')) ok = false;
    options.log(line);
  };
  // The kubelets first: none may start a pod again while the runtimes remove them.
  await terminate(recordedAlive(record, false), 15_000);
  for (const vm of record.vms.filter((v) => v.role === 'node')) {
    if (pidsInNetns(vm.netns).length === 0 && !existsSync(`/run/netns/${vm.netns}`)) continue;
    await removePods(record, vm, paths, report);
  }
  await terminate(recordedAlive(record, true), 30_000);
  // Whatever else runs on a VM (`skiff lab exec` sessions, a conmon left by a failed removal).
  for (const vm of record.vms) {
    const rest = pidsInNetns(vm.netns);
    if (rest.length > 0) report(`• ${vm.name}: stopping ${rest.length} more process(es)`);
    await terminate(rest, 5000);
  }
  // podnet's pins live in the BPF filesystem, outside the namespaces: remove them while each
  // namespace is still there to name them.
  for (const vm of record.vms) {
    const netnsPath = `/run/netns/${vm.netns}`;
    if (!existsSync(netnsPath)) continue;
    try {
      await removeFastPathPins(netnsPath);
    } catch (err) {
      report(`${vm.name}: removing its pod fast path pins: ${errorMessage(err)}`);
    }
  }
  removeLabNetwork(record, report);
  // A mount left under a VM (a pod whose removal failed) may be a bind of a host directory:
  // deleting through it would delete the host's files. Leave the directories then.
  const mounts = await mountsUnder(paths.vms);
  if (mounts.length > 0) {
    report(
      `${mounts.length} mount(s) remain under ${paths.vms} (${mounts[0] ?? ''} …): not deleting it`,
    );
  } else {
    for (const path of [paths.vms, paths.bin, paths.kubeconfig, paths.record]) {
      await rm(path, { recursive: true, force: true });
    }
  }
  options.log(
    `• lab ${record.id} removed${ok ? '' : ' (with the problems above)'}; logs kept in ${paths.logs}`,
  );
  return ok;
}
