// PUT: replace an object. The body's resourceVersion, when given, must be the stored one (409
// otherwise); without one the update is unconditional, as Kubernetes allows for most kinds.
import { cloneObject } from '../../registry/api-object.js';
import { updateManager } from '../field-manager.js';
import { objectFromBody } from '../../registry/request-object.js';
import { parseWriteParams, unknownFieldHandling } from '../query-options.js';
import { setWarnings } from '../respond.js';
import { bodyHasKnownFieldsOnly, readObjectBody, type ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireName } from './names.js';

export async function handleUpdate(scope: ResourceScope): Promise<void> {
  const name = requireName(scope);
  const { dryRun, fieldValidation } = parseWriteParams(scope.query);
  const unknownFields = unknownFieldHandling(fieldValidation, scope.info.kind, 'body');
  const fieldManager = updateManager(scope);
  const body = await readObjectBody(scope);
  const obj = objectFromBody(scope.info.kind, body, { namespace: scope.info.namespace, name });
  const { obj: stored, created } = await scope.registry.update(scope.info.namespace, name, {
    desired: () => cloneObject(obj),
    resourceVersion: obj.metadata.resourceVersion || undefined,
    createIfMissing: () => cloneObject(obj),
    dryRun,
    fieldManager,
    checkUnknownFields: unknownFields.check,
    knownFieldsOnly: bodyHasKnownFieldsOnly(scope),
  });
  setWarnings(scope.res, unknownFields.warnings());
  sendResult(scope, created ? 201 : 200, stored);
}
