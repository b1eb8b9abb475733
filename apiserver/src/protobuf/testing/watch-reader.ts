// Reads a protobuf watch stream the way client-go does: 4-byte big-endian length, then a bare
// WatchEvent whose object is an enveloped object.
import { decodeEnveloped } from '../envelope.js';
import { messageType, META } from '../schema.js';

const watchEventType = messageType(`${META}.WatchEvent`);

export interface DecodedWatchEvent {
  readonly type: string;
  readonly object: Record<string, unknown>;
}

/** Reads frames from `stream` until `count` events have arrived. */
export async function readWatchEvents(
  stream: ReadableStream<Uint8Array>,
  count: number,
): Promise<DecodedWatchEvent[]> {
  const reader = stream.getReader();
  let pending = Buffer.alloc(0);
  const events: DecodedWatchEvent[] = [];
  try {
    while (events.length < count) {
      const { done, value } = await reader.read();
      if (done) break;
      pending = Buffer.concat([pending, value]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
        const length = pending.readUInt32BE(0);
        const event = watchEventType.decode(pending.subarray(4, 4 + length)) as unknown as {
          type: string;
          object: { raw: Uint8Array };
        };
        events.push({ type: event.type, object: decodeEnveloped(event.object.raw).object });
        pending = pending.subarray(4 + length);
      }
    }
  } finally {
    await reader.cancel();
  }
  return events;
}
