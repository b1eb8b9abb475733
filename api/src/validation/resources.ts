// Container resource requests and limits: valid names, valid non-negative quantities, and a
// request never above its limit (for extended resources such as GPUs, exactly equal to it).
import { Quantity, parseQuantity } from '../quantity/quantity.js';
import { QuantityParseError } from '../quantity/parse.js';
import type { ResourceRequirements } from '../types/index.js';
import { isQualifiedName } from '../labels/label-validation.js';
import { type FieldError, type FieldPath, fieldErrors } from './field-error.js';
import { isNegativeErrorMsg } from './messages.js';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
/** Native resources are unprefixed or in the kubernetes.io domain. */
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
/** Extended resources (vendor.com/gpu) cannot be overcommitted, nor can huge pages. */
const isOvercommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);

function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => fieldErrors.invalid(path, name, m));
  if (errs.length > 0) return errs;
  // Unprefixed names are Kubernetes' own; vendors' (example.com/gpu) are extended resources.
  if (!name.includes('/') && !standardContainerResources.has(name) && !isHugePages(name)) {
    errs.push(fieldErrors.invalid(path, name, 'must be a standard resource for containers'));
  }
  return errs;
}

/** Parses a quantity field, reporting a parse failure as an Invalid error at `path`. */
export function validateQuantity(
  value: string | number | undefined,
  path: FieldPath,
): { quantity?: Quantity; errors: FieldError[] } {
  if (value === undefined) return { errors: [] };
  const parsed = parseQuantity(value);
  if (parsed instanceof QuantityParseError) {
    return { errors: [fieldErrors.invalid(path, value, parsed.message)] };
  }
  return { quantity: parsed, errors: [] };
}

function validateResourceQuantity(name: string, q: Quantity, path: FieldPath): FieldError[] {
  if (q.sign() < 0) return [fieldErrors.invalid(path, q.toString(), isNegativeErrorMsg)];
  if (!isOvercommitAllowed(name) && !isHugePages(name) && q.asInt64() === undefined) {
    return [fieldErrors.invalid(path, q.toString(), 'must be an integer')];
  }
  return [];
}

export function validateResourceRequirements(
  req: ResourceRequirements | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const limits = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(req?.limits ?? {})) {
    const p = limPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const { quantity, errors } = validateQuantity(raw, p);
    errs.push(...errors);
    if (quantity) {
      errs.push(...validateResourceQuantity(name, quantity, p));
      limits.set(name, quantity);
    }
  }
  for (const [name, raw] of Object.entries(req?.requests ?? {})) {
    const p = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const { quantity, errors } = validateQuantity(raw, p);
    errs.push(...errors);
    if (!quantity) continue;
    errs.push(...validateResourceQuantity(name, quantity, p));
    const limit = limits.get(name);
    if (limit) {
      if (quantity.cmp(limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(
          fieldErrors.invalid(
            reqPath,
            quantity.toString(),
            `must be equal to ${name} limit of ${limit.toString()}`,
          ),
        );
      } else if (quantity.cmp(limit) > 0) {
        errs.push(
          fieldErrors.invalid(
            reqPath,
            quantity.toString(),
            `must be less than or equal to ${name} limit of ${limit.toString()}`,
          ),
        );
      }
    } else if (!isOvercommitAllowed(name) && !(req?.limits && name in req.limits)) {
      errs.push(
        fieldErrors.required(limPath, 'Limit must be set for non overcommitable resources'),
      );
    }
  }
  return errs;
}
