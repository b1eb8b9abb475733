// Every non-2xx answer becomes an ApiError carrying the server's metav1.Status, and controllers
// branch on what went wrong with the predicates below (client-go's apierrors), never on message
// text: a 409 means "re-read and try again", a 404 on delete means "already gone", and so on.
import type { Status, StatusReason } from '@skiff/api';

export class ApiError extends Error {
  /** The Status as the server sent it, or one built from the status code when it sent none. */
  readonly status: Status & { code: number };

  constructor(status: Status & { code: number }, options?: { cause?: unknown }) {
    super(status.message || `the server answered ${status.code}`, options);
    this.name = 'ApiError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason {
    return this.status.reason ?? '';
  }

  /** For 429 and some 5xx: how long the server asked us to wait, in seconds. */
  get retryAfterSeconds(): number | undefined {
    return this.status.details?.retryAfterSeconds;
  }
}

// The reasons Kubernetes would have sent for a bare status code (e.g. from a proxy in between).
const reasonsByCode: Readonly<Record<number, StatusReason>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * The error for a response: the body's Status when it is one, else a Status made up from the
 * code and the first part of the body (an HTML page from a load balancer, say).
 */
export function apiErrorFromResponse(code: number, body: string, retryAfter?: number): ApiError {
  const parsed = parseStatus(body);
  const status: Status & { code: number } = parsed
    ? { ...parsed, code: parsed.code ?? code }
    : {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code,
        reason: reasonsByCode[code] ?? '',
        message: body.trim()
          ? `the server answered ${code}: ${body.trim().slice(0, 200)}`
          : `the server answered ${code} with an empty body`,
      };
  if (retryAfter !== undefined && status.details?.retryAfterSeconds === undefined) {
    status.details = { ...status.details, retryAfterSeconds: retryAfter };
  }
  return new ApiError(status);
}

function parseStatus(body: string): Status | undefined {
  if (!body.trim().startsWith('{')) return undefined;
  try {
    const value = JSON.parse(body) as unknown;
    return isStatus(value) ? value : undefined;
  } catch (err) {
    // A body that looks like JSON but is not is still an error worth reporting: by its code.
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as Status).kind === 'Status';
}

/**
 * The Status behind an error, or the Status itself: the predicates accept both, so a watch's
 * ERROR event reads like a thrown error (`isGone(event.object)`).
 */
function statusOf(err: unknown): Status | undefined {
  if (err instanceof ApiError) return err.status;
  if (isStatus(err)) return err;
  return undefined;
}

/**
 * True when the reason is `reason`, or when no reason was given and the code is `code` (a bare
 * 409 is a conflict; "already exists" is only ever known from its reason).
 */
function matches(err: unknown, reason: StatusReason, code?: number): boolean {
  const status = statusOf(err);
  if (!status) return false;
  if (status.reason) return status.reason === reason;
  return code !== undefined && status.code === code;
}

export const isNotFound = (err: unknown): boolean => matches(err, 'NotFound', 404);
export const isAlreadyExists = (err: unknown): boolean => matches(err, 'AlreadyExists');
export const isConflict = (err: unknown): boolean => matches(err, 'Conflict', 409);
export const isInvalid = (err: unknown): boolean => matches(err, 'Invalid', 422);
export const isBadRequest = (err: unknown): boolean => matches(err, 'BadRequest', 400);
export const isForbidden = (err: unknown): boolean => matches(err, 'Forbidden', 403);
export const isUnauthorized = (err: unknown): boolean => matches(err, 'Unauthorized', 401);
export const isTooManyRequests = (err: unknown): boolean => matches(err, 'TooManyRequests', 429);

/**
 * The resourceVersion asked for is no longer available (compacted, or an expired continue
 * token): the caller must relist. Kubernetes says this as `Gone` or `Expired`, always 410.
 */
export function isGone(err: unknown): boolean {
  const status = statusOf(err);
  if (!status) return false;
  return status.reason === 'Gone' || status.reason === 'Expired' || status.code === 410;
}
