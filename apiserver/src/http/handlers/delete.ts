// DELETE a named object. While graceful deletion or finalizers hold it, the answer is the
// object with its deletionTimestamp; once it is gone, the deleted object (pods, namespaces)
// or a Success Status, as Kubernetes answers per kind.
import { parseDeleteOptions } from '../delete-options.js';
import { successStatus } from '../respond.js';
import { readOptionalBody, type ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireName } from './names.js';

export async function handleDelete(scope: ResourceScope): Promise<void> {
  const name = requireName(scope);
  const options = parseDeleteOptions(await readOptionalBody(scope), scope.query);
  const { obj, deleted } = await scope.registry.delete(scope.info.namespace, name, options);
  if (!deleted || scope.registry.strategy.returnDeletedObject) {
    sendResult(scope, 200, obj);
    return;
  }
  const { group, resource } = scope.registry.groupResource;
  sendResult(scope, 200, successStatus({ name, group, kind: resource, uid: obj.metadata.uid }));
}
