import { describe, expect, it } from 'vitest';
import { ApiError } from '@skiff/api';
import { decodeContinue, encodeContinue } from './continue-token.js';

describe('continue tokens', () => {
  it('round-trips the revision and the key to resume after', () => {
    const token = encodeContinue({ revision: 42, after: 'default/web-1' });
    expect(decodeContinue(token)).toEqual({ revision: 42, after: 'default/web-1' });
  });

  it.each([
    'garbage',
    Buffer.from('{"v":"x","rv":1,"start":"a"}').toString('base64url'),
    encodeContinue({ revision: 1, after: '../secrets/x' }),
  ])('refuses %s with 400', (token) => {
    expect(() => decodeContinue(token)).toThrow(ApiError);
  });
});
