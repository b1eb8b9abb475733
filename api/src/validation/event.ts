// core/v1 Events. An event lives in the namespace of the object it is about (cluster-scoped
// objects' events go to "default"), so a mismatch would hide it from `kubectl describe`.
import type { Event } from '../types/index.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { isEmpty } from './generic.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

export function validateEvent(event: Event): FieldError[] {
  const errs = validateObjectMeta(event.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const namespace = event.metadata?.namespace ?? '';
  const involvedNamespace = event.involvedObject?.namespace ?? '';
  const involvedPath = FieldPath.root('involvedObject').child('namespace');
  const matches =
    involvedNamespace === ''
      ? namespace === '' || namespace === 'default'
      : namespace === involvedNamespace;
  if (!matches)
    errs.push(
      fieldErrors.invalid(involvedPath, involvedNamespace, 'does not match event.namespace'),
    );

  // Events written through the newer events API carry eventTime and must say who reported them.
  if (event.eventTime) {
    if (isEmpty(event.reportingComponent))
      errs.push(fieldErrors.required(FieldPath.root('reportingController')));
    if (isEmpty(event.reportingInstance))
      errs.push(fieldErrors.required(FieldPath.root('reportingInstance')));
    if (isEmpty(event.action)) errs.push(fieldErrors.required(FieldPath.root('action')));
    if (isEmpty(event.reason)) errs.push(fieldErrors.required(FieldPath.root('reason')));
    if (event.type !== 'Normal' && event.type !== 'Warning') {
      errs.push(
        fieldErrors.invalid(FieldPath.root('type'), '', `has invalid value: ${event.type ?? ''}`),
      );
    }
  }
  return errs;
}

export function validateEventUpdate(next: Event, prev: Event): FieldError[] {
  return [...validateObjectMetaUpdate(next.metadata, prev.metadata), ...validateEvent(next)];
}
