// The watch cache's failures carry the HTTP status Kubernetes answers with; this turns them
// into Statuses for the HTTP layer.
import type { StatusReason } from '@skiff/api';
import { ApiError, makeStatus } from '@skiff/api';
import { WatchCacheError } from '../watchcache/index.js';

const reasons: Record<WatchCacheError['code'], StatusReason> = {
  400: 'BadRequest',
  410: 'Expired',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function fromCacheError(err: unknown): unknown {
  if (!(err instanceof WatchCacheError)) return err;
  return new ApiError(
    makeStatus({
      code: err.code,
      reason: reasons[err.code],
      message: err.message,
      ...(err.code === 429 ? { details: { retryAfterSeconds: 1 } } : {}),
    }),
  );
}
