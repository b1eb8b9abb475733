// PUT: replace an object. The body's resourceVersion, when given, must be the stored one (409
// otherwise); without one the update is unconditional, as Kubernetes allows for most kinds.
import { cloneObject } from '../../registry/api-object.js';
import { objectFromBody } from '../../registry/request-object.js';
import { parseWriteParams } from '../query-options.js';
import { readObjectBody, type ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireName } from './names.js';

export async function handleUpdate(scope: ResourceScope): Promise<void> {
  const name = requireName(scope);
  const { dryRun } = parseWriteParams(scope.query);
  const body = await readObjectBody(scope);
  const obj = objectFromBody(scope.info.kind, body, { namespace: scope.info.namespace, name });
  const { obj: stored, created } = await scope.registry.update(scope.info.namespace, name, {
    desired: () => cloneObject(obj),
    resourceVersion: obj.metadata.resourceVersion || undefined,
    createIfMissing: () => cloneObject(obj),
    dryRun,
  });
  sendResult(scope, created ? 201 : 200, stored);
}
