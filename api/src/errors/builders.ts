// The server side of apimachinery's api/errors: one builder per failure, each with Kubernetes'
// code, reason, message and details, so no handler formats an error body by hand. Imported as
// the `apiErrors` namespace (`apiErrors.notFound(gr, name)`, like Go's `apierrors.NewNotFound`).
import type { Status, StatusCause } from '../types/index.js';
import { aggregateMessage } from '../validation/aggregate.js';
import { type FieldError, formatFieldErrorBody } from '../validation/field-error.js';
import { ApiError, type FailureParts, makeStatus } from './api-error.js';
import {
  type GroupKind,
  type GroupResource,
  qualifiedKind,
  qualifiedResource,
} from './group-resource.js';

function failure(parts: FailureParts): ApiError {
  return new ApiError(makeStatus(parts));
}

// StatusDetails.group is `omitempty` in Kubernetes: core resources' errors carry no group at all.
function withGroup(group: string): { group?: string } {
  return group === '' ? {} : { group };
}

function resourceDetails(gr: GroupResource, name: string): Status['details'] {
  return { name, ...withGroup(gr.group), kind: gr.resource };
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return failure({
    code: 404,
    reason: 'NotFound',
    message: `${qualifiedResource(gr)} "${name}" not found`,
    details: resourceDetails(gr, name),
  });
}

/** A URL that names no resource: Kubernetes' wording for an unknown path. */
export function pathNotFound(): ApiError {
  return failure({
    code: 404,
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
    details: {},
  });
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return failure({
    code: 409,
    reason: 'AlreadyExists',
    message: `${qualifiedResource(gr)} "${name}" already exists`,
    details: resourceDetails(gr, name),
  });
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return failure({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`,
    details: resourceDetails(gr, name),
  });
}

/** The optimistic-concurrency failure: the client's resourceVersion is not the stored one. */
export function staleResourceVersion(gr: GroupResource, name: string): ApiError {
  return conflict(
    gr,
    name,
    'the object has been modified; please apply your changes to the latest version and try again',
  );
}

/**
 * 422 with one cause per field error: `Pod "x" is invalid: spec.containers[0].image: Required
 * value`, several joined as `[a, b]` with repeats printed once (apierrors.NewInvalid).
 */
export function invalid(kind: GroupKind, name: string, errors: readonly FieldError[]): ApiError {
  const subject = `${qualifiedKind(kind)} ${JSON.stringify(name)} is invalid`;
  const causes = errors.map((e): StatusCause => {
    const cause: StatusCause = { reason: e.type, message: formatFieldErrorBody(e) };
    if (e.field !== '') cause.field = e.field;
    return cause;
  });
  return failure({
    code: 422,
    reason: 'Invalid',
    message: errors.length === 0 ? subject : `${subject}: ${aggregateMessage(errors)}`,
    details: { name, ...withGroup(kind.group), kind: kind.kind, causes },
  });
}

export function forbidden(gr: GroupResource, name: string, why: string): ApiError {
  return failure({
    code: 403,
    reason: 'Forbidden',
    message: name
      ? `${qualifiedResource(gr)} "${name}" is forbidden: ${why}`
      : `${qualifiedResource(gr)} is forbidden: ${why}`,
    details: resourceDetails(gr, name),
  });
}

export function unauthorized(): ApiError {
  return failure({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
}

export function badRequest(message: string): ApiError {
  return failure({ code: 400, reason: 'BadRequest', message });
}

export function methodNotSupported(gr: GroupResource, verb: string): ApiError {
  return failure({
    code: 405,
    reason: 'MethodNotAllowed',
    message: `${verb} is not supported on resources of kind "${qualifiedResource(gr)}"`,
    details: { ...withGroup(gr.group), kind: gr.resource },
  });
}

/** 410 Gone: the resource existed once and will not again. */
export function gone(message: string): ApiError {
  return failure({ code: 410, reason: 'Gone', message });
}

/** 410 Expired: history the client asked for is compacted away; it must relist. */
export function expired(message: string): ApiError {
  return failure({ code: 410, reason: 'Expired', message });
}

/** `message` says what the limit is: `limit is 3145728`. */
export function requestEntityTooLarge(message: string): ApiError {
  return failure({
    code: 413,
    reason: 'RequestEntityTooLarge',
    message: `Request entity too large: ${message}`,
  });
}

export function unsupportedMediaType(contentType: string, accepted: readonly string[]): ApiError {
  return failure({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format (${contentType || 'none'}) - accepted media types include: ${accepted.join(', ')}`,
  });
}

export function tooManyRequests(message: string, retryAfterSeconds: number): ApiError {
  return failure({
    code: 429,
    reason: 'TooManyRequests',
    message,
    details: { retryAfterSeconds },
  });
}

/** 504 Timeout: the server could not answer in time; the client may retry after a while. */
export function timeout(message: string, retryAfterSeconds: number): ApiError {
  return failure({
    code: 504,
    reason: 'Timeout',
    message: `Timeout: ${message}`,
    details: { retryAfterSeconds },
  });
}

/** What Kubernetes answers for a resourceVersion ahead of the store (a 504 the client retries). */
export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return failure({
    code: 504,
    reason: 'Timeout',
    message: `Too large resource version: ${requested}, current: ${current}`,
    details: {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    },
  });
}

export function serviceUnavailable(message: string): ApiError {
  return failure({ code: 503, reason: 'ServiceUnavailable', message });
}

/** 500 for a failure the server did not expect; the cause's message is all that is told. */
export function internal(message: string): ApiError {
  return failure({
    code: 500,
    reason: 'InternalError',
    message: `Internal error occurred: ${message}`,
    details: { causes: [{ message }] },
  });
}
