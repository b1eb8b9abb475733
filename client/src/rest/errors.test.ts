import type { Status } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  apiErrorFromResponse,
  isAlreadyExists,
  isConflict,
  isGone,
  isInvalid,
  isNotFound,
  isTooManyRequests,
} from './errors.js';

const status = (
  code: number,
  reason: Status['reason'],
  message = 'm',
): Status & { code: number } => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  message,
});

const predicates = {
  isNotFound,
  isAlreadyExists,
  isConflict,
  isGone,
  isInvalid,
  isTooManyRequests,
};

describe('error predicates', () => {
  it.each([
    { error: status(404, 'NotFound'), holds: ['isNotFound'] },
    { error: status(409, 'AlreadyExists'), holds: ['isAlreadyExists'] },
    { error: status(409, 'Conflict'), holds: ['isConflict'] },
    { error: status(410, 'Gone'), holds: ['isGone'] },
    { error: status(410, 'Expired'), holds: ['isGone'] },
    { error: status(422, 'Invalid'), holds: ['isInvalid'] },
    { error: status(429, 'TooManyRequests'), holds: ['isTooManyRequests'] },
    { error: status(404, ''), holds: ['isNotFound'] },
    { error: status(409, ''), holds: ['isConflict'] },
    { error: status(500, 'InternalError'), holds: [] },
  ])('$error.code $error.reason satisfies exactly $holds', ({ error, holds }) => {
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
    }
  });
});

describe('apiErrorFromResponse', () => {
  it('keeps the Status the server sent', () => {
    const sent = {
      ...status(422, 'Invalid', 'Pod "x" is invalid'),
      details: { name: 'x', kind: 'pods', causes: [{ field: 'spec.containers' }] },
    };
    const error = apiErrorFromResponse(422, JSON.stringify(sent));
    expect(error.status).toEqual(sent);
    expect(error.message).toBe('Pod "x" is invalid');
    expect(error.code).toBe(422);
  });

  it.each([
    { code: 502, body: '<html>Bad Gateway</html>', reason: '', message: /502: <html>Bad Gateway/ },
    { code: 404, body: '404 page not found', reason: 'NotFound', message: /404 page not found/ },
    { code: 503, body: '', reason: 'ServiceUnavailable', message: /empty body/ },
    { code: 500, body: '{"truncated', reason: 'InternalError', message: /truncated/ },
  ])('makes a Status up for a $code with a non-Status body', ({ code, body, reason, message }) => {
    const error = apiErrorFromResponse(code, body);
    expect(error.code).toBe(code);
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
  });

  it('takes Retry-After from the header when the body has none', () => {
    expect(apiErrorFromResponse(429, '', 7).retryAfterSeconds).toBe(7);
    const withDetails = { ...status(429, 'TooManyRequests'), details: { retryAfterSeconds: 2 } };
    expect(apiErrorFromResponse(429, JSON.stringify(withDetails), 7).retryAfterSeconds).toBe(2);
  });
});
