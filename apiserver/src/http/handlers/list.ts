// GET a collection: a list, or a watch when `watch=true`/`watch=1`.
import { list } from '../../registry/list-watch.js';
import { parseListParams } from '../../registry/list-options.js';
import type { ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';

export async function handleList(scope: ResourceScope): Promise<void> {
  const params = parseListParams(scope.info.kind, scope.query);
  sendResult(scope, 200, await list(scope.registry, scope.info.namespace, params));
}
