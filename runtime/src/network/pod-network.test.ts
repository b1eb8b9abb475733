import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tryRun } from './exec.js';
import {
  askFromHost,
  askFromNetns,
  failIfUnavailable,
  kernelTestsUnavailable,
  leftoverNetns,
  leftoverVeths,
  makeTestNetwork,
  removeTestLeftovers,
  skipOutsideCi,
  startEchoServer,
  type EchoServer,
  type TestNetwork,
} from './kernel-test-kit.js';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Assembler } from '../linux/bpf/assembler.js';
import {
  BPF_PROG_TYPE_SCHED_CLS,
  closeFd,
  loadProgram,
  pinObject,
} from '../linux/bpf/bpf-syscall.js';
import { TC_ACT_UNSPEC } from '../linux/bpf/tc-filter.js';
import { listLinkSizes } from '../linux/rtnetlink.js';
import {
  ensureBpfFilesystem,
  fastPathPinDir,
  TO_NODES_FILTER,
  TO_NODES_PIN,
} from './pod-fast-path.js';
import { LEGACY_GSO_MAX_SIZE, podGsoIpv4MaxSize } from './pod-gso.js';
import { PodNetwork, type PodNetworkAttachment, type PodNetworkOptions } from './pod-network.js';

// Real kernel objects throughout: namespaces, a bridge, veths, addresses and routes, checked with
// `ip` and with TCP connections between namespaces. Runs as root; see kernel-test-kit.ts.

const unavailable = kernelTestsUnavailable();

describe.skipIf(skipOutsideCi(unavailable, 'the pod network kernel tests'))(
  'PodNetwork on a real kernel',
  () => {
    let net: TestNetwork;
    const extraNetns: string[] = [];

    const podNetwork = (overrides: Partial<PodNetworkOptions> = {}): PodNetwork =>
      new PodNetwork({
        stateDir: net.stateDir,
        bridgeName: net.bridgeName,
        podCidr: net.podCidr,
        // NAT has its own test file; here it would only add rules to clean up.
        nat: 'none',
        log: () => undefined,
        ...overrides,
      });

    const ingressFilters = (hostVeth: string): Promise<string> =>
      run('tc', ['filter', 'show', 'dev', hostVeth, 'ingress']);

    const attached = async (network: PodNetwork, name: string): Promise<PodNetworkAttachment> => {
      const setup = await network.setUp(net.sandboxId(name));
      if (setup.hostNetwork) throw new Error(`sandbox ${name} unexpectedly got the host network`);
      return setup;
    };

    beforeAll(async () => {
      failIfUnavailable(unavailable);
      net = await makeTestNetwork();
    });

    afterAll(async () => {
      if (net !== undefined) await removeTestLeftovers(net, extraNetns);
    });

    it('gives a sandbox its own namespace with eth0, an address from the CIDR and a default route', async () => {
      const network = podNetwork();
      const pod = await attached(network, 'basic');
      const ns = `skiff-${net.sandboxId('basic')}`;

      expect(pod).toMatchObject({
        netnsPath: `/run/netns/${ns}`,
        gateway: `10.${net.octets[0]}.${net.octets[1]}.1`,
        prefixLength: 24,
        interfaceName: 'eth0',
      });
      expect(pod.ip).toMatch(new RegExp(`^10\\.${net.octets[0]}\\.${net.octets[1]}\\.\\d+$`));
      expect(pod.hostInterfaceName.length).toBeLessThanOrEqual(15);
      expect(await run('ip', ['-n', ns, 'addr', 'show', 'dev', 'eth0'])).toContain(
        `inet ${pod.ip}/24`,
      );
      expect(await run('ip', ['-n', ns, 'addr', 'show', 'dev', 'lo'])).toMatch(/state UNKNOWN|UP/);
      expect(await run('ip', ['-n', ns, 'route', 'show', 'default'])).toContain(
        `default via ${pod.gateway} dev eth0`,
      );
      expect(await network.status()).toMatchObject({ ready: true, reason: 'OutboundNATDisabled' });
      await network.tearDown(net.sandboxId('basic'));
    });

    it('routes the pod through the node: a veth with the gateway and a route, no bridge port', async () => {
      const network = podNetwork();
      const pod = await attached(network, 'routed');
      const ns = `skiff-${net.sandboxId('routed')}`;

      // The pod sends everything to the gateway, even addresses of its own subnet.
      const podRoutes = await run('ip', ['-j', '-n', ns, '-4', 'route', 'show']);
      expect(JSON.parse(podRoutes)).toEqual([
        expect.objectContaining({ dst: 'default', gateway: pod.gateway, dev: 'eth0' }),
        expect.objectContaining({ dst: pod.gateway, dev: 'eth0', scope: 'link' }),
      ]);
      const hostEnd = await run('ip', ['-4', 'addr', 'show', 'dev', pod.hostInterfaceName]);
      expect(hostEnd).toContain(`inet ${pod.gateway}/32`);
      expect(hostEnd).not.toContain('master');
      const hostRoute = await run('ip', ['-j', 'route', 'show', `${pod.ip}/32`]);
      expect(JSON.parse(hostRoute)).toEqual([
        expect.objectContaining({ dev: pod.hostInterfaceName, prefsrc: pod.gateway }),
      ]);
      expect(await network.status()).toMatchObject({ ready: true, reason: 'OutboundNATDisabled' });
      await network.tearDown(net.sandboxId('routed'));
    });

    it("sizes the pod's veth pair for GSO as the node's links allow (the default where one is at 64 KiB)", async () => {
      const expected =
        podGsoIpv4MaxSize(await listLinkSizes(), net.bridgeName) ?? LEGACY_GSO_MAX_SIZE;
      const pod = await attached(podNetwork(), 'gso');
      const size = async (name: string, netnsPath?: string): Promise<number | undefined> =>
        (await listLinkSizes(netnsPath)).find((l) => l.name === name)?.gsoIpv4MaxSize;
      expect(await size(pod.hostInterfaceName)).toBe(expected);
      expect(await size('eth0', pod.netnsPath)).toBe(expected);
      await podNetwork().tearDown(net.sandboxId('gso'));
    });

    it("puts the pod fast path pinned for the node's namespace on a new pod's veth, and does without when none is pinned", async () => {
      const without = await attached(podNetwork(), 'no-fast-path');
      expect(await ingressFilters(without.hostInterfaceName)).not.toContain(TO_NODES_FILTER.name);
      // A program that hands every packet on (TC_ACT_UNSPEC), pinned where podnet pins to-nodes:
      // should another test's pod pick it up meanwhile, it changes nothing for that pod.
      const program = new Assembler().returnImm(TC_ACT_UNSPEC).assemble();
      const fd = await loadProgram({
        type: BPF_PROG_TYPE_SCHED_CLS,
        instructions: program,
        license: 'Dual MIT/GPL',
        name: TO_NODES_FILTER.name,
      });
      await ensureBpfFilesystem();
      const pin = `${await fastPathPinDir()}/${TO_NODES_PIN}`;
      await mkdir(dirname(pin), { recursive: true });
      await rm(pin, { force: true });
      await pinObject(fd, pin);
      try {
        const pod = await attached(podNetwork(), 'fast-path');
        expect(await ingressFilters(pod.hostInterfaceName)).toContain(TO_NODES_FILTER.name);
        await podNetwork().tearDown(net.sandboxId('fast-path'));
      } finally {
        await rm(pin, { force: true });
        await closeFd(fd);
        await podNetwork().tearDown(net.sandboxId('no-fast-path'));
      }
    });

    it('lets the host reach a pod and two pods reach each other over TCP', async () => {
      const network = podNetwork();
      const a = await attached(network, 'tcp-a');
      const b = await attached(network, 'tcp-b');
      const serverA = await startEchoServer(`skiff-${net.sandboxId('tcp-a')}`);
      const serverB = await startEchoServer(`skiff-${net.sandboxId('tcp-b')}`);
      try {
        // The server replies with the address it saw: the host arrives from the gateway, a pod from
        // its own address, which proves there is no NAT inside the node.
        expect(await askFromHost(a.ip, serverA.port)).toBe(a.gateway);
        expect(await askFromNetns(`skiff-${net.sandboxId('tcp-b')}`, a.ip, serverA.port)).toBe(
          b.ip,
        );
        expect(await askFromNetns(`skiff-${net.sandboxId('tcp-a')}`, b.ip, serverB.port)).toBe(
          a.ip,
        );
      } finally {
        await serverA.stop();
        await serverB.stop();
      }
      await network.tearDown(net.sandboxId('tcp-a'));
      await network.tearDown(net.sandboxId('tcp-b'));
    });

    it('returns the same attachment when setUp is repeated, in this instance or a new one', async () => {
      const first = await attached(podNetwork(), 'again');
      expect(await attached(podNetwork(), 'again')).toEqual(first);
      await podNetwork().tearDown(net.sandboxId('again'));
    });

    it('leaves pods running and their addresses held when the runtime process is killed with -9', async () => {
      const id = net.sandboxId('survivor');
      const options = {
        stateDir: net.stateDir,
        bridgeName: net.bridgeName,
        podCidr: net.podCidr,
        nat: 'none',
      };
      const runtime = await startRuntimeProcess(id, options);
      let server: EchoServer | undefined;
      try {
        server = await startEchoServer(`skiff-${id}`);
        // SIGKILL: the one way to die that gives the runtime no chance to clean anything up.
        const exited = once(runtime.process, 'exit');
        runtime.process.kill('SIGKILL');
        await exited;

        expect(await askFromHost(runtime.setup.ip, server.port)).toBe(runtime.setup.gateway);
        const restarted = podNetwork();
        expect(await restarted.status()).toMatchObject({ ready: true });
        expect(await attached(restarted, 'survivor')).toEqual(runtime.setup);
      } finally {
        // Already dead when the test got that far; this is for when it did not.
        runtime.process.kill('SIGKILL');
        await server?.stop();
      }
      await podNetwork().tearDown(id);
    });

    it('rebuilds a half-made sandbox network with the address it already holds', async () => {
      const network = podNetwork();
      const before = await attached(network, 'half');
      // What a runtime killed between two steps of setUp leaves behind: an address and a namespace
      // but no veth.
      await run('ip', ['link', 'delete', 'dev', before.hostInterfaceName]);
      const after = await attached(podNetwork(), 'half');
      expect(after.ip).toBe(before.ip);
      expect(
        await run('ip', ['-n', `skiff-${net.sandboxId('half')}`, 'addr', 'show', 'dev', 'eth0']),
      ).toContain(`inet ${before.ip}/24`);
      await network.tearDown(net.sandboxId('half'));
    });

    it('removes the veth, the namespace and the address on tearDown, and tolerates a repeat', async () => {
      const network = podNetwork();
      const id = net.sandboxId('gone');
      const pod = await attached(network, 'gone');
      await network.tearDown(id);
      await network.tearDown(id);

      expect(
        (await tryRun('ip', ['link', 'show', 'dev', pod.hostInterfaceName])).exitCode,
      ).not.toBe(0);
      expect(await run('ip', ['netns', 'list'])).not.toContain(`skiff-${id}`);
      expect(await network.addressOf(id)).toBeUndefined();
    });

    it('calls onNamespace once the namespace exists, before the pod end is made in it', async () => {
      const network = podNetwork();
      const id = net.sandboxId('early');
      const seen: { path: string; exists: boolean; eth0: string }[] = [];
      const pod = await network.setUp(id, {
        onNamespace: (path) => {
          // Synchronous on purpose: setUp goes on only after the callback returns.
          const eth0 = spawnSync('ip', ['-n', `skiff-${id}`, 'link', 'show', 'dev', 'eth0'], {
            encoding: 'utf8',
          });
          seen.push({ path, exists: existsSync(path), eth0: eth0.stderr.trim() });
        },
      });
      expect(seen).toEqual([
        { path: pod.netnsPath, exists: true, eth0: 'Device "eth0" does not exist.' },
      ]);

      // A repeat finds the network complete and makes nothing, so there is nothing to announce.
      const again: string[] = [];
      await network.setUp(id, { onNamespace: (path) => again.push(path) });
      expect(again).toEqual([]);
      await network.tearDown(id);
    });

    it('creates nothing and allocates nothing for a hostNetwork sandbox', async () => {
      const network = podNetwork();
      const id = net.sandboxId('host');
      expect(await network.setUp(id, { hostNetwork: true })).toEqual({
        hostNetwork: true,
        netnsPath: undefined,
      });
      expect(await network.addressOf(id)).toBeUndefined();
      expect(await run('ip', ['netns', 'list'])).not.toContain(`skiff-${id}`);
      await network.tearDown(id);
    });

    it('hands out 50 distinct addresses to 50 sandboxes set up at once', async () => {
      const network = podNetwork();
      const names = Array.from({ length: 50 }, (_, i) => `many-${i}`);
      const pods = await Promise.all(names.map((name) => attached(network, name)));

      expect(new Set(pods.map((p) => p.ip)).size).toBe(50);
      expect(new Set(pods.map((p) => p.hostInterfaceName)).size).toBe(50);
      const routes = await run('ip', ['-j', 'route', 'show', 'root', net.podCidr]);
      const devices = (JSON.parse(routes) as { dev: string }[]).map((r) => r.dev);
      for (const pod of pods) expect(devices).toContain(pod.hostInterfaceName);

      await Promise.all(names.map((name) => network.tearDown(net.sandboxId(name))));
      for (const name of names)
        expect(await network.addressOf(net.sandboxId(name))).toBeUndefined();
      const hostLinks = await run('ip', ['link', 'show']);
      for (const pod of pods) expect(hostLinks).not.toContain(pod.hostInterfaceName);
    }, 120_000);

    it('keeps allocations across a new instance and reconciles away sandboxes that are gone', async () => {
      const kept = await attached(podNetwork(), 'kept');
      const leaked = await attached(podNetwork(), 'leaked');

      const restarted = podNetwork();
      expect(await restarted.addressOf(net.sandboxId('kept'))).toBe(kept.ip);
      expect(await restarted.reconcile([net.sandboxId('kept')])).toContain(net.sandboxId('leaked'));

      expect(await restarted.addressOf(net.sandboxId('leaked'))).toBeUndefined();
      expect(
        (await tryRun('ip', ['link', 'show', 'dev', leaked.hostInterfaceName])).exitCode,
      ).not.toBe(0);
      expect(await run('ip', ['netns', 'list'])).not.toContain(`skiff-${net.sandboxId('leaked')} `);
      expect(await attached(restarted, 'kept')).toEqual(kept);
      await restarted.tearDown(net.sandboxId('kept'));
    });

    it('rolls back the namespace and the address when a step fails midway', async () => {
      // An MTU the kernel refuses fails the veth step, after the address and namespace exist.
      const network = podNetwork({ mtu: 100_000 });
      const id = net.sandboxId('rollback');

      await expect(network.setUp(id)).rejects.toThrow(
        new RegExp(
          `setting up the network of sandbox ${id}: \`.*ip link add .*\` exited with \\d+: .+`,
        ),
      );
      expect(await network.addressOf(id)).toBeUndefined();
      expect(await leftoverNetns(net, id)).toEqual([]);
      expect(await leftoverVeths(net, id)).toEqual([]);
    });

    it('refuses a bridge name taken by a device that is not a bridge, and leaves nothing behind', async () => {
      const taken = `${net.bridgeName.slice(0, 11)}vx`;
      await run('ip', ['link', 'add', taken, 'type', 'veth', 'peer', 'name', `${taken}p`]);
      try {
        const network = podNetwork({ bridgeName: taken });
        const id = net.sandboxId('badbridge');
        await expect(network.setUp(id)).rejects.toThrow(
          `cannot use ${taken} as the pod bridge: it exists and is a veth device`,
        );
        expect(await network.status()).toMatchObject({ ready: false, reason: 'BridgeSetupFailed' });
        expect(await network.addressOf(id)).toBeUndefined();
        expect(await leftoverNetns(net, id)).toEqual([]);
      } finally {
        await run('ip', ['link', 'delete', 'dev', taken]);
      }
    });

    it('reports not ready until the bridge exists, and ready after init', async () => {
      const network = podNetwork();
      await network.uninstall();
      expect(await network.status()).toMatchObject({ ready: false, reason: 'BridgeNotReady' });
      await network.init();
      expect(await network.status()).toMatchObject({ ready: true, reason: 'OutboundNATDisabled' });
    });
  },
);

interface RuntimeProcess {
  readonly process: ChildProcess;
  readonly setup: PodNetworkAttachment;
}

/** A separate node process standing in for the runtime: sets up one sandbox, then idles. */
async function startRuntimeProcess(sandboxId: string, options: object): Promise<RuntimeProcess> {
  const moduleUrl = new URL('./pod-network.ts', import.meta.url).href;
  const script = [
    `import { PodNetwork } from ${JSON.stringify(moduleUrl)};`,
    `const network = new PodNetwork({ ...${JSON.stringify(options)}, log: () => undefined });`,
    `console.log(JSON.stringify(await network.setUp(${JSON.stringify(sandboxId)})));`,
    'setInterval(() => undefined, 60_000);',
  ].join('\n');
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error(`the runtime process exited before setting up: ${stderr}`);
    }),
  ])) as [string];
  return { process: child, setup: JSON.parse(first) as PodNetworkAttachment };
}
