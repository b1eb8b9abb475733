// Which fields each kind can be selected by, and how to read them from an object. Every kind
// has metadata.name and metadata.namespace; a few kinds add the fields their clients filter on
// (the kubelet lists pods by spec.nodeName, `kubectl get events` filters by involvedObject).
import type { Event, Namespace, Node, Pod, ReplicaSet, Secret } from '../types/index.js';
import { FieldSelector, FieldSelectorError, type Fields, parseFieldSelector } from './selector.js';

type FieldReader = (obj: unknown) => Fields;

/**
 * Objects reach selectors after schema validation, so their shape is their kind's type; the
 * one cast from `unknown` lives here.
 */
function reader<T>(read: (obj: T) => Fields): FieldReader {
  return (obj) => read(obj as T);
}

const kindFields: Readonly<Record<string, FieldReader>> = {
  Pod: reader((pod: Pod) => ({
    'spec.nodeName': pod.spec?.nodeName ?? '',
    'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec?.hostNetwork ?? false),
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '',
    'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
  })),
  Event: reader((event: Event) => {
    const involved = event.involvedObject ?? {};
    return {
      'involvedObject.kind': involved.kind ?? '',
      'involvedObject.namespace': involved.namespace ?? '',
      'involvedObject.name': involved.name ?? '',
      'involvedObject.uid': involved.uid ?? '',
      'involvedObject.apiVersion': involved.apiVersion ?? '',
      'involvedObject.resourceVersion': involved.resourceVersion ?? '',
      'involvedObject.fieldPath': involved.fieldPath ?? '',
      reason: event.reason ?? '',
      reportingComponent: event.reportingComponent ?? '',
      // Newer clients fill reportingComponent instead of source; Kubernetes falls back to it.
      source: event.source?.component || event.reportingComponent || '',
      type: event.type ?? '',
    };
  }),
  Secret: reader((secret: Secret) => ({ type: secret.type ?? '' })),
  Node: reader((node: Node) => ({
    'spec.unschedulable': String(node.spec?.unschedulable ?? false),
  })),
  Namespace: reader((ns: Namespace) => ({ 'status.phase': ns.status?.phase ?? '' })),
  ReplicaSet: reader((rs: ReplicaSet) => ({
    'status.replicas': String(rs.status?.replicas ?? 0),
  })),
};

const metaFields = reader((obj: { metadata?: { name?: string; namespace?: string } }) => ({
  'metadata.name': obj.metadata?.name ?? '',
  'metadata.namespace': obj.metadata?.namespace ?? '',
}));

/** Every selectable field of `kind` and its value in `obj`. */
export function fieldsOf(kind: string, obj: unknown): Fields {
  return { ...metaFields(obj), ...(kindFields[kind]?.(obj) ?? {}) };
}

const emptyObject = { metadata: {} };

/** The field labels `kind` supports, e.g. for `kubectl explain`-style help and error hints. */
export function supportedFieldLabels(kind: string): string[] {
  return Object.keys(fieldsOf(kind, emptyObject));
}

/** A field selector checked against one kind's field labels, ready to match its objects. */
export class KindFieldSelector {
  constructor(
    readonly kind: string,
    readonly selector: FieldSelector,
  ) {}

  matches(obj: unknown): boolean {
    return this.selector.isEverything() || this.selector.matchesFields(fieldsOf(this.kind, obj));
  }

  toString(): string {
    return this.selector.toString();
  }
}

/**
 * Parses `selector` (or takes a parsed one) for `kind`, rejecting fields the kind cannot be
 * selected by with Kubernetes' `field label not supported: <name>`.
 */
export function fieldSelectorForKind(
  kind: string,
  selector: string | FieldSelector,
): KindFieldSelector {
  const parsed = typeof selector === 'string' ? parseFieldSelector(selector) : selector;
  const supported = new Set(supportedFieldLabels(kind));
  for (const r of parsed.requirements()) {
    if (!supported.has(r.field)) {
      throw new FieldSelectorError(`field label not supported: ${r.field}`);
    }
  }
  return new KindFieldSelector(kind, parsed);
}
