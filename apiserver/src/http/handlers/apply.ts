// Server-side apply: PATCH with `application/apply-patch+yaml`. The body is the applier's whole
// configuration; it is merged into the live object (or creates it) and the field manager
// decides ownership, removals and conflicts (../../fieldmanager/apply.ts).
import { ApiError, apiErrors, makeStatus } from '@skiff/api';
import { ApplyError, mergeApplied } from '../../fieldmanager/index.js';
import { type ApiObject, cloneObject } from '../../registry/api-object.js';
import { objectFromBody } from '../../registry/request-object.js';
import { decodeBody } from '../decode-body.js';
import { parseWriteParams, unknownFieldHandling } from '../query-options.js';
import { readBody } from '../read-body.js';
import { setWarnings } from '../respond.js';
import type { ResourceScope } from '../scope.js';
import { sendResult } from '../send-result.js';
import { requireName } from './names.js';

export const applyPatchType = 'application/apply-patch+yaml';

export async function handleApply(scope: ResourceScope, subresource?: 'status'): Promise<void> {
  const name = requireName(scope);
  const { dryRun, fieldValidation } = parseWriteParams(scope.query);
  const manager = scope.query.get('fieldManager') ?? '';
  if (manager === '') throw apiErrors.badRequest('fieldManager is required for apply requests');
  const force = parseForce(scope.query.get('force'));
  const { kind } = scope.info;
  const unknownFields = unknownFieldHandling(fieldValidation, kind, 'patch');
  const body = decodeBody(await readBody(scope.req, scope.server.maxBodyBytes), 'yaml');
  const config = objectFromBody(kind, body, { namespace: scope.info.namespace, name });
  if (config.metadata.managedFields !== undefined) {
    throw apiErrors.badRequest('metadata.managedFields must be nil');
  }
  const type = scope.registry.fieldType();
  const fieldManager = {
    manager,
    operation: 'Apply' as const,
    applied: {
      config: ownableConfig(config, kind.subresources.includes('status'), subresource),
      force,
    },
  };
  try {
    const { obj, created } = await scope.registry.update(scope.info.namespace, name, {
      desired: (current) => {
        const merged = mergeApplied(current, config, type) as ApiObject;
        return subresource === 'status' ? { ...current, status: merged.status } : merged;
      },
      subresource,
      createIfMissing: () => cloneObject(config),
      dryRun,
      fieldManager,
      checkUnknownFields: unknownFields.check,
    });
    setWarnings(scope.res, unknownFields.warnings());
    sendResult(scope, created ? 201 : 200, obj);
  } catch (err) {
    throw err instanceof ApplyError ? asStatusError(err) : err;
  }
}

/**
 * The part of the configuration the applier can own: the server resets status on the main
 * resource of a kind with a status subresource, and everything but status on /status
 * (Kubernetes' reset fields), so those parts are not the applier's.
 */
function ownableConfig(
  config: ApiObject,
  hasStatus: boolean,
  subresource: 'status' | undefined,
): ApiObject {
  if (subresource === 'status') {
    const { apiVersion, kind, metadata, status } = config;
    return {
      apiVersion,
      kind,
      metadata: { name: metadata.name, namespace: metadata.namespace },
      status,
    };
  }
  if (!hasStatus) return config;
  const { status: _reset, ...rest } = config;
  return rest;
}

function parseForce(value: string | null): boolean {
  if (value === null || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw apiErrors.badRequest(`force: Invalid value: ${JSON.stringify(value)}: must be a boolean`);
}

function asStatusError(err: ApplyError): ApiError {
  if (err.code === 400) {
    return new ApiError(makeStatus({ code: 400, reason: 'BadRequest', message: err.message }));
  }
  return new ApiError(
    makeStatus({
      code: 409,
      reason: 'Conflict',
      message: err.message,
      details: {
        causes: err.conflicts.map((c) => ({
          reason: 'FieldManagerConflict',
          message: `conflict with ${c.manager}`,
          field: c.field,
        })),
      },
    }),
  );
}

export function isApply(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === applyPatchType;
}
