// Reads a request body into memory with a hard size cap. Kubernetes refuses bodies over 3 MiB
// with 413 before decoding them; checking Content-Length first spares reading a huge upload, and
// counting bytes as they arrive catches chunked bodies that lie or say nothing.
import type { IncomingMessage } from 'node:http';
import { apiErrors } from './api-error.js';

/** Kubernetes' default max request body size (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limitBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume(); // drain so the connection can answer and be reused
    throw apiErrors.tooLarge(limitBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buf.length;
    if (total > limitBytes) {
      req.resume();
      throw apiErrors.tooLarge(limitBytes);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
