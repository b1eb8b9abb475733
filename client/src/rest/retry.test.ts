import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, parseRetryAfter, retryDelay, type Outcome } from './retry.js';

const config = { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 250 };
const response = (status: number, retryAfterSeconds?: number): Outcome => ({
  kind: 'response',
  status,
  retryAfterSeconds,
});
const failure = (code: string): Outcome => ({
  kind: 'error',
  error: Object.assign(new Error(code), { code }),
});

describe('retryDelay', () => {
  it.each([
    {
      why: '429 with Retry-After waits as asked',
      method: 'POST',
      outcome: response(429, 3),
      attempt: 1,
      delay: 3000,
    },
    {
      why: '429 without Retry-After backs off',
      method: 'PUT',
      outcome: response(429),
      attempt: 2,
      delay: 200,
    },
    {
      why: '503 on a GET backs off',
      method: 'GET',
      outcome: response(503),
      attempt: 1,
      delay: 100,
    },
    {
      why: '500 on a GET honours Retry-After',
      method: 'GET',
      outcome: response(500, 2),
      attempt: 1,
      delay: 2000,
    },
    { why: 'backoff is capped', method: 'GET', outcome: response(502), attempt: 3, delay: 250 },
    {
      why: '503 on a POST is not retried (it may have been applied)',
      method: 'POST',
      outcome: response(503),
      attempt: 1,
      delay: undefined,
    },
    {
      why: '500 on a DELETE is not retried',
      method: 'DELETE',
      outcome: response(500),
      attempt: 1,
      delay: undefined,
    },
    {
      why: '501 is never retried',
      method: 'GET',
      outcome: response(501),
      attempt: 1,
      delay: undefined,
    },
    {
      why: '404 is an answer, not a failure',
      method: 'GET',
      outcome: response(404),
      attempt: 1,
      delay: undefined,
    },
    {
      why: '409 is an answer, not a failure',
      method: 'PUT',
      outcome: response(409),
      attempt: 1,
      delay: undefined,
    },
    {
      why: 'the last attempt is the last',
      method: 'GET',
      outcome: response(429, 1),
      attempt: 4,
      delay: undefined,
    },
    {
      why: 'a refused connection retries any verb',
      method: 'POST',
      outcome: failure('ECONNREFUSED'),
      attempt: 1,
      delay: 100,
    },
    {
      why: 'a reset connection retries a GET',
      method: 'GET',
      outcome: failure('ECONNRESET'),
      attempt: 2,
      delay: 200,
    },
    {
      why: 'a reset connection does not retry a POST',
      method: 'POST',
      outcome: failure('ECONNRESET'),
      attempt: 1,
      delay: undefined,
    },
    {
      why: 'an unknown error is not retried',
      method: 'GET',
      outcome: { kind: 'error', error: new Error('bug') } as Outcome,
      attempt: 1,
      delay: undefined,
    },
  ])('$why', ({ method, outcome, attempt, delay }) => {
    expect(retryDelay(method, outcome, attempt, config)).toBe(delay);
  });

  it('retries by default, a bounded number of times', () => {
    expect(DEFAULT_RETRY.maxAttempts).toBeGreaterThan(1);
    expect(retryDelay('GET', response(503), DEFAULT_RETRY.maxAttempts, DEFAULT_RETRY)).toBe(
      undefined,
    );
  });
});

describe('parseRetryAfter', () => {
  it.each([
    { header: '3', seconds: 3 },
    { header: ' 10 ', seconds: 10 },
    { header: ['1', '5'], seconds: 1 },
    { header: undefined, seconds: undefined },
    { header: 'Wed, 21 Oct 2015 07:28:00 GMT', seconds: undefined },
    { header: '-1', seconds: undefined },
  ])('reads $header as $seconds', ({ header, seconds }) => {
    expect(parseRetryAfter(header)).toBe(seconds);
  });
});
