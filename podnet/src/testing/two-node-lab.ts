// Two "nodes" for the real-kernel tests, as network namespaces this file creates and removes:
//
//              switch ns: bridge br0 (one L2 segment)
//          ┌────────────┼──────────────┬──────────────┐
//   node-a 192.168.78.11      node-b 192.168.78.12    outside 192.168.78.100
//   cni0 10.244.1.1/24        cni0 10.244.2.1/24      (a host beyond the cluster)
//     └ pod-a 10.244.1.2        └ pod-b 10.244.2.2
//
// Each pod hangs off its node by a routed veth, the way the runtime puts pods there (cni0 holds
// the gateway and has no ports; the veth holds it too, and the node routes to the pod through
// it), and its GSO size is chosen by the runtime's own code. Nothing routes between the two
// podCIDRs until the pod network does. Servers answer TCP with "<name> <peer address>", so a
// test sees as whom a connection arrived (the client pod's own IP, or a masqueraded one).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { matchPodGsoToNode, setLinkIpv4GsoGroMaxSize, vethAlias } from '@skiff/runtime/testing';

export const SEGMENT_PREFIX = 24;
export const OUTSIDE_IP = '192.168.78.100';

export interface LabNode {
  readonly name: string;
  readonly ns: string;
  readonly ip: string;
  readonly podCIDR: string;
  readonly pod: { readonly ns: string; readonly ip: string };
}

export interface TwoNodeLab {
  readonly a: LabNode;
  readonly b: LabNode;
  readonly outside: string;
  exec(ns: string, argv: readonly string[]): string;
  /** Whether `exec` succeeds (e.g. a ping). */
  succeeds(ns: string, argv: readonly string[]): boolean;
  serve(ns: string, ip: string, port: number, name: string): Promise<void>;
  /** One TCP connection: the server's answer, or the error code. */
  connect(ns: string, ip: string, port: number, timeoutMs?: number): Promise<string>;
  /**
   * With `deferPods`: sizes the NICs and the switch (`nicGsoIpv4MaxSize`), then attaches the pods,
   * as a node attaches them once its network is programmed. Otherwise the pods are there already.
   */
  attachPods(): Promise<void>;
  destroy(): void;
}

export interface TwoNodeLabOptions {
  readonly podMTU?: number;
  /**
   * The IPv4 GSO/GRO size of the nodes' NICs and of the switch's ports: a NIC with BIG TCP on
   * (e.g. `185000`), on a network that carries what it sends. Needs `deferPods`.
   */
  readonly nicGsoIpv4MaxSize?: number;
  /** Pods are attached by `attachPods()`, not by this call (e.g. after routes are programmed). */
  readonly deferPods?: boolean;
}

const netnsFile = (ns: string): string => `/run/netns/${ns}`;

export function canBuildLab(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    execFileSync('bridge', ['-V'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    process.stderr.write(`two-node lab unavailable: ${String(err)}\n`);
    return false;
  }
}

const SERVER = `
const net = require('node:net');
const [ip, port, name] = process.argv.slice(1);
net.createServer((s) => s.end(name + ' ' + s.remoteAddress + '\\n'))
  .listen(Number(port), ip, () => process.stdout.write('listening\\n'));
`;

const CLIENT = `
const net = require('node:net');
const [ip, port, timeout] = process.argv.slice(1);
const s = net.connect({ host: ip, port: Number(port) });
let out = '';
const timer = setTimeout(() => { s.destroy(); process.stdout.write('ETIMEDOUT'); }, Number(timeout));
s.on('data', (d) => { out += d; });
s.on('end', () => { clearTimeout(timer); process.stdout.write(out.trim()); });
s.on('error', (e) => { clearTimeout(timer); process.stdout.write(e.code || String(e)); });
`;

export function createTwoNodeLab(options: TwoNodeLabOptions = {}): TwoNodeLab {
  if (options.nicGsoIpv4MaxSize !== undefined && options.deferPods !== true) {
    throw new Error('nicGsoIpv4MaxSize needs deferPods: NICs are sized by attachPods()');
  }
  const id = randomBytes(3).toString('hex');
  const sw = `skpn-sw-${id}`;
  const outside = `skpn-out-${id}`;
  const nodes: LabNode[] = [1, 2].map((i) => ({
    name: i === 1 ? 'node-a' : 'node-b',
    ns: `skpn-n${i}-${id}`,
    ip: `192.168.78.1${i}`,
    podCIDR: `10.244.${i}.0/24`,
    pod: { ns: `skpn-p${i}-${id}`, ip: `10.244.${i}.2` },
  }));
  const namespaces = [sw, outside, ...nodes.flatMap((n) => [n.ns, n.pod.ns])];
  const children: ChildProcess[] = [];
  const sh = (argv: readonly string[]): string =>
    execFileSync(argv[0] ?? '', argv.slice(1), {
      maxBuffer: 1 << 26,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  const exec = (ns: string, argv: readonly string[]): string =>
    sh(['ip', 'netns', 'exec', ns, ...argv]);
  const destroy = (): void => {
    for (const child of children) child.kill('SIGKILL');
    for (const ns of namespaces) {
      try {
        sh(['ip', 'netns', 'del', ns]);
      } catch (err) {
        // Not created (a failed set-up): nothing to remove.
        if (!String(err).includes('No such file')) process.stderr.write(`${String(err)}\n`);
      }
    }
  };
  /** A veth pair between two namespaces, named `aIf` and `bIf` inside them, both up. */
  const link = (a: string, aIf: string, b: string, bIf: string, mtu?: number): void => {
    const tmpA = `a${randomBytes(4).toString('hex')}`;
    const tmpB = `b${randomBytes(4).toString('hex')}`;
    sh(['ip', 'link', 'add', tmpA, 'netns', a, 'type', 'veth', 'peer', 'name', tmpB, 'netns', b]);
    exec(a, ['ip', 'link', 'set', tmpA, 'name', aIf, ...(mtu ? ['mtu', String(mtu)] : []), 'up']);
    exec(b, ['ip', 'link', 'set', tmpB, 'name', bIf, ...(mtu ? ['mtu', String(mtu)] : []), 'up']);
  };
  try {
    for (const ns of namespaces) {
      sh(['ip', 'netns', 'add', ns]);
      exec(ns, ['ip', 'link', 'set', 'lo', 'up']);
    }
    exec(sw, ['ip', 'link', 'add', 'br0', 'type', 'bridge']);
    exec(sw, ['ip', 'link', 'set', 'br0', 'up']);
    const plug = (ns: string, port: string, ip: string): void => {
      link(ns, 'eth0', sw, port);
      exec(sw, ['ip', 'link', 'set', port, 'master', 'br0']);
      exec(ns, ['ip', 'addr', 'add', `${ip}/${SEGMENT_PREFIX}`, 'dev', 'eth0']);
    };
    plug(outside, 'out', OUTSIDE_IP);
    for (const [i, node] of nodes.entries()) {
      plug(node.ns, `n${i}`, node.ip);
      exec(node.ns, ['ip', 'link', 'add', 'cni0', 'type', 'bridge']);
      exec(node.ns, ['ip', 'addr', 'add', node.podCIDR.replace('.0/', '.1/'), 'dev', 'cni0']);
      exec(node.ns, ['ip', 'link', 'set', 'cni0', 'up']);
    }
  } catch (err) {
    destroy();
    throw err;
  }
  /** The pod's veth and addresses, as the runtime's PodNetwork.setUp makes them. */
  const attachPod = (node: LabNode): void => {
    link(node.ns, 'vpod', node.pod.ns, 'eth0', options.podMTU);
    const gateway = node.podCIDR.replace('.0/24', '.1');
    exec(node.ns, ['ip', 'addr', 'add', `${gateway}/32`, 'dev', 'vpod']);
    exec(node.ns, ['ip', 'route', 'replace', `${node.pod.ip}/32`, 'dev', 'vpod', 'src', gateway]);
    // The runtime's alias: it tells the runtime's GSO sizing (and reconcile) that this is a pod's.
    exec(node.ns, ['ip', 'link', 'set', 'dev', 'vpod', 'alias', vethAlias(`lab-${node.name}`)]);
    const prefix = node.podCIDR.split('/')[1] ?? '24';
    const pod = (argv: readonly string[]): string => exec(node.pod.ns, ['ip', ...argv]);
    pod(['addr', 'add', `${node.pod.ip}/${prefix}`, 'dev', 'eth0', 'noprefixroute']);
    pod(['route', 'add', gateway, 'dev', 'eth0', 'scope', 'link']);
    pod(['route', 'add', 'default', 'via', gateway, 'dev', 'eth0']);
  };
  const attachPods = async (): Promise<void> => {
    const size = options.nicGsoIpv4MaxSize;
    if (size !== undefined) {
      // The switch carries what the NICs send: its ports and bridge take the same size, as a
      // wire takes whatever a NIC's TSO cuts a BIG TCP packet into.
      for (const port of ['out', ...nodes.map((_, i) => `n${i}`), 'br0'])
        await setLinkIpv4GsoGroMaxSize(port, size, netnsFile(sw));
      for (const node of nodes) await setLinkIpv4GsoGroMaxSize('eth0', size, netnsFile(node.ns));
    }
    for (const node of nodes) {
      attachPod(node);
      await matchPodGsoToNode({
        bridgeName: 'cni0',
        hostInterface: 'vpod',
        podInterface: 'eth0',
        podNetnsPath: netnsFile(node.pod.ns),
        nodeNetnsPath: netnsFile(node.ns),
      });
    }
  };
  if (options.deferPods !== true) {
    // Every link here is at the kernel's default size, so the runtime's sizing would set nothing.
    try {
      for (const node of nodes) attachPod(node);
    } catch (err) {
      destroy();
      throw err;
    }
  }
  const [a, b] = nodes;
  if (a === undefined || b === undefined) throw new Error('two nodes expected');
  return {
    a,
    b,
    outside,
    exec,
    destroy,
    attachPods: async () => {
      if (options.deferPods !== true) return;
      try {
        await attachPods();
      } catch (err) {
        destroy();
        throw err;
      }
    },
    // A failing probe (a ping without a route) is an answer, not an error: look at the status.
    succeeds: (ns, argv) =>
      spawnSync('ip', ['netns', 'exec', ns, ...argv], { stdio: 'ignore' }).status === 0,
    serve: (ns, ip, port, name) =>
      new Promise((resolve, reject) => {
        const child = spawn(
          'ip',
          ['netns', 'exec', ns, process.execPath, '-e', SERVER, ip, String(port), name],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        children.push(child);
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`server ${ip}:${port} exited ${code}`)));
        child.stdout.once('data', () => resolve());
      }),
    connect: (ns, ip, port, timeoutMs = 3000) =>
      new Promise((resolve, reject) => {
        const child = spawn(
          'ip',
          [
            'netns',
            'exec',
            ns,
            process.execPath,
            '-e',
            CLIENT,
            ip,
            String(port),
            String(timeoutMs),
          ],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(out.trim()));
      }),
  };
}
