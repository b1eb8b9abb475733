// A validation failure at one field, as Kubernetes' field.Error: the apiserver turns a list of
// these into a 422 Invalid Status whose details.causes carry `reason` = type and `field` = path.

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

export interface FieldError {
  readonly type: FieldErrorType;
  /** The path in Kubernetes' notation: `spec.containers[0].ports[1].containerPort`, `metadata.labels[app]`. */
  readonly field: string;
  readonly badValue?: unknown;
  readonly detail?: string;
}

/** The words Kubernetes prints for each type (`spec.x: Required value`). */
const phrase: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

/** Types whose message shows the offending value, as Kubernetes does. */
const showsValue = new Set<FieldErrorType>([
  'FieldValueNotFound',
  'FieldValueDuplicate',
  'FieldValueInvalid',
  'FieldValueNotSupported',
  'FieldValueTypeInvalid',
]);

/** `spec.containers[0].image: Required value`, `metadata.name: Invalid value: "A": detail`. */
export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${formatFieldErrorBody(e)}`;
}

/** The message without the field (Kubernetes' ErrorBody), as a Status cause carries it. */
export function formatFieldErrorBody(e: FieldError): string {
  let message = phrase[e.type];
  if (showsValue.has(e.type) && e.badValue !== undefined) message += `: ${formatValue(e.badValue)}`;
  if (e.detail) message += `: ${e.detail}`;
  return message;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    // Go's %#v of a []string, which is what Kubernetes prints for string lists.
    return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  }
  if (isStringMap(value)) {
    // Go's %#v of a map[string]string: keys sorted, `map[string]string{"a":"b", "c":"d"}`.
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${JSON.stringify(value[k])}`);
    return `map[string]string{${entries.join(', ')}}`;
  }
  return JSON.stringify(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** Builds child paths the way Kubernetes' field.Path does. */
export class FieldPath {
  private constructor(private readonly text: string) {}

  static root(name: string): FieldPath {
    return new FieldPath(name);
  }

  child(name: string): FieldPath {
    return new FieldPath(this.text ? `${this.text}.${name}` : name);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

export const fieldErrors = {
  required: (path: FieldPath, detail?: string): FieldError => ({
    type: 'FieldValueRequired',
    field: `${path}`,
    detail,
  }),
  invalid: (path: FieldPath, badValue: unknown, detail?: string): FieldError => ({
    type: 'FieldValueInvalid',
    field: `${path}`,
    badValue,
    detail,
  }),
  notSupported: (path: FieldPath, badValue: unknown, supported: readonly string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field: `${path}`,
    badValue,
    detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  }),
  duplicate: (path: FieldPath, badValue: unknown): FieldError => ({
    type: 'FieldValueDuplicate',
    field: `${path}`,
    badValue,
  }),
  forbidden: (path: FieldPath, detail: string): FieldError => ({
    type: 'FieldValueForbidden',
    field: `${path}`,
    detail,
  }),
  tooLong: (path: FieldPath, maxLength: number): FieldError => ({
    type: 'FieldValueTooLong',
    field: `${path}`,
    detail: `may not be more than ${maxLength} bytes`,
  }),
  typeInvalid: (path: FieldPath, badValue: unknown, detail: string): FieldError => ({
    type: 'FieldValueTypeInvalid',
    field: `${path}`,
    badValue,
    detail,
  }),
  notFound: (path: FieldPath, badValue: unknown): FieldError => ({
    type: 'FieldValueNotFound',
    field: `${path}`,
    badValue,
  }),
  tooMany: (path: FieldPath, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany',
    field: `${path}`,
    badValue: actual,
    detail: `must have at most ${max} items`,
  }),
  internal: (path: FieldPath, detail: string): FieldError => ({
    type: 'InternalError',
    field: `${path}`,
    detail,
  }),
  /** Kubernetes' ValidateImmutableField failure: the new value, "field is immutable". */
  immutable: (path: FieldPath, newValue: unknown): FieldError => ({
    type: 'FieldValueInvalid',
    field: `${path}`,
    badValue: newValue,
    detail: 'field is immutable',
  }),
};
