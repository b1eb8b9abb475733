// The options of each verb and how they become query parameters. Every verb takes a `signal`,
// so a controller that is shutting down (or a reconcile that was cancelled) stops waiting at
// once instead of holding the process open.
import type { DeleteOptions as DeleteOptionsBody } from '@skiff/api';
import { FieldSelector, Selector, escapeValue } from '@skiff/api';

export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** `app=web,tier!=db`, a parsed Selector, or a map of labels that must all match. */
export type LabelSelectorInput = string | Selector | Readonly<Record<string, string>>;
/** `spec.nodeName=node-1`, a parsed FieldSelector, or a map of fields that must all match. */
export type FieldSelectorInput = string | FieldSelector | Readonly<Record<string, string>>;

export interface SelectorOptions extends CallOptions {
  readonly labelSelector?: LabelSelectorInput;
  readonly fieldSelector?: FieldSelectorInput;
}

export interface ListOptions extends SelectorOptions {
  /** At most this many items; the list's metadata.continue fetches the next page. */
  readonly limit?: number;
  readonly continue?: string;
  /** `""` (default) reads the latest state; `"0"` accepts the apiserver's cache. */
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  readonly timeoutSeconds?: number;
}

export interface WatchOptions extends SelectorOptions {
  /** Events after this version; omitted, the server first sends ADDED for everything there. */
  readonly resourceVersion?: string;
  /** Ask for BOOKMARK events, so a resumed watch starts from a recent version. */
  readonly allowWatchBookmarks?: boolean;
  /** The server ends the stream after this long. */
  readonly timeoutSeconds?: number;
}

export interface GetOptions extends CallOptions {
  readonly resourceVersion?: string;
}

export interface WriteOptions extends CallOptions {
  /** Validate and answer as if written, without writing. */
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
  readonly fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export type PatchType = 'json' | 'merge' | 'strategic';

export const patchContentTypes: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export interface PatchOptions extends WriteOptions {
  /** JSON Patch (RFC 6902), JSON merge patch (RFC 7386) or Kubernetes' strategic merge. */
  readonly type: PatchType;
  readonly subresource?: string;
}

export interface DeleteOptions
  extends CallOptions, Omit<DeleteOptionsBody, 'kind' | 'apiVersion' | 'dryRun'> {
  readonly dryRun?: boolean;
}

export type DeleteCollectionOptions = DeleteOptions & Omit<ListOptions, 'signal'>;

export function listQuery(options: ListOptions = {}): URLSearchParams {
  const query = selectorQuery(options);
  setIf(query, 'limit', options.limit);
  setIf(query, 'continue', options.continue);
  setIf(query, 'resourceVersion', options.resourceVersion);
  setIf(query, 'resourceVersionMatch', options.resourceVersionMatch);
  setIf(query, 'timeoutSeconds', options.timeoutSeconds);
  return query;
}

export function watchQuery(options: WatchOptions = {}): URLSearchParams {
  const query = selectorQuery(options);
  query.set('watch', 'true');
  setIf(query, 'resourceVersion', options.resourceVersion);
  if (options.allowWatchBookmarks) query.set('allowWatchBookmarks', 'true');
  setIf(query, 'timeoutSeconds', options.timeoutSeconds);
  return query;
}

export function getQuery(options: GetOptions = {}): URLSearchParams {
  const query = new URLSearchParams();
  setIf(query, 'resourceVersion', options.resourceVersion);
  return query;
}

export function writeQuery(options: WriteOptions = {}): URLSearchParams {
  const query = new URLSearchParams();
  if (options.dryRun) query.set('dryRun', 'All');
  setIf(query, 'fieldManager', options.fieldManager);
  setIf(query, 'fieldValidation', options.fieldValidation);
  return query;
}

/** The DeleteOptions body Kubernetes expects (the query form is for curl). */
export function deleteBody(options: DeleteOptions = {}): DeleteOptionsBody {
  const { gracePeriodSeconds, preconditions, orphanDependents, propagationPolicy } = options;
  return {
    kind: 'DeleteOptions',
    apiVersion: 'v1',
    ...(gracePeriodSeconds !== undefined && { gracePeriodSeconds }),
    ...(preconditions !== undefined && { preconditions }),
    ...(orphanDependents !== undefined && { orphanDependents }),
    ...(propagationPolicy !== undefined && { propagationPolicy }),
    ...(options.dryRun && { dryRun: ['All'] }),
  };
}

export function labelSelectorString(input: LabelSelectorInput): string {
  if (typeof input === 'string') return input;
  if (input instanceof Selector) {
    // Printed, "nothing" would read as "" — which the server takes as "everything".
    if (input.isNothing()) throw new Error('a label selector that matches nothing cannot be sent');
    return input.toString();
  }
  return setString(input);
}

export function fieldSelectorString(input: FieldSelectorInput): string {
  if (typeof input === 'string') return input;
  if (input instanceof FieldSelector) return input.toString();
  return setString(input, escapeValue);
}

function selectorQuery(options: SelectorOptions): URLSearchParams {
  const query = new URLSearchParams();
  if (options.labelSelector !== undefined) {
    const selector = labelSelectorString(options.labelSelector);
    if (selector) query.set('labelSelector', selector);
  }
  if (options.fieldSelector !== undefined) {
    const selector = fieldSelectorString(options.fieldSelector);
    if (selector) query.set('fieldSelector', selector);
  }
  return query;
}

function setString(
  set: Readonly<Record<string, string>>,
  escape: (value: string) => string = (value) => value,
): string {
  return Object.entries(set)
    .map(([key, value]) => `${key}=${escape(value)}`)
    .join(',');
}

function setIf(query: URLSearchParams, key: string, value: string | number | undefined): void {
  if (value !== undefined && value !== '') query.set(key, String(value));
}
