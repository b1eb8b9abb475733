import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { isRuntimeError } from '../containers/index.js';
import { MAX_IN_FLIGHT, RequestCache, TOKEN_TTL_MS } from './request-cache.js';

describe('RequestCache', () => {
  it('gives a request back once for its token, then never again', () => {
    const cache = new RequestCache<string>(new FakeClock());
    const token = cache.insert('exec');
    expect(token).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(cache.consume(token)).toBe('exec');
    expect(cache.consume(token)).toBeUndefined();
  });

  it('knows no token it did not issue', () => {
    expect(new RequestCache<string>(new FakeClock()).consume('AAAAAAAAAAA')).toBeUndefined();
  });

  it.each([
    ['just before', TOKEN_TTL_MS, 'exec'],
    ['after', TOKEN_TTL_MS + 1, undefined],
  ])('a token used %s its minute is over gives %s', async (_when, waitMs, expected) => {
    const clock = new FakeClock();
    const cache = new RequestCache<string>(clock);
    const token = cache.insert('exec');
    await clock.advance(waitMs);
    expect(cache.consume(token)).toBe(expected);
  });

  it('refuses more than the in-flight limit with ResourceExhausted, and frees expired slots', async () => {
    const clock = new FakeClock();
    const cache = new RequestCache<number>(clock);
    for (let i = 0; i < MAX_IN_FLIGHT; i++) cache.insert(i);
    let refused: unknown;
    try {
      cache.insert(-1);
    } catch (err) {
      refused = err;
    }
    expect(isRuntimeError(refused, 'ResourceExhausted')).toBe(true);
    await clock.advance(TOKEN_TTL_MS + 1);
    expect(cache.size).toBe(0);
    expect(() => cache.insert(1)).not.toThrow();
  });
});
