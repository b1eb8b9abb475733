// kubectl events' own printer: LAST SEEN, TYPE, REASON, OBJECT (kind/name), MESSAGE, with
// NAMESPACE first across all namespaces; events ordered by when they were last seen.
import type { Event } from '@skiff/api';
import { eventInterval } from './describe/events.js';

export interface EventRowsOptions {
  readonly allNamespaces: boolean;
  readonly headers: boolean;
}

export function eventRows(
  events: readonly Event[],
  options: EventRowsOptions,
  now: number,
): string {
  let text = '';
  if (options.headers)
    text += `${options.allNamespaces ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`;
  for (const e of events) {
    if (options.allNamespaces) text += `${e.metadata.namespace ?? ''}\t`;
    const object = `${cell(e.involvedObject.kind ?? '')}/${cell(e.involvedObject.name ?? '')}`;
    text += `${eventInterval(e, now)}\t${e.type ?? ''}\t${e.reason ?? ''}\t${object}\t${(e.message ?? '').trim()}\n`;
  }
  return text;
}

/** A cell ends at its first line break, marked `...`, so a row stays one line. */
function cell(text: string): string {
  const cut = text.search(/[\f\n\r]/);
  return cut >= 0 ? `${text.slice(0, cut)}...` : text;
}

/** When the event was last seen: its series', else lastTimestamp, else eventTime. */
function lastSeen(e: Event): number {
  const at = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime;
  return at ? Date.parse(at) : 0;
}

export function byLastSeen(events: readonly Event[]): Event[] {
  return [...events].sort((a, b) => lastSeen(a) - lastSeen(b));
}
