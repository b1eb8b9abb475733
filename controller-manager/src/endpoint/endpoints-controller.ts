// The Endpoints controller (Kubernetes' pkg/controller/endpoint): one Endpoints object per
// Service with a selector, named like it, listing the selected pods (desiredSubsets). Pod and
// service changes only enqueue the service's key; a sync reads the caches, compares, and writes
// only when something changed. A service that is gone takes its Endpoints with it.
import { isDeepStrictEqual } from 'node:util';
import { isNotFound, errorMessage, type Endpoints, type Pod, type Service } from '@skiff/api';
import {
  requestKey,
  type Client,
  type Lister,
  type Reconciler,
  type Request,
  type Result,
} from '@skiff/client';
import { type ControllerContext, type Recorder, type WorkSink } from '../controller/types.js';
import { isHeadless, managesEndpoints, podsOf } from '../endpointutil/service-pods.js';
import { ServiceEndpointsHandlers } from '../endpointutil/service-handlers.js';

import { desiredSubsets } from './subsets.js';

/** Set on the Endpoints of a headless service, as Kubernetes does. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export interface EndpointsControllerOptions extends ControllerContext {
  readonly client: Pick<Client, 'endpoints'>;
  readonly pods: Lister<Pod>;
  readonly services: Lister<Service>;
  readonly endpoints: Lister<Endpoints>;
  readonly queue: WorkSink;
}

export class EndpointsController extends ServiceEndpointsHandlers implements Reconciler {
  private readonly recorder: Recorder;

  constructor(private readonly options: EndpointsControllerOptions) {
    super(options.services, options.queue);
    this.recorder = options.recorder;
  }

  async reconcile(request: Request, signal: AbortSignal): Promise<Result> {
    const namespace = request.namespace ?? '';
    const client = this.options.client.endpoints(namespace);
    const service = this.options.services.get(namespace, request.name);
    if (!service) {
      try {
        await client.delete(request.name, { signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return {};
    }
    if (!managesEndpoints(service)) return {};

    const subsets = desiredSubsets(service, podsOf(this.options.pods, service));
    const labels = endpointsLabels(service);
    const current = this.options.endpoints.get(namespace, request.name);
    if (
      current &&
      isDeepStrictEqual(current.subsets ?? [], subsets) &&
      isDeepStrictEqual(current.metadata.labels ?? {}, labels)
    ) {
      return {};
    }
    try {
      if (!current) {
        await client.create(
          {
            metadata: { name: request.name, namespace, ...(hasKeys(labels) && { labels }) },
            subsets,
          },
          { signal },
        );
      } else {
        const { labels: _old, ...meta } = current.metadata;
        await client.update(
          { ...current, metadata: { ...meta, ...(hasKeys(labels) && { labels }) }, subsets },
          { signal },
        );
      }
    } catch (err) {
      this.recorder.event(
        { ...service, apiVersion: 'v1', kind: 'Service' },
        'Warning',
        'FailedToUpdateEndpoint',
        `Failed to update endpoint ${requestKey(request)}: ${errorMessage(err)}`,
      );
      throw err;
    }
    return {};
  }

  // --- event handlers ----------------------------------------------------------------------

  /** Someone deleted an Endpoints object: its service writes it again. */
  onEndpointsDelete(endpoints: Readonly<Endpoints>): void {
    const service = this.options.services.get(
      endpoints.metadata.namespace ?? '',
      endpoints.metadata.name ?? '',
    );
    if (service) this.onServiceChange(service);
  }
}

/** The service's labels, plus the headless marker for a headless service. */
export function endpointsLabels(service: Readonly<Service>): Record<string, string> {
  const { [HEADLESS_LABEL]: _ignored, ...labels } = service.metadata.labels ?? {};
  return isHeadless(service) ? { ...labels, [HEADLESS_LABEL]: '' } : labels;
}

function hasKeys(obj: object): boolean {
  return Object.keys(obj).length > 0;
}
