// A bidirectional gRPC stream (etcd's Watch): framed requests go up whenever the caller writes,
// framed responses come down and are decoded one by one as they complete. It exists before its
// connection does, so a caller can write at once; writes wait until the stream is attached.
//
// Its end is reported exactly once, through onEnd, whatever caused it (etcd's status in the
// trailers, a reset, a lost connection, a failed connect), unless the caller cancelled first:
// after cancel() nothing more is reported.
import {
  constants as h2,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
  type IncomingHttpStatusHeader,
} from 'node:http2';
import type { RpcMethod } from './etcd-codec.js';
import type { LiveSession } from './grpc-connection.js';
import { FrameDecoder } from './grpc-frame.js';
import {
  errorText,
  EtcdRpcError,
  GrpcStatus,
  statusFromHttp,
  statusFromMetadata,
  statusFromResetCode,
  type CallStatus,
} from './grpc-status.js';
import { GRPC_REQUEST_HEADERS } from './grpc-unary-call.js';

export interface GrpcStreamHandlers<Response> {
  onMessage(message: Response): void;
  /** The stream is over (never called after cancel()); the code is OK if etcd ended it cleanly. */
  onEnd(error: EtcdRpcError): void;
}

export class GrpcStream<Request, Response> {
  private stream: ClientHttp2Stream | undefined;
  private pending: Uint8Array[] = [];
  private httpStatus: number | undefined;
  private status: CallStatus | undefined;
  private readonly decoder = new FrameDecoder();
  private over = false;

  constructor(
    private readonly method: RpcMethod<Request, Response>,
    private readonly handlers: GrpcStreamHandlers<Response>,
  ) {}

  write(request: Request): void {
    if (this.over) return;
    const frame = this.method.encode(request);
    if (this.stream) this.stream.write(frame);
    else this.pending.push(frame);
  }

  /** Stop: reset the stream, report nothing more. */
  cancel(): void {
    if (this.over) return;
    this.stop();
  }

  /** Open the HTTP/2 stream on a connected session and send what was written so far. */
  attach(live: LiveSession): void {
    if (this.over) return;
    let stream: ClientHttp2Stream;
    try {
      stream = live.h2.request({ ...GRPC_REQUEST_HEADERS, ':path': this.method.path });
    } catch (err) {
      this.end(new EtcdRpcError(GrpcStatus.UNAVAILABLE, `${live.endpoint}: ${errorText(err)}`));
      return;
    }
    this.stream = stream;
    live.streamOpened();
    stream.on('response', (headers: IncomingHttpHeaders & IncomingHttpStatusHeader) => {
      this.httpStatus = headers[':status'];
      this.status = statusFromMetadata(headers);
    });
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('trailers', (trailers: IncomingHttpHeaders) => {
      this.status = statusFromMetadata(trailers);
    });
    stream.on('end', () => {
      const status = this.status ?? statusFromHttp(this.httpStatus);
      this.end(new EtcdRpcError(status.code, status.message || 'etcd ended the stream'));
    });
    stream.on('error', (err: Error) =>
      this.end(
        new EtcdRpcError(GrpcStatus.UNAVAILABLE, `${live.endpoint}: ${err.message}`, {
          cause: err,
        }),
      ),
    );
    stream.on('close', () => {
      live.streamClosed();
      const status = statusFromResetCode(stream.rstCode);
      this.end(new EtcdRpcError(status.code, status.message));
    });
    for (const frame of this.pending) stream.write(frame);
    this.pending = [];
  }

  /** The connection for this stream could not be had. */
  attachFailed(error: EtcdRpcError): void {
    this.end(error);
  }

  private onData(chunk: Buffer): void {
    if (this.over) return;
    this.decoder.push(chunk);
    try {
      for (let message = this.decoder.next(); message; message = this.decoder.next()) {
        this.handlers.onMessage(this.method.decode(message));
        if (this.over) return; // the handler cancelled
      }
    } catch (err) {
      const error =
        err instanceof EtcdRpcError
          ? err
          : new EtcdRpcError(GrpcStatus.INTERNAL, errorText(err), { cause: err });
      this.end(error);
    }
  }

  /** Report the end once, and reset the stream if it is still open (e.g. after trailers). */
  private end(error: EtcdRpcError): void {
    if (this.over) return;
    this.stop();
    this.handlers.onEnd(error);
  }

  private stop(): void {
    this.over = true;
    this.pending = [];
    if (this.stream && !this.stream.closed) this.stream.close(h2.NGHTTP2_CANCEL);
  }
}
