// Writes responses: JSON, or protobuf for clients that prefer it (../protobuf/); a client that
// asks for a meta/v1 Table (kubectl get) gets one built by ./table/.
import type { ServerResponse } from 'node:http';
import type { Status } from '@skiff/api';
import { sendProtobuf } from '../protobuf/http.js';
import { prefersProtobuf } from '../protobuf/media-types.js';

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = code;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: Status & { code: number }): void {
  if (status.code === 429 && status.details?.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(status.details.retryAfterSeconds));
  }
  // Errors go out in the encoding the client asked for, as Kubernetes' do.
  if (prefersProtobuf(res.req?.headers.accept) && sendProtobuf(res, status.code, status)) return;
  sendJson(res, status.code, status);
}

/**
 * Warning headers as Kubernetes sends them (`299 - "text"`, one per warning); kubectl prints
 * each as `Warning: text`. Quotes and backslashes are escaped as in an HTTP quoted-string, and
 * anything outside printable ASCII (a field name may hold a newline) as \uXXXX, since a header
 * cannot carry it.
 */
export function setWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  res.setHeader(
    'Warning',
    warnings.map((text) => `299 - "${headerSafe(text)}"`),
  );
}

function headerSafe(text: string): string {
  return text.replace(/[\\"]|[^\x20-\x7e]/g, (c) =>
    c === '\\' || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The Success Status Kubernetes returns for deletes of most kinds and for bindings. */
export function successStatus(details: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
