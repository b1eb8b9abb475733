// The pod template of a ReplicaSet or Deployment: its labels must be selected by the owner's
// selector (or the controller would create pods it cannot see and never stop), and its pods
// must restart forever, since the controller replaces them rather than the kubelet.
import { labelSelectorAsSelector, validateLabelSelector } from '../labels/label-selector.js';
import { LabelSelectorError } from '../labels/requirement.js';
import { validateLabels } from '../labels/label-validation.js';
import type { LabelSelector, PodTemplateSpec } from '../types/index.js';
import { type FieldError, type FieldPath, fieldErrors } from './field-error.js';
import { validateAnnotations } from './object-meta.js';
import { validatePodSpec } from './pod-spec.js';

/** A workload's selector: required, valid, and not empty (it would adopt every pod). */
export function validateWorkloadSelector(
  selector: LabelSelector | undefined,
  path: FieldPath,
): FieldError[] {
  if (!selector) return [fieldErrors.required(path)];
  const errs = validateLabelSelector(selector, path);
  const terms =
    Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length;
  if (terms === 0)
    errs.push(fieldErrors.invalid(path, selector, 'empty selector is invalid for deployment'));
  return errs;
}

export function validatePodTemplateForWorkload(
  template: PodTemplateSpec | undefined,
  selector: LabelSelector | undefined,
  path: FieldPath,
): FieldError[] {
  if (!template) return [fieldErrors.required(path)];
  const errs: FieldError[] = [];
  const labelsPath = path.child('metadata').child('labels');
  try {
    const s = labelSelectorAsSelector(selector);
    if (!s.isEverything() && !s.isNothing() && !s.matches(template.metadata?.labels)) {
      errs.push(
        fieldErrors.invalid(
          labelsPath,
          template.metadata?.labels ?? {},
          '`selector` does not match template `labels`',
        ),
      );
    }
  } catch (err) {
    // The selector's own errors are reported by validateWorkloadSelector.
    if (!(err instanceof LabelSelectorError)) throw err;
  }
  errs.push(...validateLabels(template.metadata?.labels, labelsPath));
  errs.push(
    ...validateAnnotations(
      template.metadata?.annotations,
      path.child('metadata').child('annotations'),
    ),
  );
  errs.push(...validatePodSpec(template.spec, path.child('spec')));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== undefined && restartPolicy !== 'Always') {
    errs.push(
      fieldErrors.notSupported(path.child('spec').child('restartPolicy'), restartPolicy, [
        'Always',
      ]),
    );
  }
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(
      fieldErrors.invalid(
        path.child('spec').child('activeDeadlineSeconds'),
        template.spec.activeDeadlineSeconds,
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    );
  }
  return errs;
}
