// pods/binding as the apiserver serves it: POST a Binding to assign a pod to a node — once, and
// not while the pod is being deleted (409 otherwise) — marking it PodScheduled. (The scale
// subresource is the apiserver's own code, from @skiff/apiserver/testing.)
import { apiErrors, type Binding, type PodCondition, type Status } from '@skiff/api';
import { rfc3339 } from '@skiff/api/testing';
import type { Stored } from './object-tracker.js';

/** The node a Binding names (400 when it names none). */
export function bindingTarget(body: unknown): { nodeName: string; binding: Binding } {
  const binding = body as Binding | undefined;
  const nodeName = binding?.target?.name;
  if (!nodeName) throw apiErrors.badRequest('a Binding needs target.name, the node to bind to');
  return { nodeName, binding };
}

/** Assigns the pod to the node, as the apiserver's binding does: once, and not while deleting. */
export function bind(
  pod: Stored,
  podsResource: { group: string; resource: string },
  nodeName: string,
  binding: Binding,
  now: number,
): Stored {
  const name = pod.metadata.name ?? '';
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  if (pod.metadata.deletionTimestamp) {
    throw apiErrors.conflict(
      podsResource,
      name,
      `pod ${name} is being deleted, cannot be assigned to a host`,
    );
  }
  if (spec.nodeName) {
    throw apiErrors.conflict(
      podsResource,
      name,
      `pod ${name} is already assigned to node "${spec.nodeName}"`,
    );
  }
  pod.spec = { ...spec, nodeName };
  const annotations = binding.metadata?.annotations;
  if (annotations) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
  const status = (pod.status ?? {}) as { conditions?: PodCondition[] };
  const scheduled: PodCondition = {
    type: 'PodScheduled',
    status: 'True',
    lastTransitionTime: rfc3339(now),
  };
  const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  pod.status = { ...status, conditions: [...conditions, scheduled] };
  return pod;
}

/** What a successful POST to a subresource answers when it has no object to return. */
export function created(): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}
