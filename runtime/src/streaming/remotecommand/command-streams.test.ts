import { FakeClock } from '@skiff/api/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpdyStream } from '../spdy/connection.js';
import { sessionPair, type SessionPair } from '../testing/session-pair.js';
import {
  PROTOCOL_V2,
  PROTOCOL_V4,
  STREAM_CREATION_TIMEOUT_MS,
  StreamCreationTimeout,
  spdyCommandStreams,
  type StreamOptions,
} from './command-streams.js';

const pairs: SessionPair[] = [];
afterEach(async () => {
  for (const p of pairs.splice(0)) await p.close();
});

async function pair(): Promise<SessionPair> {
  const p = await sessionPair();
  pairs.push(p);
  return p;
}

function open(p: SessionPair, type: string): SpdyStream {
  return p.client.openStream(new Map([['streamtype', [type]]]));
}

const closedOrReset = (stream: SpdyStream): Promise<boolean> =>
  stream.ready.then(
    () => false,
    () => true,
  );

describe('spdyCommandStreams', () => {
  it.each<[string, string, StreamOptions, string[]]>([
    [
      'stdout and stderr',
      PROTOCOL_V4,
      { stdin: false, stdout: true, stderr: true, tty: false },
      ['error', 'stdout', 'stderr'],
    ],
    [
      'stdin with a TTY: resize, no stderr',
      PROTOCOL_V4,
      { stdin: true, stdout: true, stderr: false, tty: true },
      ['error', 'stdin', 'stdout', 'resize'],
    ],
    [
      'a TTY before v3: no resize',
      PROTOCOL_V2,
      { stdin: true, stdout: true, stderr: false, tty: true },
      ['error', 'stdin', 'stdout'],
    ],
  ])('waits for the streams the request needs: %s', async (_name, protocol, options, types) => {
    const p = await pair();
    const streams = spdyCommandStreams(p.server, protocol, options, new FakeClock());
    const opened = types.map((type) => open(p, type));
    const got = await streams;
    await Promise.all(opened.map((s) => s.ready));
    expect(got.stdin !== undefined).toBe(types.includes('stdin'));
    expect(got.stdout !== undefined).toBe(types.includes('stdout'));
    expect(got.stderr !== undefined).toBe(types.includes('stderr'));
    expect(got.resize !== undefined).toBe(types.includes('resize'));
  });

  it('resets a stream type it did not ask for, and a second one of a type', async () => {
    const p = await pair();
    const options = { stdin: false, stdout: true, stderr: false, tty: false };
    const streams = spdyCommandStreams(p.server, PROTOCOL_V4, options, new FakeClock());
    const extra = open(p, 'stdin');
    const error = open(p, 'error');
    const twice = open(p, 'error');
    open(p, 'stdout');
    await streams;
    expect(await closedOrReset(extra)).toBe(true);
    expect(await closedOrReset(twice)).toBe(true);
    expect(await closedOrReset(error)).toBe(false);
  });

  it('gives up after the stream creation timeout (30 s)', async () => {
    const p = await pair();
    const clock = new FakeClock();
    const options = { stdin: false, stdout: true, stderr: false, tty: false };
    const streams = spdyCommandStreams(p.server, PROTOCOL_V4, options, clock);
    const failed = streams.then(
      () => undefined,
      (err: unknown) => err,
    );
    open(p, 'error');
    await clock.advance(STREAM_CREATION_TIMEOUT_MS);
    expect(await failed).toBeInstanceOf(StreamCreationTimeout);
  });
});
