import { describe, expect, it } from 'vitest';
import { errorMessage } from './error-message.js';

describe('errorMessage', () => {
  it.each([
    { thrown: new Error('boom'), message: 'boom' },
    { thrown: new TypeError('not a function'), message: 'not a function' },
    { thrown: 'a string', message: 'a string' },
    { thrown: 42, message: '42' },
    { thrown: undefined, message: 'undefined' },
    { thrown: null, message: 'null' },
  ])('gives "$message" for $thrown', ({ thrown, message }) => {
    expect(errorMessage(thrown)).toBe(message);
  });
});
