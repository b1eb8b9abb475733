// What a controller author writes: one method, `reconcile(request, signal) → Result`. The runtime
// (controller.ts) calls it for a key taken off the workqueue and turns the outcome into what
// happens to that key next (result-to-queue.ts).
//
// The request names an object and nothing more — no event type, no old and new copies — because
// reconciliation is level-based: the reconciler reads what the cluster looks like *now* and makes
// it right, whatever happened to get it here. Several changes in a row become one request.
import { splitKey } from '../informers/index.js';

/** Which object to reconcile. `namespace` is absent for cluster-scoped objects. */
export interface Request {
  readonly namespace?: string;
  readonly name: string;
}

/**
 * What the reconciler wants to happen next. An empty result means "done until something
 * changes". Returning an error (throwing) means "retry with backoff".
 */
export interface Result {
  /** Reconcile this request again, after the rate limiter's backoff. */
  readonly requeue?: boolean;
  /** Reconcile this request again after this many milliseconds (wins over `requeue`). */
  readonly requeueAfter?: number;
}

export interface Reconciler {
  /**
   * Makes the cluster match what the named object asks for. Must be idempotent: it is called
   * again after errors, after restarts and whenever anything it watches changes. `signal`
   * aborts when the controller must stop acting (leadership lost, shutdown timed out).
   */
  reconcile(request: Request, signal: AbortSignal): Promise<Result>;
}

/** A reconciler written as a plain function. */
export type ReconcileFunc = Reconciler['reconcile'];

/**
 * An error retrying cannot fix (an invalid spec, say): the runtime logs it and forgets the key
 * instead of backing off forever. The next change to the object brings it back.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** True when `err`, or any error in its `cause` chain, is a TerminalError. */
export function isTerminalError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 16; depth++) {
    if (e instanceof TerminalError) return true;
    e = e.cause;
  }
  return false;
}

/** The workqueue key of a request: `namespace/name`, or `name` when cluster-scoped. */
export function requestKey(request: Request): string {
  return request.namespace ? `${request.namespace}/${request.name}` : request.name;
}

export function requestFromKey(key: string): Request {
  const { namespace, name } = splitKey(key);
  return namespace ? { namespace, name } : { name };
}
