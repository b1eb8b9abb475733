// What skiff runtime's process spends in CPU time per pod, on the kubelet's paths: a pod's start
// (RunPodSandbox, PodSandboxStatus, CreateContainer, StartContainer, ContainerStatus) and the
// PLEG's relist (ListPodSandbox + ListContainers, unfiltered, every second in the kubelet), and a
// list filtered to one pod (the kubelet's per-pod read). CPU time is utime+stime from
// /proc/<pid>/stat: unlike wall-clock time it does not depend on what else the machine runs, so
// it can be read on a loaded machine. "Reaped children" is the CPU of the processes the runtime
// started and has waited for (`ip`, `runc start`); conmon and the `runc create` it runs are not
// counted until they exit. Readings are in clock ticks (10 ms): use enough pods and rounds.
// The machine's busy time (/proc/stat: every process and kernel thread, conmon and `runc create`
// included) is printed beside it for a pod's start and for its removal; it is only meaningful on
// an otherwise quiet machine.
//
//   pnpm bench runtime-cpu [--pods 10] [--rounds 20] [--from build|source]
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runtimeCall } from '../testing/critest/cri-calls.js';
import { makeContainer, makePod, runPod } from '../testing/critest/pods.js';
import { startSkiffTarget, type SkiffTarget } from '../testing/critest/skiff-target.js';
import { writeTestImages } from '../testing/critest/test-images.js';

const { values: flags } = parseArgs({
  options: {
    pods: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '20' },
    from: { type: 'string', default: 'build' },
  },
});
const pods = Number(flags.pods);
const rounds = Number(flags.rounds);
const from = flags.from === 'source' ? 'source' : 'build';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks per second. */
const TICKS_PER_SECOND = 100;

interface CpuMs {
  readonly self: number;
  readonly reapedChildren: number;
}

async function cpuOf(pid: number): Promise<CpuMs> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may hold spaces), from field 3 (state) on.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3]);
  const ms = (ticks: number): number => (ticks * 1000) / TICKS_PER_SECOND;
  return { self: ms(field(14) + field(15)), reapedChildren: ms(field(16) + field(17)) };
}

/** Busy CPU time of the whole machine so far (all CPUs, every state but idle and iowait), ms. */
async function machineBusyMs(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return ((user + nice + system + irq + softirq + steal) * 1000) / TICKS_PER_SECOND;
}

/** The machine's busy CPU time while `work` runs, ms. */
async function machineBusyDuring(work: () => Promise<void>): Promise<number> {
  const before = await machineBusyMs();
  await work();
  return (await machineBusyMs()) - before;
}

async function startPod(target: SkiffTarget, name: string): Promise<string> {
  const pod = makePod(target, name);
  const sandboxId = await runPod(target, pod);
  await runtimeCall(target, 'PodSandboxStatus', { pod_sandbox_id: sandboxId });
  const { container_id } = await runtimeCall(target, 'CreateContainer', {
    pod_sandbox_id: sandboxId,
    config: makeContainer(target, 'app', 'sleep 3600'),
    sandbox_config: pod.config,
  });
  await runtimeCall(target, 'StartContainer', { container_id });
  await runtimeCall(target, 'ContainerStatus', { container_id });
  return sandboxId;
}

/** CPU of `pid` while `work` runs. */
async function measured(pid: number, work: () => Promise<void>): Promise<CpuMs> {
  const before = await cpuOf(pid);
  await work();
  const after = await cpuOf(pid);
  return {
    self: after.self - before.self,
    reapedChildren: after.reapedChildren - before.reapedChildren,
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-bench-cpu-'));
  const target = await startSkiffTarget(await writeTestImages(dir), from, 600_000);
  try {
    const pid = target.pid();
    if (pid === undefined) throw new Error('skiff runtime is not running');
    // Warm-up: the first pod loads code paths and the pause image's layers.
    await startPod(target, 'warmup');
    const sandboxIds: string[] = [];
    let start: CpuMs = { self: 0, reapedChildren: 0 };
    const startMachine = await machineBusyDuring(async () => {
      start = await measured(pid, async () => {
        for (let i = 0; i < pods; i += 1) sandboxIds.push(await startPod(target, `cpu-${i}`));
      });
    });
    const onNode = pods + 1;
    const relist = await measured(pid, async () => {
      for (let r = 0; r < rounds; r += 1) {
        await Promise.all([
          runtimeCall(target, 'ListPodSandbox', {}),
          runtimeCall(target, 'ListContainers', {}),
        ]);
      }
    });
    const perPod = await measured(pid, async () => {
      for (let r = 0; r < rounds; r += 1) {
        const sandboxId = sandboxIds[r % sandboxIds.length] ?? '';
        await Promise.all([
          runtimeCall(target, 'ListPodSandbox', { filter: { id: sandboxId } }),
          runtimeCall(target, 'ListContainers', { filter: { pod_sandbox_id: sandboxId } }),
        ]);
      }
    });
    const removeMachine = await machineBusyDuring(async () => {
      for (const pod_sandbox_id of sandboxIds) {
        await runtimeCall(target, 'StopPodSandbox', { pod_sandbox_id });
        await runtimeCall(target, 'RemovePodSandbox', { pod_sandbox_id });
      }
    });
    console.log(`skiff runtime from the ${from}; CPU time of its process (/proc/${pid}/stat)`);
    console.log(
      `  pod start: ${(start.self / pods).toFixed(1)} ms per pod, reaped children ${(start.reapedChildren / pods).toFixed(1)} ms per pod (${pods} pods)`,
    );
    console.log(
      `  the whole machine (every process and kernel thread): pod start ${(startMachine / pods).toFixed(1)} ms per pod, stop + remove ${(removeMachine / pods).toFixed(1)} ms per pod`,
    );
    console.log(
      `  relist (ListPodSandbox + ListContainers): ${(relist.self / rounds).toFixed(2)} ms with ${onNode} pods on the node (${rounds} rounds)`,
    );
    console.log(
      `  one pod's lists (filtered by sandbox): ${(perPod.self / rounds).toFixed(2)} ms with ${onNode} pods on the node`,
    );
  } finally {
    await target.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
