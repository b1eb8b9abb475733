// What a resource handler gets: the request, the resource it addresses, the registry that
// serves that resource and the server-wide context.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, KindInfo } from '@skiff/api';
import type { Registry } from '../registry/registry.js';
import type { ResourceRequest } from '../routing/request-info.js';
import { apiErrors } from '@skiff/api';
import { decodeProtobufBody, servesProtobuf } from '../protobuf/http.js';
import { isProtobufContentType, PROTOBUF_MEDIA_TYPE } from '../protobuf/media-types.js';
import { bodyFormat, decodeBody } from './decode-body.js';
import { readBody } from './read-body.js';
import { unrecognizedObject } from './unrecognized-object.js';
import type { WatchTracker } from './watch-tracker.js';

export interface Registries {
  /** The registry serving a resource; for a custom resource, the version's (default: storage). */
  forKind(kind: Pick<KindInfo, 'group' | 'resource'> & { version?: string }): Registry;
  all(): Registry[];
}

export interface ServerContext {
  readonly clock: Clock;
  readonly registries: Registries;
  readonly watches: WatchTracker;
  readonly maxBodyBytes: number;
  /** How long a watch without timeoutSeconds may stay open, in seconds. */
  readonly maxWatchSeconds: number;
  /** How often a watch that asked for bookmarks gets one, in milliseconds. */
  readonly bookmarkIntervalMs: number;
}

export interface ResourceScope {
  // Plain node:http types: resource requests are served without express (see
  // ../server/resource-middleware.ts), so handlers must not rely on its additions.
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly info: ResourceRequest;
  readonly registry: Registry;
  readonly query: URLSearchParams;
  readonly server: ServerContext;
}

/**
 * Reads and decodes a JSON, YAML or (for built-in kinds) protobuf body; 415 for a Content-Type
 * the server cannot decode.
 */
export async function readObjectBody(scope: ResourceScope): Promise<unknown> {
  const contentType = scope.req.headers['content-type'];
  if (isProtobufContentType(contentType)) {
    const body = await readBody(scope.req, scope.server.maxBodyBytes);
    return decodeProtobufBody(body, scope.info.kind);
  }
  const format = bodyFormat(contentType);
  if (!format) {
    scope.req.resume();
    throw apiErrors.unsupportedMediaType(contentType ?? '', [
      'application/json',
      'application/yaml',
      ...(servesProtobuf(scope.info.kind) ? [PROTOBUF_MEDIA_TYPE] : []),
    ]);
  }
  const body = await readBody(scope.req, scope.server.maxBodyBytes);
  return decodeBody(body, format, (detail) =>
    unrecognizedObject(scope.info.kind.kind, body, detail),
  );
}

/**
 * True when the request body is protobuf: its decoder keeps only the kind's own fields, so the
 * registry need not look for unknown ones (see CreateOptions.knownFieldsOnly).
 */
export function bodyHasKnownFieldsOnly(scope: ResourceScope): boolean {
  return isProtobufContentType(scope.req.headers['content-type']);
}

/** Reads an optional body (DELETE options): undefined when the request has none. */
export async function readOptionalBody(scope: ResourceScope): Promise<unknown> {
  const body = await readBody(scope.req, scope.server.maxBodyBytes);
  if (body.toString('utf8').trim() === '') return undefined;
  if (isProtobufContentType(scope.req.headers['content-type'])) {
    return decodeProtobufBody(body, scope.info.kind);
  }
  const format = bodyFormat(scope.req.headers['content-type']) ?? 'json';
  return decodeBody(body, format);
}
