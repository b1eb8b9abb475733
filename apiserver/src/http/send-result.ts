// The successful answer of a resource handler: the object or list as JSON (or protobuf, when
// the client prefers it), or — when the client asked for one, as kubectl get does — a meta/v1
// Table of it, always JSON.
import { sendProtobuf } from '../protobuf/http.js';
import { prefersProtobuf } from '../protobuf/media-types.js';
import { sendJson } from './respond.js';
import type { ResourceScope } from './scope.js';
import { tableRequest, toTable } from './table/to-table.js';

export function sendResult(scope: ResourceScope, code: number, body: unknown): void {
  const table = tableRequest(scope.req.headers.accept, scope.query);
  if (table && isTableable(body)) {
    sendJson(scope.res, code, toTable(body, scope.info.kind, scope.server.clock.now(), table));
    return;
  }
  if (prefersProtobuf(scope.req.headers.accept) && sendProtobuf(scope.res, code, body)) return;
  sendJson(scope.res, code, body);
}

function isTableable(body: unknown): body is { metadata: object } & Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return false;
  const kind = (body as { kind?: unknown }).kind;
  return kind !== 'Status' && 'metadata' in body;
}
