import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionPair, type SessionPair } from '../testing/session-pair.js';
import type { SpdySession, SpdyStream } from './connection.js';
import {
  encodeFrame,
  FrameReader,
  GoAwayStatus,
  RstStatus,
  SpdyProtocolError,
  synStreamFrame,
  type SpdyFrame,
} from './frames.js';
import {
  HeaderCompressor,
  HeaderDecompressor,
  packHeaders,
  unpackHeaders,
} from './header-block.js';

describe('SPDY frames', () => {
  const frames: SpdyFrame[] = [
    { kind: 'data', streamId: 5, fin: true, data: Buffer.from('hello') },
    {
      kind: 'synStream',
      streamId: 3,
      associatedTo: 1,
      priority: 7,
      fin: false,
      unidirectional: true,
      headerBlock: Buffer.from([1, 2, 3]),
    },
    { kind: 'synReply', streamId: 3, fin: true, headerBlock: Buffer.from([9]) },
    { kind: 'headers', streamId: 3, fin: false, headerBlock: Buffer.alloc(0) },
    { kind: 'rstStream', streamId: 7, status: RstStatus.Cancel },
    { kind: 'settings', entries: [{ flags: 1, id: 7, value: 65536 }] },
    { kind: 'ping', id: 0xffffffff },
    { kind: 'goAway', lastGoodStreamId: 9, status: GoAwayStatus.ProtocolError },
    { kind: 'windowUpdate', streamId: 1, delta: 1024 },
  ];

  it.each(frames.map((f) => [f.kind, f] as const))(
    '%s survives encoding and decoding',
    (_kind, frame) => {
      expect(new FrameReader().push(encodeFrame(frame))).toEqual([frame]);
    },
  );

  it('reassembles frames cut anywhere and keeps several in one chunk', () => {
    const bytes = Buffer.concat(frames.map(encodeFrame));
    const reader = new FrameReader();
    const out: SpdyFrame[] = [];
    for (let at = 0; at < bytes.length; at += 3)
      out.push(...reader.push(bytes.subarray(at, at + 3)));
    expect(out).toEqual(frames);
  });

  it('refuses a control frame of another SPDY version', () => {
    const frame = encodeFrame({ kind: 'ping', id: 1 });
    frame.writeUInt16BE(0x8002, 0);
    expect(() => new FrameReader().push(frame)).toThrow(SpdyProtocolError);
  });

  it('refuses a control frame too short for its type', () => {
    const frame = Buffer.from([0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
    expect(() => new FrameReader().push(frame)).toThrow(/RST_STREAM frame too short/);
  });

  it('passes over control frame types it does not know, as SPDY asks', () => {
    const frame = Buffer.from([0x80, 0x03, 0x00, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00]);
    expect(new FrameReader().push(frame)).toEqual([{ kind: 'unknown', type: 0x63 }]);
  });
});

describe('SPDY header blocks', () => {
  it('packs names lowercase and several values NUL-joined', () => {
    const block = packHeaders(
      new Map([
        ['StreamType', ['stdout']],
        ['x', ['a', 'b']],
      ]),
    );
    expect(unpackHeaders(block)).toEqual(
      new Map([
        ['streamtype', ['stdout']],
        ['x', ['a', 'b']],
      ]),
    );
  });

  const onePair = packHeaders(new Map([['a', ['1']]])).subarray(4);
  it.each([
    ['a truncated block', Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 0x61])],
    ['an empty name', Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])],
    ['a repeated name', Buffer.concat([Buffer.from([0, 0, 0, 2]), onePair, onePair])],
  ])('refuses %s', (_name, block) => {
    expect(() => unpackHeaders(block)).toThrow(SpdyProtocolError);
  });

  it('compresses successive blocks in one zlib context that the other side follows', async () => {
    const compressor = new HeaderCompressor();
    const decompressor = new HeaderDecompressor();
    for (const type of ['error', 'stdin', 'stdout', 'stdout']) {
      const headers = new Map([['streamtype', [type]]]);
      expect(await decompressor.decompress(await compressor.compress(headers))).toEqual(headers);
    }
    compressor.close();
    decompressor.close();
  });
});

describe('SPDY sessions', () => {
  const pairs: SessionPair[] = [];
  afterEach(async () => {
    for (const p of pairs.splice(0)) await p.close();
  });

  async function pair(): Promise<{ client: SpdySession; server: SpdySession; raw: Socket }> {
    const p = await sessionPair();
    pairs.push(p);
    return { client: p.client, server: p.server, raw: p.clientSocket };
  }

  const read = (stream: SpdyStream): Promise<string> =>
    new Promise((resolve) => {
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      stream.once('end', () => resolve(text));
    });

  it('opens a stream, replies, carries data both ways and half-closes each side', async () => {
    const { client, server } = await pair();
    const accepted = once(server, 'stream') as Promise<[SpdyStream]>;
    const stream = client.openStream(new Map([['streamtype', ['stdin']]]));
    const [incoming] = await accepted;
    expect(incoming.header('streamType')).toBe('stdin');
    incoming.reply();
    await stream.ready;
    const atServer = read(incoming);
    const atClient = read(stream);
    stream.end('to the server');
    incoming.end('to the client');
    expect(await atServer).toBe('to the server');
    expect(await atClient).toBe('to the client');
  });

  it('answers PING', async () => {
    const { client } = await pair();
    await expect(client.ping()).resolves.toBeUndefined();
  });

  it('resets data for a stream that does not exist, and goes on', async () => {
    const { client, server, raw } = await pair();
    const resets: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => resets.push(chunk));
    await client.sendRaw(
      encodeFrame({ kind: 'data', streamId: 41, fin: false, data: Buffer.from('x') }),
    );
    await client.ping();
    const frames = new FrameReader().push(Buffer.concat(resets));
    expect(frames).toContainEqual({
      kind: 'rstStream',
      streamId: 41,
      status: RstStatus.InvalidStream,
    });
    expect(server.closed).toBe(false);
  });

  it('ends the session with GOAWAY PROTOCOL_ERROR when a header block does not decompress', async () => {
    const { client, server, raw } = await pair();
    const seen: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => seen.push(chunk));
    const errors: SpdyProtocolError[] = [];
    server.on('protocolError', (err) => errors.push(err));
    const closed = once(server, 'close');
    await client.sendRaw(encodeFrame(synStreamFrame(1, Buffer.from('not zlib'))));
    await closed;
    expect(errors).toHaveLength(1);
    await once(raw, 'close');
    expect(new FrameReader().push(Buffer.concat(seen))).toContainEqual({
      kind: 'goAway',
      lastGoodStreamId: 0,
      status: GoAwayStatus.ProtocolError,
    });
  });

  it('resets a stream id the peer may not use, and goes on', async () => {
    const { client, server, raw } = await pair();
    const seen: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => seen.push(chunk));
    const compressor = new HeaderCompressor();
    await client.sendRaw(
      encodeFrame(synStreamFrame(2, await compressor.compress(new Map([['streamtype', ['x']]])))),
    );
    compressor.close();
    await client.ping();
    expect(new FrameReader().push(Buffer.concat(seen))).toContainEqual({
      kind: 'rstStream',
      streamId: 2,
      status: RstStatus.ProtocolError,
    });
    expect(server.closed).toBe(false);
  });
});
