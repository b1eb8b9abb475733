// The requests the streaming server keeps behind its tokens: what Exec, Attach and PortForward
// were asked, checked as Kubernetes' streaming server checks them before issuing a URL.
import { RuntimeError } from '../containers/index.js';

export interface ExecStreamRequest {
  readonly kind: 'exec';
  readonly containerId: string;
  readonly cmd: readonly string[];
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

export interface AttachStreamRequest {
  readonly kind: 'attach';
  readonly containerId: string;
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

export interface PortForwardStreamRequest {
  readonly kind: 'portforward';
  readonly sandboxId: string;
  /** Ports named in the CRI request (advisory: the client names its ports per stream). */
  readonly ports: readonly number[];
}

export type StreamRequest = ExecStreamRequest | AttachStreamRequest | PortForwardStreamRequest;

/** Kubernetes' validateExecRequest / validateAttachRequest. */
export function validateStreams(request: ExecStreamRequest | AttachStreamRequest): void {
  if (request.containerId === '') {
    throw new RuntimeError('InvalidArgument', 'missing required container_id');
  }
  if (request.tty && request.stderr) {
    throw new RuntimeError('InvalidArgument', 'tty and stderr cannot both be true');
  }
  if (!request.stdin && !request.stdout && !request.stderr) {
    throw new RuntimeError('InvalidArgument', 'one of stdin, stdout, or stderr must be set');
  }
  if (request.kind === 'exec' && request.cmd.length === 0) {
    throw new RuntimeError('InvalidArgument', 'cmd must not be empty');
  }
}
