// The 422 response body Kubernetes sends for an invalid object (apierrors.NewInvalid). kubectl
// prints its message; clients read details.causes to point at the offending fields.
import { builtinKinds } from '../kinds.js';
import type { Status, StatusCause } from '../types/index.js';
import { aggregateMessage } from './aggregate.js';
import { type FieldError, formatFieldErrorBody } from './field-error.js';

/**
 * `Pod "x" is invalid: spec.containers[0].image: Required value`, with one cause per error.
 * The group is looked up for built-in kinds (`Deployment.apps "x" is invalid: …`); pass it for
 * custom resources.
 */
export function invalidStatus(
  kind: string,
  name: string,
  errors: readonly FieldError[],
  group: string = builtinKinds.find((k) => k.kind === kind)?.group ?? '',
): Status {
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  const subject = `${qualifiedKind} ${JSON.stringify(name)} is invalid`;
  const causes = errors.map((e): StatusCause => {
    const cause: StatusCause = { reason: e.type, message: formatFieldErrorBody(e) };
    if (e.field !== '') cause.field = e.field;
    return cause;
  });
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: errors.length === 0 ? subject : `${subject}: ${aggregateMessage(errors)}`,
    reason: 'Invalid',
    details: { name, ...(group === '' ? {} : { group }), kind, causes },
    code: 422,
  };
}
