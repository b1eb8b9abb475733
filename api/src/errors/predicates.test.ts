import { describe, expect, it } from 'vitest';
import type { StatusReason } from '../types/index.js';
import { ApiError, makeStatus, type ErrorStatus } from './api-error.js';
import * as apiErrors from './builders.js';
import {
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInternalError,
  isInvalid,
  isMethodNotSupported,
  isNotAcceptable,
  isNotFound,
  isRequestEntityTooLarge,
  isServerTimeout,
  isServiceUnavailable,
  isTimeout,
  isTooManyRequests,
  isUnauthorized,
  isUnsupportedMediaType,
  reasonForError,
  statusFromError,
} from './predicates.js';

const status = (code: number, reason: StatusReason, message = 'm'): ErrorStatus =>
  makeStatus({ code, reason, message });

const predicates = {
  isNotFound,
  isAlreadyExists,
  isConflict,
  isGone,
  isInvalid,
  isBadRequest,
  isUnauthorized,
  isForbidden,
  isMethodNotSupported,
  isNotAcceptable,
  isRequestEntityTooLarge,
  isUnsupportedMediaType,
  isTooManyRequests,
  isInternalError,
  isServiceUnavailable,
  isTimeout,
  isServerTimeout,
};

describe('the reason predicates', () => {
  it.each([
    { error: status(404, 'NotFound'), holds: ['isNotFound'] },
    { error: status(409, 'AlreadyExists'), holds: ['isAlreadyExists'] },
    { error: status(409, 'Conflict'), holds: ['isConflict'] },
    { error: status(410, 'Gone'), holds: ['isGone'] },
    { error: status(410, 'Expired'), holds: ['isGone'] },
    { error: status(422, 'Invalid'), holds: ['isInvalid'] },
    { error: status(400, 'BadRequest'), holds: ['isBadRequest'] },
    { error: status(401, 'Unauthorized'), holds: ['isUnauthorized'] },
    { error: status(403, 'Forbidden'), holds: ['isForbidden'] },
    { error: status(405, 'MethodNotAllowed'), holds: ['isMethodNotSupported'] },
    { error: status(406, 'NotAcceptable'), holds: ['isNotAcceptable'] },
    { error: status(413, 'RequestEntityTooLarge'), holds: ['isRequestEntityTooLarge'] },
    { error: status(415, 'UnsupportedMediaType'), holds: ['isUnsupportedMediaType'] },
    { error: status(429, 'TooManyRequests'), holds: ['isTooManyRequests'] },
    { error: status(500, 'InternalError'), holds: ['isInternalError'] },
    { error: status(500, 'ServerTimeout'), holds: ['isServerTimeout'] },
    { error: status(503, 'ServiceUnavailable'), holds: ['isServiceUnavailable'] },
    { error: status(504, 'Timeout'), holds: ['isTimeout'] },
    // No reason: the code decides, as for a bare answer from a proxy.
    { error: status(404, ''), holds: ['isNotFound'] },
    { error: status(409, ''), holds: ['isConflict'] },
    { error: status(410, ''), holds: ['isGone'] },
    { error: status(429, ''), holds: ['isTooManyRequests'] },
    { error: status(504, ''), holds: ['isTimeout'] },
    // A reason decides over the code.
    { error: status(500, 'NotFound'), holds: ['isNotFound'] },
    { error: status(502, ''), holds: [] },
  ])('$error.code "$error.reason" satisfies exactly $holds', ({ error, holds }) => {
    for (const [name, predicate] of Object.entries(predicates)) {
      expect([name, predicate(new ApiError(error))]).toEqual([name, holds.includes(name)]);
      // A watch's ERROR event carries a bare Status: the predicates read it the same way.
      expect([name, predicate(error)]).toEqual([name, holds.includes(name)]);
    }
  });

  it('is false for errors that are not from the server', () => {
    for (const predicate of Object.values(predicates)) {
      expect(predicate(new Error('not found'))).toBe(false);
      expect(predicate(undefined)).toBe(false);
      expect(predicate({ code: 404, reason: 'NotFound' })).toBe(false);
    }
  });

  it.each([
    { built: apiErrors.notFound({ group: '', resource: 'pods' }, 'a'), holds: 'isNotFound' },
    { built: apiErrors.pathNotFound(), holds: 'isNotFound' },
    {
      built: apiErrors.alreadyExists({ group: '', resource: 'pods' }, 'a'),
      holds: 'isAlreadyExists',
    },
    {
      built: apiErrors.staleResourceVersion({ group: '', resource: 'pods' }, 'a'),
      holds: 'isConflict',
    },
    { built: apiErrors.invalid({ group: '', kind: 'Pod' }, 'a', []), holds: 'isInvalid' },
    { built: apiErrors.expired('too old'), holds: 'isGone' },
    { built: apiErrors.gone('gone'), holds: 'isGone' },
    { built: apiErrors.tooManyRequests('m', 1), holds: 'isTooManyRequests' },
    { built: apiErrors.tooLargeResourceVersion(2, 1), holds: 'isTimeout' },
    { built: apiErrors.internal('boom'), holds: 'isInternalError' },
  ])('what $built.reason builds, $holds recognises', ({ built, holds }) => {
    const held = Object.entries(predicates).filter(([, p]) => p(built));
    expect(held.map(([name]) => name)).toEqual([holds]);
  });
});

describe('statusFromError and reasonForError', () => {
  it('read the Status of an ApiError, a bare Status, and nothing else', () => {
    const error = apiErrors.badRequest('bad');
    expect(statusFromError(error)).toBe(error.status);
    expect(statusFromError(error.status)).toBe(error.status);
    expect(statusFromError(new Error('bad'))).toBeUndefined();
    expect(reasonForError(error)).toBe('BadRequest');
    expect(reasonForError(new Error('bad'))).toBe('');
  });
});
