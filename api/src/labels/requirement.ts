// One term of a label selector: a key, an operator and (for most operators) values. Selectors
// AND their requirements together; there is no OR, which is what keeps matching cheap.
import { type FieldError, FieldPath, fieldErrors } from '../validation/field-error.js';
import { aggregateMessage } from '../validation/aggregate.js';
import { isQualifiedName, isValidLabelValue } from './label-validation.js';

/** Kubernetes' selection.Operator spellings. */
export type Operator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

export const validOperators: readonly Operator[] = [
  'in',
  'notin',
  '=',
  '==',
  '!=',
  'gt',
  'lt',
  'exists',
  '!',
];

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** A selector or requirement that Kubernetes' NewRequirement would refuse. */
export class LabelSelectorError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(aggregateMessage(errors));
    this.name = 'LabelSelectorError';
  }
}

/** The checks of Kubernetes' NewRequirement, as field errors under `path` (`key`, `values[i]`). */
export function validateRequirement(
  key: string,
  operator: Operator,
  values: readonly string[],
  path: FieldPath = FieldPath.root(''),
): FieldError[] {
  const errs: FieldError[] = [];
  const keyMsgs = isQualifiedName(key);
  if (keyMsgs.length > 0)
    errs.push(fieldErrors.invalid(path.child('key'), key, keyMsgs.join('; ')));
  const valuesPath = path.child('values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        errs.push(
          fieldErrors.invalid(
            valuesPath,
            values,
            "for 'in', 'notin' operators, values set can't be empty",
          ),
        );
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        errs.push(
          fieldErrors.invalid(
            valuesPath,
            values,
            'exact-match compatibility requires one single value',
          ),
        );
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        errs.push(
          fieldErrors.invalid(
            valuesPath,
            values,
            'values set must be empty for exists and does not exist',
          ),
        );
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        errs.push(
          fieldErrors.invalid(
            valuesPath,
            values,
            "for 'Gt', 'Lt' operators, exactly one value is required",
          ),
        );
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            fieldErrors.invalid(
              valuesPath.index(i),
              v,
              "for 'Gt', 'Lt' operators, the value must be an integer",
            ),
          );
        }
      });
      break;
    default:
      errs.push(fieldErrors.notSupported(path.child('operator'), operator, validOperators));
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length > 0) {
      errs.push(fieldErrors.invalid(valuesPath.index(i).key(key), v, msgs.join('; ')));
    }
  });
  return errs;
}

/** Builds a requirement, throwing LabelSelectorError with Kubernetes' messages if it is invalid. */
export function newRequirement(
  key: string,
  operator: Operator,
  values: readonly string[] = [],
): Requirement {
  const errs = validateRequirement(key, operator, values);
  if (errs.length > 0) throw new LabelSelectorError(errs);
  return { key, operator, values: [...values] };
}

export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && r.values.includes(value);
    case 'notin':
    case '!=':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (value === undefined || r.values.length !== 1) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(r.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** `key`, `!key`, `key=v`, `key in (a,b)`: values are printed sorted, as Kubernetes does. */
export function requirementString(r: Requirement): string {
  const sorted = [...r.values].sort(compareStrings);
  switch (r.operator) {
    case '!':
      return `!${r.key}`;
    case 'exists':
      return r.key;
    case 'in':
      return `${r.key} in (${sorted.join(',')})`;
    case 'notin':
      return `${r.key} notin (${sorted.join(',')})`;
    case 'gt':
      return `${r.key}>${sorted.join(',')}`;
    case 'lt':
      return `${r.key}<${sorted.join(',')}`;
    default:
      return `${r.key}${r.operator}${sorted.join(',')}`;
  }
}

/** Byte-wise ordering like Go's sort.Strings (localeCompare would reorder by locale). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < int64Min || n > int64Max ? undefined : n;
}
