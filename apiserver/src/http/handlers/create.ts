// POST a new object into a collection.
import { objectFromBody } from '../../registry/request-object.js';
import { parseWriteParams } from '../query-options.js';
import { readObjectBody, type ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireNamespace } from './names.js';

export async function handleCreate(scope: ResourceScope): Promise<void> {
  const namespace = requireNamespace(scope);
  const { dryRun } = parseWriteParams(scope.query);
  const body = await readObjectBody(scope);
  const obj = objectFromBody(scope.info.kind, body, { namespace });
  const created = await scope.registry.create(obj, { dryRun });
  sendResult(scope, 201, created);
}
