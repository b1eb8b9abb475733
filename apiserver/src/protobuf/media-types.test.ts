import { describe, expect, it } from 'vitest';
import { isProtobufContentType, prefersProtobuf } from './media-types.js';

describe('prefersProtobuf', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['application/json', false],
    ['*/*', false],
    ['application/vnd.kubernetes.protobuf', true],
    ['application/vnd.kubernetes.protobuf, application/json', true],
    ['application/vnd.kubernetes.protobuf,*/*', true],
    ['application/vnd.kubernetes.protobuf;stream=watch, application/json', true],
    ['application/json, application/vnd.kubernetes.protobuf', false],
    ['application/vnd.kubernetes.protobuf;q=0.5, application/json', false],
    ['application/json;q=0.1, application/vnd.kubernetes.protobuf', true],
    ['application/vnd.kubernetes.protobuf;q=0, application/json', false],
    // A conversion (kubectl's Tables) is answered in JSON.
    ['application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json', false],
  ])('%j → %s', (accept, expected) => {
    expect(prefersProtobuf(accept)).toBe(expected);
  });
});

describe('isProtobufContentType', () => {
  it.each([
    ['application/vnd.kubernetes.protobuf', true],
    ['Application/VND.kubernetes.protobuf; charset=binary', true],
    ['application/json', false],
    [undefined, false],
  ])('%j → %s', (contentType, expected) => {
    expect(isProtobufContentType(contentType)).toBe(expected);
  });
});
