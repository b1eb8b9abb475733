// When a failed request may be sent again, and after how long. The rule is client-go's: only
// retry what cannot do harm twice. A 429 was refused before the server did anything, so any
// verb may retry it, after the Retry-After the server asked for. A 5xx or a broken connection
// may have happened after the write was applied, so only reads (GET: get, list, the start of
// a watch) retry those; a create retried blindly could create twice.
import { backoffDelay } from '@skiff/api';
import type { RetryConfig } from './config.js';

export const DEFAULT_RETRY: Required<RetryConfig> = {
  maxAttempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 10_000,
};

export type Outcome =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: 'error'; readonly error: unknown };

const idempotentMethods = new Set(['GET', 'HEAD']);

// Nothing reached the server: safe to retry whatever the verb.
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
// The connection broke with the request possibly delivered.
const brokenCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Milliseconds to wait before attempt `attempt + 1`, or undefined when it must not retry. */
export function retryDelay(
  method: string,
  outcome: Outcome,
  attempt: number,
  config: Required<RetryConfig>,
): number | undefined {
  if (attempt >= config.maxAttempts) return undefined;
  const idempotent = idempotentMethods.has(method);
  const backoff = backoffDelay(
    { durationMs: config.initialDelayMs, factor: 2, capMs: config.maxDelayMs },
    attempt - 1,
  );
  if (outcome.kind === 'error') {
    const code = errorCode(outcome.error);
    if (code === undefined) return undefined;
    if (notSentCodes.has(code) || (idempotent && brokenCodes.has(code))) return backoff;
    return undefined;
  }
  const asked =
    outcome.retryAfterSeconds === undefined ? undefined : outcome.retryAfterSeconds * 1000;
  if (outcome.status === 429) return asked ?? backoff;
  if (idempotent && outcome.status >= 500 && outcome.status !== 501) return asked ?? backoff;
  return undefined;
}

/** Retry-After in seconds (the only form Kubernetes sends); undefined when absent or odd. */
export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
