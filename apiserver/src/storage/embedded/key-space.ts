// The MVCC index and the watch event log change together: every write adds a version and its
// event, every compaction trims both. Keeping that pairing in one place means live writes and log
// replay cannot drift apart.
import type { WatchEvent } from '../interface.js';
import { EventLog } from './event-log.js';
import { MvccIndex } from './mvcc.js';

export class KeySpace {
  readonly index = new MvccIndex();
  readonly events: EventLog;

  constructor(firstEventRevision = 1) {
    this.events = new EventLog(firstEventRevision);
  }

  put(key: string, value: Uint8Array, revision: number): WatchEvent {
    const { kv, prev } = this.index.put(key, value, revision);
    const event: WatchEvent = prev ? { type: 'put', kv, prevKv: prev } : { type: 'put', kv };
    this.events.append(event);
    return event;
  }

  /** The caller has checked that the key exists. */
  delete(key: string, revision: number): WatchEvent {
    const { kv, prev } = this.index.delete(key, revision);
    const event: WatchEvent = prev ? { type: 'delete', kv, prevKv: prev } : { type: 'delete', kv };
    this.events.append(event);
    return event;
  }

  compact(revision: number): void {
    this.index.compact(revision);
    // Keep the event at `revision` itself: a watch from revision - 1 is still allowed.
    this.events.dropBefore(revision);
  }
}
