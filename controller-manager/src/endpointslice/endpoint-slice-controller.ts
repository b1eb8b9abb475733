// The EndpointSlice controller (Kubernetes' pkg/controller/endpointslice): for every Service
// with a selector, EndpointSlices labelled `kubernetes.io/service-name` and managed-by
// `endpointslice-controller.k8s.io`, owned by the Service, holding each selected pod as an
// endpoint with ready/serving/terminating conditions, at most maxEndpointsPerSlice per slice.
// A sync computes the desired endpoints, plans the fewest writes (plan.ts) and makes them;
// a cache that has not seen this controller's own writes yet makes it wait (slice-tracker.ts).
import { isDeepStrictEqual } from 'node:util';
import {
  isNotFound,
  errorMessage,
  type Endpoint,
  type EndpointSlice,
  type EndpointSlicePort,
  type Pod,
  type Service,
} from '@skiff/api';
import {
  controllerReference,
  requestKey,
  type Client,
  type Lister,
  type Reconciler,
  type Request,
  type Result,
} from '@skiff/client';
import { type ControllerContext, type Recorder, type WorkSink } from '../controller/types.js';
import {
  isHeadless,
  managesEndpoints,
  podsOf,
  serviceFamily,
} from '../endpointutil/service-pods.js';
import { ServiceEndpointsHandlers } from '../endpointutil/service-handlers.js';

import { desiredEndpoints } from './desired.js';
import { planSlices } from './plan.js';
import { EndpointSliceTracker } from './slice-tracker.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** --max-endpoints-per-slice's default. */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface EndpointSliceControllerOptions extends ControllerContext {
  readonly client: Pick<Client, 'endpointSlices'>;
  readonly pods: Lister<Pod>;
  readonly services: Lister<Service>;
  readonly endpointSlices: Lister<EndpointSlice>;
  readonly queue: WorkSink;
  readonly maxEndpointsPerSlice?: number;
}

export class StaleInformerCacheError extends Error {}

export class EndpointSliceController extends ServiceEndpointsHandlers implements Reconciler {
  readonly tracker = new EndpointSliceTracker();
  private readonly maxPerSlice: number;
  private readonly recorder: Recorder;

  constructor(private readonly options: EndpointSliceControllerOptions) {
    super(options.services, options.queue);
    this.maxPerSlice = options.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
    this.recorder = options.recorder;
  }

  async reconcile(request: Request, signal: AbortSignal): Promise<Result> {
    const key = requestKey(request);
    const namespace = request.namespace ?? '';
    const existing = this.managedSlices(namespace, request.name);
    if (!this.tracker.cacheCaughtUp(key, existing)) {
      throw new StaleInformerCacheError(`${key}: EndpointSlice informer cache is out of date`);
    }
    const service = this.options.services.get(namespace, request.name);
    // Kubernetes leaves the slices of a deleted service to the garbage collector (they are owned
    // by it); deleting them here does the same job without depending on one.
    if (!service || service.spec?.type === 'ExternalName') {
      await this.deleteSlices(key, existing, signal);
      return {};
    }
    // Without a selector, someone else writes this service's slices.
    if (!managesEndpoints(service)) return {};
    const desired = desiredEndpoints(service, podsOf(this.options.pods, service));
    const labels = sliceLabels(service);
    const owner = controllerReference({ ...service, apiVersion: 'v1', kind: 'Service' });
    const addressType = serviceFamily(service) === 6 ? 'IPv6' : 'IPv4';
    const newSlice = (ports: EndpointSlicePort[], endpoints: Endpoint[]): EndpointSlice => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: `${service.metadata.name ?? ''}-`,
        namespace,
        labels,
        ownerReferences: [owner],
      },
      addressType,
      endpoints,
      ports,
    });
    // Slices of another address family (the service changed family) are replaced.
    const sameFamily = existing.filter((s) => s.addressType === addressType);
    const plan = planSlices(sameFamily, desired, this.maxPerSlice, newSlice);
    const updates = new Map(plan.update.map((s) => [s.metadata.name ?? '', s]));
    for (const slice of sameFamily) {
      // Labels follow the service's, even where the endpoints did not change.
      const name = slice.metadata.name ?? '';
      if (plan.delete.includes(slice) || isDeepStrictEqual(slice.metadata.labels ?? {}, labels))
        continue;
      updates.set(name, { ...(updates.get(name) ?? slice) });
    }
    const client = this.options.client.endpointSlices(namespace);
    try {
      for (const slice of plan.create) {
        this.tracker.written(key, await client.create(slice, { signal }));
      }
      for (const slice of updates.values()) {
        const next = { ...slice, metadata: { ...slice.metadata, labels } };
        this.tracker.written(key, await client.update(next, { signal }));
      }
      await this.deleteSlices(
        key,
        [...plan.delete, ...existing.filter((s) => s.addressType !== addressType)],
        signal,
      );
    } catch (err) {
      this.recorder.event(
        { ...service, apiVersion: 'v1', kind: 'Service' },
        'Warning',
        'FailedToUpdateEndpointSlices',
        `Error updating Endpoint Slices for Service ${key}: ${errorMessage(err)}`,
      );
      throw err;
    }
    return {};
  }

  private managedSlices(namespace: string, service: string): Readonly<EndpointSlice>[] {
    return this.options.endpointSlices
      .namespace(namespace)
      .list({ [SERVICE_NAME_LABEL]: service, [MANAGED_BY_LABEL]: CONTROLLER_NAME });
  }

  private async deleteSlices(
    key: string,
    slices: readonly Readonly<EndpointSlice>[],
    signal: AbortSignal,
  ): Promise<void> {
    for (const slice of slices) {
      const name = slice.metadata.name ?? '';
      try {
        await this.options.client.endpointSlices(slice.metadata.namespace).delete(name, { signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.tracker.deleted(key, name);
    }
  }

  // --- event handlers ----------------------------------------------------------------------

  /** A slice of ours changed or went away: its service checks it (someone may have edited it). */
  /** A slice added or changed: its service syncs, unless this is its own write coming back. */
  onSliceChange(slice: Readonly<EndpointSlice>): void {
    const service = managingService(slice);
    if (service && this.tracker.shouldSync(requestKey(service), slice)) {
      this.options.queue.enqueue(service);
    }
  }

  onSliceDelete(slice: Readonly<EndpointSlice>): void {
    const service = managingService(slice);
    if (service) this.options.queue.enqueue(service);
  }
}

/** The service whose slice this is, when this controller manages it. */
function managingService(slice: Readonly<EndpointSlice>): Request | undefined {
  const labels = slice.metadata.labels ?? {};
  const name = labels[SERVICE_NAME_LABEL];
  if (!name || labels[MANAGED_BY_LABEL] !== CONTROLLER_NAME) return undefined;
  return { namespace: slice.metadata.namespace ?? '', name };
}

/** The service's labels, plus the service name, the manager and the headless marker. */
export function sliceLabels(service: Readonly<Service>): Record<string, string> {
  const { [HEADLESS_LABEL]: _ignored, ...labels } = service.metadata.labels ?? {};
  return {
    ...labels,
    ...(isHeadless(service) && { [HEADLESS_LABEL]: '' }),
    [SERVICE_NAME_LABEL]: service.metadata.name ?? '',
    [MANAGED_BY_LABEL]: CONTROLLER_NAME,
  };
}
