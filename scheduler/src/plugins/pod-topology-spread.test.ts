import {
  everything,
  selectorFromSet,
  type Pod,
  type Selector,
  type TopologySpreadConstraint,
} from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../framework/index.js';
import { ConfigError } from '../framework/index.js';
import { PodTopologySpread } from './pod-topology-spread.js';
import { decodePodTopologySpreadArgs } from './pod-topology-spread-args.js';
import {
  filterVerdicts,
  nodeInfoOf,
  podInfoOf,
  scoresOf,
  snapshotOf,
} from './testing/plugin-harness.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

const node = (name: string, zone?: string) =>
  makeNode()
    .name(name)
    .labels({ [HOST]: name, ...(zone ? { [ZONE]: zone } : {}) });
const web = (name: string, extra: Record<string, string> = {}) =>
  makePod()
    .name(name)
    .namespace('default')
    .labels({ app: 'web', ...extra });
const spread = (
  topologyKey: string,
  maxSkew: number,
  fields: Partial<TopologySpreadConstraint> = {},
): TopologySpreadConstraint => ({
  maxSkew,
  topologyKey,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app: 'web' } },
  ...fields,
});

/** Zone a: a1 runs one web pod, a2 is empty; zone b: b1 is empty. */
const cluster = (...extra: NodeInfo[]): NodeInfo[] => [
  nodeInfoOf(node('a1', 'a').obj(), web('web-0').obj()),
  nodeInfoOf(node('a2', 'a').obj()),
  nodeInfoOf(node('b1', 'b').obj()),
  ...extra,
];

const plugin = (nodes: NodeInfo[], args: unknown = {}, workload?: Selector) =>
  new PodTopologySpread(
    decodePodTopologySpreadArgs(args),
    snapshotOf(nodes, { defaultSelector: () => workload ?? everything() }),
  );
const ok = 'Success';
const skewed = "Unschedulable: node(s) didn't match pod topology spread constraints";
const noLabel =
  "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)";

describe('PodTopologySpread Filter', () => {
  it.each<[string, Pod, NodeInfo[], Record<string, string>]>([
    [
      'a pod without constraints fits everywhere',
      web('p').obj(),
      cluster(),
      { a1: ok, a2: ok, b1: ok },
    ],
    [
      'maxSkew 1 by zone: the zone with a pod more is refused',
      web('p').topologySpreadConstraint(spread(ZONE, 1)).obj(),
      cluster(),
      { a1: skewed, a2: skewed, b1: ok },
    ],
    [
      'maxSkew 2 by zone: within the skew everywhere',
      web('p').topologySpreadConstraint(spread(ZONE, 2)).obj(),
      cluster(),
      { a1: ok, a2: ok, b1: ok },
    ],
    [
      'maxSkew 1 by hostname: only the empty nodes',
      web('p').topologySpreadConstraint(spread(HOST, 1)).obj(),
      cluster(),
      { a1: skewed, a2: ok, b1: ok },
    ],
    [
      'a pod its selector does not match does not count itself',
      makePod().name('p').namespace('default').topologySpreadConstraint(spread(ZONE, 1)).obj(),
      cluster(),
      { a1: ok, a2: ok, b1: ok },
    ],
    [
      'a node without the topology key is refused for good',
      web('p').topologySpreadConstraint(spread(ZONE, 2)).obj(),
      cluster(nodeInfoOf(node('bare').obj())),
      { a1: ok, a2: ok, b1: ok, bare: noLabel },
    ],
    [
      'minDomains above the number of domains makes the minimum 0',
      web('p')
        .topologySpreadConstraint(spread(ZONE, 1, { minDomains: 3 }))
        .obj(),
      cluster(nodeInfoOf(node('b2', 'b').obj(), web('web-1').obj())),
      { a1: skewed, a2: skewed, b1: skewed, b2: skewed },
    ],
    [
      'nodeAffinityPolicy Honor (default): only the domains the pod may go to count',
      web('p')
        .nodeSelector({ [ZONE]: 'a' })
        .topologySpreadConstraint(spread(ZONE, 1))
        .obj(),
      cluster(),
      { a1: ok, a2: ok, b1: ok },
    ],
    [
      'nodeAffinityPolicy Ignore: every domain counts',
      web('p')
        .nodeSelector({ [ZONE]: 'a' })
        .topologySpreadConstraint(spread(ZONE, 1, { nodeAffinityPolicy: 'Ignore' }))
        .obj(),
      cluster(),
      { a1: skewed, a2: skewed, b1: ok },
    ],
    [
      'nodeTaintsPolicy Honor: an untolerated tainted node’s domain does not count',
      web('p')
        .topologySpreadConstraint(spread(ZONE, 1, { nodeTaintsPolicy: 'Honor' }))
        .obj(),
      [
        nodeInfoOf(node('a1', 'a').obj(), web('web-0').obj()),
        nodeInfoOf(node('b1', 'b').taints({ key: 'x', effect: 'NoSchedule' }).obj()),
      ],
      { a1: ok, b1: ok },
    ],
    [
      'nodeTaintsPolicy Ignore (default): a tainted node’s domain counts',
      web('p').topologySpreadConstraint(spread(ZONE, 1)).obj(),
      [
        nodeInfoOf(node('a1', 'a').obj(), web('web-0').obj()),
        nodeInfoOf(node('b1', 'b').taints({ key: 'x', effect: 'NoSchedule' }).obj()),
      ],
      { a1: skewed, b1: ok },
    ],
    [
      'matchLabelKeys: pods of another revision do not count',
      web('p', { rev: '2' })
        .topologySpreadConstraint(spread(ZONE, 1, { matchLabelKeys: ['rev'] }))
        .obj(),
      [
        nodeInfoOf(node('a1', 'a').obj(), web('web-0', { rev: '1' }).obj()),
        nodeInfoOf(node('b1', 'b').obj()),
      ],
      { a1: ok, b1: ok },
    ],
    [
      'pods of other namespaces and terminating pods do not count',
      web('p').topologySpreadConstraint(spread(ZONE, 1)).obj(),
      [
        nodeInfoOf(
          node('a1', 'a').obj(),
          web('elsewhere').namespace('other').obj(),
          web('going').deletionTimestamp('2026-01-01T00:00:00Z').obj(),
        ),
        nodeInfoOf(node('b1', 'b').obj()),
      ],
      { a1: ok, b1: ok },
    ],
    [
      'ScheduleAnyway constraints do not filter',
      web('p')
        .topologySpreadConstraint(spread(ZONE, 1, { whenUnsatisfiable: 'ScheduleAnyway' }))
        .obj(),
      cluster(),
      { a1: ok, a2: ok, b1: ok },
    ],
  ])('%s', (_name, pod, nodes, expected) => {
    expect(filterVerdicts(plugin(nodes), pod, nodes)).toEqual(expected);
  });

  it('placing pods one by one on an allowed node keeps every zone within maxSkew', () => {
    const nodes = [
      nodeInfoOf(node('a1', 'a').obj()),
      nodeInfoOf(node('b1', 'b').obj()),
      nodeInfoOf(node('c1', 'c').obj()),
    ];
    const perZone: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10; i++) {
      const pod = web(`web-${i}`).topologySpreadConstraint(spread(ZONE, 1)).obj();
      const verdicts = filterVerdicts(plugin(nodes), pod, nodes);
      // Always the first allowed node, the worst case for spreading.
      const chosen = nodes.find((n) => verdicts[n.name()] === ok);
      if (!chosen) throw new Error(`no node for pod ${i}: ${JSON.stringify(verdicts)}`);
      chosen.addPodInfo(podInfoOf({ ...pod, spec: { ...pod.spec, nodeName: chosen.name() } }));
      const zone = chosen.node?.metadata.labels?.[ZONE] ?? '';
      perZone[zone] = (perZone[zone] ?? 0) + 1;
      const counts = Object.values(perZone);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    expect(perZone).toEqual({ a: 4, b: 3, c: 3 });
  });
});

describe('PodTopologySpread eligible domains', () => {
  it('are remembered while the nodes stay the same, and found again once a node changes', () => {
    const nodes = [
      nodeInfoOf(node('a1', 'a').obj(), web('web-0').obj()),
      nodeInfoOf(node('b1', 'b').obj(), web('web-1').obj()),
    ];
    let generation = 1;
    const base = snapshotOf(nodes);
    const lister = base.snapshot();
    const handle = {
      ...base,
      snapshot: () => ({ ...lister, list: () => nodes, nodeGeneration: () => generation }),
    };
    const p = new PodTopologySpread(decodePodTopologySpreadArgs({}), handle);
    const pod = web('p').topologySpreadConstraint(spread(ZONE, 1)).obj();
    expect(filterVerdicts(p, pod, nodes)).toEqual({ a1: ok, b1: ok });
    // Zone c appears empty: a and b are now one pod above the minimum, so only c is allowed —
    // but only once the node generation says the nodes changed.
    nodes.push(nodeInfoOf(node('c1', 'c').obj()));
    expect(filterVerdicts(p, pod, nodes)).toEqual({ a1: ok, b1: ok, c1: ok });
    generation++;
    expect(filterVerdicts(p, pod, nodes)).toEqual({ a1: skewed, b1: skewed, c1: ok });
  });
});

describe('PodTopologySpread Score', () => {
  const anyway = (key: string, maxSkew = 1) =>
    spread(key, maxSkew, { whenUnsatisfiable: 'ScheduleAnyway' });

  it('prefers the zone with fewer matching pods', () => {
    const nodes = [
      nodeInfoOf(node('a1', 'a').obj(), web('web-0').obj()),
      nodeInfoOf(node('a2', 'a').obj(), web('web-1').obj()),
      nodeInfoOf(node('b1', 'b').obj()),
    ];
    const pod = web('p').topologySpreadConstraint(anyway(ZONE)).obj();
    expect(scoresOf(plugin(nodes), pod, nodes)).toEqual({ a1: 0, a2: 0, b1: 100 });
  });

  it('prefers the node with fewer matching pods by hostname', () => {
    const nodes = cluster();
    const pod = web('p').topologySpreadConstraint(anyway(HOST)).obj();
    expect(scoresOf(plugin(nodes), pod, nodes)).toEqual({ a1: 0, a2: 100, b1: 100 });
  });

  it('gives a node without the topology key the lowest score', () => {
    const nodes = cluster(nodeInfoOf(node('bare').obj()));
    const pod = web('p').topologySpreadConstraint(anyway(ZONE)).obj();
    // Zone a: 1 pod × log(4) ≈ 1.39 → 1; zone b: 0.
    expect(scoresOf(plugin(nodes), pod, nodes)).toEqual({ a1: 0, a2: 0, b1: 100, bare: 0 });
  });

  it('skips scoring a pod without ScheduleAnyway constraints', () => {
    const nodes = cluster();
    const pod = web('p').topologySpreadConstraint(spread(ZONE, 1)).obj();
    expect(scoresOf(plugin(nodes), pod, nodes)).toEqual({});
  });
});

describe('PodTopologySpread cluster-default constraints', () => {
  // a1 (zone a) runs two web pods; a2 (zone a), b1 (zone b) and bare (no zone label) none.
  const nodes = (): NodeInfo[] => [
    nodeInfoOf(node('a1', 'a').obj(), web('web-0').obj(), web('web-1').obj()),
    nodeInfoOf(node('a2', 'a').obj()),
    nodeInfoOf(node('b1', 'b').obj()),
    nodeInfoOf(node('bare').obj()),
  ];
  const service = selectorFromSet({ app: 'web' });

  it('scores a pod its Service selects by hostname (skew 3) and zone (skew 5); a node without a zone still by hostname', () => {
    const n = nodes();
    // Raw: a1 2×ln6+2 + 2×ln5+4 ≈ 12.8 → 13; a2 2 + 7.2 → 9; b1 2 + 4 = 6; bare 2 (hostname
    // only). Normalized 100 × (13 + 2 − s) / 13.
    expect(scoresOf(plugin(n, {}, service), web('p').obj(), n)).toEqual({
      a1: 15,
      a2: 46,
      b1: 69,
      bare: 100,
    });
  });

  it.each<[string, unknown, Selector | undefined]>([
    ['a pod nothing selects', {}, undefined],
    ['defaultingType List without constraints', { defaultingType: 'List' }, service],
  ])('does not spread %s', (_name, args, workload) => {
    const n = nodes();
    expect(scoresOf(plugin(n, args, workload), web('p').obj(), n)).toEqual({});
    expect(filterVerdicts(plugin(n, args, workload), web('p').obj(), n)).toEqual({
      a1: ok,
      a2: ok,
      b1: ok,
      bare: ok,
    });
  });

  it('ignores the defaults for a pod with constraints of its own', () => {
    const n = nodes();
    const pod = web('p').topologySpreadConstraint(spread(ZONE, 5)).obj();
    expect(scoresOf(plugin(n, {}, service), pod, n)).toEqual({});
  });

  it('filters with a listed DoNotSchedule default, selecting what the workload selects', () => {
    const n = nodes();
    const args = {
      defaultingType: 'List',
      defaultConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule' }],
    };
    expect(filterVerdicts(plugin(n, args, service), web('p').obj(), n)).toEqual({
      a1: skewed,
      a2: skewed,
      b1: ok,
      bare: noLabel,
    });
  });
});

describe('PodTopologySpreadArgs', () => {
  const zone = { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule' };
  it.each<[string, unknown, string]>([
    [
      'System with constraints',
      { defaultingType: 'System', defaultConstraints: [zone] },
      'defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
    ],
    [
      'an unknown defaultingType',
      { defaultingType: 'Auto' },
      'defaultingType: Unsupported value: "Auto": supported values: "List", "System"',
    ],
    [
      'a selector in a default constraint',
      { defaultingType: 'List', defaultConstraints: [{ ...zone, labelSelector: {} }] },
      'defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod',
    ],
    [
      'maxSkew 0',
      { defaultingType: 'List', defaultConstraints: [{ ...zone, maxSkew: 0 }] },
      'defaultConstraints[0].maxSkew: Invalid value: 0: must be an integer in the range [1, 2147483647]',
    ],
    [
      'a missing topologyKey',
      { defaultingType: 'List', defaultConstraints: [{ ...zone, topologyKey: '' }] },
      'defaultConstraints[0].topologyKey: Required value: can not be empty',
    ],
    [
      'the same key and action twice',
      { defaultingType: 'List', defaultConstraints: [zone, { ...zone, maxSkew: 2 }] },
      `defaultConstraints[1]: Duplicate value: {"${ZONE}", "DoNotSchedule"}`,
    ],
    ['an unknown field', { spread: true }, 'spread: Invalid value: unknown field'],
  ])('refuses %s with the field path', (_name, args, message) => {
    expect(() => decodePodTopologySpreadArgs(args)).toThrow(ConfigError);
    expect(() => decodePodTopologySpreadArgs(args)).toThrow(message);
  });

  it('defaults to the system constraints', () => {
    expect(decodePodTopologySpreadArgs(undefined)).toEqual({
      defaultingType: 'System',
      defaultConstraints: [
        { topologyKey: HOST, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
        { topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
      ],
    });
  });
});
