// Which events count as "the same", for the three parts of correlation. The separator cannot
// occur in names, kinds or reasons, so two different tuples never make the same key.
import type { Event } from '@skiff/api';

const SEP = '\n';

function sourceAndObject(event: Event): string[] {
  const o = event.involvedObject;
  return [
    event.source?.component ?? '',
    event.source?.host ?? '',
    o.kind ?? '',
    o.namespace ?? '',
    o.name ?? '',
    o.uid ?? '',
    o.apiVersion ?? '',
  ];
}

/** Same object, type and reason: "similar" events, whatever their message. */
export function aggregateKey(event: Event): string {
  return [
    ...sourceAndObject(event),
    event.type ?? '',
    event.reason ?? '',
    event.reportingComponent ?? '',
    event.reportingInstance ?? '',
  ].join(SEP);
}

/** Similar and with the same message: a repeat, counted on one Event. */
export function eventKey(event: Event): string {
  return [
    ...sourceAndObject(event),
    event.involvedObject.fieldPath ?? '',
    event.type ?? '',
    event.reason ?? '',
    event.message ?? '',
  ].join(SEP);
}

/** One token bucket per reporting source and object. */
export function spamKey(event: Event): string {
  return sourceAndObject(event).join(SEP);
}
