// The client side: reading the Status out of a non-2xx response. Every such answer becomes an
// ApiError, whether the body is a Status or something a proxy in between made up.
import type { Status, StatusReason } from '../types/index.js';
import { ApiError, type ErrorStatus } from './api-error.js';

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

/** The reason Kubernetes gives a bare HTTP code, `''` for codes it has none for. */
export function reasonForCode(code: number): StatusReason {
  return reasonsByCode[code] ?? '';
}

/**
 * The error for a response: the body's Status when it is one, else a Status made up from the
 * code and the first part of the body (an HTML page from a load balancer, say). A Retry-After
 * header fills in `retryAfterSeconds` when the body does not say it.
 */
export function apiErrorFromResponse(code: number, body: string, retryAfter?: number): ApiError {
  const parsed = parseStatus(body);
  const status: ErrorStatus = parsed
    ? { ...parsed, code: parsed.code ?? code }
    : {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code,
        reason: reasonForCode(code),
        message: body.trim()
          ? `the server answered ${code}: ${body.trim().slice(0, 200)}`
          : `the server answered ${code} with an empty body`,
      };
  if (retryAfter !== undefined && status.details?.retryAfterSeconds === undefined) {
    status.details = { ...status.details, retryAfterSeconds: retryAfter };
  }
  return new ApiError(status);
}

/** The Status in a response body, or undefined when the body is not one. */
export function parseStatus(body: string): Status | undefined {
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
