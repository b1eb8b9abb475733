// The QueueingHints of the plugins that reject pods for something about a node: given a node
// that was added or changed, is the parked pod worth another try? Each says 'Queue' only for a
// node that would pass its own Filter for that pod (NodeResourcesFit: were the node empty).
import type { Node, Pod } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import {
  ActionType,
  type ClusterEvent,
  type EnqueueExtensions,
  type QueueingHint,
} from '../framework/index.js';
import { NodeAffinity } from './node-affinity.js';
import { decodeFitArgs, NodeResourcesFit } from './node-resources-fit.js';
import { TaintToleration } from './taint-toleration.js';

/** The hint a plugin registered for Node adds, applied to `node`. */
function nodeAddHint(plugin: EnqueueExtensions, pod: Pod, node: Node | undefined): QueueingHint {
  const registered = plugin
    .eventsToRegister()
    .find((e: ClusterEvent) => e.resource === 'Node' && (e.action & ActionType.Add) !== 0);
  if (!registered?.queueingHint) throw new Error('no hint for Node adds');
  return registered.queueingHint(pod, undefined, node);
}

const roomy = makeNode().name('roomy').capacity({ cpu: '4', memory: '8Gi', pods: '110' });
const wantsTwoCpus = makePod().requests({ cpu: '2' }).obj();

describe('QueueingHints on a node added or changed', () => {
  it.each<[string, EnqueueExtensions, Pod, Node | undefined, QueueingHint]>([
    [
      'NodeResourcesFit, a node with room',
      new NodeResourcesFit(decodeFitArgs(undefined)),
      wantsTwoCpus,
      roomy.obj(),
      'Queue',
    ],
    [
      'NodeResourcesFit, a node too small even when empty',
      new NodeResourcesFit(decodeFitArgs(undefined)),
      wantsTwoCpus,
      makeNode().name('tiny').capacity({ cpu: '1', memory: '8Gi', pods: '110' }).obj(),
      'QueueSkip',
    ],
    [
      'NodeResourcesFit, a node that has not reported its allocatable yet',
      new NodeResourcesFit(decodeFitArgs(undefined)),
      wantsTwoCpus,
      makeNode().name('new').obj(),
      'QueueSkip',
    ],
    [
      'NodeResourcesFit, an event without its node',
      new NodeResourcesFit(decodeFitArgs(undefined)),
      wantsTwoCpus,
      undefined,
      'Queue',
    ],
    [
      'TaintToleration, an untolerated NoSchedule taint',
      new TaintToleration(),
      makePod().obj(),
      makeNode().name('gpu').taints({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }).obj(),
      'QueueSkip',
    ],
    [
      'TaintToleration, a tolerated taint',
      new TaintToleration(),
      makePod().tolerations({ key: 'dedicated', operator: 'Exists' }).obj(),
      makeNode().name('gpu').taints({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }).obj(),
      'Queue',
    ],
    [
      'TaintToleration, only a PreferNoSchedule taint',
      new TaintToleration(),
      makePod().obj(),
      makeNode().name('meh').taints({ key: 'k', effect: 'PreferNoSchedule' }).obj(),
      'Queue',
    ],
    [
      'NodeAffinity, labels the pod selects',
      new NodeAffinity(),
      makePod().nodeSelector({ zone: 'b' }).obj(),
      makeNode().name('b1').labels({ zone: 'b' }).obj(),
      'Queue',
    ],
    [
      'NodeAffinity, labels it does not',
      new NodeAffinity(),
      makePod().nodeAffinityIn('zone', ['b']).obj(),
      makeNode().name('a1').labels({ zone: 'a' }).obj(),
      'QueueSkip',
    ],
  ])('%s → %s', (_what, plugin, pod, node, expected) => {
    expect(nodeAddHint(plugin, pod, node)).toBe(expected);
  });
});
