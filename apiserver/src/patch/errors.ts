// Every way a PATCH can fail, as one error class carrying the HTTP status Kubernetes answers with,
// so the apiserver turns it into a metav1.Status without knowing which patch format failed.

export type PatchErrorReason =
  | 'BadRequest' // 400: the patch document itself is malformed
  | 'RequestEntityTooLarge' // 413: a JSON patch with more operations than Kubernetes allows
  | 'UnsupportedMediaType' // 415: a patch type this resource does not accept
  | 'Invalid'; // 422: a well-formed patch that cannot apply, or yields something not an object

const statusCodes = {
  BadRequest: 400,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
} as const;

export type PatchErrorCode = (typeof statusCodes)[PatchErrorReason];

export class PatchError extends Error {
  readonly code: PatchErrorCode;

  constructor(
    readonly reason: PatchErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'PatchError';
    this.code = statusCodes[reason];
  }
}

export function malformedPatch(message: string): PatchError {
  return new PatchError('BadRequest', message);
}

export function patchDoesNotApply(message: string): PatchError {
  return new PatchError('Invalid', message);
}

/** Kubernetes' own wording, so clients that match on it (kubectl does) recognise it. */
export function unsupportedPatchType(accepted: readonly string[]): PatchError {
  return new PatchError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}
