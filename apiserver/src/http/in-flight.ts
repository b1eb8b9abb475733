// Kubernetes' max-in-flight filter: at most N reads and M writes are processed at once; the
// rest get 429 with Retry-After right away instead of queueing until everything times out.
// Long-running requests (watches, streams) are exempt: they are cheap while idle and would
// otherwise starve everyone else of slots.
import { apiErrors } from '@skiff/api';

export interface InFlightLimits {
  readonly maxReads: number;
  readonly maxMutations: number;
}

export const DEFAULT_IN_FLIGHT_LIMITS: InFlightLimits = { maxReads: 400, maxMutations: 200 };

const mutatingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The filter's own wording; clients retry after a second. */
function overloaded(): Error {
  return apiErrors.tooManyRequests('Too many requests, please try again later.', 1);
}

export class InFlightLimiter {
  private reads = 0;
  private mutations = 0;

  constructor(private readonly limits: InFlightLimits) {}

  /** Takes a slot or throws 429; returns the function that gives the slot back (call once). */
  acquire(method: string): () => void {
    const mutating = mutatingMethods.has(method);
    if (mutating) {
      if (this.mutations >= this.limits.maxMutations) throw overloaded();
      this.mutations++;
    } else {
      if (this.reads >= this.limits.maxReads) throw overloaded();
      this.reads++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mutating) this.mutations--;
      else this.reads--;
    };
  }
}
