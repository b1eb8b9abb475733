// `pnpm bench network`, part (1): how long the proxy takes to program 1,000 Services × 10
// endpoints, and one endpoint change among them, in nftables and in iptables mode. Runs the
// proxier's real sync (plans, rule generation, nft -f / iptables-restore) on the real kernel,
// in a network namespace of its own (needs root). Prints medians and p99s; the target
// is a one-endpoint change programmed in < 100 ms at 1,000 Services. A change's time is split
// into the packet-filter tool's run (nft / iptables-restore) and the rest (the proxier's own
// work), and set beside the ceiling measured on the same table: the same tool rewriting one
// Service chain with the rules it already has — the cheapest transaction of a change's shape.
// `nftables` sends partial syncs over nf_tables netlink, as the proxy does; `nftables-nft` sends
// them to `nft -f` (the path before, and what a proxy without netlink does), for comparison.
//
//   pnpm bench network [--services 1000] [--endpoints 10] [--changes 30] [--fulls 5]
//                      [--modes nftables,iptables,iptables-legacy,nftables-nft]
import { realClock, type EndpointSlice, type Service } from '@skiff/api';
import { makeEndpointSlice, makeService } from '@skiff/api/testing';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { IptablesBackend } from '../iptables/backend.js';
import { NftablesBackend } from '../nftables/backend.js';
import { endpointsBySlices } from '../model/endpoint.js';
import { nftNames } from '../model/names.js';
import { planServicePort } from '../model/plan.js';
import { servicePortsOf } from '../model/service-port.js';
import { NFT_TABLE } from '../nftables/base.js';
import { NftNetlink } from '../nftables/netlink/nft-netlink.js';
import { nftServiceFragment } from '../nftables/fragment.js';
import type { ProxyBackend } from '../proxier/backend.js';
import { commandRunner, type CommandRunner } from '../proxier/command.js';
import { ProxyHealth } from '../proxier/health.js';
import { ProxyMetrics } from '../proxier/metrics.js';
import { Proxier } from '../proxier/proxier.js';
import { canBuildLab, createNetnsLab } from '../testing/netns-lab.js';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '1000' },
    endpoints: { type: 'string', default: '10' },
    changes: { type: 'string', default: '30' },
    fulls: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'nftables,iptables,iptables-legacy' },
  },
});
const MODES = new Set(values.modes.split(','));
const SERVICES = Number(values.services);
const ENDPOINTS = Number(values.endpoints);
const CHANGES = Number(values.changes);
const FULLS = Number(values.fulls);

const ip = (a: number, i: number, j: number): string => `10.${a + (i >> 8)}.${i & 255}.${j}`;

function service(i: number): Service {
  return makeService()
    .name(`svc-${i}`)
    .namespace('bench')
    .clusterIP(ip(96, i, 10))
    .port(80, { name: 'http', targetPort: 8080 })
    .obj();
}

function slice(i: number, variant = 0): EndpointSlice {
  const b = makeEndpointSlice()
    .name(`svc-${i}-1`)
    .namespace('bench')
    .service(`svc-${i}`)
    .port(8080, { name: 'http' });
  for (let j = 1; j <= ENDPOINTS; j++)
    b.endpoint(ip(128, i, j === 1 && variant % 2 === 1 ? 200 : j), {}, { nodeName: 'node-b' });
  return b.obj();
}

const quantile = (xs: number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

const CONTEXT = { clusterCIDR: '10.244.0.0/16', nodePortAddresses: [] };

/** The input of a transaction that rewrites Service i's service chain with the rules it has. */
function sameChainAgain(i: number): string {
  const [port] = servicePortsOf(service(i));
  if (!port) throw new Error('the bench Service has a port');
  const plan = planServicePort(port, endpointsBySlices([slice(i)], 'node-a').get(port.key) ?? []);
  const name = nftNames.cluster(port.key);
  const chain = nftServiceFragment(plan, CONTEXT).chains.find((c) => c.name === name);
  const rules = (chain?.rules ?? []).map((r) => `add rule ${NFT_TABLE} ${name} ${r}`);
  return [`flush chain ${NFT_TABLE} ${name}`, ...rules, ''].join('\n');
}

async function measure(
  makeBackend: (run: CommandRunner, netns: string) => ProxyBackend,
  mode: string,
): Promise<void> {
  const lab = createNetnsLab();
  try {
    const run = commandRunner(['ip', 'netns', 'exec', lab.node]);
    // Time spent in the tool during the current sync.
    let toolMs = 0;
    const backend = makeBackend(async (argv, input) => {
      const start = performance.now();
      try {
        return await run(argv, input);
      } finally {
        toolMs += performance.now() - start;
      }
    }, lab.node);
    const proxier = new Proxier({
      backend,
      nodeName: 'node-a',
      clusterCIDR: '10.244.0.0/16',
      nodePortCIDRs: [],
      localhostNodePorts: false,
      clock: realClock,
      metrics: new ProxyMetrics(),
      health: new ProxyHealth(realClock, 60_000),
      log: () => undefined,
    });
    for (let i = 0; i < SERVICES; i++) {
      proxier.onServiceUpdate(service(i));
      proxier.onEndpointSliceUpdate(slice(i));
    }
    const tool: number[] = [];
    const timed = async (full: boolean): Promise<number> => {
      toolMs = 0;
      const start = performance.now();
      await proxier.sync(full);
      tool.push(toolMs);
      return performance.now() - start;
    };
    const initial = await timed(true);
    const fulls: number[] = [];
    for (let n = 0; n < FULLS; n++) fulls.push(await timed(true));
    const partials: number[] = [];
    tool.length = 0;
    const variants = new Map<number, number>();
    for (let n = 1; n <= CHANGES; n++) {
      // One endpoint of one Service changes address (each change toggles it): a rolling
      // update's single step.
      const i = (n * 37) % SERVICES;
      const variant = (variants.get(i) ?? 0) + 1;
      variants.set(i, variant);
      proxier.onEndpointSliceUpdate(slice(i, variant));
      partials.push(await timed(false));
    }
    const partialTool = [...tool];
    const ceiling: number[] = [];
    const viaNetlink = mode === 'nftables';
    if (mode.startsWith('nftables')) {
      const netlink = viaNetlink ? await NftNetlink.open(lab.node) : undefined;
      // Services the changes left as they were first programmed, so the rules are theirs.
      const untouched = [...Array(SERVICES).keys()].filter((i) => !variants.has(i));
      for (let n = 1; n <= CHANGES; n++) {
        const input = sameChainAgain(untouched[(n * 41) % untouched.length] ?? 0);
        const start = performance.now();
        if (netlink) await netlink.apply(input);
        else await run(['nft', '-f', '-'], input);
        ceiling.push(performance.now() - start);
      }
      netlink?.close();
    }
    const rules = mode.startsWith('nftables')
      ? lab.exec(lab.node, ['nft', 'list', 'table', 'ip', 'kube-proxy']).split('\n').length
      : lab
          .exec(lab.node, [`${mode}-save`])
          .split('\n')
          .filter((l) => l.startsWith('-A')).length;
    console.log(
      `${mode.padEnd(15)} initial ${ms(initial).padStart(10)}   full median ${ms(quantile(fulls, 0.5)).padStart(10)}  p99 ${ms(quantile(fulls, 0.99)).padStart(10)}` +
        `   one-endpoint change median ${ms(quantile(partials, 0.5)).padStart(9)}  p99 ${ms(quantile(partials, 0.99)).padStart(9)}   (${rules} ${mode.startsWith('nftables') ? 'lines listed' : 'rules'})`,
    );
    const toolMedian = quantile(partialTool, 0.5);
    const toolName = mode.startsWith('nftables') ? 'nft -f' : `${mode}-restore`;
    console.log(
      `${''.padEnd(15)} a change's median: ` +
        (viaNetlink
          ? 'sent over nf_tables netlink (no nft)'
          : `${ms(toolMedian)} in ${toolName}, ${ms(quantile(partials, 0.5) - toolMedian)} in the proxier`) +
        (ceiling.length > 0
          ? `; ceiling (${viaNetlink ? 'netlink' : 'nft -f'} rewriting one service chain as it is, same table) median ${ms(quantile(ceiling, 0.5))}, change ÷ ceiling ${(quantile(partials, 0.5) / quantile(ceiling, 0.5)).toFixed(2)}`
          : ''),
    );
  } finally {
    lab.destroy();
  }
}

if (!canBuildLab()) {
  console.error(
    'pnpm bench network needs root, iproute2, nft and iptables (it programs a network namespace of its own)',
  );
  process.exit(2);
}
console.log(
  `rule sync at ${SERVICES} Services × ${ENDPOINTS} endpoints (${FULLS} full resyncs, ${CHANGES} one-endpoint changes; target: change < 100 ms)`,
);
if (MODES.has('nftables'))
  await measure((run, netns) => new NftablesBackend(run, { netlink: { netns } }), 'nftables');
if (MODES.has('nftables-nft')) await measure((run) => new NftablesBackend(run), 'nftables-nft');
if (MODES.has('iptables')) await measure((run) => new IptablesBackend(run), 'iptables');
// The host's `iptables` above may be the nf_tables flavour; the legacy one is far faster at
// restoring tens of thousands of rules, so it is measured too when the kernel has it.
if (MODES.has('iptables-legacy'))
  await measure((run) => new IptablesBackend(run, 'iptables-legacy'), 'iptables-legacy');
