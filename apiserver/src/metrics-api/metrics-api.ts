// metrics.k8s.io/v1beta1, served by the apiserver itself from the kubelets' Summary API (the
// part metrics-server plays in Kubernetes; docs/decisions/0014-metrics-api-from-kubelet-summary.md), so
// `kubectl top` works. GET only: nodes, nodes/NAME, pods, namespaces/NS/pods[/NAME], with
// labelSelector. Each request lists the Nodes (and Pods) and asks the kubelets involved.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiErrors, type Clock, type Node, type Pod } from '@skiff/api';
import type { Authenticator, Authorizer } from '../http/auth.js';
import { sendError, type Logger } from '../http/error-response.js';
import { sendJson } from '../http/respond.js';
import { asKind } from '../registry/api-object.js';
import { list } from '../registry/list-watch.js';
import { parseListParams } from '../registry/list-options.js';
import type { Registry } from '../registry/registry.js';
import { fetchSummary, nodeMetrics, podMetrics, type Summary } from './kubelet-summary.js';
import { nodeMetricsKind, podMetricsKind } from './metrics-kinds.js';

export interface MetricsApiDeps {
  readonly nodes: () => Registry;
  readonly pods: () => Registry;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly clock: Clock;
  readonly log: Logger;
}

const PREFIX = '/apis/metrics.k8s.io/v1beta1/';

interface MetricsRequest {
  readonly resource: 'nodes' | 'pods';
  readonly namespace?: string;
  readonly name?: string;
}

function parsePath(path: string): MetricsRequest | undefined {
  const parts = path.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth, ...rest] = parts;
  if (rest.length > 0) return undefined;
  if (first === 'nodes' && third === undefined) return { resource: 'nodes', name: second };
  if (first === 'pods' && second === undefined) return { resource: 'pods' };
  if (first === 'namespaces' && second && third === 'pods')
    return { resource: 'pods', namespace: second, name: fourth };
  return undefined;
}

export interface MetricsApi {
  /** Answers a metrics.k8s.io request and says true; false for any other request. */
  serveRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** The same as express middleware. */
  middleware(req: IncomingMessage, res: ServerResponse, next: () => void): void;
}

export function metricsApi(deps: MetricsApiDeps): MetricsApi {
  const serveRequest = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!(req.url ?? '').startsWith(PREFIX)) return false;
    const url = new URL(req.url ?? '/', 'http://apiserver');
    serve(deps, req, res, url).catch((err: unknown) =>
      sendError(res, err, deps.log, `${req.method ?? ''} ${url.pathname}`),
    );
    return true;
  };
  return {
    serveRequest,
    middleware: (req, res, next) => {
      if (!serveRequest(req, res)) next();
    },
  };
}

async function serve(
  deps: MetricsApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const request = parsePath(url.pathname);
  if (!request) throw apiErrors.pathNotFound();
  const kind = request.resource === 'nodes' ? nodeMetricsKind : podMetricsKind;
  const gr = { group: kind.group, resource: kind.resource };
  const verb = request.name ? 'get' : 'list';
  if (req.method !== 'GET') throw apiErrors.methodNotSupported(gr, req.method ?? '');
  const user = await deps.authenticator(req);
  if (!user) throw apiErrors.unauthorized();
  const decision = await deps.authorizer({
    user,
    verb,
    group: kind.group,
    resource: kind.resource,
    subresource: undefined,
    namespace: request.namespace,
    name: request.name,
  });
  if (!decision.allowed)
    throw apiErrors.forbidden(
      gr,
      request.name ?? '',
      `User "${user.username}" cannot ${verb} resource "${kind.resource}" in API group "${kind.group}"`,
    );

  const now = new Date(deps.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const labelSelector = url.searchParams.get('labelSelector') ?? '';
  const summaries = new Map<string, Promise<Summary | undefined>>();
  const summaryOf = (node: Node) => {
    const name = node.metadata.name ?? '';
    let summary = summaries.get(name);
    if (!summary) summaries.set(name, (summary = fetchSummary(node, deps.log)));
    return summary;
  };
  const nodes = (
    await list(deps.nodes(), undefined, parseListParams(deps.nodes().kind, new URLSearchParams()))
  ).items.map((o) => asKind<Node>(o));

  if (request.resource === 'nodes') {
    const selected = request.name
      ? nodes.filter((n) => n.metadata.name === request.name)
      : (
          await list(
            deps.nodes(),
            undefined,
            parseListParams(deps.nodes().kind, new URLSearchParams({ labelSelector })),
          )
        ).items.map((o) => asKind<Node>(o));
    const items = (
      await Promise.all(
        selected.map(async (n) => {
          const summary = await summaryOf(n);
          return summary && nodeMetrics(n, summary, now);
        }),
      )
    ).filter((m): m is object => m !== undefined);
    return answer(res, kind.listKind, items, request.name, () =>
      apiErrors.notFound(gr, request.name ?? ''),
    );
  }

  const query = new URLSearchParams(labelSelector ? { labelSelector } : {});
  if (request.name) query.set('fieldSelector', `metadata.name=${request.name}`);
  const pods = (
    await list(deps.pods(), request.namespace, parseListParams(deps.pods().kind, query))
  ).items.map((o) => asKind<Pod>(o));
  const byName = new Map(nodes.map((n) => [n.metadata.name ?? '', n]));
  const items = (
    await Promise.all(
      pods.map(async (pod) => {
        const node = byName.get(pod.spec.nodeName ?? '');
        const summary = node && (await summaryOf(node));
        return summary && podMetrics(pod, summary, now);
      }),
    )
  ).filter((m): m is object => m !== undefined);
  return answer(res, kind.listKind, items, request.name, () =>
    apiErrors.notFound(gr, `${request.namespace ?? ''}/${request.name ?? ''}`),
  );
}

function answer(
  res: ServerResponse,
  listKind: string,
  items: object[],
  name: string | undefined,
  notFound: () => Error,
): void {
  if (name !== undefined) {
    const [item] = items;
    if (!item) throw notFound();
    return sendJson(res, 200, item);
  }
  sendJson(res, 200, {
    kind: listKind,
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items,
  });
}
