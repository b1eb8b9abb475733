// The event handlers the Endpoints and EndpointSlice controllers share: every change to a
// service, or to a pod a service selects, puts that service's key on the queue.
import type { Pod, Service } from '@skiff/api';
import type { Lister } from '@skiff/client';
import { requestOf, type WorkSink } from '../controller/types.js';
import { servicesForPodUpdate, servicesSelecting } from './service-pods.js';

export abstract class ServiceEndpointsHandlers {
  constructor(
    private readonly serviceLister: Lister<Service>,
    private readonly sink: WorkSink,
  ) {}

  onServiceChange(service: Readonly<Service>): void {
    this.sink.enqueue(requestOf(service));
  }

  onPodAdd(pod: Readonly<Pod>): void {
    for (const svc of servicesSelecting(this.serviceLister, pod)) this.onServiceChange(svc);
  }

  onPodUpdate(old: Readonly<Pod>, cur: Readonly<Pod>): void {
    for (const svc of servicesForPodUpdate(this.serviceLister, old, cur)) this.onServiceChange(svc);
  }

  onPodDelete(pod: Readonly<Pod>): void {
    this.onPodAdd(pod);
  }
}
