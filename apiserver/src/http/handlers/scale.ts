// The scale subresource (autoscaling/v1 Scale): how `kubectl scale` and autoscalers change
// replicas without touching the rest of a Deployment or ReplicaSet.
import { updateManager } from '../field-manager.js';
import type { LabelSelector, Scale } from '@skiff/api';
import { labelSelectorAsSelector, apiErrors } from '@skiff/api';
import { type ApiObject, isPlainObject } from '../../registry/api-object.js';
import type { ScaleAdapter } from '../../registry/strategy.js';
import { parseWriteParams } from '../query-options.js';
import { readObjectBody, type ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireName } from './names.js';
import { patched, readPatch, resourceVersionInPatch } from './patch.js';

const scaleKind = { apiVersion: 'autoscaling/v1', kind: 'Scale' };

interface Scalable {
  spec?: { replicas?: number; selector?: LabelSelector };
  status?: { replicas?: number };
}

export function scaleOf(obj: ApiObject): Scale {
  const workload = obj as Scalable;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
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

export function replicasFrom(scale: unknown, name: string): number {
  const spec = isPlainObject(scale) && isPlainObject(scale.spec) ? scale.spec : {};
  const replicas = spec.replicas ?? 0;
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
  if (isPlainObject(scale) && scale.kind !== undefined && scale.kind !== 'Scale') {
    throw apiErrors.badRequest(
      `the scale subresource takes a Scale, not ${typeof scale.kind === 'string' ? scale.kind : JSON.stringify(scale.kind)}`,
    );
  }
  return replicas;
}

function withReplicas(current: ApiObject, replicas: number): ApiObject {
  const spec = isPlainObject(current.spec) ? current.spec : {};
  return { ...current, spec: { ...spec, replicas } };
}

/** Deployments and ReplicaSets; custom resources bring their own (their CRD's replica paths). */
export const workloadScale: ScaleAdapter = { scaleOf, withReplicas };

function adapterOf(scope: ResourceScope): ScaleAdapter {
  return scope.registry.strategy.scale ?? workloadScale;
}

export async function handleScaleGet(scope: ResourceScope): Promise<void> {
  const obj = await scope.registry.get(scope.info.namespace, requireName(scope));
  sendResult(scope, 200, adapterOf(scope).scaleOf(obj));
}

export async function handleScaleUpdate(scope: ResourceScope): Promise<void> {
  const name = requireName(scope);
  const { dryRun } = parseWriteParams(scope.query);
  const body = await readObjectBody(scope);
  const replicas = replicasFrom(body, name);
  const adapter = adapterOf(scope);
  const meta = isPlainObject(body) && isPlainObject(body.metadata) ? body.metadata : {};
  const rv =
    typeof meta.resourceVersion === 'string' && meta.resourceVersion !== ''
      ? meta.resourceVersion
      : undefined;
  const { obj } = await scope.registry.update(scope.info.namespace, name, {
    desired: (current) => adapter.withReplicas(current, replicas),
    resourceVersion: rv,
    subresource: 'scale',
    dryRun,
    fieldManager: updateManager(scope),
  });
  sendResult(scope, 200, adapter.scaleOf(obj));
}

export async function handleScalePatch(scope: ResourceScope): Promise<void> {
  const name = requireName(scope);
  const { dryRun } = parseWriteParams(scope.query);
  // Server-side apply to /scale is not served here (kube-apiserver serves it).
  const patch = await readPatch(scope, scaleKind, false);
  const adapter = adapterOf(scope);
  const { obj } = await scope.registry.update(scope.info.namespace, name, {
    desired: (current) => {
      const scale = patched(scope, adapter.scaleOf(current), patch, scaleKind);
      return adapter.withReplicas(current, replicasFrom(scale, name));
    },
    resourceVersion: resourceVersionInPatch(scope, patch),
    subresource: 'scale',
    dryRun,
    fieldManager: updateManager(scope),
  });
  sendResult(scope, 200, adapter.scaleOf(obj));
}
