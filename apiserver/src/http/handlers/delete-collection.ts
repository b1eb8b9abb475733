// DELETE on a collection: every object the selectors match, each deleted as a single DELETE
// would (graceful pods linger, finalizers hold). Answers with the list of what was deleted.
import { isNotFound } from '@skiff/api';
import { listObjects } from '../../registry/list.js';
import { parseListParams } from '../../registry/list-options.js';
import type { ApiObject } from '../../registry/api-object.js';
import { parseDeleteOptions } from '../delete-options.js';
import { readOptionalBody, type ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';

export async function handleDeleteCollection(scope: ResourceScope): Promise<void> {
  const params = parseListParams(scope.info.kind, scope.query);
  const options = parseDeleteOptions(await readOptionalBody(scope), scope.query);
  const list = await listObjects(scope.registry, scope.info.namespace, { ...params, limit: 0 });
  const deleted: ApiObject[] = [];
  for (const item of list.items) {
    try {
      const result = await scope.registry.delete(
        item.metadata.namespace,
        item.metadata.name ?? '',
        options,
      );
      deleted.push(result.obj);
    } catch (err) {
      // Deleted by someone else since the list: that is what was asked for.
      if (isNotFound(err)) continue;
      throw err;
    }
  }
  sendResult(scope, 200, { ...list, items: deleted });
}
