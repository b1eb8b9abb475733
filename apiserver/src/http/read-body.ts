// Reads a request body into memory with a hard size cap. Kubernetes refuses bodies over 3 MiB
// with 413 before decoding them; checking Content-Length first spares reading a huge upload, and
// counting bytes as they arrive catches chunked bodies that lie or say nothing.
import type { IncomingMessage } from 'node:http';
import { apiErrors } from '@skiff/api';

/** Kubernetes' default max request body size (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

function tooLarge(limitBytes: number): Error {
  return apiErrors.requestEntityTooLarge(`limit is ${limitBytes}`);
}

export function readBody(req: IncomingMessage, limitBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume(); // drain so the connection can answer and be reused
    return Promise.reject(tooLarge(limitBytes));
  }
  // Plain 'data'/'end' listeners rather than `for await`: the async iterator costs a create
  // several promises and stream bookkeeping for what is nearly always a single chunk.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    req.on('data', (chunk: Buffer | string) => {
      if (settled) return; // draining an oversized body
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      total += buf.length;
      if (total > limitBytes) {
        settled = true;
        req.resume();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(buf);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    // A client that goes away mid-body ends the request without 'end'; the promise must still
    // settle. A complete body gets its 'end' (then 'close', which changes nothing).
    req.on('close', () => {
      if (settled || req.complete) return;
      settled = true;
      reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}
