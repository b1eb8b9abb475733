// One registered handler and its own queue of notifications (client-go's processorListener).
// The informer pushes; delivery happens a moment later, in order, from a microtask. Queuing per
// handler keeps the order of events for each handler, means a handler registered after start
// gets its synthetic adds *after* addEventHandler returns (never re-entrantly), and means a
// handler that throws (or whose promise rejects) is reported without stopping the informer or
// the other handlers. An async handler's promise is awaited before its next notification, so
// one handler never sees its events out of order; other handlers are not held up by it.
import type {
  EventHandlerRegistration,
  HandlerResult,
  Notification,
  ResourceEventHandler,
} from './event-handler.js';

export class ProcessorListener<T> implements EventHandlerRegistration {
  private readonly pending: Notification<T>[] = [];
  private scheduled = false;
  private synced = false;
  private removed = false;

  constructor(
    private readonly handler: ResourceEventHandler<T>,
    private readonly onRemove: (listener: ProcessorListener<T>) => void,
    private readonly log: (message: string) => void,
  ) {}

  push(notification: Notification<T>): void {
    if (this.removed) return;
    this.pending.push(notification);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  hasSynced(): boolean {
    return this.synced;
  }

  remove(): void {
    this.removed = true;
    this.pending.length = 0;
    this.onRemove(this);
  }

  private drain(): void {
    // Notifications pushed by a handler while draining are delivered in this same pass.
    for (let next = this.pending.shift(); next; next = this.pending.shift()) {
      const type = next.type;
      let result: HandlerResult;
      try {
        result = this.deliver(next);
      } catch (err) {
        this.reportFailure(type, err);
        continue;
      }
      if (result instanceof Promise) {
        // Stay "scheduled" while the handler works: pushes queue up behind it and are drained,
        // in order, once it settles.
        result.then(
          () => this.drain(),
          (err: unknown) => {
            this.reportFailure(type, err);
            this.drain();
          },
        );
        return;
      }
    }
    this.scheduled = false;
  }

  private reportFailure(type: Notification<T>['type'], err: unknown): void {
    this.log(
      `an event handler failed on ${type}: ${err instanceof Error ? err.stack : String(err)}`,
    );
  }

  private deliver(n: Notification<T>): HandlerResult {
    switch (n.type) {
      case 'add':
        return this.handler.onAdd?.(n.obj, n.isInInitialList);
      case 'update':
        return this.handler.onUpdate?.(n.oldObj, n.newObj);
      case 'delete':
        return this.handler.onDelete?.(n.obj, { finalStateUnknown: n.finalStateUnknown });
      case 'synced':
        this.synced = true;
    }
  }
}
