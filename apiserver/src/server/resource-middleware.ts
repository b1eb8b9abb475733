// The resource request path as one function: route → in-flight limit → authn → authz → handler
// (which decodes, admits and writes through the registry), with the request metrics and the
// error→Status translation wrapped around all of it.
//
// It works on plain node:http requests, so the server can hand resource requests to it straight
// from the socket (`serveRequest`): express's router walked every non-resource route's pattern
// and wrapped each step in closures before a create got here, about 7% of a create's CPU. Express
// keeps the non-resource endpoints, and `middleware` mounts the same path in it for callers that
// use the express app as their request listener.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Authenticator, Authorizer } from '../http/auth.js';
import { apiErrors } from '@skiff/api';
import { sendError, type Logger } from '../http/error-response.js';
import type { InFlightLimiter } from '../http/in-flight.js';
import type { ServerContext } from '../http/scope.js';
import { routeFor, type Route } from '../routing/dispatch.js';
import { parseResourcePath, splitApiPath, type ResourceRequest } from '../routing/request-info.js';
import type { ServedKinds } from '../routing/served-kinds.js';
import type { ApiMetrics } from './metrics.js';

export interface ResourceMiddlewareDeps {
  readonly context: ServerContext;
  readonly kinds: ServedKinds;
  readonly metrics: ApiMetrics;
  readonly limiter: InFlightLimiter;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly log: Logger;
}

export interface ResourceRequests {
  /**
   * Serves `req` when its URL addresses a resource and returns true; false leaves it to the
   * caller (discovery, health, metrics, …). Only URLs in origin form (`/api/…`) are taken.
   */
  serveRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** The same, as express middleware: anything that is not a resource request goes to next(). */
  middleware(req: Request, res: Response, next: NextFunction): void;
}

type ApiPath = NonNullable<ReturnType<typeof splitApiPath>>;

export function resourceRequests(deps: ResourceMiddlewareDeps): ResourceRequests {
  const serve = (req: IncomingMessage, res: ServerResponse, split: ApiPath | Error): void => {
    serveResource(deps, req, res, split).catch((err: unknown) =>
      deps.log(`failed to answer ${req.method ?? ''} ${req.url ?? ''}: ${String(err)}`),
    );
  };
  return {
    serveRequest(req, res) {
      const url = req.url ?? '';
      // Absolute-form targets (`http://host/…`) and `//…` are rare; express parses those.
      if (!url.startsWith('/') || url.startsWith('//')) return false;
      const query = url.indexOf('?');
      const split = resourcePath(query === -1 ? url : url.slice(0, query));
      if (split === undefined) return false;
      serve(req, res, split);
      return true;
    },
    middleware(req, res, next) {
      const split = resourcePath(req.path);
      if (split === undefined) {
        next();
        return;
      }
      serve(req, res, split);
    },
  };
}

/**
 * The group, version and rest of a resource URL; undefined for everything else, which
 * includes `/api/v1` and `/apis/{group}/{version}` themselves (discovery documents). A
 * malformed segment is an Error, answered as a 400 by the resource path.
 */
function resourcePath(path: string): ApiPath | Error | undefined {
  let split: ApiPath | undefined;
  try {
    split = splitApiPath(path);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  return split && split.rest.length > 0 ? split : undefined;
}

async function serveResource(
  deps: ResourceMiddlewareDeps,
  req: IncomingMessage,
  res: ServerResponse,
  split: ApiPath | Error,
): Promise<void> {
  const url = req.url ?? '';
  const method = req.method ?? '';
  const query = new URL(url, 'http://apiserver').searchParams;
  let info: ResourceRequest | undefined;
  let route: Route | undefined;
  let release: (() => void) | undefined;
  const endTimer = deps.metrics.requestDuration.startTimer();
  try {
    if (split instanceof Error) throw split;
    info = parseResourcePath(deps.kinds, split.group, split.version, split.rest);
    route = routeFor(info, method, query);
    if (!route.longRunning) release = deps.limiter.acquire(method);
    const user = await deps.authenticator(req);
    if (!user) throw apiErrors.unauthorized();
    const decision = await deps.authorizer({
      user,
      verb: route.verb,
      group: info.kind.group,
      resource: info.kind.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      name: info.name,
    });
    if (!decision.allowed) {
      const where = info.namespace
        ? ` in the namespace "${info.namespace}"`
        : ' at the cluster scope';
      throw apiErrors.forbidden(
        { group: info.kind.group, resource: info.kind.resource },
        info.name ?? '',
        `User "${user.username}" cannot ${route.verb} resource "${info.kind.resource}" in API group "${info.kind.group}"${where}${decision.reason ? `: ${decision.reason}` : ''}`,
      );
    }
    const registry = deps.context.registries.forKind(info.kind);
    await route.handler({ req, res, info, registry, query, server: deps.context });
  } catch (err) {
    sendError(res, err, deps.log, `${method} ${url}`);
  } finally {
    release?.();
    const labels = {
      verb: (route?.verb ?? method).toUpperCase(),
      group: info?.kind.group ?? '',
      resource: info?.kind.resource ?? '',
      subresource: info?.subresource ?? '',
    };
    deps.metrics.requests.inc({ ...labels, code: String(res.statusCode) });
    if (!route?.longRunning) endTimer(labels);
  }
}
