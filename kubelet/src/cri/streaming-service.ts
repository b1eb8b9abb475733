// The CRI calls that start a stream: each answers with a one-time URL on the runtime's
// streaming server, where the client (here, the kubelet proxying kubectl) upgrades a connection.
export interface StreamRequest {
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

export interface StreamingService {
  exec(containerId: string, cmd: readonly string[], streams: StreamRequest): Promise<string>;
  attach(containerId: string, streams: StreamRequest): Promise<string>;
  portForward(podSandboxId: string, ports: readonly number[]): Promise<string>;
}
