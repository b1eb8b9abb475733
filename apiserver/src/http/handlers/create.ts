// POST a new object into a collection.
import { updateManager } from '../field-manager.js';
import { objectFromBody } from '../../registry/request-object.js';
import { parseWriteParams, unknownFieldHandling } from '../query-options.js';
import { setWarnings } from '../respond.js';
import { bodyHasKnownFieldsOnly, readObjectBody, type ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireNamespace } from './names.js';

export async function handleCreate(scope: ResourceScope): Promise<void> {
  const namespace = requireNamespace(scope);
  const { dryRun, fieldValidation } = parseWriteParams(scope.query);
  const unknownFields = unknownFieldHandling(fieldValidation, scope.info.kind, 'body');
  const fieldManager = updateManager(scope);
  const body = await readObjectBody(scope);
  const obj = objectFromBody(scope.info.kind, body, { namespace });
  const created = await scope.registry.create(obj, {
    dryRun,
    fieldManager,
    checkUnknownFields: unknownFields.check,
    knownFieldsOnly: bodyHasKnownFieldsOnly(scope),
  });
  setWarnings(scope.res, unknownFields.warnings());
  sendResult(scope, 201, created);
}
