// Where each desired endpoint goes (a simpler cousin of Kubernetes' reconcileByPortMapping, with
// the properties that matter): for each port list, existing slices keep the endpoints they
// already hold that are still wanted (updated in place), new endpoints first fill the slices
// being rewritten anyway, then other slices with room, then new slices of at most
// maxEndpointsPerSlice; slices left empty, and slices of port lists no longer wanted, go. A
// service without any endpoint keeps one empty placeholder slice, as in Kubernetes.
import { isDeepStrictEqual } from 'node:util';
import type { Endpoint, EndpointSlice, EndpointSlicePort } from '@skiff/api';
import { endpointKey, portsKey, type EndpointGroup } from './desired.js';

export interface SlicePlan {
  /** New slices (without names: the apiserver generates them). */
  readonly create: EndpointSlice[];
  /** Existing slices with new content, resourceVersion kept for compare-and-swap. */
  readonly update: EndpointSlice[];
  readonly delete: Readonly<EndpointSlice>[];
}

export function planSlices(
  existing: readonly Readonly<EndpointSlice>[],
  desired: ReadonlyMap<string, EndpointGroup>,
  maxPerSlice: number,
  newSlice: (ports: EndpointSlicePort[], endpoints: Endpoint[]) => EndpointSlice,
): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const byPorts = new Map<string, Readonly<EndpointSlice>[]>();
  for (const slice of existing) {
    const key = portsKey(slice.ports ?? []);
    byPorts.set(key, [...(byPorts.get(key) ?? []), slice]);
  }
  const total = [...desired.values()].reduce((n, g) => n + g.endpoints.length, 0);
  if (total === 0) return placeholderPlan(existing, newSlice);

  for (const [key, slices] of byPorts) {
    if (!desired.has(key)) plan.delete.push(...slices);
  }
  for (const [key, group] of desired) {
    planPortList(byPorts.get(key) ?? [], group, maxPerSlice, newSlice, plan);
  }
  return plan;
}

function planPortList(
  slices: readonly Readonly<EndpointSlice>[],
  group: EndpointGroup,
  maxPerSlice: number,
  newSlice: (ports: EndpointSlicePort[], endpoints: Endpoint[]) => EndpointSlice,
  plan: SlicePlan,
): void {
  const wanted = new Map(group.endpoints.map((e) => [endpointKey(e), e]));
  const placed = new Set<string>();
  const kept: { slice: Readonly<EndpointSlice>; endpoints: Endpoint[]; changed: boolean }[] = [];
  for (const slice of slices) {
    const endpoints: Endpoint[] = [];
    let changed = false;
    for (const current of slice.endpoints ?? []) {
      const key = endpointKey(current);
      const next = wanted.get(key);
      // Gone, or already placed in another slice (a duplicate from an earlier crash).
      if (!next || placed.has(key)) {
        changed = true;
        continue;
      }
      placed.add(key);
      if (!isDeepStrictEqual(current, next)) changed = true;
      endpoints.push(next);
    }
    kept.push({ slice, endpoints, changed });
  }
  let fresh = group.endpoints.filter((e) => !placed.has(endpointKey(e)));
  // Fill slices that are rewritten anyway first: an extra endpoint there costs no extra write.
  const order = [...kept.filter((k) => k.changed), ...kept.filter((k) => !k.changed)];
  for (const entry of order) {
    const room = maxPerSlice - entry.endpoints.length;
    if (fresh.length === 0 || room <= 0) continue;
    entry.endpoints.push(...fresh.slice(0, room));
    fresh = fresh.slice(room);
    entry.changed = true;
  }
  for (const entry of kept) {
    if (entry.endpoints.length === 0) plan.delete.push(entry.slice);
    else if (entry.changed) {
      plan.update.push({
        ...entry.slice,
        ports: group.ports,
        endpoints: sortEndpoints(entry.endpoints),
      });
    }
  }
  for (let i = 0; i < fresh.length; i += maxPerSlice) {
    plan.create.push(newSlice(group.ports, sortEndpoints(fresh.slice(i, i + maxPerSlice))));
  }
}

/** No endpoints at all: exactly one slice, empty, without ports. */
function placeholderPlan(
  existing: readonly Readonly<EndpointSlice>[],
  newSlice: (ports: EndpointSlicePort[], endpoints: Endpoint[]) => EndpointSlice,
): SlicePlan {
  const [keep, ...rest] = existing;
  if (!keep) return { create: [newSlice([], [])], update: [], delete: [] };
  const isPlaceholder = (keep.endpoints ?? []).length === 0 && (keep.ports ?? []).length === 0;
  return {
    create: [],
    update: isPlaceholder ? [] : [{ ...keep, ports: [], endpoints: [] }],
    delete: rest,
  };
}

function sortEndpoints(endpoints: Endpoint[]): Endpoint[] {
  return endpoints.sort((a, b) => {
    const ka = a.addresses[0] ?? '';
    const kb = b.addresses[0] ?? '';
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
