// Every CRI method is served the same way: run the translation, answer with its result or with
// the error mapped to a gRPC status, and count the call. Handlers are written as plain async
// functions from request to response; this is the one place that knows grpc-js's callback shape.
import { status, type handleUnaryCall } from '@grpc/grpc-js';
import { grpcCodeOf, toServiceError } from './grpc-status.js';
import type { RuntimeMetrics } from './metrics.js';

export type UnaryFn<Req, Res> = (request: Req) => Promise<Res>;

export function serveUnary<Req, Res>(
  operation: string,
  metrics: RuntimeMetrics,
  fn: UnaryFn<Req, Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = process.hrtime.bigint();
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    fn(call.request).then(
      (response) => {
        metrics.observe(operation, seconds());
        callback(null, response);
      },
      (err: unknown) => {
        metrics.observe(operation, seconds(), status[grpcCodeOf(err)]);
        callback(toServiceError(err));
      },
    );
  };
}
