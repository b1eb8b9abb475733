// A protobuf watch stream, as client-go reads one: each event is a frame of a 4-byte big-endian
// length and a bare meta/v1 WatchEvent message (no `k8s\0` envelope: the stream's Content-Type
// says what it is), whose object is a RawExtension holding the object fully enveloped.
//
// As with the JSON stream, the watch cache hands every watcher the same frozen record for an
// event, so each record is encoded once, however many protobuf watchers it goes to.
import { ProtobufCodecError } from './codec-error.js';
import protobuf from 'protobufjs';
import { encodeEnveloped } from './envelope.js';

interface Event {
  readonly type: string;
  readonly object: unknown;
}

const frames = new WeakMap<object, Buffer>();

/** One event's frame; shared by every watcher that sends the same record. */
export function protobufWatchFrame(event: Event): Buffer {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = frameOf(event);
    frames.set(event, frame);
  }
  return frame;
}

/** The frames of a batch, as one buffer for one socket write. */
export function protobufWatchFrames(events: readonly Event[]): Buffer {
  const [first] = events;
  if (events.length === 1 && first) return protobufWatchFrame(first);
  return Buffer.concat(events.map(protobufWatchFrame));
}

/** A frame for an event of this watcher's own (a bookmark): not cached. */
export function frameOf(event: Event): Buffer {
  const object = encodeEnveloped(event.object);
  if (!object) {
    throw new ProtobufCodecError(`a ${describe(event.object)} has no protobuf encoding`);
  }
  // WatchEvent: 1 type, 2 object (a RawExtension: 1 raw).
  const w = protobuf.Writer.create();
  w.uint32(10).string(event.type);
  w.uint32(18).fork().uint32(10).bytes(object).ldelim();
  const message = w.finish();
  const frame = Buffer.allocUnsafe(4 + message.length);
  frame.writeUInt32BE(message.length, 0);
  frame.set(message, 4);
  return frame;
}

function describe(object: unknown): string {
  const kind = (object as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' ? kind : typeof object;
}
