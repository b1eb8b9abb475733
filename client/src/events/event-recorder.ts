// The event recorder controllers use to tell humans what they did ("Scaled up replica set web
// to 3"), shown by `kubectl describe` and `kubectl get events`. Like client-go's record package,
// recording is fire-and-forget: event() only queues, and never blocks, throws, or fails the
// caller's reconcile because the apiserver is slow or down. A single writer drains the queue,
// correlating each event (repeats, similar messages, spam) before writing it.
import { format } from 'node:util';
import { ApiError, errorMessage, isNotFound, realClock, type Clock, type Event } from '@skiff/api';
import type { Client } from '../rest/client.js';
import type { KubeObject } from '../rest/resource-client.js';
import { EventCorrelator, type Correlated, type CorrelationOptions } from './correlator.js';
import {
  EventNamer,
  makeEvent,
  referenceTo,
  type EventSourceInfo,
  type EventType,
} from './make-event.js';

export interface EventRecorderOptions extends EventSourceInfo {
  readonly clock?: Clock;
  /** Events waiting to be written; more are dropped with a log line (client-go: 1000). */
  readonly queueSize?: number;
  /** Tries per event before it is dropped; only failures that may pass are retried. */
  readonly maxAttempts?: number;
  /** Wait between tries (client-go: 10 s). */
  readonly retryDelayMs?: number;
  readonly correlation?: CorrelationOptions;
  /** Where dropped events are reported. Default: stderr. */
  readonly log?: (message: string) => void;
}

interface QueuedEvent {
  readonly event: Event;
  /** When it happened, on the recorder's clock. */
  readonly at: number;
}

export class EventRecorder {
  private readonly clock: Clock;
  private readonly source: EventSourceInfo;
  private readonly namer = new EventNamer();
  private readonly correlator: EventCorrelator;
  private readonly queue: QueuedEvent[] = [];
  private readonly queueSize: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly log: (message: string) => void;
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly client: Pick<Client, 'events'>,
    options: EventRecorderOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.source = { component: options.component, ...(options.host && { host: options.host }) };
    this.correlator = new EventCorrelator(this.namer, this.clock, options.correlation);
    this.queueSize = options.queueSize ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 10_000;
    this.log =
      options.log ??
      ((message) => process.stderr.write(`events ${options.component}: ${message}\n`));
  }

  /**
   * Records that something happened to `object` (which must carry apiVersion and kind, as
   * objects read from the apiserver do). `messageFmt` is formatted with `args` like
   * util.format ('%s', '%d', '%j'). Returns at once; never throws.
   */
  event(
    object: KubeObject,
    type: EventType,
    reason: string,
    messageFmt: string,
    ...args: unknown[]
  ): void {
    try {
      const message = args.length > 0 ? format(messageFmt, ...args) : messageFmt;
      if (this.closed) {
        this.log(`dropped event ${reason} (${message}): the recorder is shut down`);
        return;
      }
      if (this.queue.length >= this.queueSize) {
        this.log(`dropped event ${reason} (${message}): ${this.queueSize} events already queued`);
        return;
      }
      const involvedObject = referenceTo(object);
      const now = this.clock.now();
      const facts = { involvedObject, source: this.source, type, reason, message };
      const event = makeEvent(facts, this.namer.name(involvedObject.name ?? '', now), now);
      this.queue.push({ event, at: now });
      this.draining ??= this.drain();
    } catch (err) {
      this.log(`could not record event ${reason}: ${errorMessage(err)}`);
    }
  }

  /** Resolves once every event queued so far has been written or dropped. */
  flush(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  /** Refuses further events and waits for the queued ones. */
  async shutdown(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async drain(): Promise<void> {
    // Start on a later microtask, so `this.draining` is assigned before the loop can finish
    // and clear it (a queue of spam-filtered events would otherwise finish synchronously).
    await Promise.resolve();
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        const correlated = this.correlator.correlate(next.event, next.at);
        if (correlated) await this.writeWithRetries(correlated);
      } catch (err) {
        this.log(`dropped event ${describe(next.event)}: ${errorMessage(err)}`);
      }
    }
    // Nothing is left and nothing awaited since the last shift: the next event() starts anew.
    this.draining = undefined;
  }

  private async writeWithRetries(correlated: Correlated): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const written = await this.write(correlated);
        this.correlator.written(correlated.key, written);
        return;
      } catch (err) {
        if (!mayPassLater(err)) {
          this.log(
            `the server rejected event ${describe(correlated.event)}, not retrying: ${errorMessage(err)}`,
          );
          return;
        }
        if (attempt >= this.maxAttempts) {
          this.log(
            `dropped event ${describe(correlated.event)} after ${attempt} attempts: ${errorMessage(err)}`,
          );
          return;
        }
      }
      await this.clock.sleep(this.retryDelayMs);
    }
  }

  private async write({ event, patch }: Correlated): Promise<Event> {
    const events = this.client.events(event.metadata.namespace);
    if (patch) {
      try {
        return await events.patch(event.metadata.name ?? '', patch, { type: 'merge' });
      } catch (err) {
        // The Event expired on the server (events have a TTL) or was deleted: start it again.
        if (!isNotFound(err)) throw err;
      }
    }
    const { resourceVersion: _resourceVersion, ...metadata } = event.metadata;
    return events.create({ ...event, metadata });
  }
}

/** Connection failures, timeouts, 429 and 5xx may pass; any other answer will not. */
function mayPassLater(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return err.code === 429 || err.code >= 500;
}

function describe(event: Event): string {
  const o = event.involvedObject;
  return `${event.reason ?? ''} for ${o.kind ?? ''} ${o.namespace ? `${o.namespace}/` : ''}${o.name ?? ''}`;
}
