// A lab for the tests: `skiff lab up` run as the CLI (from source), and what a test needs to look
// inside it — commands in a VM's network namespace, commands inside a pod's container (CRI
// ExecSync on its node's runtime, as crictl exec), a node's Service rules. `stop()` is `skiff lab
// down`; the state dir (logs) is kept when a test failed, and named.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pod } from '@skiff/api';
import { clientFromKubeconfig, type Client } from '@skiff/client';
import { RemoteCri } from '@skiff/kubelet';
import { inNetns } from '../host-commands.js';
import { findVm, labPaths, readLabRecord, type LabPaths, type LabRecord } from '../lab-record.js';
import { mountsUnder } from '../lab-down.js';
import { runtimeSocketOf } from '../vm-layout.js';
import { isAlive } from '../vm-shell.js';

const main = fileURLToPath(new URL('../../main.ts', import.meta.url));

export interface SkiffRun {
  readonly code: number | null;
  readonly output: string;
}

/** `skiff <args>` from source to its end, output (stdout and stderr) captured. */
export function runSkiff(args: readonly string[]): Promise<SkiffRun> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

export interface TestLab {
  readonly paths: LabPaths;
  readonly record: LabRecord;
  readonly client: Client;
  /** `argv` in the VM's network namespace: its exit status and output. */
  onVm(vm: string, argv: readonly string[]): { status: number | null; stdout: string };
  /** `cmd` inside the pod's first container, killed after `timeoutSeconds` (default 10). */
  inPod(
    pod: Pod,
    cmd: readonly string[],
    timeoutSeconds?: number,
  ): Promise<{ stdout: string; exitCode: number }>;
  /** The node's Service rules, whichever packet filter its proxy chose. */
  rules(vm: string): string;
  /** The ids of every pod sandbox of every node's runtime. */
  sandboxes(): Promise<string[]>;
  /** `skiff lab down` (once; later calls do nothing); keeps the logs if `failed`. */
  stop(failed: boolean): Promise<void>;
}

/** What of `record` is still on this host: namespaces, the host's leg, processes, mounts. */
export async function leftovers(
  record: LabRecord,
  paths: LabPaths,
  sandboxIds: readonly string[],
): Promise<string[]> {
  const left: string[] = [];
  const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  for (const ns of [record.switchNetns, ...record.vms.map((v) => v.netns)]) {
    if (namespaces.includes(ns)) left.push(`namespace ${ns}`);
  }
  for (const id of sandboxIds) {
    if (namespaces.includes(`skiff-${id}`)) left.push(`pod namespace skiff-${id}`);
  }
  if (spawnSync('ip', ['link', 'show', 'dev', record.hostInterface]).status === 0) {
    left.push(`link ${record.hostInterface}`);
  }
  for (const p of record.processes) if (isAlive(p.pid)) left.push(`${p.vm} ${p.name} (${p.pid})`);
  for (const point of await mountsUnder(paths.dir)) left.push(`mount ${point}`);
  return left;
}

export async function startTestLab(args: readonly string[]): Promise<TestLab> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-lab-'));
  const paths = labPaths(dir);
  const up = await runSkiff(['lab', 'up', '--state-dir', dir, ...args]);
  const record = await readLabRecord(paths);
  if (up.code !== 0 || record === undefined) {
    await runSkiff(['lab', 'down', '--state-dir', dir]);
    throw new Error(`skiff lab up exited ${up.code} (logs in ${paths.logs}):\n${up.output}`);
  }
  const client = await clientFromKubeconfig({ kubeconfig: paths.kubeconfig });
  const onVm = (vm: string, argv: readonly string[]): { status: number | null; stdout: string } => {
    const [file = '', ...rest] = inNetns(findVm(record, vm).netns, argv);
    const result = spawnSync(file, rest, { encoding: 'utf8', maxBuffer: 1 << 26 });
    return { status: result.status, stdout: result.stdout };
  };
  let stopped = false;
  return {
    paths,
    record,
    client,
    onVm,
    inPod: async (pod, cmd, timeoutSeconds = 10) => {
      const node = findVm(record, pod.spec?.nodeName ?? '');
      const id = (pod.status?.containerStatuses?.[0]?.containerID ?? '').replace(/^\w+:\/\//, '');
      const cri = new RemoteCri(`unix://${runtimeSocketOf(node)}`);
      try {
        const result = await cri.execSync(id, cmd, timeoutSeconds);
        return { stdout: Buffer.from(result.stdout).toString(), exitCode: result.exitCode };
      } finally {
        cri.close();
      }
    },
    rules: (vm) =>
      onVm(vm, ['nft', 'list', 'table', 'ip', 'kube-proxy']).stdout +
      onVm(vm, ['iptables-save', '-t', 'nat']).stdout,
    sandboxes: async () => {
      const ids: string[] = [];
      for (const vm of record.vms.filter((v) => v.role === 'node')) {
        const cri = new RemoteCri(`unix://${runtimeSocketOf(vm)}`);
        try {
          ids.push(...(await cri.listPodSandbox()).map((s) => s.id));
        } finally {
          cri.close();
        }
      }
      return ids;
    },
    stop: async (failed) => {
      if (stopped) return;
      stopped = true;
      client.close();
      const down = await runSkiff(['lab', 'down', '--state-dir', dir]);
      if (down.code !== 0) throw new Error(`skiff lab down exited ${down.code}:\n${down.output}`);
      if (failed) process.stderr.write(`lab logs kept in ${paths.logs}\n`);
      else await rm(dir, { recursive: true, force: true });
    },
  };
}
