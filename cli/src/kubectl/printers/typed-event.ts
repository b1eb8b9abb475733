// An Event as kubectl events prints it with -o json|yaml: not the server's JSON but Go's
// corev1.Event struct encoded again — its fields in struct order, the ones without omitempty
// present even when empty (eventTime: null, reportingComponent: "", source: {}), and the list
// an EventList with empty list metadata. managedFields are left out, as kubectl hides them.
import type { Event, ObjectMeta, ObjectReference } from '@skiff/api';

type Json = Record<string, unknown>;

/** Keeps the keys whose value is set, in the order given (Go's omitempty on a struct's fields). */
function present(fields: Json): Json {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined && v !== '' && v !== 0),
  );
}

function objectMeta(m: ObjectMeta): Json {
  return {
    ...present({
      name: m.name,
      generateName: m.generateName,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      generation: m.generation,
    }),
    creationTimestamp: m.creationTimestamp ?? null,
    ...present({
      deletionTimestamp: m.deletionTimestamp,
      deletionGracePeriodSeconds: m.deletionGracePeriodSeconds,
      labels: m.labels,
      annotations: m.annotations,
      ownerReferences: m.ownerReferences,
      finalizers: m.finalizers,
    }),
  };
}

function reference(r: ObjectReference): Json {
  return present({
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    uid: r.uid,
    apiVersion: r.apiVersion,
    resourceVersion: r.resourceVersion,
    fieldPath: r.fieldPath,
  });
}

export function typedEvent(e: Event): Json {
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: objectMeta(e.metadata),
    involvedObject: reference(e.involvedObject),
    ...present({ reason: e.reason, message: e.message }),
    source: present({ component: e.source?.component, host: e.source?.host }),
    firstTimestamp: e.firstTimestamp ?? null,
    lastTimestamp: e.lastTimestamp ?? null,
    ...present({ count: e.count, type: e.type }),
    eventTime: e.eventTime ?? null,
    ...present({
      series: e.series
        ? present({ count: e.series.count, lastObservedTime: e.series.lastObservedTime })
        : undefined,
      action: e.action,
      related: e.related ? reference(e.related) : undefined,
    }),
    reportingComponent: e.reportingComponent ?? '',
    reportingInstance: e.reportingInstance ?? '',
  };
}

export function typedEventList(events: readonly Event[]): Json {
  return { kind: 'EventList', apiVersion: 'v1', metadata: {}, items: events.map(typedEvent) };
}
