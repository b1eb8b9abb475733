// `skiff runtime` as a library: opens the image store, the pod network and a backend on `root`,
// and serves CRI (RuntimeService, ImageService) plus skiff's import method on a unix socket,
// with an optional HTTP listener for /healthz and /metrics.
//
// All state is on disk and every container's parent is conmon, not this process: the server may
// be killed with -9 and started again on the same root, and it finds everything where it was.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Server } from '@grpc/grpc-js';
import { errorMessage, realClock, type Clock } from '@skiff/api';
import {
  CRI_MAX_MESSAGE_BYTES,
  imageServiceDefinition,
  runtimeServiceDefinition,
} from '@skiff/proto';
import {
  openRuntimeBackend,
  type BackendChoice,
  type RuntimeBackend,
} from '../containers/index.js';
import { LinuxBackend } from '../containers/linux-backend.js';
import { ImageStore, PAUSE_IMAGE } from '../images/index.js';
import { LinuxStreaming } from '../streaming/linux/linux-streaming.js';
import { ProcessStreaming } from '../streaming/process/process-streaming.js';
import { StreamingServer } from '../streaming/streaming-server.js';
import { loadStreamingKeyPair, type StreamingTlsOptions } from '../streaming/tls/streaming-tls.js';
import { PodNetwork, type NatMode } from '../network/index.js';
import { DEFAULT_POD_CIDR } from '../network/pod-cidr.js';
import { serveCriSocket } from './authority/serve-cri-socket.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import { imageServiceHandlers } from './image-service.js';
import { importServiceDefinition, importServiceHandlers } from './import-service.js';
import { RuntimeMetrics } from './metrics.js';
import { runtimeServiceHandlers } from './runtime-service.js';
import { prepareSocketPath, restrictSocket } from './unix-socket.js';

// Defined with the pod network's other CIDR policy, where `skiff up` can import it alone.
export { DEFAULT_POD_CIDR };

/**
 * The port to give --health-port when nothing else says: no Kubernetes component's default
 * (apiserver 6443, kubelet 10248/10250/10255, kube-proxy 10249/10256, controller-managers
 * 10257/10258, kube-scheduler 10259), nor etcd's 2379/2380 or the NodePort range.
 */
export const DEFAULT_HEALTH_PORT = 10359;

export interface RuntimeServerOptions {
  /** The unix socket to serve on; a stale socket file there is replaced. */
  readonly socket: string;
  /** State root: images, sandboxes, containers, network state. */
  readonly root: string;
  readonly backend?: BackendChoice;
  /** crun or runc (a name or path); default: crun, else runc. */
  readonly ociRuntime?: string;
  /** The node's pod CIDR; default 10.88.0.0/16. */
  readonly podCidr?: string;
  /** The host bridge pods attach to; default skiff0. */
  readonly bridgeName?: string;
  /**
   * Masquerading of pods' traffic leaving the bridge (the CNI bridge plugin's ipMasq): 'none'
   * when a pod network (flannel, skiff podnet) masquerades instead, so pod-to-pod traffic
   * between nodes keeps the pods' addresses; default 'auto'.
   */
  readonly nat?: NatMode;
  /** Where the network keeps its IPAM file; default `<root>/network`. */
  readonly networkStateDir?: string;
  /** The sandbox (pause) image; default skiff's own, built from the host busybox on first use. */
  readonly pauseImage?: string;
  readonly insecureRegistries?: readonly string[];
  /** Port for /healthz and /metrics (0 picks one); no HTTP listener when undefined. */
  readonly healthPort?: number;
  /** Address for that listener; default 127.0.0.1. */
  readonly healthHost?: string;
  /** Where the streaming server (Exec, Attach, PortForward URLs) listens; default 127.0.0.1. */
  readonly streamingAddress?: string;
  /** Its port; default 0, any free one (containerd's stream_server_port default). */
  readonly streamingPort?: number;
  /**
   * Serve the streaming server over HTTPS (containerd's enable_tls_streaming): with the key pair
   * in these files, or with a self-signed certificate made at start when none is named. Off when
   * undefined.
   */
  readonly streamingTls?: StreamingTlsOptions;
  readonly log?: (message: string) => void;
  /** Time for the backends' timestamps and the responses'; default the real clock. */
  readonly clock?: Clock;
}

export interface RuntimeServer {
  /** The socket's absolute path. */
  readonly socket: string;
  readonly backend: RuntimeBackend;
  readonly metrics: RuntimeMetrics;
  /** Where /healthz and /metrics are served, when they are. */
  readonly health: { readonly host: string; readonly port: number } | undefined;
  /** The streaming server's base URL. */
  readonly streamingUrl: string;
  /** Where the self-signed streaming certificate (PEM, no key) was written, when one was made. */
  readonly streamingCertificatePath: string | undefined;
  /** Stops serving (in-flight calls get a few seconds) and removes the socket file. */
  stop(): Promise<void>;
}

const GRACEFUL_STOP_MS = 5000;

export async function startRuntimeServer(options: RuntimeServerOptions): Promise<RuntimeServer> {
  const log = options.log ?? ((message: string) => console.warn(`[skiff runtime] ${message}`));
  const clock = options.clock ?? realClock;
  const root = resolve(options.root);
  const socket = resolve(options.socket);
  await mkdir(root, { recursive: true, mode: 0o711 });

  const images = await ImageStore.open({
    root,
    clock,
    ...(options.insecureRegistries !== undefined && {
      insecureRegistries: options.insecureRegistries,
    }),
  });
  const podCidr = options.podCidr ?? DEFAULT_POD_CIDR;
  const network = new PodNetwork({
    stateDir: options.networkStateDir ?? join(root, 'network'),
    podCidr,
    log,
    ...(options.bridgeName !== undefined && { bridgeName: options.bridgeName }),
    ...(options.nat !== undefined && { nat: options.nat }),
  });
  const pauseImage = options.pauseImage ?? PAUSE_IMAGE;
  const backend = await openRuntimeBackend({
    root,
    network,
    images,
    pauseImage,
    pauseImageIsDemo: pauseImage === PAUSE_IMAGE,
    backend: options.backend ?? 'auto',
    log,
    clock,
    ...(options.ociRuntime !== undefined && { ociRuntime: options.ociRuntime }),
  });
  if (backend.kind === 'linux') {
    // Before the first pod, so NetworkReady is true from the start. A failure is not fatal:
    // Status reports it (NetworkReady false) and each RunPodSandbox tries again.
    await network.init().catch((err: unknown) => {
      log(`the pod network is not ready yet: ${errorMessage(err)}`);
    });
  }

  // Exec, Attach and PortForward hand out URLs on this server.
  const tls =
    options.streamingTls === undefined
      ? undefined
      : await loadStreamingKeyPair(options.streamingTls, new Date(clock.now()));
  let streamingCertificatePath: string | undefined;
  if (tls?.selfSigned === true) {
    // The public half only, so a client on this node (the kubelet) can be told to trust it.
    streamingCertificatePath = join(root, 'streaming', 'self-signed.crt');
    await mkdir(join(root, 'streaming'), { recursive: true });
    await writeFile(streamingCertificatePath, tls.cert, { mode: 0o644 });
    log(
      `streaming over HTTPS with a self-signed certificate made at start (${streamingCertificatePath})`,
    );
  }
  const streaming = await StreamingServer.start({
    runtime:
      backend instanceof LinuxBackend
        ? new LinuxStreaming({
            backend,
            ociRuntime: { path: backend.oci.path, globalArgs: backend.oci.globalArgs },
            scratchDir: join(root, 'execs'),
          })
        : new ProcessStreaming(backend),
    clock,
    log,
    ...(options.streamingAddress !== undefined && { address: options.streamingAddress }),
    ...(options.streamingPort !== undefined && { port: options.streamingPort }),
    ...(tls !== undefined && { tls: { cert: tls.cert, key: tls.key } }),
  });

  const metrics = new RuntimeMetrics();
  const server = new Server({
    'grpc.max_receive_message_length': CRI_MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': CRI_MAX_MESSAGE_BYTES,
  });
  server.addService(
    runtimeServiceDefinition(),
    runtimeServiceHandlers({
      backend,
      metrics,
      clock,
      podCidr,
      log,
      streaming,
    }),
  );
  server.addService(imageServiceDefinition(), imageServiceHandlers(images, metrics));
  server.addService(importServiceDefinition, importServiceHandlers(images, metrics));

  await prepareSocketPath(socket);
  // Not bindAsync: Go CRI clients send the socket's path as :authority, which Node's HTTP/2
  // server refuses; serveCriSocket puts a rewriter in front (see authority/authority-rewriter.ts).
  const listener = await serveCriSocket(server, socket).catch((err: unknown) => {
    throw new Error(`cannot serve on ${socket}: ${errorMessage(err)}`, { cause: err });
  });
  await restrictSocket(socket);

  let health: HealthServer | undefined;
  if (options.healthPort !== undefined) {
    try {
      health = await startHealthServer(
        backend,
        metrics,
        options.healthPort,
        options.healthHost ?? '127.0.0.1',
      );
    } catch (err) {
      server.forceShutdown();
      await listener.close();
      await streaming.close();
      await rm(socket, { force: true });
      throw new Error(`cannot serve /healthz on port ${options.healthPort}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  const stop = async (): Promise<void> => {
    // Stops accepting at once; resolves when the gRPC shutdown below has closed the connections.
    const closed = listener.close();
    await new Promise<void>((done) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        done();
      }, GRACEFUL_STOP_MS);
      server.tryShutdown(() => {
        clearTimeout(force);
        done();
      });
    });
    await closed;
    await streaming.close();
    await health?.close();
    await rm(socket, { force: true });
  };

  // Stopping twice (a signal handler and a test cleanup) waits for the one stop.
  let stopping: Promise<void> | undefined;
  return {
    socket,
    backend,
    metrics,
    health: health === undefined ? undefined : { host: health.host, port: health.port },
    streamingUrl: streaming.baseUrl,
    streamingCertificatePath,
    stop: () => (stopping ??= stop()),
  };
}
