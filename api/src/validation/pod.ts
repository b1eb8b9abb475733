// Pods on create and on update. A running pod's spec is almost entirely fixed: the kubelet
// has already acted on it, so only images, a shorter deadline, extra tolerations and (while
// deleting) the grace period may change.
import type { Pod, PodSpec, Toleration } from '../types/index.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { semanticEqual } from './generic.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePodSpec } from './pod-spec.js';

const specPath = FieldPath.root('spec');

export function validatePod(pod: Pod): FieldError[] {
  return [
    ...validateObjectMeta(pod.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validatePodSpec(pod.spec, specPath),
  ];
}

export const podUpdateForbiddenMessage =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function validatePodUpdate(newPod: Pod, oldPod: Pod): FieldError[] {
  const errs = [
    ...validateObjectMetaUpdate(newPod.metadata, oldPod.metadata),
    ...validatePodSpec(newPod.spec, specPath),
  ];
  // A client may send no spec at all; validatePodSpec has reported it, and there is nothing to
  // compare (reading its fields would throw, and a throw here is a 500).
  if (newPod.spec === undefined || newPod.spec === null) return errs;
  const oldSpec = oldPod.spec;
  const munged: PodSpec = structuredClone(newPod.spec);

  // Images may change: take the old ones so they drop out of the comparison.
  munged.containers = withImagesOf(munged.containers, oldSpec.containers) ?? munged.containers;
  munged.initContainers = withImagesOf(munged.initContainers, oldSpec.initContainers);

  const deadlineErrs = validateDeadlineUpdate(
    newPod.spec.activeDeadlineSeconds,
    oldSpec.activeDeadlineSeconds,
  );
  if (deadlineErrs.length > 0) return [...errs, ...deadlineErrs];
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;

  const tolerationErrs = validateOnlyAddedTolerations(newPod.spec.tolerations, oldSpec.tolerations);
  errs.push(...tolerationErrs);
  munged.tolerations = oldSpec.tolerations;

  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  const graceMayChange =
    oldPod.metadata.deletionTimestamp !== undefined ||
    (oldGrace !== undefined && oldGrace < 0 && newPod.spec.terminationGracePeriodSeconds === 1);
  if (graceMayChange) munged.terminationGracePeriodSeconds = oldGrace;

  if (!semanticEqual(munged, oldSpec)) {
    const changed = differences(oldSpec, munged, 'spec');
    errs.push(
      fieldErrors.forbidden(specPath, `${podUpdateForbiddenMessage}\n${changed.join('\n')}`),
    );
  }
  return errs;
}

function withImagesOf<T extends { image?: string }>(
  next: T[] | undefined,
  prev: readonly T[] | undefined,
): T[] | undefined {
  if (!next || !prev || next.length !== prev.length) return next;
  return next.map((c, i) => ({ ...c, image: prev[i]?.image }));
}

/** The deadline may be set, lowered or kept, never raised or removed. */
function validateDeadlineUpdate(next: number | undefined, prev: number | undefined): FieldError[] {
  const path = specPath.child('activeDeadlineSeconds');
  if (next === undefined) {
    return prev === undefined
      ? []
      : [fieldErrors.invalid(path, null, 'must not update from a positive integer to nil value')];
  }
  if (next < 0 || next > 2 ** 31 - 1) {
    return [fieldErrors.invalid(path, next, 'must be between 0 and 2147483647, inclusive')];
  }
  if (prev !== undefined && prev < next) {
    return [fieldErrors.invalid(path, next, 'must be less than or equal to previous value')];
  }
  return [];
}

/** Every old toleration must still be there (its tolerationSeconds may change). */
function validateOnlyAddedTolerations(
  next: readonly Toleration[] | undefined,
  prev: readonly Toleration[] | undefined,
): FieldError[] {
  const path = specPath.child('tolerations');
  for (const old of prev ?? []) {
    const kept = (next ?? []).some((t) =>
      semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t),
    );
    if (!kept) {
      return [
        fieldErrors.forbidden(
          path,
          'existing toleration can not be modified except its tolerationSeconds',
        ),
      ];
    }
  }
  // The new list itself was checked with the rest of the spec.
  return [];
}

/** Where two specs differ, as `path: old -> new` lines, so the error says what changed. */
function differences(a: unknown, b: unknown, path: string, out: string[] = []): string[] {
  if (semanticEqual(a, b) || out.length >= 20) return out;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => differences(v, b[i], `${path}[${i}]`, out));
    return out;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      differences(a[k], b[k], `${path}.${k}`, out);
    }
    return out;
  }
  out.push(`  ${path}: ${JSON.stringify(a) ?? 'null'} -> ${JSON.stringify(b) ?? 'null'}`);
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
