import { describe, expect, it } from 'vitest';
import { parseCriLog } from '@skiff/api';
import { formatLogLine, rfc3339Nano } from './cri-log.js';

describe('CRI log format', () => {
  it('formats nanosecond RFC 3339 times', () => {
    expect(rfc3339Nano(1_700_000_000_123_456_789n)).toBe('2023-11-14T22:13:20.123456789Z');
  });

  it('splits a log back into streams, joining partial lines', () => {
    const t = '2023-11-14T22:13:20.123456789Z';
    const log = [
      formatLogLine(t, 'stdout', 'hello ', true),
      formatLogLine(t, 'stderr', 'warning', false),
      formatLogLine(t, 'stdout', 'world', false),
      formatLogLine(t, 'stdout', '', false),
      'not a log line\n',
    ].join('');
    const { stdout, stderr } = parseCriLog(Buffer.from(log));
    expect(stdout.toString()).toBe('hello world\n\n');
    expect(stderr.toString()).toBe('warning\n');
  });

  it('keeps bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from('2023-11-14T22:13:20.1Z stdout F '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\n'),
    ]);
    expect([...parseCriLog(bytes).stdout]).toEqual([0xff, 0xfe, 0x0a]);
  });
});
