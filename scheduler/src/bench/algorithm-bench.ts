// `pnpm bench scheduler-algorithm`: the scheduling cycle alone — no apiserver, no HTTP, no watch —
// over the same nodes and pods as `pnpm bench scheduler`: the cache filled with N nodes, then M
// pods through snapshot → PreFilter → Filter → Score → assume, one after the other, with the
// default profile. It prints the CPU time per pod, which bounds what the scheduler can reach on
// one core before binding, events and the watch cost anything (wall-clock pods/s depends on how
// much of a core a shared machine gives the process; CPU per pod does not).
//
// Options: --nodes N (5000) --pods N (10000) --spread-affinity (see bench-objects.ts)
import { parseArgs } from 'node:util';
import { everything, realClock } from '@skiff/api';
import type { Client } from '@skiff/client';
import { Cache, Snapshot } from '../cache/index.js';
import { nameLabelOnly, NodeRotation, type Handle } from '../framework/index.js';
import { inTreeRegistry } from '../plugins/registry.js';
import { buildFramework, defaultSchedulerConfig } from '../profile/index.js';
import { schedulePod } from '../scheduler/schedule-pod.js';
import { benchNode, benchPod } from './bench-objects.js';
import { reexecWithProductionFlags } from './production-node-flags.js';

// With `skiff scheduler`'s node flags, not node's defaults: the young generation's size matters.
reexecWithProductionFlags();

const { values: flags } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    pods: { type: 'string', default: '10000' },
    'spread-affinity': { type: 'boolean', default: false },
  },
});
const numNodes = Number(flags.nodes);
const numPods = Number(flags.pods);
const spreadAffinity = flags['spread-affinity'];

const cache = new Cache({ clock: realClock, log: (m) => console.error(m) });
for (let i = 0; i < numNodes; i++) cache.addNode(benchNode(i));
const snapshot = new Snapshot();
const handle: Handle = {
  snapshot: () => snapshot,
  // Binding is not part of this benchmark: nothing calls the API.
  client: {} as Pick<Client, 'pods'>,
  clock: realClock,
  namespaceLabels: nameLabelOnly,
  defaultSelector: () => everything(),
};
const [profile] = defaultSchedulerConfig().profiles;
if (!profile) throw new Error('the default configuration has no profile');
const fwk = buildFramework(profile, { registry: inTreeRegistry, handle });
// Pods as the informer would deliver them: with a uid, created up front (not measured).
const pods = Array.from({ length: numPods }, (_, i) => {
  const pod = benchPod(i, spreadAffinity);
  return { ...pod, metadata: { ...pod.metadata, uid: `uid-${i}` } };
});

const rotation = new NodeRotation();
let unschedulable = 0;
const wall0 = performance.now();
const cpu0 = process.cpuUsage();
for (const pod of pods) {
  cache.updateSnapshot(snapshot);
  const result = schedulePod({
    fwk,
    state: fwk.newCycleState(),
    pod,
    snapshot,
    rotation,
    random: Math.random,
  });
  if (!('suggestedHost' in result)) {
    unschedulable++;
    continue;
  }
  cache.assumePod({ ...pod, spec: { ...pod.spec, nodeName: result.suggestedHost } });
}
const cpu = process.cpuUsage(cpu0);
const wallSeconds = (performance.now() - wall0) / 1000;
const cpuMs = (cpu.user + cpu.system) / 1000 / numPods;
console.log(
  `scheduling cycle only: ${numPods} pods on ${numNodes} nodes${spreadAffinity ? ' with spread + anti-affinity + preferred affinity' : ''} (${unschedulable} unschedulable)`,
);
console.log(
  `  CPU ${cpuMs.toFixed(3)} ms per pod = at most ${(1000 / cpuMs).toFixed(0)} pods/s per core; wall ${(numPods / wallSeconds).toFixed(0)} pods/s on this machine`,
);
