// The error every Kubernetes API failure is, on both sides of the wire (apimachinery's
// StatusError): the apiserver throws one wherever it notices a failure (routing, decoding,
// admission, the registry) and writes its Status as the response body in one place; the client
// rebuilds one from that body (./response.ts), and callers branch on it with ./predicates.ts.
import type { Status, StatusCause, StatusReason } from '../types/index.js';

/** The Status of an error always says its HTTP code. */
export type ErrorStatus = Status & { code: number };

export class ApiError extends Error {
  /** The Status as it goes over the wire: what the server sends, or what the client received. */
  readonly status: ErrorStatus;

  constructor(status: ErrorStatus, options?: { cause?: unknown }) {
    super(status.message || `the server answered ${status.code}`, options);
    this.name = `ApiError(${status.code} ${status.reason ?? ''})`;
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  /** `''` (Kubernetes' StatusReasonUnknown) when the Status gave none. */
  get reason(): StatusReason {
    return this.status.reason ?? '';
  }

  /** The fields at fault, for a 422 Invalid; empty for most other errors. */
  get causes(): readonly StatusCause[] {
    return this.status.details?.causes ?? [];
  }

  /** For 429 and some 5xx: how long the server asked the client to wait, in seconds. */
  get retryAfterSeconds(): number | undefined {
    return this.status.details?.retryAfterSeconds;
  }
}

/** The parts of a failure; see makeStatus. */
export interface FailureParts {
  code: number;
  reason: StatusReason;
  message: string;
  details?: Status['details'];
}

/**
 * Builds the Status body of a failure, with the fields in the order the apiserver has always
 * written them (the wire bytes stay stable).
 */
export function makeStatus({ code, reason, message, details }: FailureParts): ErrorStatus {
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
