// The subresources a controller, the scheduler or the kubelet write through, as the apiserver
// serves them: `scale` (autoscaling/v1 Scale over spec.replicas of a Deployment or ReplicaSet)
// and `binding` (POST a Binding to assign a pod to a node, 409 if it already has one).
import {
  apiErrors,
  labelSelectorAsSelector,
  type Binding,
  type LabelSelector,
  type PodCondition,
  type Scale,
  type Status,
} from '@skiff/api';
import { rfc3339 } from '@skiff/api/testing';
import type { KubeObject } from '../../rest/resource-client.js';
import type { Stored } from './object-tracker.js';

interface Scalable {
  spec?: { replicas?: number; selector?: LabelSelector };
  status?: { replicas?: number };
}

export function scaleOf(object: KubeObject): Scale {
  const workload = object as Scalable;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: workload.spec?.replicas ?? 0 },
    status: {
      replicas: workload.status?.replicas ?? 0,
      selector: labelSelectorAsSelector(workload.spec?.selector).toString(),
    },
  };
}

/** The replicas a Scale body asks for: a whole number, at least 0 (422 otherwise). */
export function replicasOf(scale: unknown, name: string): number {
  const replicas = (scale as Scale | undefined)?.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw apiErrors.invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
      {
        type: 'FieldValueInvalid',
        field: 'spec.replicas',
        badValue: replicas,
        detail: 'must be greater than or equal to 0',
      },
    ]);
  }
  return replicas;
}

export function setReplicas(object: Stored, replicas: number): void {
  const workload = object as Scalable;
  workload.spec = { ...workload.spec, replicas };
}

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
): void {
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
}

/** What a successful POST to a subresource answers when it has no object to return. */
export function created(): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}
