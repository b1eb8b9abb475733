// Lists straight from storage, with Kubernetes' resourceVersion semantics:
//   ''            the latest state (a consistent read),
//   '0'           any recent state (the watch cache answers these when it is wired in),
//   N             at least as new as N (NotOlderThan) — or exactly N with resourceVersionMatch=Exact.
// Pages (limit/continue) all read the revision of the first page, so a paginated list is one
// snapshot even while writes continue; a compacted snapshot is 410 Expired.
import type { List } from '@skiff/api';
import { apiErrors } from '@skiff/api';
import { isStorageError } from '../storage/index.js';
import type { ApiObject } from './api-object.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { type ListParams, parseRevision, selects } from './list-options.js';
import type { Registry } from './registry.js';
import { toApiError } from './storage-errors.js';

/** How many keys one storage read fetches when a selector may filter most of them out. */
const SCAN_PAGE = 500;

/**
 * Where a list may take an object already decoded (and frozen) instead of decoding the stored
 * bytes: the watch cache's copy when it holds exactly that revision. Its objects carry their
 * protobuf encodings once made, so a list read from storage costs neither a parse nor an
 * encoding per object per request (kube-apiserver serves protobuf from its stored bytes; this
 * is our way to the same cost). Callers that modify what they list must not pass one.
 */
export type SharedObjects = (key: string, modRevision: number) => ApiObject | undefined;

export async function listObjects(
  registry: Registry,
  namespace: string | undefined,
  params: ListParams,
  shared?: SharedObjects,
): Promise<List<ApiObject>> {
  const storage = registry.storage;
  const prefix = registry.prefix(namespace);
  let revision: number | undefined;
  let startAfter: string | undefined;

  if (params.continueToken) {
    const point = decodeContinue(params.continueToken);
    revision = point.revision;
    startAfter = prefix + point.after;
  } else if (params.resourceVersion !== '' && params.resourceVersion !== '0') {
    const wanted = parseRevision(params.resourceVersion);
    if (params.resourceVersionMatch === 'Exact') revision = wanted;
    else {
      const current = await storage.currentRevision();
      if (wanted > current) throw apiErrors.tooLargeResourceVersion(wanted, current);
    }
  } else if (params.resourceVersionMatch === 'Exact') {
    throw apiErrors.badRequest(
      'resourceVersionMatch "Exact" is forbidden for resourceVersion "0" or ""',
    );
  }

  const items: ApiObject[] = [];
  let lastKey: string | undefined;
  let more = false;
  for (;;) {
    const pageSize = params.limit > 0 ? Math.max(params.limit - items.length, 1) : SCAN_PAGE;
    const page = await readPage(
      registry,
      prefix,
      { revision, startAfter, limit: pageSize },
      params,
    );
    revision = page.revision;
    let consumed = 0;
    for (const kv of page.items) {
      consumed++;
      lastKey = kv.key;
      const obj = shared?.(kv.key, kv.modRevision) ?? registry.decode(kv);
      if (selects(params, obj)) items.push(obj);
      if (params.limit > 0 && items.length >= params.limit) break;
    }
    more = page.more || consumed < page.items.length;
    if (!page.more || (params.limit > 0 && items.length >= params.limit)) break;
    startAfter = lastKey;
  }

  const metadata: List<ApiObject>['metadata'] = { resourceVersion: String(revision) };
  if (params.limit > 0 && more && lastKey !== undefined) {
    metadata.continue = encodeContinue({ revision, after: lastKey.slice(prefix.length) });
  }
  return {
    kind: registry.kind.listKind,
    apiVersion: registry.kind.apiVersion,
    metadata,
    items,
  };
}

async function readPage(
  registry: Registry,
  prefix: string,
  options: { revision: number | undefined; startAfter: string | undefined; limit: number },
  params: ListParams,
): ReturnType<Registry['storage']['list']> {
  try {
    return await registry.storage.list(prefix, options);
  } catch (err) {
    if (isStorageError(err, 'Compacted')) {
      throw apiErrors.expired(
        params.continueToken
          ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'
          : `The resourceVersion for the provided list is too old: ${params.resourceVersion}`,
      );
    }
    if (isStorageError(err, 'FutureRevision') && options.revision !== undefined) {
      const current = await registry.storage.currentRevision();
      throw apiErrors.tooLargeResourceVersion(options.revision, current);
    }
    throw toApiError(err, registry.groupResource, '');
  }
}
