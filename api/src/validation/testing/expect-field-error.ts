// Assertions shared by the validation tests.
import { expect } from 'vitest';
import type { FieldError, FieldErrorType } from '../field-error.js';

/** Asserts `errors` holds an error at `field` of `type` (and, if given, whose detail starts so). */
export function expectFieldError(
  errors: readonly FieldError[],
  field: string,
  type: FieldErrorType,
  detail?: string,
): void {
  const match = errors.find(
    (e) =>
      e.field === field &&
      e.type === type &&
      (detail === undefined || (e.detail ?? '').startsWith(detail)),
  );
  expect(
    match,
    `expected ${type} at ${field}${detail ? ` (${detail})` : ''}; got ${JSON.stringify(errors, null, 1)}`,
  ).toBeDefined();
}
