// The scheduler's events written concurrently, as Kubernetes' events broadcaster writes each
// event in its own goroutine. @skiff/client's EventRecorder has one writer; at a few hundred
// pods/s on a busy apiserver one writer completes a few dozen writes a second and its queue
// overflows, dropping most `Scheduled` events. So events are spread over several recorders,
// by object: every event about one pod goes through the same recorder, so its repeats are still
// counted on one Event and its spam filter still sees them all.
import type { Client, EventRecorderOptions, EventType, KubeObject } from '@skiff/client';
import { EventRecorder } from '@skiff/client';

/** Event writes in flight at most, one per recorder. */
export const EVENT_WRITERS = 16;

export class ConcurrentEventRecorder {
  private readonly shards: EventRecorder[];

  constructor(
    client: Pick<Client, 'events'>,
    options: EventRecorderOptions,
    writers = EVENT_WRITERS,
  ) {
    this.shards = Array.from({ length: writers }, () => new EventRecorder(client, options));
  }

  /** As EventRecorder.event: returns at once, never throws. */
  event(
    object: KubeObject,
    type: EventType,
    reason: string,
    messageFmt: string,
    ...args: unknown[]
  ): void {
    const key = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    this.shards[shardOf(key, this.shards.length)]?.event(object, type, reason, messageFmt, ...args);
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.shards.map((r) => r.shutdown()));
  }
}

/** FNV-1a of the key, modulo `n`: a stable recorder per object. */
function shardOf(key: string, n: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % n;
}
