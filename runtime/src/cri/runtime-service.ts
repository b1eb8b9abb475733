// runtime.v1.RuntimeService: each method translates its request into one call on the backend
// and the result back into the response message. No container logic lives here; the backend
// decides, validates and throws coded errors, which serveUnary maps to gRPC statuses.
import type { Clock } from '@skiff/api';
import type { RuntimeServiceHandlers } from '@skiff/proto';
import { RuntimeError, type RuntimeBackend } from '../containers/index.js';
import { verboseInfo } from '../containers/verbose-info.js';
import { unimplemented } from './grpc-status.js';
import type { RuntimeMetrics } from './metrics.js';
import type { StreamingServer } from '../streaming/streaming-server.js';
import { serveUnary } from './unary.js';
import { RUNTIME_NAME, runtimeVersion } from './version.js';

export interface RuntimeServiceDeps {
  readonly backend: RuntimeBackend;
  readonly metrics: RuntimeMetrics;
  /** Stamps the responses that carry a timestamp. */
  readonly clock: Clock;
  /** The pod CIDR this runtime was started with (--pod-cidr), to compare with the kubelet's. */
  readonly podCidr?: string;
  readonly log: (message: string) => void;
  /** Serves Exec, Attach and PortForward; without one they answer UNIMPLEMENTED. */
  readonly streaming?: StreamingServer;
}

const NO_STREAMING =
  'this runtime was started without a streaming server (exec, attach, port-forward)';

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') {
    throw new RuntimeError('InvalidArgument', `${field} is required`);
  }
  return value;
}

/** int64 fields arrive as decimal strings (longs: String). */
function seconds(value: string | number | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function streamingServer(deps: RuntimeServiceDeps): StreamingServer {
  if (deps.streaming === undefined) throw new RuntimeError('Unimplemented', NO_STREAMING);
  return deps.streaming;
}

/**
 * What Exec and Attach share: the streams asked for, in a container that must be running
 * (streams are only for running ones, as containerd's), named by its full id.
 */
async function containerStreams(
  backend: RuntimeBackend,
  request: { container_id: string; stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean },
): Promise<{
  containerId: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}> {
  const status = await backend.containerStatus(required(request.container_id, 'container_id'));
  if (status.state !== 'CONTAINER_RUNNING') {
    throw new RuntimeError(
      'FailedPrecondition',
      `container ${status.id} is in ${status.state} state, not running`,
    );
  }
  const { stdin, stdout, stderr, tty } = request;
  return { containerId: status.id, stdin, stdout, stderr, tty };
}

function onlyIfVerbose(verbose: boolean, info: Record<string, string>): Record<string, string> {
  return verbose ? info : {};
}

export function runtimeServiceHandlers(deps: RuntimeServiceDeps): RuntimeServiceHandlers {
  const { backend, metrics } = deps;
  const serve = <Req, Res>(name: string, fn: (request: Req) => Promise<Res>) =>
    serveUnary(name, metrics, fn);
  const refuse = (name: string, why: string) =>
    serveUnary(name, metrics, () => Promise.reject(new RuntimeError('Unimplemented', why)));

  return {
    Version: serve('Version', () =>
      Promise.resolve({
        version: '0.1.0',
        runtime_name: RUNTIME_NAME,
        runtime_version: runtimeVersion(),
        runtime_api_version: 'v1',
      }),
    ),
    Status: serve('Status', async (request) => ({
      status: { conditions: await backend.conditions() },
      info: onlyIfVerbose(request.verbose, { backend: JSON.stringify(backend.kind) }),
    })),
    RuntimeConfig: serve('RuntimeConfig', () =>
      // Limits are written as cgroupfs paths (docs/decisions/0004); the kubelet must agree.
      Promise.resolve({ linux: { cgroup_driver: 'CGROUPFS' as const } }),
    ),
    UpdateRuntimeConfig: serve('UpdateRuntimeConfig', (request) => {
      // The pod network is fixed at start (--pod-cidr); a different CIDR from the kubelet is a
      // misconfiguration worth a log line, not a failed call the kubelet would retry forever.
      const wanted = request.runtime_config?.network_config?.pod_cidr ?? '';
      if (wanted !== '' && deps.podCidr !== undefined && wanted !== deps.podCidr) {
        deps.log(
          `the kubelet's pod CIDR ${wanted} differs from --pod-cidr ${deps.podCidr}; pods keep getting addresses from ${deps.podCidr}`,
        );
      }
      return Promise.resolve({});
    }),

    RunPodSandbox: serve('RunPodSandbox', async (request) => {
      if (request.config === null) throw new RuntimeError('InvalidArgument', 'config is required');
      if (request.runtime_handler !== '') {
        throw new RuntimeError(
          'NotFound',
          `runtime handler ${JSON.stringify(request.runtime_handler)} is not configured: skiff runtime has only the default handler`,
        );
      }
      return { pod_sandbox_id: await backend.runPodSandbox(request.config) };
    }),
    StopPodSandbox: serve('StopPodSandbox', async (request) => {
      await backend.stopPodSandbox(required(request.pod_sandbox_id, 'pod_sandbox_id'));
      return {};
    }),
    RemovePodSandbox: serve('RemovePodSandbox', async (request) => {
      await backend.removePodSandbox(required(request.pod_sandbox_id, 'pod_sandbox_id'));
      return {};
    }),
    PodSandboxStatus: serve('PodSandboxStatus', async (request) => {
      const id = required(request.pod_sandbox_id, 'pod_sandbox_id');
      return {
        status: await backend.podSandboxStatus(id),
        info: request.verbose ? verboseInfo(await backend.podSandboxInfo(id)) : {},
        containers_statuses: [],
        timestamp: String(BigInt(Math.round(deps.clock.now())) * 1_000_000n),
      };
    }),
    ListPodSandbox: serve('ListPodSandbox', async (request) => ({
      items: await backend.listPodSandbox(request.filter),
    })),

    CreateContainer: serve('CreateContainer', async (request) => {
      const sandboxId = required(request.pod_sandbox_id, 'pod_sandbox_id');
      if (request.config === null) throw new RuntimeError('InvalidArgument', 'config is required');
      return { container_id: await backend.createContainer(sandboxId, request.config) };
    }),
    StartContainer: serve('StartContainer', async (request) => {
      await backend.startContainer(required(request.container_id, 'container_id'));
      return {};
    }),
    StopContainer: serve('StopContainer', async (request) => {
      await backend.stopContainer(
        required(request.container_id, 'container_id'),
        seconds(request.timeout),
      );
      return {};
    }),
    RemoveContainer: serve('RemoveContainer', async (request) => {
      await backend.removeContainer(required(request.container_id, 'container_id'));
      return {};
    }),
    ContainerStatus: serve('ContainerStatus', async (request) => {
      const id = required(request.container_id, 'container_id');
      return {
        status: await backend.containerStatus(id),
        info: request.verbose ? verboseInfo(await backend.containerInfo(id)) : {},
      };
    }),
    ListContainers: serve('ListContainers', async (request) => ({
      containers: await backend.listContainers(request.filter),
    })),
    UpdateContainerResources: serve('UpdateContainerResources', async (request) => {
      await backend.updateContainerResources(
        required(request.container_id, 'container_id'),
        request.linux,
      );
      return {};
    }),
    ReopenContainerLog: serve('ReopenContainerLog', async (request) => {
      await backend.reopenContainerLog(required(request.container_id, 'container_id'));
      return {};
    }),
    ExecSync: serve('ExecSync', async (request) => {
      const result = await backend.execSync(
        required(request.container_id, 'container_id'),
        request.cmd,
        seconds(request.timeout),
      );
      return { stdout: result.stdout, stderr: result.stderr, exit_code: result.exitCode };
    }),
    ContainerStats: serve('ContainerStats', async (request) => ({
      stats: await backend.containerStats(required(request.container_id, 'container_id')),
    })),
    ListContainerStats: serve('ListContainerStats', async (request) => ({
      stats: await backend.listContainerStats(request.filter),
    })),

    Exec: serve('Exec', async (request) => {
      const streaming = streamingServer(deps);
      const streams = await containerStreams(backend, request);
      return { url: streaming.getExec({ ...streams, cmd: request.cmd }) };
    }),
    Attach: serve('Attach', async (request) => {
      const streaming = streamingServer(deps);
      return { url: streaming.getAttach(await containerStreams(backend, request)) };
    }),
    PortForward: serve('PortForward', async (request) => {
      const streaming = streamingServer(deps);
      const sandboxId = required(request.pod_sandbox_id, 'pod_sandbox_id');
      const status = await backend.podSandboxStatus(sandboxId);
      if (status.state !== 'SANDBOX_READY') {
        throw new RuntimeError('FailedPrecondition', `sandbox ${status.id} is not ready`);
      }
      return { url: streaming.getPortForward({ sandboxId: status.id, ports: request.port }) };
    }),
    PodSandboxStats: serve('PodSandboxStats', async (request) => ({
      stats: await backend.podSandboxStats(required(request.pod_sandbox_id, 'pod_sandbox_id')),
    })),
    ListPodSandboxStats: serve('ListPodSandboxStats', async (request) => ({
      stats: await backend.listPodSandboxStats(request.filter),
    })),
    // CRI-provided metrics (the kubelet's PodAndContainerStatsFromCRI feature): skiff offers
    // none beyond ContainerStats, and says so with empty lists, which the kubelet accepts.
    ListMetricDescriptors: serve('ListMetricDescriptors', () =>
      Promise.resolve({ descriptors: [] }),
    ),
    ListPodSandboxMetrics: serve('ListPodSandboxMetrics', () =>
      Promise.resolve({ pod_metrics: [] }),
    ),
    CheckpointContainer: refuse('CheckpointContainer', 'checkpointing is not implemented'),
    GetContainerEvents: (call) => {
      // A server stream: the evented PLEG is optional, the kubelet falls back to relisting.
      call.emit(
        'error',
        unimplemented(
          'container events are not implemented: the kubelet relists (generic PLEG) instead',
        ),
      );
    },
  };
}
