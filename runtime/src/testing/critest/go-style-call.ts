// A CRI call made the way Go clients built on Kubernetes' CRI client (up to 1.30: the kubelet,
// crictl, critest) make it: HTTP/2 on the unix socket with the socket's *path* as `:authority`,
// which grpc-js' own client would never send. Raw node:http2, so the header goes out as written.
import {
  connect as connectHttp2,
  constants,
  type ClientHttp2Session,
  type IncomingHttpHeaders,
} from 'node:http2';
import { connect as connectUnix } from 'node:net';

export interface RawGrpcAnswer {
  /** The HTTP status, or the RST_STREAM code when the server reset the stream. */
  readonly httpStatus?: number;
  readonly rstCode?: number;
  readonly grpcStatus?: string;
  /** The response messages' bytes, without gRPC's 5-byte frame prefixes. */
  readonly message: Buffer;
}

/**
 * Calls `method` (e.g. /runtime.v1.RuntimeService/Version) `times` times, one after the other on
 * one connection, as a Go client's channel does: the later requests' headers refer to the first
 * one's in HPACK's dynamic table.
 */
export async function callWithAuthority(
  socket: string,
  authority: string,
  method: string,
  request: Uint8Array,
  { times = 1, timeoutMs = 10_000 }: { times?: number; timeoutMs?: number } = {},
): Promise<RawGrpcAnswer[]> {
  const session = connectHttp2('http://localhost', {
    createConnection: () => connectUnix(socket),
  });
  const failed = new Promise<never>((_resolve, reject) => {
    session.on('error', reject);
    session.setTimeout(timeoutMs, () => {
      reject(new Error(`${method} on ${socket}: no answer within ${timeoutMs} ms`));
    });
  });
  try {
    const answers: RawGrpcAnswer[] = [];
    for (let i = 0; i < times; i++) {
      answers.push(await Promise.race([failed, callOn(session, authority, method, request)]));
    }
    return answers;
  } finally {
    session.destroy();
  }
}

function callOn(
  session: ClientHttp2Session,
  authority: string,
  method: string,
  request: Uint8Array,
): Promise<RawGrpcAnswer> {
  return new Promise((resolve) => {
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: method,
      [constants.HTTP2_HEADER_AUTHORITY]: authority,
      [constants.HTTP2_HEADER_SCHEME]: 'http',
      [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      [constants.HTTP2_HEADER_TE]: 'trailers',
      'user-agent': 'grpc-go/1.54.0',
    });
    let httpStatus: number | undefined;
    let grpcStatus: string | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => {
      httpStatus = Number(headers[constants.HTTP2_HEADER_STATUS]);
      const early = headers['grpc-status'];
      if (typeof early === 'string') grpcStatus = early;
    });
    stream.on('trailers', (trailers: IncomingHttpHeaders) => {
      const status = trailers['grpc-status'];
      if (typeof status === 'string') grpcStatus = status;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset stream ends with 'error' (ERR_HTTP2_STREAM_ERROR) and then 'close'; the rstCode is
    // the answer, so the error is not a failure of the call.
    stream.on('error', () => undefined);
    stream.on('close', () => {
      const rstCode = stream.rstCode;
      resolve({
        ...(httpStatus !== undefined && { httpStatus }),
        ...(rstCode !== undefined && rstCode !== constants.NGHTTP2_NO_ERROR && { rstCode }),
        ...(grpcStatus !== undefined && { grpcStatus }),
        message: unframe(Buffer.concat(chunks)),
      });
    });
    stream.end(frame(request));
  });
}

/** gRPC's length-prefixed message: a compressed flag (0) and a 4-byte big-endian length. */
function frame(message: Uint8Array): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

function unframe(body: Buffer): Buffer {
  const messages: Buffer[] = [];
  for (let at = 0; at + 5 <= body.length;) {
    const length = body.readUInt32BE(at + 1);
    messages.push(body.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return Buffer.concat(messages);
}
