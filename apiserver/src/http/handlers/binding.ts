// pods/binding: how the scheduler assigns a pod to a node. A compare-and-set on the pod: it
// succeeds only while spec.nodeName is empty and the pod is not being deleted, so a pod is
// bound at most once even when two schedulers race (the loser gets 409 Conflict).
import type { Binding, Pod, PodCondition } from '@skiff/api';
import { type ApiObject, asApiObject, asKind, isPlainObject } from '../../registry/api-object.js';
import { rfc3339 } from '../../registry/timestamps.js';
import { apiErrors, validateStructure } from '@skiff/api';
import { parseWriteParams } from '../query-options.js';
import { sendJson, successStatus } from '../respond.js';
import { readObjectBody, type ResourceScope } from '../scope.js';
import { requireName } from './names.js';

function bindingFrom(body: unknown, podName: string): { binding: Binding; nodeName: string } {
  if (!isPlainObject(body) || (body.kind !== undefined && body.kind !== 'Binding')) {
    throw apiErrors.badRequest('pods/binding takes a Binding (apiVersion v1, kind Binding)');
  }
  // The pod is updated as a trusted write (no re-check of the pod), so the annotations copied
  // into it are checked here, with the rest of the Binding's shape.
  const shapeErrors = validateStructure({
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: body.metadata,
    // An absent target is reported below as Kubernetes does (target.name required).
    target: body.target ?? {},
  });
  if (shapeErrors.length > 0) {
    throw apiErrors.invalid({ group: '', kind: 'Binding' }, podName, shapeErrors);
  }
  const binding = body as unknown as Binding;
  const name = binding.metadata?.name;
  if (name && name !== podName) {
    throw apiErrors.badRequest(
      `the name of the object (${name}) does not match the name on the URL (${podName})`,
    );
  }
  const target = binding.target as Binding['target'] | undefined;
  if (!target?.name) {
    throw apiErrors.invalid({ group: '', kind: 'Binding' }, podName, [
      { type: 'FieldValueRequired', field: 'target.name' },
    ]);
  }
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') {
    throw apiErrors.invalid({ group: '', kind: 'Binding' }, podName, [
      {
        type: 'FieldValueNotSupported',
        field: 'target.kind',
        badValue: target.kind,
        detail: 'supported values: "Node"',
      },
    ]);
  }
  return { binding, nodeName: target.name };
}

function bound(
  scope: ResourceScope,
  current: ApiObject,
  binding: Binding,
  nodeName: string,
): ApiObject {
  const pod = asKind<Pod>(current);
  const name = pod.metadata.name ?? '';
  const gr = scope.registry.groupResource;
  if (pod.metadata.deletionTimestamp) {
    throw apiErrors.conflict(
      gr,
      name,
      `pod ${name} is being deleted, cannot be assigned to a host`,
    );
  }
  if (pod.spec.nodeName) {
    throw apiErrors.conflict(
      gr,
      name,
      `pod ${name} is already assigned to node "${pod.spec.nodeName}"`,
    );
  }
  pod.spec.nodeName = nodeName;
  const annotations = binding.metadata?.annotations;
  if (annotations) pod.metadata.annotations = { ...pod.metadata.annotations, ...annotations };
  const scheduled: PodCondition = {
    type: 'PodScheduled',
    status: 'True',
    lastTransitionTime: rfc3339(scope.server.clock.now()),
  };
  const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  pod.status = { ...pod.status, conditions: [...conditions, scheduled] };
  return asApiObject(pod);
}

export async function handleBinding(scope: ResourceScope): Promise<void> {
  const podName = requireName(scope);
  const { dryRun } = parseWriteParams(scope.query);
  const { binding, nodeName } = bindingFrom(await readObjectBody(scope), podName);
  await scope.registry.update(scope.info.namespace, podName, {
    desired: (current) => bound(scope, current, binding, nodeName),
    // Binding is the server's own check-and-set, not a user editing an immutable field.
    trusted: true,
    subresource: 'binding',
    dryRun,
  });
  sendJson(scope.res, 201, { ...successStatus(undefined), code: 201 });
}
