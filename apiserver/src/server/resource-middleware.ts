// The resource request path as one middleware: route → in-flight limit → authn → authz →
// handler (which decodes, admits and writes through the registry), with the request metrics
// and the error→Status translation wrapped around all of it.
import type { NextFunction, Request, Response } from 'express';
import type { Authenticator, Authorizer } from '../http/auth.js';
import { apiErrors } from '../http/api-error.js';
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

export function resourceMiddleware(deps: ResourceMiddlewareDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const split = splitApiPathSafely(req.path);
    if (split === 'not-api') {
      next();
      return;
    }
    const query = new URL(req.originalUrl, 'http://apiserver').searchParams;
    let info: ResourceRequest | undefined;
    let route: Route | undefined;
    let release: (() => void) | undefined;
    const endTimer = deps.metrics.requestDuration.startTimer();
    try {
      if (split instanceof Error) throw split;
      info = parseResourcePath(deps.kinds, split.group, split.version, split.rest);
      route = routeFor(info, req.method, query);
      if (!route.longRunning) release = deps.limiter.acquire(req.method);
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
      sendError(res, err, deps.log, `${req.method} ${req.originalUrl}`);
    } finally {
      release?.();
      const labels = {
        verb: (route?.verb ?? req.method).toUpperCase(),
        group: info?.kind.group ?? '',
        resource: info?.kind.resource ?? '',
        subresource: info?.subresource ?? '',
      };
      deps.metrics.requests.inc({ ...labels, code: String(res.statusCode) });
      if (!route?.longRunning) endTimer(labels);
    }
  };
}

function splitApiPathSafely(
  path: string,
): NonNullable<ReturnType<typeof splitApiPath>> | 'not-api' | Error {
  try {
    return splitApiPath(path) ?? 'not-api';
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
