// One unary gRPC call on an HTTP/2 stream: send one framed request, collect the response
// message and the status, settle a promise once. This is the hot path (every storage read and
// write), so it is written to allocate little: the stream's listeners are shared module-level
// functions that find their call through a symbol on the stream, instead of fresh closures per
// call, and the response is decoded once, straight from the DATA chunk when it fits in one.
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

export const GRPC_REQUEST_HEADERS = {
  ':method': 'POST',
  'content-type': 'application/grpc',
  te: 'trailers',
} as const;

const CALL = Symbol('skiff.grpcUnaryCall');
type CallStream = ClientHttp2Stream & { [CALL]: UnaryCall<unknown> };

/** Told when a call settles, so it can stop tracking the call's deadline. */
export interface CallTracker {
  settled(call: UnaryCall<unknown>): void;
}

export class UnaryCall<Response> {
  private done = false;
  private stream: ClientHttp2Stream | undefined;
  private live: LiveSession | undefined;
  private httpStatus: number | undefined;
  private status: CallStatus | undefined;
  private readonly decoder = new FrameDecoder();

  constructor(
    private readonly method: RpcMethod<unknown, Response>,
    /** Clock time after which the call fails with DEADLINE_EXCEEDED. */
    readonly deadline: number,
    private readonly tracker: CallTracker,
    private readonly resolve: (response: Response) => void,
    private readonly reject: (error: EtcdRpcError) => void,
  ) {}

  /** Send `frame` on `live`; the outcome arrives through the stream's events. */
  start(live: LiveSession, headers: Readonly<Record<string, string>>, frame: Uint8Array): void {
    if (this.done) return; // the deadline passed while connecting
    let stream: ClientHttp2Stream;
    try {
      stream = live.h2.request(headers);
    } catch (err) {
      // The session went away between being picked and being used (GOAWAY, destroyed).
      this.fail(
        new EtcdRpcError(GrpcStatus.UNAVAILABLE, `${live.endpoint}: ${errorText(err)}`, {
          cause: err,
        }),
      );
      return;
    }
    this.stream = stream;
    this.live = live;
    live.streamOpened();
    (stream as CallStream)[CALL] = this as UnaryCall<unknown>;
    stream.on('response', onResponse);
    stream.on('data', onData);
    stream.on('trailers', onTrailers);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    stream.end(frame);
  }

  /** Settle with `error` and cancel the stream, if the call has not settled yet. */
  fail(error: EtcdRpcError): void {
    if (this.done) return;
    this.settle();
    this.reject(error);
    if (this.stream && !this.stream.closed) this.stream.close(h2.NGHTTP2_CANCEL);
  }

  expire(timeoutMs: number): void {
    const where = this.live ? this.live.endpoint : 'connecting';
    this.fail(
      new EtcdRpcError(
        GrpcStatus.DEADLINE_EXCEEDED,
        `${where}: no answer within the deadline of ${timeoutMs} ms`,
      ),
    );
  }

  onResponse(headers: IncomingHttpHeaders & IncomingHttpStatusHeader): void {
    this.httpStatus = headers[':status'];
    // A call that fails before sending anything answers with a single HEADERS frame.
    this.status = statusFromMetadata(headers);
  }

  onData(chunk: Buffer): void {
    this.decoder.push(chunk);
  }

  onTrailers(trailers: IncomingHttpHeaders): void {
    this.status = statusFromMetadata(trailers);
  }

  onEnd(): void {
    if (this.done) return;
    const status = this.status ?? statusFromHttp(this.httpStatus);
    if (status.code !== GrpcStatus.OK) {
      this.fail(new EtcdRpcError(status.code, status.message));
      return;
    }
    let response: Response;
    try {
      const message = this.decoder.next();
      if (message === undefined || this.decoder.pendingBytes > 0) {
        throw new EtcdRpcError(
          GrpcStatus.INTERNAL,
          `etcd answered ${this.method.path} with ${message ? 'trailing bytes' : 'no message'}`,
        );
      }
      response = this.method.decode(message);
    } catch (err) {
      this.fail(
        err instanceof EtcdRpcError
          ? err
          : new EtcdRpcError(GrpcStatus.INTERNAL, errorText(err), { cause: err }),
      );
      return;
    }
    this.settle();
    this.resolve(response);
  }

  onError(err: Error): void {
    const where = this.live ? this.live.endpoint : 'etcd';
    this.fail(new EtcdRpcError(GrpcStatus.UNAVAILABLE, `${where}: ${err.message}`, { cause: err }));
  }

  onClose(): void {
    this.live?.streamClosed();
    if (this.done) return;
    const status = statusFromResetCode(this.stream?.rstCode);
    this.fail(new EtcdRpcError(status.code, status.message));
  }

  private settle(): void {
    this.done = true;
    this.tracker.settled(this as UnaryCall<unknown>);
  }
}

function onResponse(
  this: CallStream,
  headers: IncomingHttpHeaders & IncomingHttpStatusHeader,
): void {
  this[CALL].onResponse(headers);
}
function onData(this: CallStream, chunk: Buffer): void {
  this[CALL].onData(chunk);
}
function onTrailers(this: CallStream, trailers: IncomingHttpHeaders): void {
  this[CALL].onTrailers(trailers);
}
function onEnd(this: CallStream): void {
  this[CALL].onEnd();
}
function onError(this: CallStream, err: Error): void {
  this[CALL].onError(err);
}
function onClose(this: CallStream): void {
  this[CALL].onClose();
}
