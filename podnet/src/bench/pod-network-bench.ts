// `pnpm bench network-pods`, part (3) of `pnpm bench network`: pod-to-pod TCP throughput
// across two nodes, host-gw and VXLAN, against the ceiling measured in the same run on the same
// lab: node-to-node throughput over the shared segment (veth + bridge, no pod hops, no tunnel).
// Two nodes as network namespaces (testing/two-node-lab.ts), routes programmed by the real
// applier. iperf3 when installed (Debian's `iperf3`), else a small Node TCP blaster — the
// ratios are comparable within one tool, not across tools. Needs root. The target:
// host-gw ≥ 0.9 of the ceiling.
//
// Each mode is measured twice, with two kinds of NIC (the lab's node uplinks and switch ports):
// at the kernel's default GSO size (65536), as most nodes' NICs are, and with IPv4 BIG TCP
// enabled (185000), as an admin can turn on where the NIC does TSO. Both paths see the same
// NICs; what pods get of them is the runtime's choice, made by its own code (decision 0021:
// a pod takes the node's BIG TCP size when every link of the node has it).
//
// And each with the datapaths asked for: `bpf`, the pod fast path as `skiff podnet` runs it
// by default (decision 0023: pod↔pod packets skip the nodes' forwarding and netfilter), and
// `kernel`, every packet through the nodes' stacks (--fast-path=false).
//
//   pnpm bench network-pods [--seconds 3] [--runs 3] [--tool iperf3|blaster]
//                           [--nic-gso 65536,185000] [--datapath bpf,kernel]
//                           [--routing host-gw,vxlan]
import { commandRunner } from '@skiff/proxy';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { PodNetworkApplier } from '../apply/applier.js';
import { findUplink } from '../apply/uplink.js';
import { vxlanMacFor } from '../apply/vxlan-device.js';
import { FastPath } from '../fast-path/fast-path.js';
import { planRoutes, VXLAN_DEVICE, type RoutingMode } from '../plan/plan-routes.js';
import {
  canBuildLab,
  createTwoNodeLab,
  type LabNode,
  type TwoNodeLab,
} from '../testing/two-node-lab.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
    tool: { type: 'string' },
    'nic-gso': { type: 'string', default: '65536,185000' },
    datapath: { type: 'string', default: 'bpf,kernel' },
    routing: { type: 'string', default: 'host-gw,vxlan' },
  },
});
const NIC_GSO_SIZES = values['nic-gso'].split(',').map(Number);
const DATAPATHS = values.datapath.split(',');
for (const datapath of DATAPATHS) {
  if (datapath !== 'bpf' && datapath !== 'kernel') {
    throw new Error(`--datapath: ${JSON.stringify(datapath)} is neither bpf nor kernel`);
  }
}
const MODES = values.routing.split(',');
for (const mode of MODES) {
  if (mode !== 'host-gw' && mode !== 'vxlan') {
    throw new Error(`--routing: ${JSON.stringify(mode)} is neither host-gw nor vxlan`);
  }
}
const CLUSTER_CIDR = '10.244.0.0/16';
const SECONDS = Number(values.seconds);
const RUNS = Number(values.runs);
const PORT = 5201;
const haveIperf =
  values.tool === undefined
    ? spawnSync('iperf3', ['--version'], { stdio: 'ignore' }).status === 0
    : values.tool === 'iperf3';

const BLAST_SERVER = `
const net = require('node:net');
const [ip, port] = process.argv.slice(1);
net.createServer((s) => {
  let bytes = 0; const start = process.hrtime.bigint();
  s.on('data', (d) => { bytes += d.length; });
  s.on('end', () => {
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    s.end(String((bytes * 8) / secs));
  });
}).listen(Number(port), ip, () => process.stdout.write('listening\\n'));
`;

const BLAST_CLIENT = `
const net = require('node:net');
const [ip, port, seconds] = process.argv.slice(1);
const chunk = Buffer.alloc(1 << 20);
const s = net.connect({ host: ip, port: Number(port) }, () => {
  const until = Date.now() + Number(seconds) * 1000;
  const pump = () => {
    while (Date.now() < until) { if (!s.write(chunk)) { s.once('drain', pump); return; } }
    s.end();
  };
  pump();
});
let out = '';
s.on('data', (d) => { out += d; });
s.on('close', () => process.stdout.write(out));
`;

/** One measurement from `from` to `server` at `ip`: bits per second received. */
async function measure(
  lab: TwoNodeLab,
  from: string,
  serverNs: string,
  ip: string,
): Promise<number> {
  const serverArgv = haveIperf
    ? ['iperf3', '-s', '-1', '--forceflush', '-B', ip, '-p', String(PORT)]
    : [process.execPath, '-e', BLAST_SERVER, ip, String(PORT)];
  const server = spawn('ip', ['netns', 'exec', serverNs, ...serverArgv], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      // A server that never says it listens must fail the run, not hang it.
      const timer = setTimeout(
        () => reject(new Error(`${serverArgv[0] ?? ''} never listened`)),
        10_000,
      );
      server.stdout.once('data', () => {
        clearTimeout(timer);
        resolve();
      });
      server.once('error', reject);
    });
    if (haveIperf) {
      const json = lab.exec(from, [
        'iperf3',
        '-c',
        ip,
        '-p',
        String(PORT),
        '-t',
        String(SECONDS),
        '-J',
      ]);
      const result = JSON.parse(json) as { end: { sum_received: { bits_per_second: number } } };
      return result.end.sum_received.bits_per_second;
    }
    return Number(
      lab.exec(from, [process.execPath, '-e', BLAST_CLIENT, ip, String(PORT), String(SECONDS)]),
    );
  } finally {
    server.kill('SIGKILL');
  }
}

async function program(node: LabNode, other: LabNode, mode: RoutingMode): Promise<void> {
  const run = commandRunner(['ip', 'netns', 'exec', node.ns]);
  const uplink = await findUplink(run, node.ip);
  if (uplink === undefined) throw new Error(`no uplink in ${node.ns}`);
  const info = (n: LabNode) => ({
    name: n.name,
    podCIDR: n.podCIDR,
    internalIP: n.ip,
    publicIP: n.ip,
    vxlanMAC: vxlanMacFor(n.name),
  });
  const plan = planRoutes(
    { name: node.name, podCIDR: node.podCIDR, uplink: { name: uplink.name, cidr: uplink.cidr } },
    [info(other)],
    mode,
  );
  await new PodNetworkApplier(run).apply(plan, {
    podCIDR: node.podCIDR,
    uplink,
    vxlanMAC: vxlanMacFor(node.name),
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const gbit = (bps: number): string => `${(bps / 1e9).toFixed(2)} Gbit/s`;

async function main(): Promise<void> {
  if (!canBuildLab()) {
    process.stderr.write('pod network bench: needs root and iproute2\n');
    process.exit(2);
  }
  process.stdout.write(
    `pod-to-pod TCP throughput across two nodes (${haveIperf ? 'iperf3' : 'Node TCP blaster; install iperf3 for better figures'}), ` +
      `${RUNS} runs × ${SECONDS} s, medians\n`,
  );
  for (const nicGso of NIC_GSO_SIZES) {
    for (const mode of MODES as RoutingMode[]) {
      for (const datapath of DATAPATHS) {
        const lab = createTwoNodeLab({
          podMTU: mode === 'vxlan' ? 1450 : 1500,
          nicGsoIpv4MaxSize: nicGso,
          deferPods: true,
        });
        // Interrupted (Ctrl-C, a timeout's SIGTERM): the namespaces must not outlive the bench.
        const interrupted = (signal: NodeJS.Signals): void => {
          lab.destroy();
          process.stderr.write(`pod network bench: ${signal}, lab removed\n`);
          process.exit(130);
        };
        process.once('SIGINT', interrupted);
        process.once('SIGTERM', interrupted);
        try {
          for (const node of [lab.a, lab.b])
            execFileSync('ip', [
              'netns',
              'exec',
              node.ns,
              'sysctl',
              '-q',
              '-w',
              'net.ipv4.ip_forward=1',
            ]);
          await program(lab.a, lab.b, mode);
          await program(lab.b, lab.a, mode);
          // Pods come once the node's network is programmed (and its VXLAN device is there).
          await lab.attachPods();
          const fastPaths: FastPath[] = [];
          if (datapath === 'bpf') {
            for (const node of [lab.a, lab.b]) {
              const fastPath = await FastPath.load({
                clusterCIDR: CLUSTER_CIDR,
                podCIDR: node.podCIDR,
                netnsPath: `/run/netns/${node.ns}`,
              });
              fastPaths.push(fastPath);
              await fastPath.attach(mode === 'vxlan' ? ['eth0', VXLAN_DEVICE] : ['eth0']);
            }
          }
          const ceiling: number[] = [];
          const pods: number[] = [];
          // Interleaved, so a burst of load from elsewhere on the machine hits both alike.
          for (let i = 0; i < RUNS; i++) {
            ceiling.push(await measure(lab, lab.a.ns, lab.b.ns, lab.b.ip));
            pods.push(await measure(lab, lab.a.pod.ns, lab.b.pod.ns, lab.b.pod.ip));
          }
          const c = median(ceiling);
          const p = median(pods);
          process.stdout.write(
            `  ${mode.padEnd(8)} ${datapath.padEnd(6)} NICs ${String(nicGso).padEnd(6)} pod→pod ${gbit(p)}   node→node (ceiling) ${gbit(c)}   ratio ${(p / c).toFixed(2)}` +
              `   runs: ${pods.map(gbit).join(', ')} / ${ceiling.map(gbit).join(', ')}\n`,
          );
          // What the programs took: the traffic measured went their way, not the stacks'.
          const [sender, receiver] = fastPaths;
          if (sender !== undefined && receiver !== undefined) {
            const sent = await sender.counters();
            const received = await receiver.counters();
            process.stdout.write(
              `           fast path took ${(Number(sent.toNodesBytes) / 1e9).toFixed(1)} GB out of node A's pod, ` +
                `${(Number(received.toPodsBytes) / 1e9).toFixed(1)} GB into node B's\n`,
            );
          }
          for (const fastPath of fastPaths) await fastPath.close();
        } finally {
          process.off('SIGINT', interrupted);
          process.off('SIGTERM', interrupted);
          lab.destroy();
        }
      }
    }
  }
}

await main();
