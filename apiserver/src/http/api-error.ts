// Every error the apiserver answers with is a metav1.Status. ApiError carries one from wherever
// the failure is noticed (routing, decoding, admission, the registry) to the single place that
// writes it (./error-response.ts), so no handler formats an error body by hand.
import type { Status, StatusCause, StatusReason } from '@skiff/api';

export class ApiError extends Error {
  constructor(readonly status: Status & { code: number }) {
    super(status.message);
    this.name = `ApiError(${status.code} ${status.reason ?? ''})`;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

export function isApiError(err: unknown, code?: number): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

/** A resource as Kubernetes names it in messages: `pods`, `deployments.apps`. */
export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

export function qualifiedResource({ group, resource }: GroupResource): string {
  return group ? `${resource}.${group}` : resource;
}

interface StatusParts {
  code: number;
  reason: StatusReason;
  message: string;
  details?: Status['details'];
}

export function statusOf({ code, reason, message, details }: StatusParts): Status & {
  code: number;
} {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

function apiError(parts: StatusParts): ApiError {
  return new ApiError(statusOf(parts));
}

function resourceDetails(gr: GroupResource, name: string): Status['details'] {
  return { name, group: gr.group, kind: gr.resource };
}

export const apiErrors = {
  notFound: (gr: GroupResource, name: string): ApiError =>
    apiError({
      code: 404,
      reason: 'NotFound',
      message: `${qualifiedResource(gr)} "${name}" not found`,
      details: resourceDetails(gr, name),
    }),

  /** A URL that names no resource: Kubernetes' wording for an unknown path. */
  pathNotFound: (): ApiError =>
    apiError({
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
      details: {},
    }),

  alreadyExists: (gr: GroupResource, name: string): ApiError =>
    apiError({
      code: 409,
      reason: 'AlreadyExists',
      message: `${qualifiedResource(gr)} "${name}" already exists`,
      details: resourceDetails(gr, name),
    }),

  conflict: (gr: GroupResource, name: string, why: string): ApiError =>
    apiError({
      code: 409,
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`,
      details: resourceDetails(gr, name),
    }),

  /** The optimistic-concurrency failure: the client's resourceVersion is not the stored one. */
  staleResourceVersion: (gr: GroupResource, name: string): ApiError =>
    apiErrors.conflict(
      gr,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    ),

  forbidden: (gr: GroupResource, name: string, why: string): ApiError =>
    apiError({
      code: 403,
      reason: 'Forbidden',
      message: name
        ? `${qualifiedResource(gr)} "${name}" is forbidden: ${why}`
        : `${qualifiedResource(gr)} is forbidden: ${why}`,
      details: resourceDetails(gr, name),
    }),

  /** 422 for a failure that is not a FieldError list (those go through invalidStatus). */
  invalid: (
    kind: { group: string; kind: string },
    name: string,
    causes: StatusCause[],
  ): ApiError => {
    const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
    const messages = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : (c.message ?? '')));
    const joined = messages.length === 1 ? (messages[0] ?? '') : `[${messages.join(', ')}]`;
    return apiError({
      code: 422,
      reason: 'Invalid',
      message: `${qualifiedKind} "${name}" is invalid: ${joined}`,
      details: { name, group: kind.group, kind: kind.kind, causes },
    });
  },

  unauthorized: (): ApiError =>
    apiError({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' }),

  badRequest: (message: string): ApiError => apiError({ code: 400, reason: 'BadRequest', message }),

  methodNotSupported: (gr: GroupResource, verb: string): ApiError =>
    apiError({
      code: 405,
      reason: 'MethodNotAllowed',
      message: `${verb} is not supported on resources of kind "${qualifiedResource(gr)}"`,
      details: { group: gr.group, kind: gr.resource },
    }),

  /** 410: history the client asked for is gone; it must relist. */
  expired: (message: string): ApiError => apiError({ code: 410, reason: 'Expired', message }),

  tooLarge: (limitBytes: number): ApiError =>
    apiError({
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: `Request entity too large: limit is ${limitBytes}`,
    }),

  unsupportedMediaType: (contentType: string, accepted: readonly string[]): ApiError =>
    apiError({
      code: 415,
      reason: 'UnsupportedMediaType',
      message: `the body of the request was in an unknown format (${contentType || 'none'}) - accepted media types include: ${accepted.join(', ')}`,
    }),

  tooManyRequests: (retryAfterSeconds: number): ApiError =>
    apiError({
      code: 429,
      reason: 'TooManyRequests',
      message: 'Too many requests, please try again later.',
      details: { retryAfterSeconds },
    }),

  /** What Kubernetes answers for a resourceVersion ahead of the store. */
  tooLargeResourceVersion: (requested: number, current: number): ApiError =>
    apiError({
      code: 504,
      reason: 'Timeout',
      message: `Too large resource version: ${requested}, current: ${current}`,
      details: {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      },
    }),

  serviceUnavailable: (message: string): ApiError =>
    apiError({ code: 503, reason: 'ServiceUnavailable', message }),

  internal: (message: string): ApiError =>
    apiError({
      code: 500,
      reason: 'InternalError',
      message: `Internal error occurred: ${message}`,
      details: { causes: [{ message }] },
    }),
};
