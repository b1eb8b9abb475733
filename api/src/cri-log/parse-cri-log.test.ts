import { describe, expect, it } from 'vitest';
import { parseCriLog, parseCriLogLine, parseRfc3339Ms } from './parse-cri-log.js';

const T = '2023-11-14T22:13:20.123456789Z';

describe('parseCriLog', () => {
  it('splits a log back into streams, joining partial lines and skipping non-entries', () => {
    const log = [
      `${T} stdout P hello `,
      `${T} stderr F warning`,
      `${T} stdout F world`,
      `${T} stdout F `,
      'not a log line',
      '',
    ].join('\n');
    const { stdout, stderr } = parseCriLog(Buffer.from(log));
    expect(stdout.toString()).toBe('hello world\n\n');
    expect(stderr.toString()).toBe('warning\n');
  });

  it('keeps bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${T} stdout F `),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\n'),
    ]);
    expect([...parseCriLog(bytes).stdout]).toEqual([0xff, 0xfe, 0x0a]);
  });
});

describe('parseCriLogLine', () => {
  it.each([
    [`${T} stdout F a b `, { stream: 'stdout', partial: false, content: 'a b ' }],
    [`${T} stderr P x`, { stream: 'stderr', partial: true, content: 'x' }],
    [`${T} stdout F:extra tag`, { stream: 'stdout', partial: false, content: 'tag' }],
    [`${T} stdout F`, { stream: 'stdout', partial: false, content: '' }],
  ])('reads %j', (line, want) => {
    expect(parseCriLogLine(line)).toMatchObject({ time: T, ...want });
  });

  it.each(['', 'plain text', `${T} stdin F x`, `${T} stdout X x`])('rejects %j', (line) => {
    expect(parseCriLogLine(line)).toBeUndefined();
  });
});

describe('parseRfc3339Ms', () => {
  it.each([
    [T, Date.UTC(2023, 10, 14, 22, 13, 20, 123)],
    ['2023-11-14T22:13:20Z', Date.UTC(2023, 10, 14, 22, 13, 20)],
    ['2023-11-14T23:13:20.5+01:00', Date.UTC(2023, 10, 14, 22, 13, 20, 500)],
  ])('%s', (time, ms) => {
    expect(parseRfc3339Ms(time)).toBe(ms);
  });

  it('is NaN for what is not a time', () => {
    expect(parseRfc3339Ms('yesterday')).toBeNaN();
  });
});
