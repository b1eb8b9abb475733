import type { Node } from '@skiff/api';
import { makeNode } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { ActionType } from '../framework/index.js';
import { nodeUpdateEvent } from './node-events.js';

const base = (): ReturnType<typeof makeNode> =>
  makeNode().name('n1').labels({ zone: 'a' }).capacity({ cpu: '4' }).ready();

describe('nodeUpdateEvent', () => {
  it.each<[string, Node, number | undefined]>([
    [
      'a heartbeat changes nothing a plugin reads',
      base().condition('Ready', 'True', { lastHeartbeatTime: '2026-01-01T00:00:10Z' }).obj(),
      undefined,
    ],
    ['labels', base().labels({ zone: 'b' }).obj(), ActionType.UpdateNodeLabel],
    ['allocatable', base().allocatable({ cpu: '8' }).obj(), ActionType.UpdateNodeAllocatable],
    [
      'a taint',
      base().taints({ key: 'k', effect: 'NoSchedule' }).obj(),
      ActionType.UpdateNodeTaint,
    ],
    ['cordoned or uncordoned', base().unschedulable().obj(), ActionType.UpdateNodeTaint],
    ['a condition turning', base().ready(false).obj(), ActionType.UpdateNodeCondition],
    ['annotations', base().annotations({ a: 'b' }).obj(), ActionType.UpdateNodeAnnotation],
    [
      'several at once',
      base().labels({ zone: 'b' }).taints({ key: 'k', effect: 'NoSchedule' }).obj(),
      ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint,
    ],
  ])('%s', (_name, updated, action) => {
    expect(nodeUpdateEvent(base().obj(), updated)?.action).toBe(action);
  });
});
