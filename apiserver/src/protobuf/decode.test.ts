// What Go clients put on the wire that a JSON round trip never shows: every value field written
// even when zero, empty messages for zero Times, negative numbers as ten-byte varints, packed
// numbers, fields this server does not know.
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode.js';
import { messageType } from './schema.js';
import { ProtobufCodecError } from './codec-error.js';

const writer = (): protobuf.Writer => protobuf.Writer.create();
const deploymentSpec = messageType('k8s.io.api.apps.v1.DeploymentSpec');
const objectMeta = messageType('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta');
const containerStatus = messageType('k8s.io.api.core.v1.ContainerStatus');

describe('decoding what Go clients send', () => {
  it('drops zero value fields and keeps zero pointer fields', () => {
    const w = writer();
    w.uint32(8).int32(0); // replicas (*int32) = 0: meant
    w.uint32(40).int32(0); // minReadySeconds (int32) = 0: Go's zero, not sent in JSON
    w.uint32(48).int32(0); // revisionHistoryLimit (*int32) = 0: meant
    w.uint32(56).bool(false); // paused (bool) = false
    w.uint32(34).fork().ldelim(); // strategy (value struct) empty
    expect(decodeMessage(deploymentSpec, w.finish())).toEqual({
      replicas: 0,
      revisionHistoryLimit: 0,
      strategy: {},
    });
  });

  it('reads an empty Time as no time and an explicit epoch as one', () => {
    const w = writer();
    w.uint32(10).string('web'); // name
    w.uint32(18).string(''); // generateName: zero
    w.uint32(56).int64(0); // generation: zero
    w.uint32(66).fork().ldelim(); // creationTimestamp: a zero Time
    w.uint32(74).fork().uint32(8).int64(0).ldelim(); // deletionTimestamp: 1970-01-01
    w.uint32(80).int64(-1); // deletionGracePeriodSeconds: -1, a ten-byte varint
    expect(decodeMessage(objectMeta, w.finish())).toEqual({
      name: 'web',
      deletionTimestamp: '1970-01-01T00:00:00Z',
      deletionGracePeriodSeconds: -1,
    });
  });

  it('shows value fields JSON always shows, even when the client left them out', () => {
    const w = writer();
    w.uint32(10).string('c');
    expect(decodeMessage(containerStatus, w.finish())).toMatchObject({
      name: 'c',
      ready: false,
      restartCount: 0,
      image: '',
      imageID: '',
    });
  });

  it('skips fields it does not know and reads packed numbers', () => {
    const securityContext = messageType('k8s.io.api.core.v1.PodSecurityContext');
    const w = writer();
    w.uint32((999 << 3) | 2).string('from a newer Kubernetes');
    w.uint32((4 << 3) | 2)
      .fork()
      .int64(1000)
      .int64(2000)
      .ldelim(); // supplementalGroups, packed
    w.uint32(5 << 3).int64(3000); // fsGroup
    expect(decodeMessage(securityContext, w.finish())).toEqual({
      supplementalGroups: [1000, 2000],
      fsGroup: 3000,
    });
  });

  it.each([
    ['a truncated string', writer().uint32(10).uint32(5).finish()],
    [
      'a number field sent length-delimited',
      writer()
        .uint32((7 << 3) | 2)
        .string('x')
        .finish(),
    ],
    [
      'a message field sent as a number',
      writer()
        .uint32(8 << 3)
        .int64(7)
        .finish(),
    ],
    ['a varint longer than ten bytes', Buffer.from([0x38, ...Array<number>(11).fill(0xff)])],
  ])('refuses %s', (_name, bytes) => {
    expect(() => decodeMessage(objectMeta, bytes)).toThrow(ProtobufCodecError);
  });
});
