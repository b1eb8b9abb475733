import type { Endpoint, EndpointSlice, EndpointSlicePort } from '@skiff/api';
import { makePod, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { desiredEndpoints } from './desired.js';
import { planSlices } from './plan.js';

const service = makeService()
  .name('web')
  .namespace('ns')
  .selector({ app: 'web' })
  .port(80, { name: 'http' })
  .obj();
const pod = (i: number) =>
  makePod()
    .name(`p${i}`)
    .namespace('ns')
    .uid(`uid-${i}`)
    .labels({ app: 'web' })
    .podIP(`10.0.${Math.floor(i / 250)}.${i % 250}`);

let created = 0;
const newSlice = (ports: EndpointSlicePort[], endpoints: Endpoint[]): EndpointSlice => ({
  metadata: { name: `new-${created++}`, namespace: 'ns' },
  addressType: 'IPv4',
  endpoints,
  ports,
});

function ready(count: number) {
  return Array.from({ length: count }, (_, i) => pod(i).ready().obj());
}

describe('endpoint conditions', () => {
  it('marks ready, not-ready and terminating pods', () => {
    const groups = desiredEndpoints(service, [
      pod(1).ready().obj(),
      pod(2).ready(false).obj(),
      pod(3).ready().deletionTimestamp('2026-01-01T00:00:00Z').obj(),
    ]);
    const conditions = [...groups.values()].flatMap((g) =>
      g.endpoints.map((e) => [e.targetRef?.name, e.conditions]),
    );
    expect(conditions).toEqual([
      ['p1', { ready: true, serving: true, terminating: false }],
      ['p2', { ready: false, serving: false, terminating: false }],
      ['p3', { ready: false, serving: true, terminating: true }],
    ]);
  });

  it('calls every endpoint ready with publishNotReadyAddresses', () => {
    const publish = { ...service, spec: { ...service.spec, publishNotReadyAddresses: true } };
    const groups = desiredEndpoints(publish, [pod(1).ready(false).obj()]);
    expect([...groups.values()][0]?.endpoints[0]?.conditions?.ready).toBe(true);
  });
});

describe('planning slices', () => {
  it('splits 250 endpoints into slices of at most 100', () => {
    const plan = planSlices([], desiredEndpoints(service, ready(250)), 100, newSlice);
    expect(plan.create.map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
    expect(plan.update).toEqual([]);
    expect(plan.delete).toEqual([]);
  });

  it('writes nothing when the slices already hold what is desired', () => {
    const desired = desiredEndpoints(service, ready(150));
    const first = planSlices([], desired, 100, newSlice).create;
    expect(planSlices(first, desired, 100, newSlice)).toEqual({
      create: [],
      update: [],
      delete: [],
    });
  });

  it('updates only the slice holding a pod whose readiness changed', () => {
    const pods = ready(150);
    const existing = planSlices([], desiredEndpoints(service, pods), 100, newSlice).create;
    const changed = pods.map((p, i) => (i === 120 ? pod(120).ready(false).obj() : p));
    const plan = planSlices(existing, desiredEndpoints(service, changed), 100, newSlice);
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.update.map((s) => s.metadata.name)).toEqual([existing[1]?.metadata.name]);
  });

  it('puts new endpoints into slices with room before creating one', () => {
    const existing = planSlices([], desiredEndpoints(service, ready(90)), 100, newSlice).create;
    const plan = planSlices(existing, desiredEndpoints(service, ready(95)), 100, newSlice);
    expect(plan.create).toEqual([]);
    expect(plan.update[0]?.endpoints).toHaveLength(95);
  });

  it('deletes slices left empty and keeps one empty placeholder when nothing is left', () => {
    const existing = planSlices([], desiredEndpoints(service, ready(150)), 100, newSlice).create;
    const plan = planSlices(existing, new Map(), 100, newSlice);
    expect(plan.create).toEqual([]);
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0]).toMatchObject({ endpoints: [], ports: [] });
    expect(plan.delete).toHaveLength(1);
    expect(planSlices([], new Map(), 100, newSlice).create[0]).toMatchObject({
      endpoints: [],
      ports: [],
    });
  });

  it('moves endpoints to a new slice when their port changes', () => {
    const existing = planSlices([], desiredEndpoints(service, ready(3)), 100, newSlice).create;
    const moved = {
      ...service,
      spec: { ...service.spec, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    };
    const plan = planSlices(existing, desiredEndpoints(moved, ready(3)), 100, newSlice);
    expect(plan.create[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(plan.delete).toEqual(existing);
  });
});
