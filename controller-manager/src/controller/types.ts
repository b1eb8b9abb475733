// What every controller here is given, so each can be built from the manager in production and
// from listers seeded by hand (or the fake client) in unit tests.
import type { Clock } from '@skiff/api';
import type { EventRecorder, Request } from '@skiff/client';

/** Where event handlers put work: the controller's queue of keys. */
export interface WorkSink {
  enqueue(request: Request): void;
  /** Enqueue later, e.g. when a pod will have been ready for minReadySeconds. */
  enqueueAfter(request: Request, ms: number): void;
}

export type Recorder = Pick<EventRecorder, 'event'>;

export interface ControllerContext {
  readonly clock: Clock;
  readonly recorder: Recorder;
  readonly log: (message: string) => void;
}

/** The request naming a namespaced object. */
export function requestOf(
  obj: Readonly<{ metadata: { namespace?: string; name?: string } }>,
): Request {
  return { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}
