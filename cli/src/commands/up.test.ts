// `skiff up` as a user runs it: real processes, real containers (root), real kubectl 1.31. It
// starts a cluster in a temp state dir, waits for the node Ready, applies manifests/demo with
// kubectl, waits for the demo's pods Running, asks one of them over HTTP and the demo Service on
// its ClusterIP and NodePort (node address and 127.0.0.1) through skiff's proxy, resolves the
// Service by name inside a demo pod (cluster DNS, through the runtime's exec), stops on SIGTERM
// with exit 0 leaving none of the Service's rules, and resumes with the same pods. Fail-fast cases: port in use, state dir locked or not
// writable. On failure the state dir (store, logs/ of every component) is kept and named; on
// success it is removed.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { errorMessage, pollUntil, realClock } from '@skiff/api';
import { kubectlAt, type Kubectl } from '@skiff/apiserver/testing';
import { RemoteCri } from '@skiff/kubelet';
import { describe, expect, it } from 'vitest';
import { startSkiff } from '../testing/skiff-process.js';
import {
  freePort,
  keptOnFailureStateDir,
  kubectl131,
  realClusterUnavailable,
  removeBridgeAndRules,
  removeIfUnmounted,
  startUp,
  stopUp,
  unusedPodCidr,
} from '../testing/up-cluster.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));

const why = realClusterUnavailable();
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (why !== undefined && !ci) console.warn(`skipping the skiff up end-to-end test: ${why}`);

/** Polls real I/O until `ok` holds; generous, since the machine is small and shared. */
async function eventually(what: string, ok: () => Promise<boolean>, timeoutMs = 240_000) {
  let last = '';
  const held = await pollUntil(
    async () => {
      try {
        return await ok();
      } catch (err) {
        last = errorMessage(err);
        return false;
      }
    },
    500,
    { clock: realClock, signal: AbortSignal.timeout(timeoutMs) },
  );
  if (!held) throw new Error(`timed out waiting for ${what}${last ? ` (last: ${last})` : ''}`);
}

interface PodList {
  items: { metadata: { name: string }; status?: { phase?: string; podIP?: string } }[];
}

/**
 * The page at `url` once it is the demo's. Retried on a wrong answer too: a Service's rules can
 * be briefly another's while a second cluster's proxy on this machine rewrites the same table.
 */
async function httpGet(url: string): Promise<string> {
  let page = '';
  await eventually(`a demo page from ${url}`, async () => {
    page = await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
    return /^hello from web-/.test(page);
  });
  return page;
}

/**
 * Lines of this host's packet filter (nftables and iptables) that mention `address`. Another
 * cluster on the machine may have a proxy of its own, so "no rules at all" would not be ours to
 * assert; the demo Service's own ClusterIP is.
 */
async function packetFilterLinesWith(address: string): Promise<string[]> {
  const nft = await run('nft', ['list', 'ruleset']);
  const iptables = await run('iptables-save', []);
  return `${nft.stdout}\n${iptables.stdout}`.split('\n').filter((l) => l.includes(address));
}

interface DemoService {
  clusterIP: string;
  nodePort: number;
  nodeIP: string;
}

async function demoService(kubectl: Kubectl): Promise<DemoService> {
  const svc = JSON.parse(await kubectl('get', 'service', 'web', '-o', 'json')) as {
    spec: { clusterIP: string; ports: { port: number; nodePort?: number }[] };
  };
  const nodeIP = await kubectl(
    'get',
    'nodes',
    '-o',
    'jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}',
  );
  return { clusterIP: svc.spec.clusterIP, nodePort: svc.spec.ports[0]?.nodePort ?? 0, nodeIP };
}

/** The demo Service answers on its ClusterIP and on its NodePort at the node and at loopback. */
async function expectServiceAnswers(service: DemoService): Promise<void> {
  for (const url of [
    `http://${service.clusterIP}:80/`,
    `http://${service.nodeIP}:${service.nodePort}/`,
    `http://127.0.0.1:${service.nodePort}/`,
  ]) {
    expect(await httpGet(url), url).toMatch(/^hello from web-/);
  }
}

/** Runs `cmd` in the pod's first container through the node's runtime (CRI ExecSync). */
async function execInPod(
  kubectl: Kubectl,
  socket: string,
  pod: string,
  cmd: string[],
): Promise<string> {
  const id = (
    await kubectl('get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].containerID}')
  ).replace(/^[a-z]+:\/\//, '');
  const cri = new RemoteCri(`unix://${socket}`);
  try {
    const result = await cri.execSync(id, cmd, 10);
    return `${Buffer.from(result.stdout).toString()}${Buffer.from(result.stderr).toString()}`;
  } finally {
    cri.close();
  }
}

describe.skipIf(why !== undefined && !ci)('skiff up (real processes, root)', () => {
  it('runs the demo for real kubectl, stops cleanly on SIGTERM and resumes it', async () => {
    if (why !== undefined) throw new Error(`${why}; CI must provide it`);
    const dir = await keptOnFailureStateDir();
    const port = await freePort();
    const bridge = `sku${Math.random().toString(16).slice(2, 10)}`;
    const args = [
      '--state-dir',
      dir,
      '--port',
      String(port),
      '--bridge',
      bridge,
      '--pod-cidr',
      await unusedPodCidr(),
    ];
    const home = await mkdtemp(join(tmpdir(), 'skiff-up-e2e-home-'));
    const kubectl: Kubectl = kubectlAt(
      kubectl131() ?? '',
      { kubeconfig: join(dir, 'kubeconfig') },
      home,
    );
    const webPods = async (): Promise<PodList> =>
      JSON.parse(await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json')) as PodList;
    const allRunning = (pods: PodList): boolean =>
      pods.items.length === 3 &&
      pods.items.every((p) => p.status?.phase === 'Running' && p.status.podIP);
    try {
      const up = await startUp(args);
      expect(up.output()).toContain(`export KUBECONFIG=${dir}/kubeconfig`);
      expect(await kubectl('get', 'nodes', '--no-headers')).toMatch(/\sReady\s/);

      // While it runs: a second skiff up on its state dir, and one on its port, fail fast.
      const locked = startSkiff(['up', '--state-dir', dir, '--port', String(await freePort())]);
      expect(await locked.exit).toBe(1);
      expect(locked.errors()).toContain('is in use by another skiff up');
      const otherDir = await mkdtemp(join(tmpdir(), 'skiff-up-e2e-port-'));
      const portTaken = startSkiff(['up', '--state-dir', otherDir, '--port', String(port)]);
      expect(await portTaken.exit).toBe(1);
      expect(portTaken.errors()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      await rm(otherDir, { recursive: true, force: true });

      await kubectl('apply', '-f', join(repo, 'manifests', 'demo'));
      await kubectl('apply', '-f', join(repo, 'manifests', 'hello-pod.yaml'));
      let pods: PodList = { items: [] };
      await eventually('the demo pods Running with IPs', async () =>
        allRunning((pods = await webPods())),
      );
      const ip = pods.items[0]?.status?.podIP ?? '';
      expect(await httpGet(`http://${ip}:8080/`)).toMatch(/^hello from web-/);

      // The Service data plane: up's proxy and cluster DNS.
      expect(up.output()).toMatch(/• cluster DNS on [\d.]+:53 in this process .* ok/);
      expect(up.output()).toMatch(/• Service proxy for node \S+ in this process .* ok/);
      const service = await demoService(kubectl);
      await expectServiceAnswers(service);
      const node = await kubectl('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}');
      const socket = join(dir, 'nodes', node, 'runtime.sock');
      const pod = pods.items[0]?.metadata.name ?? '';
      for (const name of ['web', 'web.default.svc.cluster.local']) {
        let answer = '';
        await eventually(`${name} resolved in pod ${pod}`, async () => {
          answer = await execInPod(kubectl, socket, pod, ['nslookup', name]);
          return answer.includes(`Address: ${service.clusterIP}`);
        });
      }
      // Resolved through the search path and answered through the proxy, from inside a pod.
      expect(await execInPod(kubectl, socket, pod, ['wget', '-q', '-O-', 'http://web/'])).toMatch(
        /^hello from web-/,
      );
      await eventually('the hello pod Succeeded', async () => {
        return (
          (await kubectl('get', 'pod', 'hello', '-o', 'jsonpath={.status.phase}')) === 'Succeeded'
        );
      });

      // Stopped with the demo running, then resumed: the same pods, their containers adopted.
      await stopUp(up);
      expect(await packetFilterLinesWith(service.clusterIP)).toEqual([]);
      const resumed = await startUp(args);
      let after: PodList = { items: [] };
      await eventually('the demo pods Running again', async () =>
        allRunning((after = await webPods())),
      );
      expect(after.items.map((p) => p.metadata.name).sort()).toEqual(
        pods.items.map((p) => p.metadata.name).sort(),
      );
      expect(await httpGet(`http://${ip}:8080/`)).toMatch(/^hello from web-/);
      await expectServiceAnswers(service);

      // Pods deleted first, so stopping leaves no container behind (it would keep them running).
      // The garbage collector takes the Deployment's ReplicaSet and, through it, the pods.
      await kubectl('delete', 'deployment,service', '-l', 'app=web', '--wait=false');
      await eventually('every pod gone', async () => {
        await kubectl('delete', 'pods', '--all', '--wait=false');
        return (await kubectl('get', 'pods', '--no-headers', '-o', 'name')).trim() === '';
      });
      await stopUp(resumed);
      expect(await packetFilterLinesWith(service.clusterIP)).toEqual([]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
    await removeBridgeAndRules(bridge);
    await removeIfUnmounted(dir);
  }, 900_000);
});

describe('skiff up fails fast', () => {
  it('when the state dir cannot be written', async () => {
    const proc = startSkiff(['up', '--state-dir', '/proc/version/skiff', '--port', '0']);
    expect(await proc.exit).toBe(1);
    expect(proc.errors()).toContain('state dir /proc/version/skiff is not writable');
  });

  it('explains a bad flag with exit 2', async () => {
    const proc = startSkiff(['up', '--nodes', 'two']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain('--nodes "two": want a whole number from 1 to 50');
  });
});
