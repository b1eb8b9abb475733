// A CRI runtime's (or any gRPC peer's) error as Go's grpc prints it, `rpc error: code = NotFound
// desc = …`: the text Kubernetes' kubelet passes on in waiting messages, events and HTTP bodies,
// so users see the same words as with the real kubelet.

/** gRPC's code names, indexed by code, as Go's codes.Code String() spells them. */
const GRPC_CODE_NAMES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

/** The code and details of a grpc-js ServiceError, or undefined for any other error. */
export function rpcStatusOf(err: unknown): { code: number; details: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, details } = err as { code?: unknown; details?: unknown };
  if (typeof code !== 'number' || typeof details !== 'string') return undefined;
  return { code, details };
}

export function rpcErrorText(code: number, details: string): string {
  return `rpc error: code = ${GRPC_CODE_NAMES[code] ?? `Code(${code})`} desc = ${details}`;
}
