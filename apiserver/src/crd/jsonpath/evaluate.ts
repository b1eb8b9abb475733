// Evaluation of a parsed printer-column path against an object. Missing keys and out-of-range
// indexes yield nothing rather than an error, as Kubernetes' column paths allow missing keys:
// a column over a field an object does not have shows an empty cell.
import { isPlainObject } from '../../registry/api-object.js';
import type { Filter, Literal, Operator, Step } from './parse.js';

export function evaluateJsonPath(steps: readonly Step[], root: unknown): unknown[] {
  let values: unknown[] = [root];
  for (const step of steps) values = values.flatMap((value) => apply(step, value));
  return values;
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return isPlainObject(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const i = step.index < 0 ? value.length + step.index : step.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case 'wildcard':
      if (Array.isArray(value)) return value;
      return isPlainObject(value) ? Object.values(value) : [];
    case 'filter':
      return Array.isArray(value) ? value.filter((item) => matches(step.filter, item)) : [];
  }
}

function matches(filter: Filter, item: unknown): boolean {
  const found = evaluateJsonPath(filter.path, item);
  if (!filter.compare) return found.length > 0;
  const { op, value } = filter.compare;
  return found.length > 0 && compare(found[0], op, value);
}

function compare(actual: unknown, op: Operator, expected: Literal): boolean {
  if (op === '==') return actual === expected;
  if (op === '!=') return actual !== expected;
  // Order only between values of one type (numbers, or strings), as a typed comparison would.
  if (typeof actual !== typeof expected || typeof actual === 'boolean') return false;
  const a = actual as string | number;
  const b = expected as string | number;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
