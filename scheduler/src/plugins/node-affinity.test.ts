import type { NodeSelectorRequirement, Pod } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../framework/index.js';
import { NodeAffinity } from './node-affinity.js';
import { filterOutcome, nodeInfoOf, scoresOf, verdict } from './testing/plugin-harness.js';

const plugin = new NodeAffinity();
const node = makeNode().name('n1').labels({ zone: 'a', disk: 'ssd', cores: '16' }).obj();
const rejected = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";

const withExpr = (...exprs: NodeSelectorRequirement[]): Pod =>
  makePod().nodeSelectorTerm({ matchExpressions: exprs }).obj();
const withField = (...fields: NodeSelectorRequirement[]): Pod =>
  makePod().nodeSelectorTerm({ matchFields: fields }).obj();

describe('NodeAffinity Filter', () => {
  it.each<[string, Pod, string]>([
    ['no constraints', makePod().obj(), 'Success'],
    ['nodeSelector matches', makePod().nodeSelector({ zone: 'a' }).obj(), 'Success'],
    ['nodeSelector value differs', makePod().nodeSelector({ zone: 'b' }).obj(), rejected],
    ['nodeSelector label missing', makePod().nodeSelector({ gpu: 'yes' }).obj(), rejected],
    ['In matches', withExpr({ key: 'zone', operator: 'In', values: ['b', 'a'] }), 'Success'],
    ['In misses', withExpr({ key: 'zone', operator: 'In', values: ['b'] }), rejected],
    ['NotIn passes', withExpr({ key: 'zone', operator: 'NotIn', values: ['b'] }), 'Success'],
    [
      'NotIn on a missing label passes',
      withExpr({ key: 'x', operator: 'NotIn', values: ['b'] }),
      'Success',
    ],
    ['NotIn rejects', withExpr({ key: 'zone', operator: 'NotIn', values: ['a'] }), rejected],
    ['Exists', withExpr({ key: 'disk', operator: 'Exists' }), 'Success'],
    ['Exists missing', withExpr({ key: 'gpu', operator: 'Exists' }), rejected],
    ['DoesNotExist', withExpr({ key: 'gpu', operator: 'DoesNotExist' }), 'Success'],
    ['DoesNotExist present', withExpr({ key: 'disk', operator: 'DoesNotExist' }), rejected],
    ['Gt passes', withExpr({ key: 'cores', operator: 'Gt', values: ['8'] }), 'Success'],
    ['Gt equal fails', withExpr({ key: 'cores', operator: 'Gt', values: ['16'] }), rejected],
    ['Lt passes', withExpr({ key: 'cores', operator: 'Lt', values: ['32'] }), 'Success'],
    ['Lt fails', withExpr({ key: 'cores', operator: 'Lt', values: ['4'] }), rejected],
    [
      'Gt on a non-integer label fails',
      withExpr({ key: 'zone', operator: 'Gt', values: ['1'] }),
      rejected,
    ],
    [
      'requirements in a term are ANDed',
      withExpr(
        { key: 'zone', operator: 'In', values: ['a'] },
        { key: 'disk', operator: 'In', values: ['hdd'] },
      ),
      rejected,
    ],
    [
      'terms are ORed',
      makePod()
        .nodeSelectorTerm({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] })
        .nodeSelectorTerm({ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] })
        .obj(),
      'Success',
    ],
    ['an empty term matches nothing', makePod().nodeSelectorTerm({}).obj(), rejected],
    [
      'matchFields metadata.name In',
      withField({ key: 'metadata.name', operator: 'In', values: ['n1'] }),
      'Success',
    ],
    [
      'matchFields metadata.name In, other node',
      withField({ key: 'metadata.name', operator: 'In', values: ['n2'] }),
      rejected,
    ],
    [
      'matchFields metadata.name NotIn',
      withField({ key: 'metadata.name', operator: 'NotIn', values: ['n2'] }),
      'Success',
    ],
    [
      'nodeSelector and affinity must both hold',
      makePod().nodeSelector({ zone: 'b' }).nodeAffinityIn('disk', ['ssd']).obj(),
      rejected,
    ],
  ])('%s', (_name, pod, expected) => {
    expect(verdict(filterOutcome(plugin, pod, nodeInfoOf(node)))).toBe(expected);
  });

  it('narrows the nodes to filter when every term names nodes', () => {
    const pod = withField({ key: 'metadata.name', operator: 'In', values: ['n1', 'n3'] });
    const answer = plugin.preFilter(new CycleState(), pod);
    expect(answer).toEqual({ nodeNames: new Set(['n1', 'n3']) });
  });
});

describe('NodeAffinity Score', () => {
  it('sums the weights of matching preferred terms and scales the best to 100', () => {
    const pod = makePod()
      .preferredNodeAffinity(2, {
        matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
      })
      .preferredNodeAffinity(6, {
        matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }],
      })
      .obj();
    const nodes = [
      nodeInfoOf(makeNode().name('both').labels({ zone: 'a', disk: 'ssd' }).obj()),
      nodeInfoOf(makeNode().name('ssd').labels({ disk: 'ssd' }).obj()),
      nodeInfoOf(makeNode().name('zone').labels({ zone: 'a' }).obj()),
      nodeInfoOf(makeNode().name('none').obj()),
    ];
    expect(scoresOf(plugin, pod, nodes)).toEqual({ both: 100, ssd: 75, zone: 25, none: 0 });
  });

  it('skips scoring a pod without preferred terms', () => {
    expect(scoresOf(plugin, makePod().obj(), [nodeInfoOf(node)])).toEqual({});
  });
});
