// Building a core/v1 Event the way client-go's record package does: it lives in the namespace
// of the object it is about ("default" for cluster-scoped ones), refers to that object by kind,
// apiVersion, name, uid and resourceVersion, and is named `<object name>.<hex nanoseconds>`.
import type { Event, ObjectReference, Time } from '@skiff/api';
import type { KubeObject } from '../rest/resource-client.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSourceInfo {
  /** Who reports, e.g. `deployment-controller`. */
  readonly component: string;
  /** Which instance of it, e.g. the node or pod name. */
  readonly host?: string;
}

/** The involvedObject for an object; throws when it cannot say what the object is. */
export function referenceTo(object: KubeObject): ObjectReference {
  const { apiVersion, kind, metadata } = object;
  const name = metadata?.name;
  if (!name) throw new Error('the object has no metadata.name');
  if (!apiVersion || !kind) throw new Error(`${name} has no apiVersion and kind to refer to it by`);
  return {
    kind,
    apiVersion,
    name,
    ...(metadata.namespace && { namespace: metadata.namespace }),
    ...(metadata.uid && { uid: metadata.uid }),
    ...(metadata.resourceVersion && { resourceVersion: metadata.resourceVersion }),
  };
}

/**
 * Event names must be unique, and client-go makes them from nanosecond time. We only have
 * milliseconds, so events in the same millisecond get the following nanoseconds instead.
 */
export class EventNamer {
  private lastNanos = 0n;

  name(objectName: string, nowMs: number): string {
    let nanos = BigInt(Math.trunc(nowMs)) * 1_000_000n;
    if (nanos <= this.lastNanos) nanos = this.lastNanos + 1n;
    this.lastNanos = nanos;
    return `${objectName}.${nanos.toString(16)}`;
  }
}

export interface EventFacts {
  readonly involvedObject: ObjectReference;
  readonly source: EventSourceInfo;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

export function makeEvent(facts: EventFacts, name: string, nowMs: number): Event {
  const { involvedObject, source, type, reason, message } = facts;
  const time = rfc3339(nowMs);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: involvedObject.namespace || 'default' },
    involvedObject,
    reason,
    message,
    type,
    source: { component: source.component, ...(source.host && { host: source.host }) },
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
  };
}

/** metav1.Time on the wire: RFC 3339 to the second. */
export function rfc3339(ms: number): Time {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
