// PodLogOptions from a query string (`pods/log` on the apiserver, /containerLogs on the
// kubelet), with Kubernetes' ValidatePodLogOptions rules. A value that does not parse is a
// bad request; a parsed value out of range is a field error (422 Invalid on the apiserver).
import type { FieldError } from '../validation/field-error.js';

export interface PodLogOptions {
  readonly container?: string;
  readonly follow: boolean;
  readonly previous: boolean;
  readonly timestamps: boolean;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  readonly sinceSeconds?: number;
  /** sinceTime in milliseconds since the epoch. */
  readonly sinceTime?: number;
}

export type PodLogOptionsResult =
  | {
      readonly options: PodLogOptions;
      readonly badRequest?: undefined;
      readonly errors?: undefined;
    }
  | { readonly badRequest: string; readonly options?: undefined; readonly errors?: undefined }
  | {
      readonly errors: FieldError[];
      readonly options?: undefined;
      readonly badRequest?: undefined;
    };

class BadValue extends Error {}

function bool(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return false;
  // Go's strconv.ParseBool, which the parameter codec uses.
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)) return false;
  throw new BadValue(`${name}: invalid boolean value "${raw}"`);
}

function int(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^[+-]?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new BadValue(`${name}: invalid integer value "${raw}"`);
  }
  return Number(raw);
}

function time(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(raw)
    ? Date.parse(raw)
    : NaN;
  if (Number.isNaN(ms)) throw new BadValue(`${name}: invalid RFC 3339 time "${raw}"`);
  return ms;
}

export function parsePodLogOptions(query: URLSearchParams): PodLogOptionsResult {
  let options: PodLogOptions;
  try {
    const container = query.get('container') ?? '';
    const tailLines = int(query, 'tailLines');
    const limitBytes = int(query, 'limitBytes');
    const sinceSeconds = int(query, 'sinceSeconds');
    const sinceTime = time(query, 'sinceTime');
    options = {
      ...(container !== '' && { container }),
      follow: bool(query, 'follow'),
      previous: bool(query, 'previous'),
      timestamps: bool(query, 'timestamps'),
      ...(tailLines !== undefined && { tailLines }),
      ...(limitBytes !== undefined && { limitBytes }),
      ...(sinceSeconds !== undefined && { sinceSeconds }),
      ...(sinceTime !== undefined && { sinceTime }),
    };
  } catch (err) {
    if (err instanceof BadValue) return { badRequest: err.message };
    throw err;
  }
  const errors = validatePodLogOptions(options);
  return errors.length > 0 ? { errors } : { options };
}

/** Kubernetes' ValidatePodLogOptions. */
export function validatePodLogOptions(o: PodLogOptions): FieldError[] {
  const errors: FieldError[] = [];
  const invalid = (field: string, badValue: number, detail: string): void => {
    errors.push({ type: 'FieldValueInvalid', field, badValue, detail });
  };
  if (o.tailLines !== undefined && o.tailLines < 0) {
    invalid('tailLines', o.tailLines, 'must be greater than or equal to 0');
  }
  if (o.limitBytes !== undefined && o.limitBytes < 1) {
    invalid('limitBytes', o.limitBytes, 'must be greater than 0');
  }
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) {
    errors.push({
      type: 'FieldValueForbidden',
      field: '',
      detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  } else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) {
    invalid('sinceSeconds', o.sinceSeconds, 'must be greater than 0');
  }
  return errors;
}
