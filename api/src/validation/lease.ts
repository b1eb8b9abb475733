// coordination.k8s.io/v1 Lease: a heartbeat. A zero or negative duration would expire at once
// and let two holders believe they lead.
import type { Lease } from '../types/index.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { validateNonnegativeField } from './generic.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const specPath = FieldPath.root('spec');

export function validateLease(lease: Lease): FieldError[] {
  const errs = validateObjectMeta(lease.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const duration = lease.spec?.leaseDurationSeconds;
  if (duration !== undefined && duration <= 0) {
    errs.push(
      fieldErrors.invalid(
        specPath.child('leaseDurationSeconds'),
        duration,
        'must be greater than 0',
      ),
    );
  }
  errs.push(
    ...validateNonnegativeField(lease.spec?.leaseTransitions, specPath.child('leaseTransitions')),
  );
  return errs;
}

export function validateLeaseUpdate(next: Lease, prev: Lease): FieldError[] {
  return [...validateObjectMetaUpdate(next.metadata, prev.metadata), ...validateLease(next)];
}
