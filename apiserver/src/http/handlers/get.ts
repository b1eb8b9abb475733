// GET a named object.
import type { ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireName } from './names.js';

export async function handleGet(scope: ResourceScope): Promise<void> {
  const obj = await scope.registry.get(scope.info.namespace, requireName(scope));
  sendResult(scope, 200, obj);
}
