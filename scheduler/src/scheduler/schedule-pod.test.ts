import { everything, type Node, type Pod } from '@skiff/api';
import { FakeClock, makeNode, makePod } from '@skiff/api/testing';
import type { Client } from '@skiff/client';
import { describe, expect, it } from 'vitest';
import { Cache, Snapshot } from '../cache/index.js';
import {
  nameLabelOnly,
  NodeRotation,
  numFeasibleNodesToFind,
  scoreList,
  scoreTableOf,
  Status,
  type Framework,
  type Handle,
} from '../framework/index.js';
import { inTreeRegistry } from '../plugins/registry.js';
import { API_VERSION, buildFramework, decodeSchedulerConfig, KIND } from '../profile/index.js';
import { FitError } from './fit-error.js';
import { preemptionMessage } from './preemption-message.js';
import { schedulePod, selectHost, type ScheduleResult } from './schedule-pod.js';

function setup(nodes: Node[], pods: Pod[] = [], config: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const cache = new Cache({ clock, log: () => undefined });
  for (const n of nodes) cache.addNode(n);
  for (const p of pods) cache.addPod(p);
  const snapshot = new Snapshot();
  cache.updateSnapshot(snapshot);
  const handle: Handle = {
    snapshot: () => snapshot,
    client: {} as Pick<Client, 'pods'>,
    clock,
    namespaceLabels: nameLabelOnly,
    defaultSelector: () => everything(),
  };
  const decoded = decodeSchedulerConfig({ apiVersion: API_VERSION, kind: KIND, ...config });
  const [profile] = decoded.profiles;
  if (!profile) throw new Error('no profile');
  const fwk: Framework = buildFramework(profile, {
    registry: inTreeRegistry,
    handle,
    percentageOfNodesToScore: decoded.percentageOfNodesToScore,
  });
  const run = (pod: Pod, rotation = new NodeRotation()) =>
    schedulePod({ fwk, state: fwk.newCycleState(), pod, snapshot, rotation, random: () => 0 });
  return { run, snapshot, cache };
}

const nodeName = (i: number): string => `n${String(i).padStart(3, '0')}`;

const node = (name: string, cpu = '4'): Node =>
  makeNode().name(name).capacity({ cpu, memory: '8Gi', pods: '110' }).obj();

function scheduled(result: ReturnType<ReturnType<typeof setup>['run']>): ScheduleResult {
  if (result instanceof FitError || result instanceof Status)
    throw new Error(`not scheduled: ${result.message()}`);
  return result;
}

describe('numFeasibleNodesToFind', () => {
  it.each<[number | undefined, number, number]>([
    [undefined, 50, 50],
    [undefined, 99, 99],
    [undefined, 100, 100],
    // 50 − 1000/125 = 42 %.
    [undefined, 1000, 420],
    // 50 − 5000/125 = 10 %.
    [undefined, 5000, 500],
    // 50 − 6000/125 = 2 % → at least 5 %.
    [undefined, 6000, 300],
    [10, 500, 100],
    [30, 1000, 300],
    [100, 1000, 1000],
  ])('percentage %s of %i nodes → %i', (percentage, nodes, expected) => {
    expect(numFeasibleNodesToFind(percentage, nodes)).toBe(expected);
  });
});

describe('schedulePod', () => {
  it('explains a failure with each node counted once, under its first failing filter', () => {
    const tainted = makeNode()
      .name('gpu')
      .capacity({ cpu: '1', memory: '8Gi', pods: '110' })
      .taints({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' })
      .obj();
    const { run, snapshot } = setup([tainted, node('a', '1'), node('b', '1')]);
    const pod = makePod().name('big').namespace('ns').requests({ cpu: '2' }).obj();
    const result = run(pod);
    if (!(result instanceof FitError)) throw new Error('expected a FitError');
    // The tainted node also lacks cpu, but it is counted under the taint, which is checked first.
    result.diagnosis.postFilterMsg = preemptionMessage(pod, result.diagnosis.statuses, snapshot, 3);
    expect(result.message()).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
    );
    expect([...result.diagnosis.unschedulablePlugins].sort()).toEqual([
      'NodeResourcesFit',
      'TaintToleration',
    ]);
  });

  it('says preemption cannot help a pod that may not preempt', () => {
    const { snapshot, run } = setup([node('a', '1')]);
    const pod = makePod().requests({ cpu: '2' }).spec({ preemptionPolicy: 'Never' }).obj();
    const result = run(pod);
    if (!(result instanceof FitError)) throw new Error('expected a FitError');
    result.diagnosis.postFilterMsg = preemptionMessage(pod, result.diagnosis.statuses, snapshot, 1);
    expect(result.message()).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    );
  });

  it('counts nodes outside a PreFilter result under the plugins that narrowed it', () => {
    const { run } = setup([node('a'), node('b', '1'), node('c')]);
    const pod = makePod()
      .requests({ cpu: '2' })
      .nodeSelectorTerm({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] })
      .obj();
    const result = run(pod);
    if (!(result instanceof FitError)) throw new Error('expected a FitError');
    expect(result.message()).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
  });

  it('is an error, not a fit failure, when there are no nodes', () => {
    const { run } = setup([]);
    const result = run(makePod().obj());
    expect(result).toBeInstanceOf(Status);
    expect((result as Status).message()).toBe('no nodes available to schedule pods');
  });

  it('picks the node with the most room by default', () => {
    const busy = makePod().uid('busy').node('a').requests({ cpu: '3' }).obj();
    const { run } = setup([node('a'), node('b')], [busy]);
    expect(scheduled(run(makePod().requests({ cpu: '1' }).obj())).suggestedHost).toBe('b');
  });

  it('stops filtering at percentageOfNodesToScore and starts where the last attempt stopped', () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(nodeName(i)));
    const { run } = setup(nodes, [], { percentageOfNodesToScore: 10 });
    const rotation = new NodeRotation();
    // 10 % of 200 is 20, below the floor of 100 feasible nodes.
    const first = scheduled(run(makePod().obj(), rotation));
    expect(first).toMatchObject({ evaluatedNodes: 100, feasibleNodes: 100 });
    // The next attempt starts at node 100: the nodes it looks at are n100…n199.
    const second = scheduled(run(makePod().obj(), rotation));
    expect(scoreList(second.scores).map((s) => s.name)).toEqual(
      nodes.slice(100).map((n) => n.metadata.name),
    );
    expect(rotation.start(200)).toBe(0);
  });

  it('keeps every plugin’s raw, normalized and weighted score per node', () => {
    const { run } = setup([node('a'), node('b')]);
    const pod = makePod()
      .requests({ cpu: '1', memory: '1Gi' })
      .preferredNodeAffinity(5, {
        matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }],
      })
      .obj();
    const result = scheduled(run(pod));
    const b = scoreList(result.scores).find((s) => s.name === 'b');
    expect(b?.scores.find((s) => s.plugin === 'NodeAffinity')).toEqual({
      plugin: 'NodeAffinity',
      raw: 5,
      normalized: 100,
      weighted: 200,
    });
    expect(result.suggestedHost).toBe('b');
  });
});

describe('schedulePod, where Filter starts and how far it goes (Kubernetes’ nextStartNodeIndex)', () => {
  // 200 nodes n000…n199; the first 50 have 1 cpu, the rest 4. Pods ask for 2 cpu unless told.
  const cluster = (config: Record<string, unknown> = { percentageOfNodesToScore: 10 }) =>
    setup(
      Array.from({ length: 200 }, (_, i) => node(nodeName(i), i < 50 ? '1' : '4')),
      [],
      config,
    );
  const wants = (cpu: string): Pod => makePod().requests({ cpu }).obj();
  const onlyNodes = (names: string[]): Pod =>
    makePod()
      .requests({ cpu: '2' })
      .nodeSelectorTerm({ matchFields: [{ key: 'metadata.name', operator: 'In', values: names }] })
      .obj();
  const noScores = { profiles: [{ plugins: { score: { disabled: [{ name: '*' }] } } }] };

  it.each<{
    name: string;
    config?: Record<string, unknown>;
    start: number;
    pod: Pod;
    /** Nodes Filter examined, and where the next attempt starts. */
    evaluated: number | 'unschedulable';
    nextStart: number;
    firstFeasible?: string;
  }>([
    {
      name: 'rejected nodes count as examined: 50 too small, then 100 feasible',
      start: 0,
      pod: wants('2'),
      evaluated: 150,
      nextStart: 150,
      firstFeasible: 'n050',
    },
    {
      name: 'the walk wraps past the last node',
      start: 150,
      pod: wants('2'),
      // n150…n199 (50 feasible), n000…n049 (50 rejected), n050…n099 (50 feasible).
      evaluated: 150,
      nextStart: 100,
      firstFeasible: 'n150',
    },
    {
      name: 'a pod no node fits examines every node, so the next starts at the same node',
      start: 30,
      pod: wants('8'),
      evaluated: 'unschedulable',
      nextStart: 30,
    },
    {
      name: 'nodes a PreFilter narrowed to are walked from the start and move it on',
      start: 1,
      pod: onlyNodes(['n010', 'n060', 'n070', 'n080']),
      // From the second of the four: n060, n070, n080, then n010 (too small) — all four.
      evaluated: 4,
      nextStart: 5,
      firstFeasible: 'n060',
    },
    {
      name: 'without Score plugins the first feasible node is taken',
      config: noScores,
      start: 40,
      pod: wants('2'),
      // n040…n049 rejected, n050 feasible.
      evaluated: 11,
      nextStart: 51,
      firstFeasible: 'n050',
    },
  ])('$name', ({ config, start, pod, evaluated, nextStart, firstFeasible }) => {
    const { run } = cluster(config);
    const rotation = new NodeRotation(start);
    const result = run(pod, rotation);
    if (evaluated === 'unschedulable') {
      expect(result).toBeInstanceOf(FitError);
    } else {
      const ok = scheduled(result);
      expect(ok.evaluatedNodes).toBe(evaluated);
      expect(ok.feasible[0]).toBe(firstFeasible);
    }
    expect(rotation.start(200)).toBe(nextStart);
  });
});

describe('selectHost', () => {
  const scores = scoreTableOf([
    { name: 'a', scores: [], total: 10 },
    { name: 'b', scores: [], total: 30 },
    { name: 'c', scores: [], total: 30 },
  ]);
  it('breaks ties between the best nodes with one random number, in scoring order', () => {
    let draws = 0;
    const random = (value: number) => () => {
      draws++;
      return value;
    };
    expect(selectHost(scores, random(0))).toBe('b');
    expect(selectHost(scores, random(0.49))).toBe('b');
    expect(selectHost(scores, random(0.5))).toBe('c');
    expect(selectHost(scores, random(0.99))).toBe('c');
    expect(draws).toBe(4);
  });

  it('takes a single best node without a tie', () => {
    expect(selectHost(scoreTableOf([{ name: 'a', scores: [], total: 1 }]), () => 0.7)).toBe('a');
  });
});
