// The status subresource: GET returns the object; PUT and PATCH change only its status (spec
// and metadata come from the stored object), so controllers reporting status can never
// overwrite what users asked for, and vice versa. A kind's strategy may let a status write
// carry more (a Deployment's annotations, as in Kubernetes).
import { isPlainObject } from '../../registry/api-object.js';
import { updateManager } from '../field-manager.js';
import { objectFromBody } from '../../registry/request-object.js';
import { parseWriteParams } from '../query-options.js';
import { readObjectBody, type ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireName } from './names.js';
import { handlePatch } from './patch.js';

export async function handleStatusGet(scope: ResourceScope): Promise<void> {
  sendResult(scope, 200, await scope.registry.get(scope.info.namespace, requireName(scope)));
}

export async function handleStatusUpdate(scope: ResourceScope): Promise<void> {
  const name = requireName(scope);
  const { dryRun } = parseWriteParams(scope.query);
  const fieldManager = updateManager(scope);
  const body = objectFromBody(scope.info.kind, await readObjectBody(scope), {
    namespace: scope.info.namespace,
    name,
  });
  const requested = { ...body, status: isPlainObject(body.status) ? body.status : undefined };
  const { obj } = await scope.registry.update(scope.info.namespace, name, {
    desired: (current) => scope.registry.statusUpdate(requested, current),
    resourceVersion: body.metadata.resourceVersion || undefined,
    subresource: 'status',
    dryRun,
    fieldManager,
  });
  sendResult(scope, 200, obj);
}

export function handleStatusPatch(scope: ResourceScope): Promise<void> {
  return handlePatch(scope, 'status');
}
