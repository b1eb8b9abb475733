// A `grpc:` probe (Kubernetes' pkg/probe/grpc): one grpc.health.v1 Health/Check call to the pod
// IP, with the semantics of grpc_health_probe that Kubernetes mimics — SERVING is success, every
// other answer and every error is a failure, never "unknown". The whole probe (connect and call)
// shares one deadline of timeoutSeconds; the connect blocks and retries until then, as Go's
// grpc.WithBlock dial does, so a closed port fails with the connect timeout message. Each probe
// opens its own connection (a local subchannel pool) and closes it, as upstream dials per probe.
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { rpcErrorText } from '../cri/index.js';
import {
  HEALTH_CHECK_METHOD,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
} from './grpc-health-messages.js';
import type { ProbeOutcome } from './probe.js';

/** A whole number of seconds as Go's time.Duration prints it (1s, 1m0s, 1h0m30s). */
export function goDurationSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

export interface GrpcProbeOptions {
  readonly host: string;
  readonly port: number;
  /** The service name the server reports on; '' asks about the server as a whole. */
  readonly service: string;
  readonly timeoutSeconds: number;
  readonly userAgent: string;
}

export async function grpcProbe(options: GrpcProbeOptions): Promise<ProbeOutcome> {
  const { host, port, service, timeoutSeconds } = options;
  const addr = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const within = goDurationSeconds(timeoutSeconds);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const client = new Client(addr, credentials.createInsecure(), {
    'grpc.primary_user_agent': options.userAgent,
    'grpc.use_local_subchannel_pool': 1,
  });
  try {
    const connected = await new Promise<Error | undefined>((resolve) =>
      client.waitForReady(deadline, (err) => resolve(err ?? undefined)),
    );
    if (connected !== undefined) {
      return {
        result: 'failure',
        output: `timeout: failed to connect service ${JSON.stringify(addr)} within ${within}: context deadline exceeded`,
      };
    }
    const answer = await new Promise<{ status?: string; err?: ServiceError }>((resolve) => {
      client.makeUnaryRequest(
        HEALTH_CHECK_METHOD,
        (name: string) => encodeHealthCheckRequest(name),
        (bytes: Buffer) => decodeHealthCheckResponse(bytes),
        service,
        new Metadata(),
        { deadline },
        (err, value) => resolve(err ? { err } : { ...(value !== undefined && { status: value }) }),
      );
    });
    if (answer.err !== undefined) return callFailure(answer.err, within);
    if (answer.status !== 'SERVING') {
      return {
        result: 'failure',
        output: `service unhealthy (responded with ${JSON.stringify(answer.status ?? 'UNKNOWN')})`,
      };
    }
    return { result: 'success', output: 'service healthy' };
  } finally {
    client.close();
  }
}

function callFailure(err: ServiceError, within: string): ProbeOutcome {
  if (err.code === status.UNIMPLEMENTED) {
    return {
      result: 'failure',
      output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}`,
    };
  }
  if (err.code === status.DEADLINE_EXCEEDED) {
    return { result: 'failure', output: `timeout: health rpc did not complete within ${within}` };
  }
  return {
    result: 'failure',
    output: `error: health rpc probe failed: ${rpcErrorText(err.code, err.details)}`,
  };
}
