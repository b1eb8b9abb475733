import { describe, expect, it } from 'vitest';
import type { StatusReason } from '../types/index.js';
import { makeStatus, type ErrorStatus } from './api-error.js';
import { apiErrorFromResponse, isStatus, parseStatus } from './response.js';

const status = (code: number, reason: StatusReason, message = 'm'): ErrorStatus =>
  makeStatus({ code, reason, message });

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
    expect(error.causes).toEqual([{ field: 'spec.containers' }]);
  });

  it('takes the code of the response when the Status has none', () => {
    const { code, ...withoutCode } = status(409, 'Conflict');
    expect(code).toBe(409);
    expect(apiErrorFromResponse(409, JSON.stringify(withoutCode)).code).toBe(409);
  });

  it.each([
    { code: 502, body: '<html>Bad Gateway</html>', reason: '', message: /502: <html>Bad Gateway/ },
    { code: 404, body: '404 page not found', reason: 'NotFound', message: /404 page not found/ },
    { code: 503, body: '', reason: 'ServiceUnavailable', message: /empty body/ },
    { code: 500, body: '{"truncated', reason: 'InternalError', message: /truncated/ },
    { code: 200, body: '{"kind":"Pod"}', reason: '', message: /200: \{"kind":"Pod"\}/ },
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

describe('parseStatus', () => {
  it.each([
    { body: JSON.stringify(status(404, 'NotFound')), parsed: status(404, 'NotFound') },
    { body: '  {"kind":"Status"}', parsed: { kind: 'Status' } },
    { body: '{"kind":"Pod"}', parsed: undefined },
    { body: '{"kind":', parsed: undefined },
    { body: '[]', parsed: undefined },
    { body: '', parsed: undefined },
  ])('reads $body as $parsed', ({ body, parsed }) => {
    expect(parseStatus(body)).toEqual(parsed);
  });

  it('knows a Status by its kind', () => {
    expect(isStatus({ kind: 'Status' })).toBe(true);
    expect(isStatus({ kind: 'Pod' })).toBe(false);
    expect(isStatus(null)).toBe(false);
  });
});
