// PATCH: JSON patch, merge patch or strategic merge patch, applied to the stored object and
// written as an update. A patch that sets metadata.resourceVersion is conditional on it; any
// other patch is re-applied to the fresh object when a concurrent write wins the race.
import {
  acceptedPatchTypes,
  applyPatch,
  jsonPatchType,
  PatchError,
  unsupportedPatchType,
} from '../../patch/index.js';
import { type ApiObject, isPlainObject } from '../../registry/api-object.js';
import { ApiError, apiErrors, makeStatus } from '@skiff/api';
import { updateManager } from '../field-manager.js';
import { decodeBody, mediaType } from '../decode-body.js';
import { parseWriteParams, unknownFieldHandling } from '../query-options.js';
import { readBody } from '../read-body.js';
import { setWarnings } from '../respond.js';
import type { ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireName } from './names.js';
import { applyPatchType, handleApply, isApply } from './apply.js';

export interface PatchTargetKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * Reads a PATCH body after checking its Content-Type is one `target` accepts. Otherwise 415 with
 * Kubernetes' message, which lists every patch type the endpoint serves: server-side apply too
 * where it is served (`servesApply`), as kube-apiserver lists it for every resource.
 */
export async function readPatch(
  scope: ResourceScope,
  target: PatchTargetKind,
  servesApply: boolean,
): Promise<unknown> {
  const contentType = mediaType(scope.req.headers['content-type']);
  const accepted = acceptedPatchTypes(target);
  if (!accepted.includes(contentType)) {
    scope.req.resume();
    throw asStatusError(
      unsupportedPatchType(servesApply ? [...accepted, applyPatchType] : accepted),
    );
  }
  return decodeBody(await readBody(scope.req, scope.server.maxBodyBytes), 'json');
}

function asStatusError(err: PatchError): ApiError {
  return new ApiError(makeStatus({ code: err.code, reason: err.reason, message: err.message }));
}

/** Applies a patch, turning the patch module's errors into Statuses. */
export function patched(
  scope: ResourceScope,
  original: unknown,
  patch: unknown,
  target: PatchTargetKind,
): ApiObject {
  try {
    const result = applyPatch(
      mediaType(scope.req.headers['content-type']),
      original,
      patch,
      target,
    );
    // A patch may replace the whole document or drop metadata; what follows needs an object
    // with metadata (the server fills in its fields from the stored object, as for a PUT).
    if (!isPlainObject(result)) {
      throw apiErrors.badRequest('the patched object must be a JSON object');
    }
    if (result.metadata === undefined || result.metadata === null) result.metadata = {};
    return result as ApiObject;
  } catch (err) {
    if (err instanceof PatchError) throw asStatusError(err);
    throw err;
  }
}

/** The resourceVersion a patch itself sets, which makes it conditional. */
export function resourceVersionInPatch(scope: ResourceScope, patch: unknown): string | undefined {
  if (mediaType(scope.req.headers['content-type']) === jsonPatchType) {
    if (!Array.isArray(patch)) return undefined;
    for (const op of patch) {
      if (
        isPlainObject(op) &&
        (op.op === 'replace' || op.op === 'add') &&
        op.path === '/metadata/resourceVersion' &&
        typeof op.value === 'string'
      ) {
        return op.value;
      }
    }
    return undefined;
  }
  if (!isPlainObject(patch) || !isPlainObject(patch.metadata)) return undefined;
  const rv = patch.metadata.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

export async function handlePatch(scope: ResourceScope, subresource?: 'status'): Promise<void> {
  if (isApply(scope.req.headers['content-type'])) return handleApply(scope, subresource);
  const name = requireName(scope);
  const { dryRun, fieldValidation } = parseWriteParams(scope.query);
  const { kind } = scope.info;
  const unknownFields = unknownFieldHandling(fieldValidation, kind, 'patch');
  const target = { apiVersion: kind.apiVersion, kind: kind.kind };
  const fieldManager = updateManager(scope);
  const patch = await readPatch(scope, target, true);
  const { obj } = await scope.registry.update(scope.info.namespace, name, {
    desired: (current) => {
      const next = patched(scope, current, patch, target);
      // /status keeps everything but status from the stored object (or what its kind says).
      return subresource === 'status' ? scope.registry.statusUpdate(next, current) : next;
    },
    resourceVersion: resourceVersionInPatch(scope, patch),
    subresource,
    dryRun,
    fieldManager,
    checkUnknownFields: unknownFields.check,
  });
  setWarnings(scope.res, unknownFields.warnings());
  sendResult(scope, 200, obj);
}
