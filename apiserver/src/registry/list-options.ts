// The query parameters of a list or watch, parsed and checked once: selectors (against the
// kind's supported fields), paging and resourceVersion semantics. Malformed values are 400s.
import {
  fieldSelectorForKind,
  FieldSelectorError,
  fieldsOf,
  type Fields,
  parseSelector,
  SelectorParseError,
  type KindFieldSelector,
  type KindInfo,
  type Selector,
  apiErrors,
} from '@skiff/api';
import type { ApiObject } from './api-object.js';

export interface ListParams {
  readonly labelSelector: Selector;
  readonly fieldSelector: KindFieldSelector;
  /** 0: no limit. */
  readonly limit: number;
  readonly continueToken: string | undefined;
  /** `''` (most recent, consistent), `'0'` (any, may be cached) or a revision. */
  readonly resourceVersion: string;
  readonly resourceVersionMatch: 'NotOlderThan' | 'Exact' | undefined;
  readonly allowWatchBookmarks: boolean;
  readonly timeoutSeconds: number | undefined;
  readonly sendInitialEvents: boolean | undefined;
}

export function parseListParams(kind: KindInfo, query: URLSearchParams): ListParams {
  const resourceVersion = query.get('resourceVersion') ?? '';
  if (resourceVersion !== '') parseRevision(resourceVersion);
  const match = query.get('resourceVersionMatch') ?? '';
  if (match !== '' && match !== 'NotOlderThan' && match !== 'Exact') {
    throw apiErrors.badRequest(
      `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
    );
  }
  return {
    labelSelector: labelSelector(query.get('labelSelector') ?? ''),
    fieldSelector: fieldSelector(kind, query.get('fieldSelector') ?? ''),
    limit: nonNegativeInt(query, 'limit') ?? 0,
    continueToken: query.get('continue') || undefined,
    resourceVersion,
    resourceVersionMatch: match === '' ? undefined : match,
    allowWatchBookmarks: isTrue(query.get('allowWatchBookmarks')),
    timeoutSeconds: nonNegativeInt(query, 'timeoutSeconds'),
    sendInitialEvents: query.has('sendInitialEvents')
      ? isTrue(query.get('sendInitialEvents'))
      : undefined,
  };
}

/** A resourceVersion as a storage revision; 400 for anything that is not one. */
export function parseRevision(resourceVersion: string): number {
  const n = Number(resourceVersion);
  if (!/^\d+$/.test(resourceVersion) || !Number.isSafeInteger(n)) {
    throw apiErrors.badRequest(`invalid resource version: ${JSON.stringify(resourceVersion)}`);
  }
  return n;
}

export function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

function nonNegativeInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw apiErrors.badRequest(
      `${name}: invalid value ${JSON.stringify(raw)}: must be a non-negative integer`,
    );
  }
  return n;
}

function labelSelector(text: string): Selector {
  try {
    return parseSelector(text);
  } catch (err) {
    if (err instanceof SelectorParseError)
      throw apiErrors.badRequest(`invalid labelSelector: ${err.message}`);
    throw err;
  }
}

function fieldSelector(kind: KindInfo, text: string): KindFieldSelector {
  try {
    return fieldSelectorForKind(kind.kind, text);
  } catch (err) {
    if (err instanceof FieldSelectorError) throw apiErrors.badRequest(err.message);
    throw err;
  }
}

/**
 * Field values of objects that cannot change, computed once. The watch cache's records are frozen
 * and shared, and each event is tested against every watcher's selector (1,000 kubelets each
 * watching spec.nodeName=<node>): reading them per watcher allocated an object per watcher per
 * event and dominated the apiserver's CPU under watch load.
 */
const frozenFields = new WeakMap<object, Fields>();

function fieldsFor(kind: string, obj: ApiObject): Fields {
  if (!Object.isFrozen(obj)) return fieldsOf(kind, obj);
  let fields = frozenFields.get(obj);
  if (fields === undefined) {
    fields = fieldsOf(kind, obj);
    frozenFields.set(obj, fields);
  }
  return fields;
}

/** Whether an object passes both selectors. */
export function selects(
  params: Pick<ListParams, 'labelSelector' | 'fieldSelector'>,
  obj: ApiObject,
): boolean {
  if (!params.labelSelector.matches(obj.metadata.labels)) return false;
  const { selector, kind } = params.fieldSelector;
  return selector.isEverything() || selector.matchesFields(fieldsFor(kind, obj));
}
