import { makeEndpointSlice, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { planOf, TEST_NODE } from '../testing/fixtures.js';

const ready = {};
const notReady = { ready: false, serving: false };
const terminating = { ready: false, serving: true, terminating: true };
const terminatingNotServing = { ready: false, serving: false, terminating: true };

const service = makeService().namespace('ns').clusterIP('10.96.0.10').port(80, { name: 'http' });
const slice = (...endpoints: [string, object, string?][]) => {
  const b = makeEndpointSlice().namespace('ns').port(8080, { name: 'http' });
  for (const [ip, conditions, node] of endpoints)
    b.endpoint(ip, conditions, { nodeName: node ?? 'node-b' });
  return b.obj();
};

describe('planServicePort', () => {
  it.each([
    {
      name: 'uses the ready endpoints only',
      endpoints: [
        ['10.0.0.1', ready],
        ['10.0.0.2', notReady],
        ['10.0.0.3', terminating],
      ],
      want: ['10.0.0.1'],
    },
    {
      name: 'falls back to serving terminating endpoints when none is ready',
      endpoints: [
        ['10.0.0.2', notReady],
        ['10.0.0.3', terminating],
      ],
      want: ['10.0.0.3'],
    },
    {
      name: 'never uses terminating endpoints that are not serving',
      endpoints: [['10.0.0.3', terminatingNotServing]],
      want: [],
    },
  ] as { name: string; endpoints: [string, object][]; want: string[] }[])(
    '$name',
    ({ endpoints, want }) => {
      const plan = planOf(service.obj(), slice(...endpoints));
      expect(plan.clusterEndpoints.map((e) => e.ip)).toEqual(want);
    },
  );

  it('rejects ClusterIP traffic of a Service without endpoints', () => {
    expect(planOf(service.obj()).internal).toBe('reject');
  });

  it('drops internalTrafficPolicy Local traffic when the only endpoints are on other nodes', () => {
    const local = makeService()
      .namespace('ns')
      .clusterIP('10.96.0.10')
      .port(80, { name: 'http' })
      .spec({ internalTrafficPolicy: 'Local' });
    expect(planOf(local.obj(), slice(['10.0.0.1', ready])).internal).toBe('drop');
    const here = planOf(local.obj(), slice(['10.0.0.1', ready], ['10.0.0.2', ready, TEST_NODE]));
    expect(here.internal).toBe('local');
    expect(here.localEndpoints.map((e) => e.ip)).toEqual(['10.0.0.2']);
  });

  it('drops externalTrafficPolicy Local node-port traffic without a local endpoint, and keeps the ClusterIP', () => {
    const svc = makeService()
      .namespace('ns')
      .type('NodePort')
      .clusterIP('10.96.0.10')
      .port(80, { name: 'http', nodePort: 30080 })
      .spec({ externalTrafficPolicy: 'Local' });
    const plan = planOf(svc.obj(), slice(['10.0.0.1', ready]));
    expect(plan.externalNoEndpoints).toBe('drop');
    expect(plan.internal).toBe('cluster');
  });

  it('programs no port of a headless Service', () => {
    const headless = makeService().namespace('ns').clusterIP('None').port(80).obj();
    expect(() => planOf(headless)).toThrow(/no port/);
  });
});
