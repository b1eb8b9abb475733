// Sample-controller style unit tests: listers seeded by hand (what the informers would hold),
// the fake client for writes, a fake clock, and a recorder that keeps events. Tests call the
// controller's reconcile for a key and assert on the client's recorded actions.
import { FakeClock } from '@skiff/api/testing';
import { Indexer, Lister, type KubeObject, type Request } from '@skiff/client';
import { createFakeClient, type FakeClient } from '@skiff/client/testing';
import type { ControllerContext, Recorder, WorkSink } from '../controller/types.js';

export interface RecordedEvent {
  readonly object: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

/** A lister over exactly these objects. */
export function listerOf<T extends KubeObject>(objects: readonly T[]): Lister<T> {
  return seededLister(objects).lister;
}

/** A lister and the indexer behind it, for tests that play the informer delivering more. */
export function seededLister<T extends KubeObject>(
  objects: readonly T[],
): { lister: Lister<T>; indexer: Indexer<T> } {
  const indexer = new Indexer<T>();
  for (const obj of objects) indexer.set(obj);
  return { lister: new Lister(indexer), indexer };
}

export interface UnitFixture {
  readonly client: FakeClient;
  readonly clock: FakeClock;
  readonly events: RecordedEvent[];
  /** What the handlers enqueued: `ns/name`, with a delay for enqueueAfter. */
  readonly queued: string[];
  readonly queue: WorkSink;
  readonly context: ControllerContext;
  readonly signal: AbortSignal;
}

export function unitFixture(objects: readonly KubeObject[] = []): UnitFixture {
  const clock = new FakeClock();
  const client = createFakeClient({ objects, clock });
  const events: RecordedEvent[] = [];
  const queued: string[] = [];
  const keyOf = (r: Request): string => `${r.namespace ?? ''}/${r.name}`;
  const recorder: Recorder = {
    event: (object, type, reason, message) =>
      events.push({
        object: `${object.kind ?? ''}/${object.metadata?.name ?? ''}`,
        type,
        reason,
        message,
      }),
  };
  return {
    client,
    clock,
    events,
    queued,
    queue: {
      enqueue: (r) => queued.push(keyOf(r)),
      enqueueAfter: (r, ms) => queued.push(`${keyOf(r)} after ${ms}ms`),
    },
    context: { clock, recorder, log: () => undefined },
    signal: new AbortController().signal,
  };
}
