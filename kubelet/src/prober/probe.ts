// Runs one probe once (Kubernetes' pkg/probe/{exec,http,tcp,grpc}): exec through CRI ExecSync,
// httpGet against the pod IP (2xx and 3xx are success), tcpSocket as a plain connect, grpc as a
// grpc.health.v1 Check on the pod IP (grpc-probe.ts) — each bounded by timeoutSeconds.
// `unknown` means the probe could not be run at all (a named port the container does not
// declare): the worker then keeps its last result, as upstream does.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { errorMessage, type Container, type Probe } from '@skiff/api';
import type { RuntimeService } from '../cri/index.js';
import { grpcProbe } from './grpc-probe.js';

export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface ProbeOutcome {
  readonly result: ProbeResult;
  /** What to say in the Unhealthy event (command output, status code, the error). */
  readonly output: string;
}

export interface ProbeTarget {
  readonly container: Readonly<Container>;
  readonly containerId: string;
  readonly podIP: string;
}

/** The User-Agent Kubernetes' prober sends. */
export const PROBE_USER_AGENT = 'kube-probe/1.31';

function timeoutMs(probe: Readonly<Probe>): number {
  return (probe.timeoutSeconds ?? 1) * 1000;
}

/** A port by number, or by the name of one of the container's ports. */
export function resolvePort(
  port: number | string,
  container: Readonly<Container>,
): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export async function runProbe(
  probe: Readonly<Probe>,
  target: ProbeTarget,
  runtime: Pick<RuntimeService, 'execSync'>,
): Promise<ProbeOutcome> {
  if (probe.exec) return execProbe(probe.exec.command ?? [], probe, target, runtime);
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, target.container);
    if (port === undefined)
      return { result: 'unknown', output: `port "${String(probe.httpGet.port)}" not found` };
    return httpProbe(probe, probe.httpGet, port, target);
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, target.container);
    if (port === undefined)
      return { result: 'unknown', output: `port "${String(probe.tcpSocket.port)}" not found` };
    return tcpProbe(probe.tcpSocket.host || target.podIP, port, timeoutMs(probe));
  }
  if (probe.grpc) {
    return grpcProbe({
      host: target.podIP,
      port: probe.grpc.port,
      service: probe.grpc.service ?? '',
      timeoutSeconds: probe.timeoutSeconds ?? 1,
      userAgent: PROBE_USER_AGENT,
    });
  }
  return {
    result: 'unknown',
    output: 'probe has no handler this kubelet runs (exec, httpGet, tcpSocket, grpc)',
  };
}

async function execProbe(
  command: readonly string[],
  probe: Readonly<Probe>,
  target: ProbeTarget,
  runtime: Pick<RuntimeService, 'execSync'>,
): Promise<ProbeOutcome> {
  try {
    const r = await runtime.execSync(target.containerId, command, probe.timeoutSeconds ?? 1);
    const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8').trim();
    if (r.exitCode === 0) return { result: 'success', output };
    return {
      result: 'failure',
      output:
        output !== ''
          ? output
          : `command ${JSON.stringify(command.join(' '))} exited with ${r.exitCode}`,
    };
  } catch (err) {
    if ((err as { code?: unknown }).code === 4 /* DEADLINE_EXCEEDED */) {
      return {
        result: 'failure',
        output: `command ${JSON.stringify(command.join(' '))} timed out`,
      };
    }
    return { result: 'unknown', output: errorMessage(err) };
  }
}

function httpProbe(
  probe: Readonly<Probe>,
  action: NonNullable<Probe['httpGet']>,
  port: number,
  target: ProbeTarget,
): Promise<ProbeOutcome> {
  const scheme = action.scheme === 'HTTPS' ? 'https' : 'http';
  const host = action.host || target.podIP;
  const path = action.path ?? '/';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
  const headers: Record<string, string> = { 'User-Agent': PROBE_USER_AGENT, Accept: '*/*' };
  for (const h of action.httpHeaders ?? []) headers[h.name] = h.value;
  return new Promise((resolve) => {
    const send = scheme === 'https' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'GET',
        headers,
        timeout: timeoutMs(probe),
        // Probes check liveness, not identity: Kubernetes skips certificate verification too.
        ...(scheme === 'https' && { rejectUnauthorized: false }),
      },
      (res) => {
        const code = res.statusCode ?? 0;
        res.resume();
        resolve(
          code >= 200 && code < 400
            ? { result: 'success', output: `HTTP probe succeeded with statuscode: ${code}` }
            : { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` },
        );
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve({
        result: 'failure',
        output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      });
    });
    req.on('error', (err) =>
      resolve({ result: 'failure', output: `Get "${url}": ${err.message}` }),
    );
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeout: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ result: 'success', output: '' });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ result: 'failure', output: `dial tcp ${host}:${port}: i/o timeout` });
    });
    socket.once('error', (err) =>
      resolve({ result: 'failure', output: `dial tcp ${host}:${port}: ${err.message}` }),
    );
  });
}
