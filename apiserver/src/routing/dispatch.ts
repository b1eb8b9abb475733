// Method + URL → verb → handler. The verb is Kubernetes' (get, list, watch, create, update,
// patch, delete, deletecollection), checked against the kinds table so that, say, a DELETE on
// the services collection is a 405 as it is in Kubernetes.
import type { Subresource } from '@skiff/api';
import { apiErrors } from '@skiff/api';
import { handleBinding } from '../http/handlers/binding.js';
import { handleConnect } from '../http/handlers/connect.js';
import { handlePodLog } from '../http/handlers/pod-log.js';
import { handleCreate } from '../http/handlers/create.js';
import { handleDeleteCollection } from '../http/handlers/delete-collection.js';
import { handleDelete } from '../http/handlers/delete.js';
import { handleFinalize } from '../http/handlers/finalize.js';
import { handleGet } from '../http/handlers/get.js';
import { handleList } from '../http/handlers/list.js';
import { handlePatch } from '../http/handlers/patch.js';
import { handleScaleGet, handleScalePatch, handleScaleUpdate } from '../http/handlers/scale.js';
import { handleStatusGet, handleStatusPatch, handleStatusUpdate } from '../http/handlers/status.js';
import { handleUpdate } from '../http/handlers/update.js';
import { handleWatch } from '../http/handlers/watch.js';
import type { ResourceScope } from '../http/scope.js';
import { isTrue } from '../registry/list-options.js';
import type { ResourceRequest } from './request-info.js';

export type Handler = (scope: ResourceScope) => Promise<void>;

export interface Route {
  /** The Kubernetes verb, for authorization, metrics and the 405 check. */
  readonly verb: string;
  readonly handler: Handler;
  /** Watches and streams: exempt from the in-flight limits and the request-duration metric. */
  readonly longRunning: boolean;
}

type MethodTable = Partial<
  Record<string, { verb: string; handler: Handler; longRunning?: boolean }>
>;

const statusLike = (get: Handler, update: Handler, patch: Handler): MethodTable => ({
  GET: { verb: 'get', handler: get },
  PUT: { verb: 'update', handler: update },
  PATCH: { verb: 'patch', handler: patch },
});

const connectWith = (methods: readonly string[]): MethodTable =>
  Object.fromEntries(
    methods.map((m) => [
      m,
      { verb: m === 'GET' ? 'get' : 'create', handler: handleConnect, longRunning: true },
    ]),
  );
const connect = connectWith(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/** exec, attach and portforward: GET (for WebSockets) and POST, Kubernetes' upgradeable methods. */
const upgradeable = connectWith(['GET', 'POST']);

const subresourceRoutes: Record<Subresource, MethodTable> = {
  status: statusLike(handleStatusGet, handleStatusUpdate, handleStatusPatch),
  scale: statusLike(handleScaleGet, handleScaleUpdate, handleScalePatch),
  binding: { POST: { verb: 'create', handler: handleBinding } },
  finalize: { PUT: { verb: 'update', handler: handleFinalize } },
  log: { GET: { verb: 'get', handler: handlePodLog, longRunning: true } },
  exec: upgradeable,
  attach: upgradeable,
  portforward: upgradeable,
  proxy: connect,
};

function mainRoute(info: ResourceRequest, method: string, watch: boolean): Route | undefined {
  const named = info.name !== undefined;
  switch (method) {
    case 'GET':
      if (watch) return { verb: 'watch', handler: handleWatch, longRunning: true };
      return named
        ? { verb: 'get', handler: handleGet, longRunning: false }
        : { verb: 'list', handler: handleList, longRunning: false };
    case 'POST':
      return named ? undefined : { verb: 'create', handler: handleCreate, longRunning: false };
    case 'PUT':
      return named ? { verb: 'update', handler: handleUpdate, longRunning: false } : undefined;
    case 'PATCH':
      return named
        ? { verb: 'patch', handler: (s) => handlePatch(s), longRunning: false }
        : undefined;
    case 'DELETE':
      return named
        ? { verb: 'delete', handler: handleDelete, longRunning: false }
        : { verb: 'deletecollection', handler: handleDeleteCollection, longRunning: false };
    default:
      return undefined;
  }
}

export function routeFor(info: ResourceRequest, method: string, query: URLSearchParams): Route {
  const gr = { group: info.kind.group, resource: info.kind.resource };
  if (info.subresource !== undefined) {
    const entry = subresourceRoutes[info.subresource][method];
    if (!entry) {
      throw apiErrors.methodNotSupported(
        { group: gr.group, resource: `${gr.resource}/${info.subresource}` },
        method.toLowerCase(),
      );
    }
    return { longRunning: false, ...entry };
  }
  const route = mainRoute(info, method, isTrue(query.get('watch')));
  if (!route) throw apiErrors.methodNotSupported(gr, method.toLowerCase());
  if (!(info.kind.verbs as readonly string[]).includes(route.verb)) {
    throw apiErrors.methodNotSupported(gr, route.verb);
  }
  return route;
}

/** The verbs a subresource answers, as discovery lists them. */
export function subresourceVerbs(subresource: Subresource): string[] {
  return [...new Set(Object.values(subresourceRoutes[subresource]).map((r) => r?.verb ?? ''))]
    .filter((v) => v !== '')
    .sort();
}
