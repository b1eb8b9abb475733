import * as grpc from '@grpc/grpc-js';

// Generated clients overload each unary method four ways; the last overload is always
// (request, callback). Conditional types match against that last overload, which is how the
// request and response types are read off a method without listing every RPC by hand.
type LastUnaryOverload<Req, Res> = (
  request: Req,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

/** Names of the unary RPC methods of a generated client (streaming ones are left out). */
export type UnaryMethodName<C> = {
  // never / unknown are the widest request and response a method can be checked against.
  [K in keyof C]: C[K] extends LastUnaryOverload<never, unknown> ? K : never;
}[keyof C] &
  string;

/** The request type a unary method takes. */
export type UnaryRequest<M> = M extends LastUnaryOverload<infer Req, infer _Res> ? Req : never;

/** The response type a unary method yields. */
export type UnaryResponse<M> = M extends LastUnaryOverload<infer _Req, infer Res> ? Res : never;

type FullUnary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

export interface UnaryCallOptions {
  /** Deadline, relative to now; the server sees it too (grpc-timeout) and gives up in time. */
  readonly timeoutMs: number;
  readonly metadata?: grpc.Metadata;
}

/**
 * Calls one unary RPC and resolves with its response. Every call carries a deadline: a CRI
 * runtime that hangs must turn into an error, never a stuck kubelet worker. A failed call rejects
 * with grpc-js's ServiceError as is, so callers can branch on its `code` (grpc.status).
 *
 *   const v = await unaryCall(client, 'Version', { version: 'v1' }, { timeoutMs: 2000 });
 */
export function unaryCall<C extends grpc.Client, K extends UnaryMethodName<C>>(
  client: C,
  method: K,
  request: UnaryRequest<C[K]>,
  options: UnaryCallOptions,
): Promise<UnaryResponse<C[K]>> {
  // The generic C[K] is only known to be one of the overload sets; view it as the full form.
  const call = client[method] as unknown as FullUnary<UnaryRequest<C[K]>, UnaryResponse<C[K]>>;
  const callOptions: grpc.CallOptions = { deadline: Date.now() + options.timeoutMs };
  return new Promise((resolve, reject) => {
    call.call(
      client,
      request,
      options.metadata ?? new grpc.Metadata(),
      callOptions,
      (err: grpc.ServiceError | null, response?: UnaryResponse<C[K]>) => {
        if (err !== null) reject(err);
        else if (response === undefined) reject(new Error(`${method}: empty response`));
        else resolve(response);
      },
    );
  });
}
