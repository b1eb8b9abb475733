import type { Node, Pod } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../framework/index.js';
import { NodeResourcesBalancedAllocation } from './node-resources-balanced-allocation.js';
import { decodeFitArgs, NodeResourcesFit } from './node-resources-fit.js';
import { filterOutcome, nodeInfoOf, scoresOf, verdict } from './testing/plugin-harness.js';

const fit = (args: unknown = {}): NodeResourcesFit => new NodeResourcesFit(decodeFitArgs(args));
const node = (cpu: string, memory: string, extra: Record<string, string> = {}): Node =>
  makeNode()
    .name('n1')
    .capacity({ cpu, memory, pods: '3', 'ephemeral-storage': '10Gi', ...extra })
    .obj();
let uid = 0;
const running = (requests: Record<string, string>): Pod =>
  makePod().name(`p${++uid}`).uid(`u${uid}`).node('n1').requests(requests).obj();

describe('NodeResourcesFit Filter', () => {
  it.each<[string, Pod, Pod[], string]>([
    ['fits an empty node', makePod().requests({ cpu: '2', memory: '1Gi' }).obj(), [], 'Success'],
    [
      'counts the pods already there',
      makePod().requests({ cpu: '2' }).obj(),
      [running({ cpu: '3' })],
      'Unschedulable: Insufficient cpu',
    ],
    [
      'exactly full fits',
      makePod().requests({ cpu: '1' }).obj(),
      [running({ cpu: '3' })],
      'Success',
    ],
    [
      'names every insufficient resource',
      makePod().requests({ cpu: '5', memory: '9Gi', 'ephemeral-storage': '11Gi' }).obj(),
      [],
      'Unschedulable: Insufficient cpu, Insufficient memory, Insufficient ephemeral-storage',
    ],
    [
      'the pods count',
      makePod().obj(),
      [running({}), running({}), running({})],
      'Unschedulable: Too many pods',
    ],
    [
      'an extended resource the node lacks',
      makePod().requests({ 'nvidia.com/gpu': '1' }).obj(),
      [],
      'Unschedulable: Insufficient nvidia.com/gpu',
    ],
    [
      'init containers count as their maximum, not their sum',
      makePod()
        .initContainer('a', { resources: { requests: { cpu: '3' } } })
        .initContainer('b', { resources: { requests: { cpu: '3' } } })
        .requests({ cpu: '1' })
        .obj(),
      [],
      'Success',
    ],
    [
      'an init container larger than the containers decides',
      makePod()
        .initContainer('big', { resources: { requests: { cpu: '5' } } })
        .requests({ cpu: '1' })
        .obj(),
      [],
      'Unschedulable: Insufficient cpu',
    ],
    [
      'sidecars (restartable init containers) add to the containers',
      makePod()
        .initContainer('sidecar', {
          restartPolicy: 'Always',
          resources: { requests: { cpu: '2' } },
        })
        .requests({ cpu: '3' })
        .obj(),
      [],
      'Unschedulable: Insufficient cpu',
    ],
    [
      'the pod overhead counts',
      makePod()
        .requests({ cpu: '3500m' })
        .spec({ overhead: { cpu: '600m' } })
        .obj(),
      [],
      'Unschedulable: Insufficient cpu',
    ],
  ])('%s', (_name, pod, existing, expected) => {
    expect(verdict(filterOutcome(fit(), pod, nodeInfoOf(node('4', '8Gi'), ...existing)))).toBe(
      expected,
    );
  });

  it('has room for an extended resource the node offers, and ignores ignored ones', () => {
    const gpuNode = node('4', '8Gi', { 'nvidia.com/gpu': '2' });
    const pod = makePod().requests({ 'nvidia.com/gpu': '2', 'example.com/foo': '1' }).obj();
    expect(verdict(filterOutcome(fit(), pod, nodeInfoOf(gpuNode)))).toBe(
      'Unschedulable: Insufficient example.com/foo',
    );
    expect(
      verdict(
        filterOutcome(fit({ ignoredResourceGroups: ['example.com'] }), pod, nodeInfoOf(gpuNode)),
      ),
    ).toBe('Success');
  });
});

describe('NodeResourcesFit Score', () => {
  const nodes = () => [
    nodeInfoOf(makeNode().name('empty').capacity({ cpu: '4', memory: '4Gi', pods: '10' }).obj()),
    nodeInfoOf(
      makeNode().name('half').capacity({ cpu: '4', memory: '4Gi', pods: '10' }).obj(),
      makePod().uid('h').node('half').requests({ cpu: '2', memory: '2Gi' }).obj(),
    ),
  ];
  const pod = makePod().requests({ cpu: '1', memory: '1Gi' }).obj();

  it.each<[string, unknown, Record<string, number>]>([
    // empty: (4-1)/4 → 75 each; half: (4-3)/4 → 25 each.
    ['LeastAllocated by default', {}, { empty: 75, half: 25 }],
    ['MostAllocated', { scoringStrategy: { type: 'MostAllocated' } }, { empty: 25, half: 75 }],
    [
      'RequestedToCapacityRatio with a packing shape',
      {
        scoringStrategy: {
          type: 'RequestedToCapacityRatio',
          requestedToCapacityRatio: {
            shape: [
              { utilization: 0, score: 0 },
              { utilization: 100, score: 10 },
            ],
          },
        },
      },
      { empty: 25, half: 75 },
    ],
    [
      'resource weights',
      {
        scoringStrategy: {
          resources: [
            { name: 'cpu', weight: 3 },
            { name: 'memory', weight: 1 },
          ],
        },
      },
      { empty: 75, half: 25 },
    ],
  ])('%s', (_name, args, expected) => {
    expect(scoresOf(fit(args), pod, nodes())).toEqual(expected);
  });

  it('counts a container without requests as 100m cpu and 200Mi memory', () => {
    const [empty] = nodes();
    if (!empty) throw new Error('no node');
    // cpu: (4000-100)/4000 → 97; memory: (4096Mi-200Mi)/4096Mi → 95; mean 96.
    expect(scoresOf(fit(), makePod().obj(), [empty])).toEqual({ empty: 96 });
  });
});

describe('NodeResourcesBalancedAllocation Score', () => {
  it('prefers the node where cpu and memory end up equally used', () => {
    const nodes = [
      nodeInfoOf(makeNode().name('balanced').capacity({ cpu: '4', memory: '4Gi' }).obj()),
      nodeInfoOf(
        makeNode().name('cpu-heavy').capacity({ cpu: '4', memory: '4Gi' }).obj(),
        makePod().uid('c').node('cpu-heavy').requests({ cpu: '2' }).obj(),
      ),
    ];
    // balanced: 0.25/0.25 → 100; cpu-heavy: 0.75/0.25 → std 0.25 → 75.
    const pod = makePod().requests({ cpu: '1', memory: '1Gi' }).obj();
    expect(scoresOf(new NodeResourcesBalancedAllocation(), pod, nodes)).toEqual({
      balanced: 100,
      'cpu-heavy': 75,
    });
  });
});

describe('NodeResourcesFit args', () => {
  it.each<[string, unknown, string]>([
    [
      'an unknown strategy',
      { scoringStrategy: { type: 'Random' } },
      'scoringStrategy.type: Unsupported value: "Random"',
    ],
    [
      'a weight out of range',
      { scoringStrategy: { resources: [{ name: 'cpu', weight: 0 }] } },
      'scoringStrategy.resources[0].weight: Invalid value: 0',
    ],
    [
      'an unknown field',
      { scoringStrategy: { typo: 1 } },
      'scoringStrategy.typo: Invalid value: unknown field',
    ],
    [
      'an unsorted shape',
      {
        scoringStrategy: {
          requestedToCapacityRatio: {
            shape: [
              { utilization: 50, score: 1 },
              { utilization: 10, score: 2 },
            ],
          },
        },
      },
      'scoringStrategy.requestedToCapacityRatio.shape[1].utilization',
    ],
  ])('refuses %s with the field path', (_name, args, message) => {
    expect(() => decodeFitArgs(args)).toThrow(ConfigError);
    expect(() => decodeFitArgs(args)).toThrow(message);
  });
});
