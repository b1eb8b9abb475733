import type { Node, Pod } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { Plugin, QueuedPodInfo } from '../framework/index.js';
import { NodeName } from './node-name.js';
import { NodePorts } from './node-ports.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { PrioritySort } from './priority-sort.js';
import { filterOutcome, nodeInfoOf, verdict } from './testing/plugin-harness.js';

describe('NodeUnschedulable, NodeName and NodePorts Filter', () => {
  const cordoned = makeNode().name('n1').unschedulable().obj();
  const busy = makePod()
    .name('busy')
    .uid('busy')
    .node('n1')
    .hostPort(8080)
    .hostPort(53, 'UDP', '10.0.0.1')
    .obj();
  it.each<[string, Plugin, Pod, Node, Pod[], string]>([
    [
      'a cordoned node refuses',
      new NodeUnschedulable(),
      makePod().obj(),
      cordoned,
      [],
      'UnschedulableAndUnresolvable: node(s) were unschedulable',
    ],
    [
      'a cordoned node takes a pod tolerating the unschedulable taint',
      new NodeUnschedulable(),
      makePod()
        .tolerations({
          key: 'node.kubernetes.io/unschedulable',
          operator: 'Exists',
          effect: 'NoSchedule',
        })
        .obj(),
      cordoned,
      [],
      'Success',
    ],
    [
      'a schedulable node takes anything',
      new NodeUnschedulable(),
      makePod().obj(),
      makeNode().name('n1').obj(),
      [],
      'Success',
    ],
    [
      'no nodeName fits anywhere',
      new NodeName(),
      makePod().obj(),
      makeNode().name('n1').obj(),
      [],
      'Success',
    ],
    [
      'the named node',
      new NodeName(),
      makePod().node('n1').obj(),
      makeNode().name('n1').obj(),
      [],
      'Success',
    ],
    [
      'another node',
      new NodeName(),
      makePod().node('n2').obj(),
      makeNode().name('n1').obj(),
      [],
      "UnschedulableAndUnresolvable: node(s) didn't match the requested node name",
    ],
    [
      'no host ports',
      new NodePorts(),
      makePod().obj(),
      makeNode().name('n1').obj(),
      [busy],
      'Success',
    ],
    [
      'a free port',
      new NodePorts(),
      makePod().hostPort(9090).obj(),
      makeNode().name('n1').obj(),
      [busy],
      'Success',
    ],
    [
      'a taken port',
      new NodePorts(),
      makePod().hostPort(8080).obj(),
      makeNode().name('n1').obj(),
      [busy],
      "Unschedulable: node(s) didn't have free ports for the requested pod ports",
    ],
    [
      'same port, other protocol',
      new NodePorts(),
      makePod().hostPort(8080, 'UDP').obj(),
      makeNode().name('n1').obj(),
      [busy],
      'Success',
    ],
    [
      'a port on another IP',
      new NodePorts(),
      makePod().hostPort(53, 'UDP', '10.0.0.2').obj(),
      makeNode().name('n1').obj(),
      [busy],
      'Success',
    ],
    [
      '0.0.0.0 conflicts with any IP',
      new NodePorts(),
      makePod().hostPort(53, 'UDP').obj(),
      makeNode().name('n1').obj(),
      [busy],
      "Unschedulable: node(s) didn't have free ports for the requested pod ports",
    ],
  ])('%s', (_name, plugin, pod, node, existing, expected) => {
    expect(verdict(filterOutcome(plugin, pod, nodeInfoOf(node, ...existing)))).toBe(expected);
  });
});

describe('PrioritySort', () => {
  const info = (priority: number, timestamp: number): QueuedPodInfo => ({
    pod: makePod().priority(priority).obj(),
    timestamp,
    attempts: 0,
    initialAttemptTimestamp: timestamp,
    unschedulablePlugins: new Set(),
  });
  it.each<[string, QueuedPodInfo, QueuedPodInfo, boolean]>([
    ['higher priority first', info(10, 5), info(1, 1), true],
    ['lower priority later', info(1, 1), info(10, 5), false],
    ['equal priority: earlier first', info(1, 1), info(1, 2), true],
    ['equal priority: later after', info(1, 2), info(1, 1), false],
  ])('%s', (_name, a, b, expected) => {
    expect(new PrioritySort().less(a, b)).toBe(expected);
  });
});
