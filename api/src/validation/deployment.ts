// apps/v1 Deployment: a ReplicaSet's rules plus the rollout strategy and its limits.
import type { Deployment, DeploymentStrategy, IntOrString } from '../types/index.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { isValidPercent } from './formats.js';
import { invalidEach, validateImmutableField, validateNonnegativeField } from './generic.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePodTemplateForWorkload, validateWorkloadSelector } from './pod-template.js';

const specPath = FieldPath.root('spec');

function validatePositiveIntOrPercent(
  value: IntOrString | undefined,
  path: FieldPath,
): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return invalidEach(path, value, isValidPercent(value));
  return validateNonnegativeField(value, path);
}

/** 0 for "0", "0%" or unset; anything else counts as allowing some surge or unavailability. */
function intOrPercentValue(value: IntOrString | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  return /^[0-9]+%$/.test(value) ? Number(value.slice(0, -1)) : -1;
}

function validateStrategy(strategy: DeploymentStrategy | undefined, path: FieldPath): FieldError[] {
  // An absent strategy is defaulted to RollingUpdate 25%/25%.
  if (!strategy || strategy.type === undefined) return [];
  const errs: FieldError[] = [];
  if (strategy.type === 'Recreate') {
    if (strategy.rollingUpdate) {
      errs.push(
        fieldErrors.forbidden(
          path.child('rollingUpdate'),
          "may not be specified when strategy `type` is 'Recreate'",
        ),
      );
    }
    return errs;
  }
  if (strategy.type !== 'RollingUpdate') {
    return [
      fieldErrors.notSupported(path.child('type'), strategy.type, ['Recreate', 'RollingUpdate']),
    ];
  }
  const ru = strategy.rollingUpdate;
  if (!ru) return errs;
  const ruPath = path.child('rollingUpdate');
  errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, ruPath.child('maxUnavailable')));
  errs.push(...validatePositiveIntOrPercent(ru.maxSurge, ruPath.child('maxSurge')));
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(
      fieldErrors.invalid(
        ruPath.child('maxUnavailable'),
        ru.maxUnavailable ?? 0,
        'may not be 0 when `maxSurge` is 0',
      ),
    );
  }
  if (typeof ru.maxUnavailable === 'string' && intOrPercentValue(ru.maxUnavailable) > 100) {
    errs.push(
      fieldErrors.invalid(
        ruPath.child('maxUnavailable'),
        ru.maxUnavailable,
        'must not be greater than 100%',
      ),
    );
  }
  return errs;
}

export function validateDeployment(d: Deployment): FieldError[] {
  const spec = d.spec ?? {};
  const errs = [
    ...validateObjectMeta(d.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validateNonnegativeField(spec.replicas, specPath.child('replicas')),
    ...validateWorkloadSelector(spec.selector, specPath.child('selector')),
    ...validatePodTemplateForWorkload(spec.template, spec.selector, specPath.child('template')),
    ...validateStrategy(spec.strategy, specPath.child('strategy')),
    ...validateNonnegativeField(spec.minReadySeconds, specPath.child('minReadySeconds')),
    ...validateNonnegativeField(spec.revisionHistoryLimit, specPath.child('revisionHistoryLimit')),
  ];
  const deadline = spec.progressDeadlineSeconds;
  if (deadline !== undefined) {
    errs.push(...validateNonnegativeField(deadline, specPath.child('progressDeadlineSeconds')));
    if (deadline <= (spec.minReadySeconds ?? 0)) {
      errs.push(
        fieldErrors.invalid(
          specPath.child('progressDeadlineSeconds'),
          deadline,
          'must be greater than minReadySeconds',
        ),
      );
    }
  }
  return errs;
}

export function validateDeploymentUpdate(next: Deployment, prev: Deployment): FieldError[] {
  return [
    ...validateObjectMetaUpdate(next.metadata, prev.metadata),
    ...validateDeployment(next),
    ...validateImmutableField(next.spec?.selector, prev.spec?.selector, specPath.child('selector')),
  ];
}
