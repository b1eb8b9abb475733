// What went wrong, asked of any error (apimachinery's IsNotFound, IsConflict, …): callers branch
// on these, never on message text. A 409 means "re-read and try again", a 404 on delete means
// "already gone", a 410 means "relist", and so on.
import type { Status, StatusReason } from '../types/index.js';
import { ApiError } from './api-error.js';
import { isStatus } from './response.js';

/**
 * The Status behind an error, or the Status itself: the predicates accept both, so a watch's
 * ERROR event reads like a thrown error (`isGone(event.object)`). Undefined for anything else.
 */
export function statusFromError(err: unknown): Status | undefined {
  if (err instanceof ApiError) return err.status;
  if (isStatus(err)) return err;
  return undefined;
}

/** The reason of an error, `''` (unknown) for errors that carry no Status. */
export function reasonForError(err: unknown): StatusReason {
  return statusFromError(err)?.reason ?? '';
}

/**
 * True when the reason is `reason`, or when no reason was given and the code is `code` (a bare
 * 409 is a conflict; "already exists" is only ever known from its reason).
 */
function hasReason(err: unknown, reason: StatusReason, code?: number): boolean {
  const status = statusFromError(err);
  if (!status) return false;
  if (status.reason) return status.reason === reason;
  return code !== undefined && status.code === code;
}

export const isNotFound = (err: unknown): boolean => hasReason(err, 'NotFound', 404);
export const isAlreadyExists = (err: unknown): boolean => hasReason(err, 'AlreadyExists');
export const isConflict = (err: unknown): boolean => hasReason(err, 'Conflict', 409);
export const isInvalid = (err: unknown): boolean => hasReason(err, 'Invalid', 422);
export const isBadRequest = (err: unknown): boolean => hasReason(err, 'BadRequest', 400);
export const isUnauthorized = (err: unknown): boolean => hasReason(err, 'Unauthorized', 401);
export const isForbidden = (err: unknown): boolean => hasReason(err, 'Forbidden', 403);
export const isMethodNotSupported = (err: unknown): boolean =>
  hasReason(err, 'MethodNotAllowed', 405);
export const isNotAcceptable = (err: unknown): boolean => hasReason(err, 'NotAcceptable', 406);
export const isRequestEntityTooLarge = (err: unknown): boolean =>
  hasReason(err, 'RequestEntityTooLarge', 413);
export const isUnsupportedMediaType = (err: unknown): boolean =>
  hasReason(err, 'UnsupportedMediaType', 415);
export const isTooManyRequests = (err: unknown): boolean => hasReason(err, 'TooManyRequests', 429);
export const isInternalError = (err: unknown): boolean => hasReason(err, 'InternalError', 500);
export const isServiceUnavailable = (err: unknown): boolean =>
  hasReason(err, 'ServiceUnavailable', 503);
export const isTimeout = (err: unknown): boolean => hasReason(err, 'Timeout', 504);
export const isServerTimeout = (err: unknown): boolean => hasReason(err, 'ServerTimeout');

/**
 * The resourceVersion asked for is no longer available (compacted, or an expired continue
 * token): the caller must relist. Kubernetes says this as `Gone` or `Expired`, always 410.
 */
export function isGone(err: unknown): boolean {
  const status = statusFromError(err);
  if (!status) return false;
  return status.reason === 'Gone' || status.reason === 'Expired' || status.code === 410;
}
