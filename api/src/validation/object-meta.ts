// ObjectMeta rules shared by every kind: names, namespace, labels, annotations, owner
// references and finalizers on create; what may not change on update.
import { isQualifiedName, validateLabels } from '../labels/label-validation.js';
import type { ObjectMeta, OwnerReference } from '../types/index.js';
import { byteLength, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './dns.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import {
  invalidEach,
  isEmpty,
  validateImmutableField,
  validateNonnegativeField,
} from './generic.js';

/** Checks a name (or, with `prefix`, a generateName prefix) and returns problems as messages. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * generateName prefixes usually end in `-`, which alone would fail the name rules; Kubernetes
 * masks it before checking since random characters will follow.
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

export const totalAnnotationSizeLimitBytes = 256 * 1024;

export interface ObjectMetaOptions {
  readonly namespaced: boolean;
  readonly nameFn: NameValidator;
}

export const metadataPath = FieldPath.root('metadata');

export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  opts: ObjectMetaOptions,
  path: FieldPath = metadataPath,
): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (!isEmpty(m.generateName)) {
    errs.push(
      ...invalidEach(path.child('generateName'), m.generateName, opts.nameFn(m.generateName, true)),
    );
  }
  if (isEmpty(m.name)) {
    errs.push(fieldErrors.required(path.child('name'), 'name or generateName is required'));
  } else {
    errs.push(...invalidEach(path.child('name'), m.name, opts.nameFn(m.name, false)));
  }
  if (opts.namespaced) {
    if (isEmpty(m.namespace)) errs.push(fieldErrors.required(path.child('namespace')));
    else {
      errs.push(
        ...invalidEach(path.child('namespace'), m.namespace, nameIsDNSLabel(m.namespace, false)),
      );
    }
  } else if (!isEmpty(m.namespace)) {
    // The apiserver clears a namespace sent for a cluster-scoped kind before validating, as
    // Kubernetes does; one that is still here was set by the server's own code.
    errs.push(fieldErrors.forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(m.generation, path.child('generation')));
  errs.push(...validateLabels(m.labels, path.child('labels')));
  errs.push(...validateAnnotations(m.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, path.child('finalizers')));
  return errs;
}

export function validateAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    // Annotation keys are qualified names in which case does not matter.
    errs.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
    total += byteLength(k) + byteLength(v);
  }
  if (total > totalAnnotationSizeLimitBytes) {
    errs.push(fieldErrors.tooLong(path, totalAnnotationSizeLimitBytes));
  }
  return errs;
}

export function validateOwnerReferences(
  refs: readonly OwnerReference[] | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  let firstController: string | undefined;
  for (const ref of refs ?? []) {
    const version = (ref.apiVersion ?? '').split('/').pop() ?? '';
    if (version === '') {
      errs.push(
        fieldErrors.invalid(
          path.child('apiVersion'),
          ref.apiVersion ?? '',
          'version must not be empty',
        ),
      );
    }
    if (isEmpty(ref.kind))
      errs.push(fieldErrors.invalid(path.child('kind'), ref.kind ?? '', 'must not be empty'));
    if (isEmpty(ref.name))
      errs.push(fieldErrors.invalid(path.child('name'), ref.name ?? '', 'must not be empty'));
    if (isEmpty(ref.uid))
      errs.push(fieldErrors.invalid(path.child('uid'), ref.uid ?? '', 'must not be empty'));
    if (ref.apiVersion === 'v1' && ref.kind === 'Event') {
      errs.push(
        fieldErrors.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'),
      );
    }
    if (ref.controller) {
      const name = `${ref.kind}/${ref.name}`;
      if (firstController === undefined) firstController = name;
      else {
        errs.push(
          fieldErrors.invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`,
          ),
        );
      }
    }
  }
  return errs;
}

export function validateFinalizerName(name: string, path: FieldPath): FieldError[] {
  return invalidEach(path, name, isQualifiedName(name));
}

export function validateFinalizers(
  finalizers: readonly string[] | undefined,
  path: FieldPath,
): FieldError[] {
  const list = finalizers ?? [];
  const errs = list.flatMap((f) => validateFinalizerName(f, path));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(
      fieldErrors.invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'),
    );
  }
  return errs;
}

/**
 * What an update may not do to metadata. resourceVersion is not checked here: the apiserver's
 * compare-and-swap owns it (409 on a stale one), and a missing one means "unconditional".
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta | undefined,
  oldMeta: ObjectMeta | undefined,
  path: FieldPath = metadataPath,
): FieldError[] {
  const n = newMeta ?? {};
  const o = oldMeta ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const added = (n.finalizers ?? []).filter((f) => !(o.finalizers ?? []).includes(f));
    if (added.length > 0) {
      errs.push(
        fieldErrors.forbidden(
          path.child('finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${[
            ...new Set(added),
          ]
            .sort()
            .map((f) => JSON.stringify(f))
            .join(', ')}}`,
        ),
      );
    }
  }
  if ((n.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(
      fieldErrors.invalid(path.child('generation'), n.generation ?? 0, 'must not be decremented'),
    );
  }
  errs.push(...validateImmutableField(n.name, o.name, path.child('name')));
  errs.push(...validateImmutableField(n.namespace, o.namespace, path.child('namespace')));
  errs.push(...validateImmutableField(n.uid, o.uid, path.child('uid')));
  errs.push(
    ...validateImmutableField(
      n.creationTimestamp,
      o.creationTimestamp,
      path.child('creationTimestamp'),
    ),
  );
  errs.push(
    ...validateImmutableField(
      n.deletionTimestamp,
      o.deletionTimestamp,
      path.child('deletionTimestamp'),
    ),
  );
  errs.push(
    ...validateImmutableField(
      n.deletionGracePeriodSeconds,
      o.deletionGracePeriodSeconds,
      path.child('deletionGracePeriodSeconds'),
    ),
  );
  errs.push(...validateLabels(n.labels, path.child('labels')));
  errs.push(...validateAnnotations(n.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(n.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(n.finalizers, path.child('finalizers')));
  return errs;
}
