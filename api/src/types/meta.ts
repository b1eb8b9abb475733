// meta/v1: the envelope every object shares. Field names and shapes are Kubernetes' own, so a
// manifest or an API response decodes into these types unchanged.

/** An RFC 3339 timestamp such as `2024-05-01T12:00:00Z` (metav1.Time on the wire). */
export type Time = string;

/** An RFC 3339 timestamp with microseconds (metav1.MicroTime), used by events and leases. */
export type MicroTime = string;

/** A port, a percentage and similar fields accept either a number or a string (`80`, `"http"`, `"25%"`). */
export type IntOrString = number | string;

/** A resource quantity in its canonical string form: `"100m"`, `"1Gi"`, `"2"`. */
export type Quantity = string;

/** `cpu`, `memory`, `ephemeral-storage`, `pods`, … mapped to quantities. */
export type ResourceList = Record<string, Quantity>;

export interface TypeMeta {
  apiVersion?: string;
  kind?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: Time;
  deletionTimestamp?: Time;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  /** Server-side apply bookkeeping; skiff stores it untouched. */
  managedFields?: unknown[];
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values?: string[];
}

/** Both parts are ANDed; an empty selector matches everything, a null one nothing. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** metav1.Condition: the standard condition shape for newer APIs and custom resources. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: Time;
  reason: string;
  message: string;
}

/** A generic list response: `PodList`, `DeploymentList`, … all have this shape. */
export interface List<T> extends TypeMeta {
  metadata: ListMeta;
  items: T[];
}

export type StatusReason =
  | ''
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'Expired'
  | 'ServiceUnavailable';

export interface StatusCause {
  /** For validation errors, the FieldError type (`FieldValueRequired`, …). */
  reason?: string;
  message?: string;
  /** The field path in Kubernetes' notation: `spec.containers[0].image`. */
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The body of every error response (and of a successful delete of some kinds). */
export interface Status {
  apiVersion?: 'v1';
  kind?: 'Status';
  metadata?: ListMeta;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One line of a watch stream. For ERROR the object is a Status. */
export interface WatchEvent<T = unknown> {
  type: WatchEventType;
  object: T;
}

export interface TableColumnDefinition {
  name: string;
  /** An OpenAPI type: `string`, `integer`, `number`, `boolean`, `date`. */
  type: string;
  format: string;
  description: string;
  /** 0 is shown by default; higher priorities only with `-o wide`. */
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  /** The full object or its PartialObjectMetadata, as the client asked with includeObject. */
  object?: unknown;
}

/** What `kubectl get` asks for (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`). */
export interface Table {
  apiVersion?: 'meta.k8s.io/v1';
  kind?: 'Table';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export type DeletionPropagation = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions extends TypeMeta {
  gracePeriodSeconds?: number;
  preconditions?: Preconditions;
  orphanDependents?: boolean;
  propagationPolicy?: DeletionPropagation;
  dryRun?: string[];
}
