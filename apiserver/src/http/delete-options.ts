// DeleteOptions come in the body (kubectl, client libraries) or the query (curl): both are
// read, the body winning where both say something. Bad values are 422/400 as in Kubernetes.
import type { DeleteOptions } from '@skiff/api';
import { isPlainObject } from '../registry/api-object.js';
import type { DeleteRequest } from '../registry/registry.js';
import { apiErrors } from '@skiff/api';
import { parseWriteParams } from './query-options.js';

const policies = ['Foreground', 'Background', 'Orphan'] as const;

export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteRequest {
  if (body !== undefined && !isPlainObject(body)) {
    throw apiErrors.badRequest('the DeleteOptions body must be an object');
  }
  const fromBody = (body ?? {}) as DeleteOptions & Record<string, unknown>;
  if (fromBody.kind !== undefined && fromBody.kind !== 'DeleteOptions') {
    throw apiErrors.badRequest(`expected a DeleteOptions body, got kind ${String(fromBody.kind)}`);
  }
  // Wrong JSON types are decoding errors in Kubernetes (400), caught before any field is used.
  const { dryRun: dryRunField, orphanDependents: orphanField } = fromBody as Record<
    string,
    unknown
  >;
  if (
    dryRunField !== undefined &&
    (!Array.isArray(dryRunField) || dryRunField.some((d) => typeof d !== 'string'))
  ) {
    throw apiErrors.badRequest('DeleteOptions.dryRun must be a list of strings');
  }
  if (orphanField !== undefined && typeof orphanField !== 'boolean') {
    throw apiErrors.badRequest('DeleteOptions.orphanDependents must be a boolean');
  }
  const grace = fromBody.gracePeriodSeconds ?? queryInt(query, 'gracePeriodSeconds');
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
    throw invalidOption('gracePeriodSeconds', grace, 'must be greater than or equal to 0');
  }
  const policy = fromBody.propagationPolicy ?? (query.get('propagationPolicy') || undefined);
  if (policy !== undefined && !(policies as readonly string[]).includes(policy)) {
    throw apiErrors.invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [
      {
        type: 'FieldValueNotSupported',
        field: 'propagationPolicy',
        badValue: policy,
        detail: 'supported values: "Foreground", "Background", "Orphan"',
      },
    ]);
  }
  const orphanText = query.get('orphanDependents');
  const orphanDependents =
    fromBody.orphanDependents ?? (orphanText === null ? undefined : orphanText === 'true');
  if (orphanDependents !== undefined && policy !== undefined) {
    throw invalidOption(
      'propagationPolicy',
      policy,
      'orphanDependents and deletionPropagation cannot be both set',
    );
  }
  const preconditions = fromBody.preconditions;
  if (preconditions !== undefined && !isPlainObject(preconditions)) {
    throw apiErrors.badRequest('preconditions must be an object');
  }
  const dryRun = (fromBody.dryRun ?? []).length > 0 || parseWriteParams(query).dryRun;
  if (fromBody.dryRun?.some((d) => d !== 'All')) {
    throw apiErrors.badRequest('Invalid dryRun value: only "All" is supported');
  }
  return {
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(policy !== undefined
      ? { propagationPolicy: policy as DeleteOptions['propagationPolicy'] }
      : {}),
    ...(orphanDependents !== undefined ? { orphanDependents } : {}),
    ...(preconditions ? { preconditions } : {}),
    dryRun,
  };
}

function queryInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw))
    throw apiErrors.badRequest(`${name}: invalid value ${JSON.stringify(raw)}`);
  return Number(raw);
}

function invalidOption(field: string, value: unknown, detail: string): Error {
  return apiErrors.invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [
    { type: 'FieldValueInvalid', field, badValue: value, detail },
  ]);
}
