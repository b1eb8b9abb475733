import type { Pod, PodAffinityTerm } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError, type NodeInfo } from '../framework/index.js';
import { decodeInterPodAffinityArgs, InterPodAffinity } from './inter-pod-affinity.js';
import { filterVerdicts, nodeInfoOf, scoresOf, snapshotOf } from './testing/plugin-harness.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

const node = (name: string, zone: string) =>
  makeNode()
    .name(name)
    .labels({ [HOST]: name, [ZONE]: zone })
    .obj();
const pod = (name: string, labels: Record<string, string>, namespace = 'default') =>
  makePod().name(name).namespace(namespace).labels(labels);
const term = (topologyKey: string, app: string, extra: Partial<PodAffinityTerm> = {}) => ({
  topologyKey,
  labelSelector: { matchLabels: { app } },
  ...extra,
});

/** Three nodes in two zones: a1 (zone a) runs a `web` pod, a2 (zone a) and b1 (zone b) are empty. */
function cluster(...extra: [string, Pod][]): NodeInfo[] {
  const pods: Record<string, Pod[]> = { a1: [pod('web-0', { app: 'web' }).obj()], a2: [], b1: [] };
  for (const [nodeName, p] of extra) pods[nodeName]?.push(p);
  return [
    nodeInfoOf(node('a1', 'a'), ...(pods['a1'] ?? [])),
    nodeInfoOf(node('a2', 'a'), ...(pods['a2'] ?? [])),
    nodeInfoOf(node('b1', 'b'), ...(pods['b1'] ?? [])),
  ];
}

/** Namespace labels as the Namespace informer would have them. */
const namespaceLabels = (ns: string): Record<string, string> => ({
  'kubernetes.io/metadata.name': ns,
  ...(ns === 'default' ? { team: 'shop' } : {}),
});

const plugin = (nodes: NodeInfo[], args = {}) =>
  new InterPodAffinity(decodeInterPodAffinityArgs(args), snapshotOf(nodes, { namespaceLabels }));

const affinity = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules";
const anti = "Unschedulable: node(s) didn't match pod anti-affinity rules";
const existing = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";
const ok = 'Success';

describe('InterPodAffinity Filter', () => {
  it.each<[string, Pod, NodeInfo[], Record<string, string>]>([
    [
      'a pod without terms fits everywhere',
      pod('p', {}).obj(),
      cluster(),
      { a1: ok, a2: ok, b1: ok },
    ],
    [
      'required affinity by hostname: only the node running a match',
      pod('p', {}).podAffinity(term(HOST, 'web')).obj(),
      cluster(),
      { a1: ok, a2: affinity, b1: affinity },
    ],
    [
      'required affinity by zone: every node in the zone of a match',
      pod('p', {}).podAffinity(term(ZONE, 'web')).obj(),
      cluster(),
      { a1: ok, a2: ok, b1: affinity },
    ],
    [
      'required affinity with no match anywhere: the first pod of its group fits if it matches itself',
      pod('p', { app: 'db' }).podAffinity(term(ZONE, 'db')).obj(),
      cluster(),
      { a1: ok, a2: ok, b1: ok },
    ],
    [
      'required affinity with no match anywhere, not matching itself: nowhere',
      pod('p', {}).podAffinity(term(ZONE, 'db')).obj(),
      cluster(),
      { a1: affinity, a2: affinity, b1: affinity },
    ],
    [
      'required affinity on a topology key the node lacks',
      pod('p', {}).podAffinity(term('rack', 'web')).obj(),
      cluster(),
      { a1: affinity, a2: affinity, b1: affinity },
    ],
    [
      'required anti-affinity by hostname keeps two pods of one app apart',
      pod('web-1', { app: 'web' }).podAntiAffinity(term(HOST, 'web')).obj(),
      cluster(),
      { a1: anti, a2: ok, b1: ok },
    ],
    [
      'required anti-affinity by zone excludes the whole zone',
      pod('p', {}).podAntiAffinity(term(ZONE, 'web')).obj(),
      cluster(),
      { a1: anti, a2: anti, b1: ok },
    ],
    [
      'terms look in the pod’s own namespace by default',
      pod('p', {}, 'other').podAntiAffinity(term(ZONE, 'web')).obj(),
      cluster(),
      { a1: ok, a2: ok, b1: ok },
    ],
    [
      'namespaces lists where to look',
      pod('p', {}, 'other')
        .podAntiAffinity(term(ZONE, 'web', { namespaces: ['default'] }))
        .obj(),
      cluster(),
      { a1: anti, a2: anti, b1: ok },
    ],
    [
      'an empty namespaceSelector looks everywhere',
      pod('p', {}, 'other')
        .podAntiAffinity(term(ZONE, 'web', { namespaceSelector: {} }))
        .obj(),
      cluster(),
      { a1: anti, a2: anti, b1: ok },
    ],
    [
      'a namespaceSelector on the namespace name label',
      pod('p', {}, 'other')
        .podAntiAffinity(
          term(ZONE, 'web', {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } },
          }),
        )
        .obj(),
      cluster(),
      { a1: anti, a2: anti, b1: ok },
    ],
    [
      'a namespaceSelector on a label of the namespace (team=shop on default)',
      pod('p', {}, 'other')
        .podAntiAffinity(
          term(ZONE, 'web', { namespaceSelector: { matchLabels: { team: 'shop' } } }),
        )
        .obj(),
      cluster(),
      { a1: anti, a2: anti, b1: ok },
    ],
    [
      'a namespaceSelector no namespace satisfies finds nothing',
      pod('p', {}, 'other')
        .podAntiAffinity(term(ZONE, 'web', { namespaceSelector: { matchLabels: { team: 'ads' } } }))
        .obj(),
      cluster(),
      { a1: ok, a2: ok, b1: ok },
    ],
    [
      'an existing pod’s anti-affinity with a namespaceSelector matches by the pod’s namespace labels',
      pod('p', { app: 'noisy' }).obj(),
      cluster([
        'b1',
        pod('quiet', {}, 'other')
          .podAntiAffinity(
            term(ZONE, 'noisy', { namespaceSelector: { matchLabels: { team: 'shop' } } }),
          )
          .obj(),
      ]),
      { a1: ok, a2: ok, b1: existing },
    ],
    [
      'an existing pod’s anti-affinity keeps the incoming pod out of its domain',
      pod('p', { app: 'noisy' }).obj(),
      cluster(['b1', pod('quiet', {}).podAntiAffinity(term(ZONE, 'noisy')).obj()]),
      { a1: ok, a2: ok, b1: existing },
    ],
    [
      'an existing pod’s anti-affinity in another namespace does not see the pod',
      pod('p', { app: 'noisy' }, 'other').obj(),
      cluster(['b1', pod('quiet', {}).podAntiAffinity(term(ZONE, 'noisy')).obj()]),
      { a1: ok, a2: ok, b1: ok },
    ],
    [
      'affinity is checked before anti-affinity',
      pod('p', {}).podAffinity(term(HOST, 'web')).podAntiAffinity(term(ZONE, 'web')).obj(),
      cluster(),
      { a1: anti, a2: affinity, b1: affinity },
    ],
  ])('%s', (_name, incoming, nodes, expected) => {
    expect(filterVerdicts(plugin(nodes), incoming, nodes)).toEqual(expected);
  });
});

describe('InterPodAffinity Score', () => {
  it('preferred affinity ranks the domain of a matching pod first', () => {
    const nodes = cluster();
    const incoming = pod('p', {}).preferredPodAffinity(10, term(ZONE, 'web')).obj();
    expect(scoresOf(plugin(nodes), incoming, nodes)).toEqual({ a1: 100, a2: 100, b1: 0 });
  });

  it('preferred anti-affinity ranks the domain of a matching pod last', () => {
    const nodes = cluster();
    const incoming = pod('p', {}).preferredPodAntiAffinity(10, term(HOST, 'web')).obj();
    expect(scoresOf(plugin(nodes), incoming, nodes)).toEqual({ a1: 0, a2: 100, b1: 100 });
  });

  it('weights add up per topology pair', () => {
    const nodes = cluster(['b1', pod('db-0', { app: 'db' }).obj()]);
    const incoming = pod('p', {})
      .preferredPodAffinity(30, term(ZONE, 'web'))
      .preferredPodAffinity(10, term(HOST, 'db'))
      .obj();
    // a1, a2: 30 (zone a has web); b1: 10 (db on b1).
    expect(scoresOf(plugin(nodes), incoming, nodes)).toEqual({ a1: 100, a2: 100, b1: 33 });
  });

  it('existing pods’ terms score the incoming pod, required affinity at hardPodAffinityWeight', () => {
    const nodes = cluster(
      ['b1', pod('likes-cache', {}).podAffinity(term(HOST, 'cache')).obj()],
      ['a2', pod('prefers-cache', {}).preferredPodAffinity(5, term(HOST, 'cache')).obj()],
    );
    const incoming = pod('cache', { app: 'cache' }).obj();
    expect(scoresOf(plugin(nodes, { hardPodAffinityWeight: 10 }), incoming, nodes)).toEqual({
      a1: 0,
      a2: 50,
      b1: 100,
    });
  });

  it('counts each existing pod of a group that carries the same preferred term', () => {
    // Two replicas on b1 and one on a1 prefer to be near `cache` by hostname: equal terms,
    // grouped once in the index, each pod still adds its weight on its own node.
    const replica = (name: string) =>
      pod(name, { app: 'api' }).preferredPodAffinity(5, term(HOST, 'cache')).obj();
    const nodes = cluster(
      ['b1', replica('api-0')],
      ['b1', replica('api-1')],
      ['a1', replica('api-2')],
    );
    const incoming = pod('cache', { app: 'cache' }).obj();
    expect(scoresOf(plugin(nodes), incoming, nodes)).toEqual({ a1: 50, a2: 0, b1: 100 });
  });

  it('skips scoring when no term concerns the pod', () => {
    const nodes = cluster();
    expect(scoresOf(plugin(nodes), pod('p', {}).obj(), nodes)).toEqual({});
  });

  it('refuses bad args with the field path', () => {
    expect(() => decodeInterPodAffinityArgs({ hardPodAffinityWeight: 101 })).toThrow(ConfigError);
    expect(() => decodeInterPodAffinityArgs({ hardPodAffinityWeight: 101 })).toThrow(
      /^hardPodAffinityWeight: Invalid value: 101/,
    );
  });
});
