// GET /containerLogs/<namespace>/<pod>/<container>: the kubelet's log endpoint, which the
// apiserver's pods/log proxies to. Errors are plain text with the kubelet's status codes and
// messages (404 unknown pod or container, 400 nothing to show yet, 422 invalid options); the
// apiserver turns them into a Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  errorMessage,
  formatFieldError,
  parsePodLogOptions,
  type Clock,
  type Pod,
} from '@skiff/api';
import type { RuntimeService } from '../cri/index.js';
import {
  ContainerLogError,
  containerIdForLogs,
  containerLogPath,
  containerRunning,
  writeContainerLogs,
} from '../logs/index.js';

export interface PodSource {
  /** The pods bound to this node, as the kubelet knows them. */
  list(): readonly Pod[];
  get(namespace: string, name: string): Pod | undefined;
}

export interface ContainerLogsContext {
  readonly pods: PodSource;
  readonly runtime: RuntimeService;
  readonly clock: Clock;
  readonly log: (message: string) => void;
}

function fail(res: ServerResponse, code: number, message: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
}

export async function serveContainerLogs(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ContainerLogsContext,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://kubelet');
  const [namespace = '', podName = '', container = '', ...extra] = url.pathname
    .slice('/containerLogs/'.length)
    .split('/')
    .map(decodeURIComponent);
  if (namespace === '' || podName === '' || extra.length > 0) {
    fail(res, 400, 'Expected /containerLogs/<namespace>/<pod>/<container>\n');
    return;
  }
  if (container === '') {
    fail(res, 400, 'Missing container name.\n');
    return;
  }
  const parsed = parsePodLogOptions(url.searchParams);
  if (parsed.badRequest !== undefined) {
    fail(res, 400, parsed.badRequest);
    return;
  }
  if (parsed.errors !== undefined) {
    fail(res, 422, parsed.errors.map(formatFieldError).join(', '));
    return;
  }
  const options = parsed.options;
  const pod = ctx.pods.get(namespace, podName);
  if (pod === undefined) {
    fail(res, 404, `pod "${podName}" does not exist\n`);
    return;
  }
  let id: string;
  let path: string;
  try {
    id = containerIdForLogs(pod, container, options.previous);
    path = await containerLogPath(ctx.runtime, id);
  } catch (err) {
    if (err instanceof ContainerLogError) fail(res, err.code, err.message);
    else fail(res, 500, errorMessage(err));
    return;
  }
  const client = new AbortController();
  res.on('close', () => client.abort());
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.flushHeaders();
  const sinceMs =
    options.sinceSeconds !== undefined
      ? ctx.clock.now() - options.sinceSeconds * 1000
      : options.sinceTime;
  try {
    await writeContainerLogs(
      // A previous instance has stopped for good: its log is read once, never followed.
      { path, isRunning: () => (options.previous ? Promise.resolve(false) : running(ctx, id)) },
      {
        follow: options.follow,
        timestamps: options.timestamps,
        ...(options.tailLines !== undefined && { tailLines: options.tailLines }),
        ...(options.limitBytes !== undefined && { limitBytes: options.limitBytes }),
        ...(sinceMs !== undefined && { sinceMs }),
      },
      {
        clock: ctx.clock,
        write: (chunk) => write(res, chunk),
        signal: client.signal,
        log: ctx.log,
      },
    );
  } catch (err) {
    ctx.log(`streaming the log of ${namespace}/${podName}/${container}: ${errorMessage(err)}`);
  }
  res.end();
}

/** A container the runtime no longer has has stopped writing. */
async function running(ctx: ContainerLogsContext, id: string): Promise<boolean> {
  try {
    return await containerRunning(ctx.runtime, id);
  } catch (err) {
    ctx.log(`container ${id} status while following its log: ${errorMessage(err)}`);
    return false;
  }
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (chunk.length === 0 || res.destroyed) return Promise.resolve();
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** GET /pods: the PodList of the pods on this node. */
export function servePods(res: ServerResponse, pods: PodSource): void {
  const list = { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: pods.list() };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list));
}
