import { describe, expect, it } from 'vitest';
import { parsePodLogOptions } from './pod-log-options.js';

const parse = (q: string) => parsePodLogOptions(new URLSearchParams(q));

describe('parsePodLogOptions', () => {
  it('reads every option', () => {
    expect(
      parse(
        'container=app&follow=true&previous=1&timestamps=true&tailLines=2&limitBytes=10&sinceTime=2024-01-01T00:00:00Z',
      ),
    ).toEqual({
      options: {
        container: 'app',
        follow: true,
        previous: true,
        timestamps: true,
        tailLines: 2,
        limitBytes: 10,
        sinceTime: Date.UTC(2024, 0, 1),
      },
    });
    expect(parse('')).toEqual({ options: { follow: false, previous: false, timestamps: false } });
  });

  it.each([
    ['tailLines=abc', 'tailLines: invalid integer value "abc"'],
    ['follow=yes', 'follow: invalid boolean value "yes"'],
    ['sinceTime=yesterday', 'sinceTime: invalid RFC 3339 time "yesterday"'],
  ])('%s is a bad request', (q, message) => {
    expect(parse(q)).toEqual({ badRequest: message });
  });

  it.each([
    ['tailLines=-1', 'tailLines', 'must be greater than or equal to 0'],
    ['limitBytes=0', 'limitBytes', 'must be greater than 0'],
    ['sinceSeconds=0', 'sinceSeconds', 'must be greater than 0'],
    [
      'sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z',
      '',
      'at most one of `sinceTime` or `sinceSeconds` may be specified',
    ],
  ])('%s is invalid at %j', (q, field, detail) => {
    expect(parse(q).errors).toEqual([expect.objectContaining({ field, detail })]);
  });
});
