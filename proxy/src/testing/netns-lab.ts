// A node of our own for the real-kernel tests: network namespaces this file creates and removes,
// so the rules a test programs never touch the host's. Topology:
//
//                                                                 ┌─ veth ── pod-a ns 10.244.1.2
//   client ns (192.168.77.1) ── veth ── node ns (192.168.77.10) ──┤
//                                        proxy rules here          └─ veth ── pod-b ns 10.244.1.3
//
// Pods are routed one veth each (10.244.1.1 is the node's side of both, as with Calico), so a
// pod's reply to another pod passes the node, where the NAT is undone. A pod's server answers
// TCP with "<name> <peer address>", so a test sees which endpoint it reached and as whom it
// arrived (masqueraded or not).
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface NetnsLab {
  readonly node: string;
  readonly podA: string;
  readonly podB: string;
  readonly client: string;
  /** Runs a command in a namespace, synchronously; returns stdout. */
  exec(ns: string, argv: readonly string[]): string;
  /** Starts a server in namespace `ns` at `ip:port` answering `name`. */
  serve(ns: string, ip: string, port: number, name: string): Promise<void>;
  /**
   * Connects `count` times, one after another, from `ns` to `ip:port`: each time the server's
   * answer, or the error code (ECONNREFUSED, ETIMEDOUT after `timeoutMs`…).
   */
  connect(
    ns: string,
    ip: string,
    port: number,
    count?: number,
    timeoutMs?: number,
  ): Promise<string[]>;
  destroy(): void;
}

export const NODE_IP = '192.168.77.10';
export const CLIENT_IP = '192.168.77.1';
export const POD_GATEWAY = '10.244.1.1';
export const POD_A_IP = '10.244.1.2';
export const POD_B_IP = '10.244.1.3';

/** Root with iproute2, nft and iptables: what these tests need. */
export function canBuildLab(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    execFileSync('iptables-restore', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    process.stderr.write(`netns lab unavailable: ${String(err)}\n`);
    return false;
  }
}

const SERVER = `
const net = require('node:net');
const [ip, port, name] = process.argv.slice(1);
const server = net.createServer((s) => { s.end(name + ' ' + s.remoteAddress + '\\n'); });
server.listen(Number(port), ip, () => process.stdout.write('listening\\n'));
`;

const CLIENT = `
const net = require('node:net');
const [ip, port, count, timeout] = process.argv.slice(1);
const once = () => new Promise((resolve) => {
  const s = net.connect({ host: ip, port: Number(port) });
  let out = '';
  const timer = setTimeout(() => { s.destroy(); resolve('ETIMEDOUT'); }, Number(timeout));
  s.on('data', (d) => { out += d; });
  s.on('end', () => { clearTimeout(timer); resolve(out.trim()); });
  s.on('error', (e) => { clearTimeout(timer); resolve(e.code || String(e)); });
});
(async () => {
  for (let i = 0; i < Number(count); i++) process.stdout.write((await once()) + '\\n');
})();
`;

export function createNetnsLab(): NetnsLab {
  const id = randomBytes(3).toString('hex');
  const node = `skp-node-${id}`;
  const podA = `skp-pa-${id}`;
  const podB = `skp-pb-${id}`;
  const client = `skp-cli-${id}`;
  const children: ChildProcess[] = [];
  const sh = (argv: readonly string[]): string =>
    execFileSync(argv[0] ?? '', argv.slice(1), { maxBuffer: 1 << 28 }).toString();
  const exec = (ns: string, argv: readonly string[]): string =>
    sh(['ip', 'netns', 'exec', ns, ...argv]);
  const destroy = (): void => {
    for (const child of children) child.kill('SIGKILL');
    for (const ns of [node, podA, podB, client]) {
      try {
        sh(['ip', 'netns', 'del', ns]);
      } catch (err) {
        // Not created (a failed set-up): nothing to remove.
        if (!String(err).includes('No such file')) process.stderr.write(`${String(err)}\n`);
      }
    }
  };
  try {
    for (const ns of [node, podA, podB, client]) {
      sh(['ip', 'netns', 'add', ns]);
      exec(ns, ['ip', 'link', 'set', 'lo', 'up']);
    }
    const link = (a: string, aIf: string, b: string, bIf: string): void => {
      sh([
        'ip',
        'link',
        'add',
        `${aIf}-${id}`,
        'netns',
        a,
        'type',
        'veth',
        'peer',
        'name',
        `${bIf}-${id}`,
        'netns',
        b,
      ]);
      exec(a, ['ip', 'link', 'set', `${aIf}-${id}`, 'name', aIf]);
      exec(b, ['ip', 'link', 'set', `${bIf}-${id}`, 'name', bIf]);
      exec(a, ['ip', 'link', 'set', aIf, 'up']);
      exec(b, ['ip', 'link', 'set', bIf, 'up']);
    };
    link(node, 'vcli', client, 'eth0');
    exec(node, ['ip', 'addr', 'add', `${NODE_IP}/24`, 'dev', 'vcli']);
    // A node has an uplink with a default route; without one a ClusterIP is unreachable before
    // any NAT. (Not via the client: forwarding back out the interface a packet came in on makes
    // the kernel send redirects, which use up the ICMP rate limit a reject needs.)
    exec(node, ['ip', 'link', 'add', 'uplink', 'type', 'veth', 'peer', 'name', 'uplink-peer']);
    exec(node, ['ip', 'link', 'set', 'uplink', 'up']);
    exec(node, ['ip', 'link', 'set', 'uplink-peer', 'up']);
    exec(node, ['ip', 'addr', 'add', '203.0.113.10/24', 'dev', 'uplink']);
    exec(node, ['ip', 'route', 'add', 'default', 'via', '203.0.113.1']);
    exec(node, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    exec(client, ['ip', 'addr', 'add', `${CLIENT_IP}/24`, 'dev', 'eth0']);
    exec(client, ['ip', 'route', 'add', 'default', 'via', NODE_IP]);
    for (const [pod, ip, nodeSide] of [
      [podA, POD_A_IP, 'vpa'],
      [podB, POD_B_IP, 'vpb'],
    ] as const) {
      link(node, nodeSide, pod, 'eth0');
      exec(node, ['ip', 'addr', 'add', `${POD_GATEWAY}/32`, 'dev', nodeSide]);
      exec(node, ['ip', 'route', 'add', `${ip}/32`, 'dev', nodeSide]);
      exec(pod, ['ip', 'addr', 'add', `${ip}/32`, 'dev', 'eth0']);
      exec(pod, ['ip', 'route', 'add', POD_GATEWAY, 'dev', 'eth0', 'scope', 'link']);
      exec(pod, ['ip', 'route', 'add', 'default', 'via', POD_GATEWAY]);
    }
  } catch (err) {
    destroy();
    throw err;
  }
  return {
    node,
    podA,
    podB,
    client,
    exec,
    destroy,
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
    connect: (ns, ip, port, count = 1, timeoutMs = 3000) =>
      new Promise((resolve, reject) => {
        const args = [ip, String(port), String(count), String(timeoutMs)];
        const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', CLIENT, ...args], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(out.split('\n').filter((line) => line !== '')));
      }),
  };
}
