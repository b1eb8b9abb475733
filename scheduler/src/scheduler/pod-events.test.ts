import type { Pod } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { ActionType } from '../framework/index.js';
import { podUpdateEvent } from './pod-events.js';

const base = makePod()
  .name('p')
  .namespace('ns')
  .labels({ app: 'web' })
  .requests({ cpu: '1', memory: '1Gi' })
  .node('n1')
  .obj();
const withRequests = (requests: Record<string, string>): Pod =>
  makePod().name('p').namespace('ns').labels({ app: 'web' }).requests(requests).node('n1').obj();

describe('podUpdateEvent: what an assigned pod’s update can change for parked pods', () => {
  it.each<[string, Pod, number | undefined]>([
    ['status only', { ...base, status: { phase: 'Running' } }, undefined],
    [
      'a label added',
      { ...base, metadata: { ...base.metadata, labels: { app: 'web', v: '2' } } },
      ActionType.UpdatePodLabel,
    ],
    [
      'a label value changed',
      { ...base, metadata: { ...base.metadata, labels: { app: 'db' } } },
      ActionType.UpdatePodLabel,
    ],
    [
      'requests went down',
      withRequests({ cpu: '500m', memory: '1Gi' }),
      ActionType.UpdatePodScaleDown,
    ],
    ['requests went up', withRequests({ cpu: '2', memory: '1Gi' }), undefined],
    [
      'tolerations changed',
      { ...base, spec: { ...base.spec, tolerations: [{ key: 'k', operator: 'Exists' }] } },
      ActionType.UpdatePodTolerations,
    ],
  ])('%s', (_what, updated, action) => {
    expect(podUpdateEvent(base, updated)?.action).toBe(action);
  });
});
