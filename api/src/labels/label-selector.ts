// meta/v1 LabelSelector objects (`{matchLabels, matchExpressions}`) as found in Deployments,
// ReplicaSets, Services' pod selection and affinity terms.
import type { LabelSelector, LabelSelectorRequirement } from '../types/index.js';
import { type FieldError, type FieldPath, fieldErrors } from '../validation/field-error.js';
import { isValidLabelValue, validateLabelName, validateLabels } from './label-validation.js';
import {
  LabelSelectorError,
  type Operator,
  type Requirement,
  validateRequirement,
} from './requirement.js';
import { Selector } from './selector.js';

const operatorOf: Readonly<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Kubernetes' LabelSelectorAsSelector: a missing selector selects nothing, an empty one
 * everything. Throws LabelSelectorError for an unknown operator or invalid keys and values.
 */
export function labelSelectorAsSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return Selector.nothing;
  const matchLabels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return Selector.everything;
  const reqs: Requirement[] = [];
  for (const [key, value] of matchLabels) reqs.push(checked(key, '=', [value]));
  for (const expr of expressions) {
    const op = operatorOf[expr.operator];
    if (!op) {
      throw new LabelSelectorError([
        {
          type: 'FieldValueInvalid',
          field: 'operator',
          badValue: expr.operator,
          detail: `${JSON.stringify(expr.operator)} is not a valid label selector operator`,
        },
      ]);
    }
    reqs.push(checked(expr.key, op, expr.values ?? []));
  }
  return Selector.of(reqs);
}

function checked(key: string, operator: Operator, values: readonly string[]): Requirement {
  const errs = validateRequirement(key, operator, values);
  if (errs.length > 0) throw new LabelSelectorError(errs);
  return { key, operator, values: [...values] };
}

/** metav1validation.ValidateLabelSelector: every problem, with paths under `path`. */
export function validateLabelSelector(
  ls: LabelSelector | null | undefined,
  path: FieldPath,
): FieldError[] {
  if (!ls) return [];
  const errs = validateLabels(ls.matchLabels, path.child('matchLabels'));
  (ls.matchExpressions ?? []).forEach((expr, i) => {
    errs.push(...validateLabelSelectorRequirement(expr, path.child('matchExpressions').index(i)));
  });
  return errs;
}

export function validateLabelSelectorRequirement(
  req: LabelSelectorRequirement,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errs.push(
          fieldErrors.required(
            path.child('values'),
            "must be specified when `operator` is 'In' or 'NotIn'",
          ),
        );
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(
          fieldErrors.forbidden(
            path.child('values'),
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
      break;
    default:
      errs.push(
        fieldErrors.invalid(path.child('operator'), req.operator, 'not a valid selector operator'),
      );
  }
  errs.push(...validateLabelName(req.key, path.child('key')));
  values.forEach((v, i) => {
    for (const msg of isValidLabelValue(v)) {
      errs.push(fieldErrors.invalid(path.child('values').index(i), v, msg));
    }
  });
  return errs;
}
