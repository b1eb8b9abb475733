// What the error stream of exec and attach carries at the end of a session, as the kubelet's
// remotecommand server writes it: protocol v4 and later send a metav1.Status as JSON (Success;
// NonZeroExitCode with an ExitCode cause, which kubectl turns into its own exit code; or
// InternalError), the older protocols only an error's text.

export interface StreamStatus {
  readonly metadata: Record<string, never>;
  readonly status: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: { readonly causes: readonly { reason: string; message: string }[] };
  readonly code?: number;
}

/** Kubernetes' NonZeroExitCodeReason and ExitCodeCauseType. */
export const NON_ZERO_EXIT_CODE = 'NonZeroExitCode';
export const EXIT_CODE_CAUSE = 'ExitCode';

export function successStatus(): StreamStatus {
  return { metadata: {}, status: 'Success' };
}

export function exitCodeStatus(cmd: readonly string[], exitCode: number): StreamStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command ${JSON.stringify(cmd)}, exit code ${exitCode}`,
    reason: NON_ZERO_EXIT_CODE,
    details: { causes: [{ reason: EXIT_CODE_CAUSE, message: String(exitCode) }] },
  };
}

export function internalErrorStatus(message: string): StreamStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ reason: '', message }] },
    code: 500,
  };
}

/** The bytes for the error stream: JSON for v4 and later, the message alone before. */
export function encodeStatus(status: StreamStatus, jsonStatus: boolean): Buffer | undefined {
  if (jsonStatus) return Buffer.from(JSON.stringify(status));
  return status.status === 'Success' ? undefined : Buffer.from(status.message ?? 'error');
}
