// createApiServer: assembles the request path — route → decode → authn → authz → admission →
// strategy → registry → encode — over one Storage, plus what runs beside it (bootstrap of the
// system namespaces and the kubernetes Service, event expiry) and the
// non-resource endpoints (discovery, OpenAPI, /version, health, /metrics).
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import {
  apiErrors,
  builtinKinds,
  errorMessage,
  realClock,
  type Clock,
  type KindInfo,
} from '@skiff/api';
import { AdmissionChain } from '../admission/chain.js';
import { defaultTolerationSeconds } from '../admission/default-toleration-seconds.js';
import { namespaceLifecycle } from '../admission/namespace-lifecycle.js';
import { cachedNamespaceLookup } from '../admission/namespace-lookup.js';
import {
  DEFAULT_NODE_PORT_RANGE,
  DEFAULT_SERVICE_CIDR,
  serviceAllocators,
} from '../allocators/service-ranges.js';
import {
  allowAll,
  allowAnonymousAdmin,
  type Authenticator,
  type Authorizer,
} from '../http/auth.js';
import { sendError, type Logger } from '../http/error-response.js';
import { sendStatus } from '../http/respond.js';
import {
  DEFAULT_IN_FLIGHT_LIMITS,
  InFlightLimiter,
  type InFlightLimits,
} from '../http/in-flight.js';
import { MAX_BODY_BYTES } from '../http/read-body.js';
import type { Registries, ServerContext } from '../http/scope.js';
import { WatchTracker } from '../http/watch-tracker.js';
import type { ApiObject } from '../registry/api-object.js';
import { Registry } from '../registry/registry.js';
import { strategyFor } from '../registry/strategies/index.js';
import { listPrefix, type Storage } from '../storage/index.js';
import { WatchCache } from '../watchcache/index.js';
import { decodeObject } from '../registry/codec.js';
import { CrdController } from '../crd/crd-controller.js';
import { CRD_GROUP_RESOURCE } from '../crd/kinds.js';
import { CustomResourceTable } from '../crd/custom-resource-table.js';
import { crdSchemaAdmission } from '../crd/schema-admission.js';
import { servedKinds } from '../routing/served-kinds.js';
import { metricsApi } from '../metrics-api/metrics-api.js';
import { repairServiceAllocations } from './allocation-repair.js';
import { bootstrapCluster } from './bootstrap.js';
import { DEFAULT_EVENT_TTL_MS, EventSweeper } from './event-ttl.js';
import { instrumentedStorage } from './instrumented-storage.js';
import { createMetrics, type ApiMetrics } from './metrics.js';
import { nonResourceRoutes } from './non-resource-routes.js';
import { resourceRequests } from './resource-middleware.js';
import { Readiness } from './readiness.js';
import { serveUpgradeRequests, type UpgradeRequests } from './upgrade-requests.js';

export interface ApiServerOptions {
  readonly storage: Storage;
  readonly clock?: Clock;
  /** Cluster IPs come from here (default 10.96.0.0/12); the first host address is `kubernetes`'s. */
  readonly serviceCidr?: string;
  readonly nodePortRange?: { readonly min: number; readonly max: number };
  readonly inFlight?: Partial<InFlightLimits>;
  /** Events are deleted this long after their last activity (default 1 h). */
  readonly eventTtlMs?: number;
  readonly maxBodyBytes?: number;
  /** Upper bound for a watch's timeoutSeconds, and the timeout of watches without one (1800). */
  readonly maxWatchSeconds?: number;
  readonly bookmarkIntervalMs?: number;
  readonly authenticator?: Authenticator;
  readonly authorizer?: Authorizer;
  /** Where unexpected errors are reported (default: stderr). */
  readonly log?: Logger;
  /**
   * Where expected, self-healing trouble is reported — a watch cache relisting after compaction,
   * a storage watch resuming (default: stderr). Kept apart from `log` so that an error there
   * always means a bug.
   */
  readonly warn?: Logger;
}

export interface ApiServer {
  readonly app: Express;
  readonly metrics: ApiMetrics;
  readonly registries: Registries;
  /** Bootstraps the store (idempotent) and starts background work; listen() calls it. */
  start(): Promise<void>;
  /** Starts, then listens; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** The base URL once listening, e.g. `http://127.0.0.1:6443`. */
  readonly url: string | undefined;
  /** Stops watches, background work and the listener. The storage is the caller's to close. */
  close(): Promise<void>;
}

/** Built-in kinds' registries, then those of the CRDs served at the moment. */
class RegistryTable implements Registries {
  private readonly byResource = new Map<string, Registry>();

  constructor(private readonly customResources: CustomResourceTable) {}

  add(registry: Registry): void {
    this.byResource.set(`${registry.kind.group}/${registry.kind.resource}`, registry);
  }

  forKind(kind: Pick<KindInfo, 'group' | 'resource'> & { version?: string }): Registry {
    const builtin = this.byResource.get(`${kind.group}/${kind.resource}`);
    if (builtin) return builtin;
    // A CRD deleted between routing and this lookup: its resource is gone, as for a new request.
    const custom = this.customResources.registryFor(kind);
    if (!custom) throw apiErrors.pathNotFound();
    return custom;
  }

  all(): Registry[] {
    return [...this.byResource.values(), ...this.customResources.registries()];
  }
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const clock = options.clock ?? realClock;
  const log: Logger = options.log ?? ((message) => process.stderr.write(`apiserver: ${message}\n`));
  const warn: Logger =
    options.warn ?? ((message) => process.stderr.write(`apiserver: warning: ${message}\n`));
  const serviceCidr = options.serviceCidr ?? DEFAULT_SERVICE_CIDR;
  const customResources = new CustomResourceTable();
  const kinds = servedKinds(customResources);
  const registries = new RegistryTable(customResources);
  const metrics = createMetrics(async () => countObjects(registries));
  const storage = instrumentedStorage(options.storage, metrics.storageDuration);
  const allocators = serviceAllocators(storage, clock, {
    serviceCidr,
    nodePorts: options.nodePortRange ?? DEFAULT_NODE_PORT_RANGE,
  });

  const lookupNamespace = cachedNamespaceLookup(() =>
    registries.forKind({ group: '', resource: 'namespaces' }),
  );
  const admission = new AdmissionChain(
    [defaultTolerationSeconds()],
    [namespaceLifecycle(lookupNamespace), crdSchemaAdmission()],
  );
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 60_000;
  const caches: WatchCache<ApiObject>[] = [];
  for (const kind of builtinKinds) {
    const strategy = strategyFor(kind, { serviceAllocators: allocators });
    const cache = new WatchCache<ApiObject>({
      storage,
      prefix: listPrefix(kind.resource),
      decode: decodeObject,
      clock,
      bookmarkIntervalMs,
      bookmarkOf: (resourceVersion) => ({
        kind: kind.kind,
        apiVersion: kind.apiVersion,
        metadata: { resourceVersion },
      }),
      warn,
    });
    caches.push(cache);
    registries.add(new Registry(kind, strategy, { storage, clock, admission, cache }));
  }
  const stopCaches = new AbortController();
  // Every cache listens on this one signal; the default limit of 10 listeners would warn.
  setMaxListeners(caches.length + 10, stopCaches.signal);

  const watches = new WatchTracker();
  watches.onChange((resource, count) => metrics.watchers.set({ resource }, count));
  const context: ServerContext = {
    clock,
    registries,
    watches,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    maxWatchSeconds: options.maxWatchSeconds ?? 1800,
    bookmarkIntervalMs,
  };
  const crdController = new CrdController({
    crds: registries.forKind(CRD_GROUP_RESOURCE),
    table: customResources,
    serving: { storage, clock, admission, bookmarkIntervalMs, log, warn },
    clock,
    log,
  });
  const readiness = new Readiness(storage);
  const eventSweeper = new EventSweeper(
    registries.forKind({ group: '', resource: 'events' }),
    clock,
    options.eventTtlMs ?? DEFAULT_EVENT_TTL_MS,
    log,
  );

  const resources = resourceRequests({
    context,
    kinds,
    metrics,
    limiter: new InFlightLimiter({ ...DEFAULT_IN_FLIGHT_LIMITS, ...options.inFlight }),
    authenticator: options.authenticator ?? allowAnonymousAdmin,
    authorizer: options.authorizer ?? allowAll,
    log,
  });
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // metrics.k8s.io is answered from the kubelets, not storage: ahead of the resource routes.
  const metricsRequests = metricsApi({
    nodes: () => registries.forKind({ group: '', resource: 'nodes' }),
    pods: () => registries.forKind({ group: '', resource: 'pods' }),
    authenticator: options.authenticator ?? allowAnonymousAdmin,
    authorizer: options.authorizer ?? allowAll,
    clock,
    log,
  });
  app.use((req, res, next) => metricsRequests.middleware(req, res, next));
  app.use((req, res, next) => resources.middleware(req, res, next));
  app.use(
    nonResourceRoutes({
      registries,
      kinds,
      customResourceDefinitions: () => customResources.definitions(),
      metrics,
      readiness,
      log,
    }),
  );
  // Anything else is a path Kubernetes does not have either: a 404 Status, not express's HTML.
  app.use((_req: Request, res: Response) => sendStatus(res, apiErrors.pathNotFound().status));
  // Errors express raises itself (a path parameter that is not valid percent-encoding is a 400)
  // become Statuses too, instead of express's HTML error page.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const clientError = (err as { status?: unknown } | undefined)?.status === 400;
    const message = errorMessage(err);
    sendError(
      res,
      clientError ? apiErrors.badRequest(message) : err,
      log,
      `${req.method} ${req.path}`,
    );
  });

  let server: Server | undefined;
  let upgrades: UpgradeRequests | undefined;
  let url: string | undefined;
  let starting: Promise<void> | undefined;
  let apiserverPort = 6443;

  const start = (): Promise<void> => {
    starting ??= (async () => {
      await bootstrapCluster(registries, { serviceCidr, apiserverPort });
      await repairServiceAllocations(
        registries.forKind({ group: '', resource: 'services' }),
        allocators,
      );
      for (const cache of caches) {
        cache
          .start(stopCaches.signal)
          .catch((err: unknown) => log(`watch cache ${cache.prefix} ended: ${String(err)}`));
      }
      await Promise.all(caches.map((cache) => cache.waitReady()));
      // Custom resources of stored CRDs are served before the server reports ready.
      await crdController.start(stopCaches.signal);
      eventSweeper.start();
      readiness.markSynced();
    })();
    return starting;
  };

  return {
    app,
    metrics,
    registries,
    start,
    get url() {
      return url;
    },
    async listen(port, host = '127.0.0.1') {
      apiserverPort = port === 0 ? apiserverPort : port;
      await start();
      // Resource requests go straight to the resource path; express serves the rest.
      const serve = (req: IncomingMessage, res: ServerResponse): void => {
        if (metricsRequests.serveRequest(req, res)) return;
        if (!resources.serveRequest(req, res)) app(req, res);
      };
      const listening = createServer(serve).listen(port, host);
      // exec, attach and port-forward ask to switch protocols: the same path serves them.
      upgrades = serveUpgradeRequests(listening, serve);
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once('listening', resolve);
        listening.once('error', reject);
      });
      const address = listening.address() as AddressInfo;
      url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
      return address;
    },
    async close() {
      eventSweeper.stop();
      watches.stopAll();
      stopCaches.abort();
      crdController.stop();
      customResources.removeAll();
      const listening = server;
      server = undefined;
      upgrades?.destroyAll();
      if (!listening) return;
      await new Promise<void>((resolve, reject) => {
        listening.close((err) => (err ? reject(err) : resolve()));
        listening.closeAllConnections();
      });
    },
  };
}

async function countObjects(registries: Registries): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const registry of registries.all()) {
    let count = 0;
    let startAfter: string | undefined;
    const prefix = registry.prefix(undefined);
    for (;;) {
      const page = await registry.storage.list(prefix, { limit: 1000, startAfter });
      count += page.items.length;
      const last = page.items.at(-1);
      if (!page.more || !last) break;
      startAfter = last.key;
    }
    counts.set(
      registry.kind.group
        ? `${registry.kind.resource}.${registry.kind.group}`
        : registry.kind.resource,
      count,
    );
  }
  return counts;
}
