import { constants as h2 } from 'node:http2';
import { describe, expect, it } from 'vitest';
import {
  decodeGrpcMessage,
  EtcdRpcError,
  GrpcStatus,
  statusFromHttp,
  statusFromMetadata,
  statusFromResetCode,
} from './grpc-status.js';

describe('decodeGrpcMessage', () => {
  it.each([
    ['plain ASCII unchanged', 'etcdserver: leader changed', 'etcdserver: leader changed'],
    ['an encoded percent sign', '100%25 done', '100% done'],
    ['encoded UTF-8 bytes', 'caf%C3%A9 %E2%9C%93', 'café ✓'],
    ['lower-case hex', 'caf%c3%a9', 'café'],
    ['a malformed sequence kept as it is', 'bad %zz escape', 'bad %zz escape'],
    ['a percent sign at the very end', 'ends with %', 'ends with %'],
    ['a sequence cut short at the end', 'ends with %4', 'ends with %4'],
    ['raw UTF-8 that arrived as latin1', Buffer.from('café').toString('latin1'), 'café'],
  ])('decodes %s', (_name, encoded, decoded) => {
    expect(decodeGrpcMessage(encoded)).toBe(decoded);
  });
});

describe('call status', () => {
  it('reads code and percent-decoded message from trailers', () => {
    expect(statusFromMetadata({ 'grpc-status': '9', 'grpc-message': 'no%20way' })).toEqual({
      code: GrpcStatus.FAILED_PRECONDITION,
      message: 'no way',
    });
  });

  it('has no status for headers without grpc-status (a normal response start)', () => {
    expect(statusFromMetadata({ 'content-type': 'application/grpc' })).toBeUndefined();
  });

  it.each([
    [undefined, GrpcStatus.UNAVAILABLE],
    [503, GrpcStatus.UNAVAILABLE],
    [404, GrpcStatus.UNIMPLEMENTED],
    [200, GrpcStatus.UNAVAILABLE],
    [500, GrpcStatus.UNKNOWN],
  ])('maps HTTP status %s without grpc-status to code %i', (http, code) => {
    expect(statusFromHttp(http).code).toBe(code);
  });

  it.each([
    [h2.NGHTTP2_REFUSED_STREAM, GrpcStatus.UNAVAILABLE],
    [h2.NGHTTP2_CANCEL, GrpcStatus.CANCELLED],
    [h2.NGHTTP2_ENHANCE_YOUR_CALM, GrpcStatus.RESOURCE_EXHAUSTED],
    [h2.NGHTTP2_PROTOCOL_ERROR, GrpcStatus.INTERNAL],
  ])('maps a stream reset with HTTP/2 code %i to gRPC code %i', (rst, code) => {
    expect(statusFromResetCode(rst).code).toBe(code);
  });

  it.each([
    [GrpcStatus.UNAVAILABLE, true],
    [GrpcStatus.DEADLINE_EXCEEDED, true],
    [GrpcStatus.CANCELLED, true],
    [GrpcStatus.OUT_OF_RANGE, false],
    [GrpcStatus.INVALID_ARGUMENT, false],
  ])('says whether code %i means etcd never answered', (code, noAnswer) => {
    expect(new EtcdRpcError(code, 'x').noAnswer).toBe(noAnswer);
  });
});
