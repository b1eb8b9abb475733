// `skiff lab up`: the VMs' network, each VM's directory (the control plane's resolv.conf, the
// nodes' demo images), the host's kubeconfig, then docs/lab.md's steps on the VMs, and the wait
// until every node is Ready. Everything is recorded before it is made; a failure leaves the lab
// as it is for a look at its logs, and `skiff lab down` removes it.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pollUntil, realClock } from '@skiff/api';
import { clientFromKubeconfig } from '@skiff/client';
import { ensureDemoImages } from '../up/demo-images.js';
import { writeKubeconfig } from '../up/kubeconfig-file.js';
import { waitForNodesReady } from '../up/wait-for-nodes.js';
import { hostRouteDestinations, inNetns, run } from './host-commands.js';
import { buildLabNetwork } from './lab-network.js';
import { freeSubnet, planLab } from './lab-plan.js';
import {
  controlPlaneOf,
  labPaths,
  readLabRecord,
  writeLabRecord,
  type LabRecord,
  type Routing,
} from './lab-record.js';
import { readLabSteps } from './lab-steps.js';
import { runLabSteps } from './run-steps.js';
import { writeSkiffShim } from './vm-shell.js';
import { runtimeRootOf, vmResolvConfOf } from './vm-layout.js';

export interface LabUpOptions {
  readonly stateDir: string;
  readonly nodes: number;
  readonly routing: Routing;
  readonly subnet?: string;
  /** The nameserver the control plane's resolv.conf names (else the host's resolv.conf). */
  readonly dnsUpstream?: string;
  /** A markdown file whose `skiff-lab` blocks to run (default docs/lab.md). */
  readonly stepsFile?: string;
  readonly stepTimeoutMs: number;
  readonly readyTimeoutMs: number;
  readonly log: (line: string) => void;
}

async function prepareVms(record: LabRecord, log: (line: string) => void): Promise<void> {
  for (const vm of record.vms) {
    await mkdir(dirname(vmResolvConfOf(vm)), { recursive: true });
    if (vm.role === 'control-plane') {
      const resolv = vmResolvConfOf(vm);
      if (record.dnsUpstream === undefined) await copyFile('/etc/resolv.conf', resolv);
      else await writeFile(resolv, `nameserver ${record.dnsUpstream}\n`);
      continue;
    }
    const root = runtimeRootOf(vm);
    await mkdir(root, { recursive: true });
    log(`• ${vm.name}: demo images ${await ensureDemoImages(root)}`);
  }
}

export async function labUp(options: LabUpOptions): Promise<LabRecord> {
  const paths = labPaths(options.stateDir);
  if ((await readLabRecord(paths)) !== undefined) {
    throw new Error(
      `${paths.record} exists: a lab lives there (skiff lab down --state-dir ${paths.dir})`,
    );
  }
  const steps = await readLabSteps(options.stepsFile);
  const startedAt = Date.now();
  let record = planLab({
    id: randomBytes(2).toString('hex'),
    nodes: options.nodes,
    routing: options.routing,
    subnet: options.subnet ?? freeSubnet(hostRouteDestinations()),
    paths,
    ...(options.dnsUpstream !== undefined && { dnsUpstream: options.dnsUpstream }),
  });
  await mkdir(paths.logs, { recursive: true });
  await writeLabRecord(paths, record);
  await writeSkiffShim(paths);
  buildLabNetwork(record);
  options.log(
    `• network ${record.subnet}: host ${record.hostIP} (${record.hostInterface}), ` +
      record.vms.map((v) => `${v.name} ${v.ip}`).join(', '),
  );
  await prepareVms(record, options.log);
  const controlPlane = controlPlaneOf(record);
  await writeKubeconfig(paths.kubeconfig, `http://${controlPlane.ip}:6443`);
  record = await runLabSteps(record, steps, {
    paths,
    stepTimeoutMs: options.stepTimeoutMs,
    log: options.log,
  });
  const nodes = record.vms.filter((v) => v.role === 'node').map((v) => v.name);
  options.log(`• waiting for ${nodes.join(', ')} to be Ready`);
  const client = await clientFromKubeconfig({ kubeconfig: paths.kubeconfig });
  try {
    await waitForNodesReady(client, nodes, AbortSignal.timeout(options.readyTimeoutMs), startedAt);
  } finally {
    client.close();
  }
  options.log(`• waiting for every node's routes to the other nodes' pods (${record.routing})`);
  await waitForPodRoutes(record, options.readyTimeoutMs);
  return record;
}

/** The other nodes' podCIDRs each node has no route to yet (podnet's routes, protocol 83). */
function missingPodRoutes(record: LabRecord): string[] {
  const nodes = record.vms.filter((v) => v.role === 'node');
  return nodes.flatMap((vm) => {
    const routes = run(inNetns(vm.netns, ['ip', '-j', 'route', 'show', 'proto', '83']));
    const held = new Set((JSON.parse(routes) as { dst?: string }[]).map((r) => r.dst));
    return nodes
      .filter((other) => other !== vm && !held.has(other.podCIDR))
      .map((other) => `${vm.name} → ${other.name}'s ${other.podCIDR ?? '?'}`);
  });
}

/**
 * Nodes turn Ready before their pod network has routed anything: wait until every node routes
 * to every other node's pods, so the lab is usable the moment `up` returns.
 */
async function waitForPodRoutes(record: LabRecord, timeoutMs: number): Promise<void> {
  let missing: string[] = [];
  const ok = await pollUntil(
    () => {
      missing = missingPodRoutes(record);
      return Promise.resolve(missing.length === 0);
    },
    200,
    { clock: realClock, signal: AbortSignal.timeout(timeoutMs) },
  );
  if (!ok) throw new Error(`no pod routes yet: ${missing.join(', ')} (see the podnet logs)`);
}
