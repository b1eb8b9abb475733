// How a gRPC call ends, on the wire: a `grpc-status` code and an optional `grpc-message` in the
// trailers (or, for a call that fails before sending anything, in the only HEADERS frame: a
// "trailers-only" response). When a stream dies without a status (connection lost, RST_STREAM),
// the status is derived from what HTTP/2 says, as gRPC's own clients do.
import { constants as h2, type IncomingHttpHeaders } from 'node:http2';

/** gRPC status codes (grpc/doc/statuscodes.md). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** A failed etcd call: the gRPC status code and etcd's message (percent-decoded). */
export class EtcdRpcError extends Error {
  override readonly name = 'EtcdRpcError';

  constructor(
    readonly code: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /**
   * The call never got an answer: no connection, deadline passed, or cancelled. A write may or
   * may not have been applied; the other codes are etcd's own verdict on the request.
   */
  get noAnswer(): boolean {
    return (
      this.code === GrpcStatus.UNAVAILABLE ||
      this.code === GrpcStatus.DEADLINE_EXCEEDED ||
      this.code === GrpcStatus.CANCELLED
    );
  }
}

export interface CallStatus {
  readonly code: number;
  readonly message: string;
}

/** The status in trailers (or a trailers-only response's headers); undefined if there is none. */
export function statusFromMetadata(metadata: IncomingHttpHeaders): CallStatus | undefined {
  const code = metadata['grpc-status'];
  if (typeof code !== 'string') return undefined;
  const raw = metadata['grpc-message'];
  const parsed = Number.parseInt(code, 10);
  return {
    code: Number.isNaN(parsed) ? GrpcStatus.UNKNOWN : parsed,
    message: typeof raw === 'string' ? decodeGrpcMessage(raw) : '',
  };
}

/**
 * grpc-message is percent-encoded UTF-8 (every byte outside printable ASCII, and '%' itself).
 * Decoded by hand rather than with decodeURIComponent, which throws on a malformed sequence: the
 * spec says to keep such text as it is, and an error message must never turn into a new error.
 * Node hands header values over as latin1, one char per byte, so raw UTF-8 from a sloppy server
 * is restored too.
 */
export function decodeGrpcMessage(encoded: string): string {
  if (!NEEDS_DECODING.test(encoded)) return encoded;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const hex = encoded.slice(i + 1, i + 3);
    if (encoded[i] === '%' && HEX_PAIR.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(encoded.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const NEEDS_DECODING = /[%\u0080-\u00ff]/;
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

/**
 * A response that ended without grpc-status: gRPC's mapping of the HTTP status. Without an HTTP
 * status, or with 200 but no trailers, the connection went away before etcd finished its answer
 * (node ends the open streams of a lost connection): the outcome is unknown.
 */
export function statusFromHttp(httpStatus: number | undefined): CallStatus {
  if (httpStatus === undefined || httpStatus === 200) {
    return {
      code: GrpcStatus.UNAVAILABLE,
      message: 'the connection closed before etcd finished its answer',
    };
  }
  const message = `etcd answered HTTP ${httpStatus} without a gRPC status`;
  switch (httpStatus) {
    case 400:
      return { code: GrpcStatus.INTERNAL, message };
    case 401:
      return { code: GrpcStatus.UNAUTHENTICATED, message };
    case 403:
      return { code: GrpcStatus.PERMISSION_DENIED, message };
    case 404:
      return { code: GrpcStatus.UNIMPLEMENTED, message };
    case 429:
    case 502:
    case 503:
    case 504:
      return { code: GrpcStatus.UNAVAILABLE, message };
    default:
      return { code: GrpcStatus.UNKNOWN, message };
  }
}

/** A stream reset by the peer (RST_STREAM) before it ended: gRPC's mapping of the HTTP/2 code. */
export function statusFromResetCode(rstCode: number | undefined): CallStatus {
  const message = `etcd reset the stream (HTTP/2 error code ${rstCode ?? 'unknown'})`;
  switch (rstCode) {
    case h2.NGHTTP2_REFUSED_STREAM:
      return { code: GrpcStatus.UNAVAILABLE, message };
    case h2.NGHTTP2_CANCEL:
      return { code: GrpcStatus.CANCELLED, message };
    case h2.NGHTTP2_ENHANCE_YOUR_CALM:
      return { code: GrpcStatus.RESOURCE_EXHAUSTED, message };
    case h2.NGHTTP2_INADEQUATE_SECURITY:
      return { code: GrpcStatus.PERMISSION_DENIED, message };
    default:
      return { code: GrpcStatus.INTERNAL, message };
  }
}

// The message of anything thrown, for error texts: @skiff/api's, under the name the wire
// client's callers use.
export { errorMessage as errorText } from '@skiff/api';
