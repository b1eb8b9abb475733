// The gRPC channel against a real etcd (failover, deadlines, etcd's own error statuses) and
// against a small real HTTP/2 server of our own for what etcd does not do on demand: a
// trailers-only answer with a percent-encoded message, messages cut into tiny DATA frames or
// packed several into one.
import http2, { type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { realClock } from '@skiff/api';
import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, it } from 'vitest';
import { useEtcd } from '../../testing/etcd-fixture.js';
import { startEtcd } from '../../testing/etcd-process.js';
import { classifyEtcdError } from '../etcd-errors.js';
import type { WatchResponse } from './etcd-messages.js';
import { KV_PUT, KV_RANGE, WATCH } from './etcd-rpcs.js';
import { GrpcChannel } from './grpc-channel.js';
import { EtcdRpcError, GrpcStatus } from './grpc-status.js';

const fixture = useEtcd();
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  if (fixture.etcd.running) fixture.etcd.resume();
});

function channelTo(endpoints: readonly string[], requestTimeoutMs = 5_000): GrpcChannel {
  const channel = new GrpcChannel({ endpoints, requestTimeoutMs, clock: realClock });
  cleanups.push(() => channel.close());
  return channel;
}

/** The EtcdRpcError a call fails with; fails the test if it succeeds or throws something else. */
async function rpcFailure(call: Promise<unknown>): Promise<EtcdRpcError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof EtcdRpcError) return err;
    throw new Error(`expected an EtcdRpcError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** An endpoint where nothing listens: a real etcd, started and destroyed again. */
async function deadEndpoint(): Promise<string> {
  const gone = await startEtcd();
  await gone.destroy();
  return gone.endpoint;
}

const key = (name: string): Buffer => Buffer.from(`/grpc-channel-test/${name}`);

describe('GrpcChannel against etcd', () => {
  it('puts and reads back a value, with revisions as numbers and ids as exact bigints', async () => {
    const channel = channelTo([fixture.etcd.endpoint]);
    const put = await channel.unary(KV_PUT, { key: key('a'), value: Buffer.from('v') });
    const read = await channel.unary(KV_RANGE, { key: key('a') });
    expect(read.kvs.map((kv) => [kv.key.toString(), kv.value.toString(), kv.mod_revision])).toEqual(
      [[key('a').toString(), 'v', put.header.revision]],
    );
    // Another client's view of the same cluster id: ours must be exact, not rounded to 2^53.
    const other = new Etcd3({ hosts: fixture.etcd.endpoint });
    cleanups.push(() => other.close());
    const theirs = await other.kv.range({ key: key('a') });
    expect(read.header.cluster_id.toString()).toBe(theirs.header.cluster_id);
  });

  it('reads an empty value as an empty Buffer and absent revisions as 0', async () => {
    const channel = channelTo([fixture.etcd.endpoint]);
    await channel.unary(KV_PUT, { key: key('empty'), value: new Uint8Array() });
    const read = await channel.unary(KV_RANGE, { key: key('empty') });
    const kv = read.kvs[0];
    expect(Buffer.isBuffer(kv?.value) && kv.value.length).toBe(0);
    expect(kv?.lease).toBe(0);
  });

  it("fails with etcd's own status and message when etcd refuses a request", async () => {
    const channel = channelTo([fixture.etcd.endpoint]);
    const error = await rpcFailure(channel.unary(KV_RANGE, { key: key('a'), revision: 1e9 }));
    expect({ code: error.code, message: error.message }).toEqual({
      code: GrpcStatus.OUT_OF_RANGE,
      message: 'etcdserver: mvcc: required revision is a future revision',
    });
    expect(classifyEtcdError(error).kind).toBe('future');
  });

  it('fails with DEADLINE_EXCEEDED, classified unavailable, when etcd does not answer in time', async () => {
    const channel = channelTo([fixture.etcd.endpoint], 300);
    await channel.unary(KV_RANGE, { key: key('a') }); // connected before etcd freezes
    await fixture.etcd.pause();
    const started = Date.now();
    const error = await rpcFailure(channel.unary(KV_RANGE, { key: key('a') }));
    expect(error.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(classifyEtcdError(error).kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(2_000);
    fixture.etcd.resume();
    await expect(channel.unary(KV_RANGE, { key: key('a') })).resolves.toBeDefined();
  });

  it('connects to the next endpoint when the first one is down, without failing the call', async () => {
    const dead = await deadEndpoint();
    const channel = channelTo([dead, fixture.etcd.endpoint]);
    const read = await channel.unary(KV_RANGE, { key: key('a'), count_only: true });
    expect(read.header.revision).toBeGreaterThan(0);
  });

  it('fails at once with UNAVAILABLE naming the endpoint when nothing listens, then backs off', async () => {
    const dead = await deadEndpoint();
    const channel = channelTo([dead]);
    const first = await rpcFailure(channel.unary(KV_RANGE, { key: key('a') }));
    expect(first.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(first.message).toContain(dead);
    const second = await rpcFailure(channel.unary(KV_RANGE, { key: key('a') }));
    expect(second.message).toMatch(/next attempt in \d+ ms/);
  });

  it('fails calls after close with CANCELLED, which counts as no answer', async () => {
    const channel = channelTo([fixture.etcd.endpoint]);
    channel.close();
    const error = await rpcFailure(channel.unary(KV_RANGE, { key: key('a') }));
    expect({ code: error.code, noAnswer: error.noAnswer }).toEqual({
      code: GrpcStatus.CANCELLED,
      noAnswer: true,
    });
  });

  it('streams watch responses and reports the end when etcd goes away', async () => {
    const channel = channelTo([fixture.etcd.endpoint]);
    const responses: WatchResponse[] = [];
    const ended = new Promise<EtcdRpcError>((resolve) => {
      const stream = channel.stream(WATCH, {
        onMessage: (res) => responses.push(res),
        onEnd: resolve,
      });
      stream.write({ create_request: { key: key('w') } });
      cleanups.push(() => stream.cancel());
    });
    await eventually(() => responses.some((r) => r.created));
    await channel.unary(KV_PUT, { key: key('w'), value: Buffer.from('1') });
    await eventually(() => responses.some((r) => r.events.length > 0));
    await fixture.etcd.kill();
    expect((await ended).noAnswer).toBe(true);
    await fixture.etcd.restart();
  });
});

describe('GrpcChannel wire handling', () => {
  it('reads status and percent-encoded message from a trailers-only response', async () => {
    const endpoint = await serve((stream) =>
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': String(GrpcStatus.FAILED_PRECONDITION),
          'grpc-message': 'caf%C3%A9 is 100%25 closed',
        },
        { endStream: true },
      ),
    );
    const error = await rpcFailure(channelTo([endpoint]).unary(KV_RANGE, { key: key('a') }));
    expect({ code: error.code, message: error.message }).toEqual({
      code: GrpcStatus.FAILED_PRECONDITION,
      message: 'café is 100% closed',
    });
  });

  it('decodes a response whose frame arrives cut into many DATA frames', async () => {
    const frame = rangeResponseFrame(7);
    const endpoint = await serve((stream) => {
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc' },
        { waitForTrailers: true },
      );
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      for (let i = 0; i < frame.length; i += 3) stream.write(frame.subarray(i, i + 3));
      stream.end();
    });
    const res = await channelTo([endpoint]).unary(KV_RANGE, { key: key('a') });
    expect(res.header.revision).toBe(7);
  });

  it('delivers several watch responses packed into one DATA frame, in order', async () => {
    const endpoint = await serve((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.write(
        Buffer.concat([watchResponseFrame(1), watchResponseFrame(2), watchResponseFrame(3)]),
      );
    });
    const revisions: number[] = [];
    const stream = channelTo([endpoint]).stream(WATCH, {
      onMessage: (res) => revisions.push(res.header.revision),
      onEnd: () => undefined,
    });
    cleanups.push(() => stream.cancel());
    stream.write({ create_request: { key: key('w') } });
    await eventually(() => revisions.length === 3);
    expect(revisions).toEqual([1, 2, 3]);
  });
});

/** A real HTTP/2 server on loopback answering every stream with `handle`. */
async function serve(handle: (stream: ServerHttp2Stream) => void): Promise<string> {
  const server: Http2Server = http2.createServer();
  server.on('stream', (stream) => {
    stream.on('data', () => undefined); // read and ignore the request
    handle(stream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A RangeResponse { header { revision } } as a gRPC frame, encoded by hand. */
function rangeResponseFrame(revision: number): Buffer {
  // field 1 (header), length-delimited, containing field 3 (revision), varint
  const header = Buffer.from([0x18, revision]);
  return grpcFrame(Buffer.concat([Buffer.from([0x0a, header.length]), header]));
}

/** A WatchResponse carries its header in field 1 too, so the same bytes fit. */
const watchResponseFrame = rangeResponseFrame;

function grpcFrame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
