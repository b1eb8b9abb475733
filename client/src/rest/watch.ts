// A watch as an async iterator: `for await (const event of watch)`. It ends quietly when the
// server closes the stream (timeoutSeconds passed, or the server is going away) and when the
// caller aborts or breaks out of the loop; a connection that breaks mid-stream throws. Either
// way the caller's next step is the same — watch again from the last resourceVersion it saw —
// but only a break is worth logging.
//
// An ERROR event is yielded, not thrown: its object is a metav1.Status, and the one that matters
// is 410 Gone ("that resourceVersion is compacted"), on which a reflector must relist rather
// than rewatch. `isGone(event.object)` says so.
import type { Status } from '@skiff/api';
import { decodeJsonLines, StreamDecodeError } from './json-lines.js';
import { ConnectionError, type OpenStream } from './rest-client.js';

export type WatchEvent<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  /** Only metadata.resourceVersion is meaningful: "you have seen everything up to here". */
  | { readonly type: 'BOOKMARK'; readonly object: T }
  | { readonly type: 'ERROR'; readonly object: Status };

const eventTypes = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** An open watch: iterate it once for events; stop() ends it early. */
export interface Watch<T> extends AsyncIterable<WatchEvent<T>> {
  /** Ends the stream; a loop reading it finishes after the events already delivered. */
  stop(): void;
}

/** A watch read from the server's streamed JSON lines. */
export class StreamWatch<T> implements Watch<T> {
  private stopped = false;
  private iterated = false;

  constructor(
    private readonly stream: OpenStream,
    /** Names the watch in errors: `GET /api/v1/pods`. */
    private readonly what: string,
    private readonly signal?: AbortSignal,
  ) {}

  /** Ends the stream; a loop reading it finishes after the events already delivered. */
  stop(): void {
    this.stopped = true;
    this.stream.close();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.iterated) throw new Error(`${this.what}: a watch can be read only once`);
    this.iterated = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<WatchEvent<T>> {
    try {
      for await (const value of decodeJsonLines(this.stream.body)) {
        yield toWatchEvent<T>(value);
      }
    } catch (err) {
      if (this.stopped || this.signal?.aborted) return;
      if (err instanceof StreamDecodeError) {
        throw new StreamDecodeError(`${this.what}: ${err.message}`, err.cause);
      }
      throw new ConnectionError(`${this.what}: the watch stream broke`, err);
    } finally {
      this.stream.close();
    }
  }
}

function toWatchEvent<T>(value: unknown): WatchEvent<T> {
  const event = value as { type?: unknown; object?: unknown } | null;
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.type !== 'string' ||
    !eventTypes.has(event.type) ||
    typeof event.object !== 'object' ||
    event.object === null
  ) {
    throw new StreamDecodeError(`not a watch event: ${JSON.stringify(value).slice(0, 200)}`);
  }
  return event as WatchEvent<T>;
}
