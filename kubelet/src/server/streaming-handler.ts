// /exec/<ns>/<pod>/<container>, /attach/<ns>/<pod>/<container> and /portForward/<ns>/<pod>: the
// kubelet asks its runtime (CRI Exec, Attach, PortForward) for a one-time stream URL and proxies
// the client's upgrade request there — what Kubernetes' kubelet does since redirecting
// container streams was turned off by default (1.20). The stream protocol (SPDY or WebSocket) is
// left to the client and the runtime. Refusals are plain text with the kubelet's codes and
// words: 404 `pod does not exist`, 500 `container not found ("x")`, a runtime's gRPC error as
// streaming.WriteError writes it (NotFound 404, ResourceExhausted 429, else 500).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { BackendDialError, errorMessage, proxyUpgrade, type Pod } from '@skiff/api';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from '../container/labels.js';
import {
  rpcErrorText,
  rpcStatusOf,
  type RuntimeService,
  type StreamingService,
  type StreamRequest,
} from '../cri/index.js';
import type { PodSource } from './container-logs-handler.js';

export interface StreamingContext {
  readonly pods: PodSource;
  readonly runtime: RuntimeService;
  readonly streaming: StreamingService;
  readonly log: (message: string) => void;
  /**
   * A runtime's streaming certificate (PEM) to trust besides Node's CA bundle, for a runtime
   * that serves its stream URLs over HTTPS with a self-signed one (`skiff runtime
   * --streaming-tls` writes it to <root>/streaming/self-signed.crt). An https stream URL is always
   * verified, name included, as Kubernetes' kubelet does when it proxies (Go's TLS defaults:
   * the host's trust store); without this, the certificate must be in Node's trust store (for
   * example through NODE_EXTRA_CA_CERTS).
   */
  readonly runtimeStreamingCA?: string;
}

/** The kubelet's streaming paths (the first segment of the URL). */
export const STREAMING_PATHS = ['exec', 'attach', 'portForward'] as const;

export function isStreamingPath(path: string): boolean {
  const first = path.split('/')[1] ?? '';
  return (STREAMING_PATHS as readonly string[]).includes(first);
}

/** A refusal the client reads as the body of a failed upgrade. */
export class StreamRefusal extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Serves an upgrade request on one of STREAMING_PATHS; the socket is the client's. */
export async function serveStreamUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  ctx: StreamingContext,
): Promise<void> {
  try {
    const target = await streamUrl(req, ctx);
    // As Kubernetes' proxy does, the request's own query goes along (port= for WebSocket
    // port-forward lives there).
    const query = new URL(req.url ?? '/', 'http://kubelet').search;
    if (target.search === '') target.search = query;
    await proxyUpgrade(req, socket, target, {
      ...(ctx.runtimeStreamingCA !== undefined && {
        tls: { ca: [...rootCertificates, ctx.runtimeStreamingCA] },
      }),
    });
  } catch (err) {
    if (err instanceof StreamRefusal) refuse(socket, err);
    else if (err instanceof BackendDialError) {
      refuse(socket, new StreamRefusal(500, `error dialing the runtime's stream: ${err.message}`));
    } else {
      ctx.log(`${req.url ?? ''}: ${errorMessage(err)}`);
      refuse(socket, new StreamRefusal(500, errorMessage(err)));
    }
  }
}

/** Writes a plain-text HTTP answer and ends the connection. */
export function refuse(socket: Duplex, refusal: StreamRefusal): void {
  const body = Buffer.from(refusal.message);
  const headers = {
    'Content-Type': 'text/plain; charset=utf-8',
    ...refusal.headers,
    'Content-Length': String(body.length),
    Connection: 'close',
  };
  const head = [
    `HTTP/1.1 ${refusal.code} ${STATUS_TEXT[refusal.code] ?? 'Error'}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body]));
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

async function streamUrl(req: IncomingMessage, ctx: StreamingContext): Promise<URL> {
  const url = new URL(req.url ?? '/', 'http://kubelet');
  const [verb = '', namespace = '', podName = '', container = '', ...extra] = url.pathname
    .split('/')
    .slice(1)
    .map(decodeURIComponent);
  const forwarding = verb === 'portForward';
  if (namespace === '' || podName === '' || extra.length > 0 || forwarding !== (container === '')) {
    const shape = forwarding ? '<namespace>/<pod>' : '<namespace>/<pod>/<container>';
    throw new StreamRefusal(400, `Expected /${verb}/${shape}`);
  }
  if (forwarding) {
    const pod = findPod(ctx, namespace, podName);
    return fromRuntime(async () =>
      ctx.streaming.portForward(await sandboxId(ctx, pod), ports(url)),
    );
  }
  const streams = streamRequest(url.searchParams);
  const pod = findPod(ctx, namespace, podName);
  return fromRuntime(async () => {
    const id = await runningContainerId(ctx, pod, container);
    if (verb === 'attach') return ctx.streaming.attach(id, streams);
    return ctx.streaming.exec(id, url.searchParams.getAll('command'), streams);
  });
}

function findPod(ctx: StreamingContext, namespace: string, name: string): Pod {
  const pod = ctx.pods.get(namespace, name);
  if (pod === undefined) throw new StreamRefusal(404, 'pod does not exist');
  return pod;
}

/** The stream URL a runtime call answers; its errors as the kubelet reports them. */
async function fromRuntime(call: () => Promise<string>): Promise<URL> {
  try {
    return new URL(await call());
  } catch (err) {
    throw err instanceof StreamRefusal ? err : runtimeRefusal(err);
  }
}

/** As remotecommand's NewOptions: `1` is true; a TTY has no separate stderr. */
function streamRequest(query: URLSearchParams): StreamRequest {
  const on = (key: string): boolean => query.get(key) === '1';
  const tty = on('tty');
  const request = { stdin: on('stdin'), stdout: on('stdout'), stderr: on('stderr') && !tty, tty };
  if (!request.stdin && !request.stdout && !request.stderr) {
    throw new StreamRefusal(400, 'you must specify at least 1 of stdin, stdout, stderr');
  }
  return request;
}

/** `port=80,8080` (repeatable); a WebSocket client names its ports here, SPDY in its streams. */
function ports(url: URL): number[] {
  const out: number[] = [];
  for (const port of url.searchParams.getAll('port').flatMap((p) => p.split(','))) {
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65535) {
      throw new StreamRefusal(400, `unable to parse "${port}" as a port`);
    }
    out.push(n);
  }
  return out;
}

/** The running instance of `name` in the pod, as the kubelet's findContainer looks among running pods. */
async function runningContainerId(ctx: StreamingContext, pod: Pod, name: string): Promise<string> {
  const found = await ctx.runtime.listContainers({
    label_selector: { [POD_UID_LABEL]: pod.metadata.uid ?? '', [CONTAINER_NAME_LABEL]: name },
    state: { state: 'CONTAINER_RUNNING' },
  });
  const container = found[0];
  if (container === undefined)
    throw new StreamRefusal(500, `container not found (${JSON.stringify(name)})`);
  return container.id;
}

async function sandboxId(ctx: StreamingContext, pod: Pod): Promise<string> {
  const found = await ctx.runtime.listPodSandbox({
    label_selector: { [POD_UID_LABEL]: pod.metadata.uid ?? '' },
    state: { state: 'SANDBOX_READY' },
  });
  const sandbox = found[0];
  if (sandbox === undefined) {
    const fullName = `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}`;
    throw new StreamRefusal(500, `pod not found (${JSON.stringify(fullName)})`);
  }
  return sandbox.id;
}

const GRPC_NOT_FOUND = 5;
const GRPC_RESOURCE_EXHAUSTED = 8;
/** How long a one-time stream URL lives on the runtime: when to try again. */
const STREAM_TOKEN_TTL_SECONDS = 60;

/** A runtime's error as Kubernetes' streaming.WriteError answers it. */
function runtimeRefusal(err: unknown): StreamRefusal {
  const rpc = rpcStatusOf(err);
  if (rpc === undefined) return new StreamRefusal(500, errorMessage(err));
  const { code } = rpc;
  const message = rpcErrorText(code, rpc.details);
  if (code === GRPC_NOT_FOUND) return new StreamRefusal(404, message);
  if (code === GRPC_RESOURCE_EXHAUSTED) {
    return new StreamRefusal(429, message, { 'Retry-After': String(STREAM_TOKEN_TTL_SECONDS) });
  }
  return new StreamRefusal(500, message);
}
