// The Events section every describer ends with, and how kubectl finds the events: by a field
// selector on the object reference (name, namespace, and kind and uid when known), oldest last
// seen first, repeats shown as `5m (x3 over 10m)`.
import type { Event } from '@skiff/api';
import type { Connection } from '../connection.js';
import { since } from './fields.js';
import type { DescribeWriter } from './writer.js';

export interface InvolvedObject {
  readonly name: string;
  /** '' for cluster-scoped objects: then the events of every namespace are searched. */
  readonly namespace: string;
  /** Left out for pods, as kubectl leaves it out (their events may name the kind or not). */
  readonly kind?: string;
  readonly uid?: string;
}

const EVENTS = { group: '', version: 'v1', resource: 'events' };

export async function searchEvents(conn: Connection, ref: InvolvedObject): Promise<Event[]> {
  const fields: Record<string, string | undefined> = {
    'involvedObject.kind': ref.kind || undefined,
    'involvedObject.name': ref.name,
    'involvedObject.namespace': ref.namespace,
    'involvedObject.uid': ref.uid || undefined,
  };
  const fieldSelector = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const client = conn.resource<Event>(EVENTS, ref.namespace || undefined);
  return (await client.list({ fieldSelector })).items;
}

/** The first time an event happened (eventTime for new-style events, else firstTimestamp). */
function firstSeen(e: Event, now: number): string {
  return e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
}

/** kubectl's Age column: when it was last seen, and how often over how long. */
export function eventInterval(e: Event, now: number): string {
  const first = firstSeen(e, now);
  if (e.series)
    return `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

export function describeEvents(w: DescribeWriter, events: readonly Event[], now: number): void {
  if (events.length === 0) return w.write(0, 'Events:\t<none>\n');
  // kubectl's SortableEvents: by lastTimestamp, oldest first (events without one first).
  const sorted = [...events].sort(
    (a, b) => Date.parse(a.lastTimestamp ?? '0') - Date.parse(b.lastTimestamp ?? '0'),
  );
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const source = e.source?.component || e.reportingComponent || '';
    w.write(
      1,
      `${e.type ?? ''}\t${e.reason ?? ''}\t${eventInterval(e, now)}\t${source}\t${(e.message ?? '').trim()}\n`,
    );
  }
}
