// The ReplicaSet controller's ControllerExpectations, for controllers that create or delete
// objects and then read their cache again. The cache lags the apiserver: right after creating
// three pods, a reconcile may still see none and create three more. So before acting, the
// controller records what it expects to see ("3 creations for shop/web"); the informer handlers
// count each one off as it arrives; and reconcile only acts again once the expectations are
// satisfied — all observed, or expired (a create that failed silently, a missed event), so a
// lost event delays the controller by the TTL instead of wedging it forever.
//
//   reconcile:   if (!expectations.satisfied(key)) return {};   // wait for the cache
//                expectations.expectCreations(key, missing);     // BEFORE the creates
//                for (…) { try { create() } catch { expectations.creationObserved(key) } }
//   onAdd(pod):  expectations.creationObserved(ownerKey(pod));   // then enqueue the owner
import { realClock, type Clock } from '@skiff/api';

/** kube-controller-manager's ExpectationsTimeout. */
export const DEFAULT_EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Expectation {
  adds: number;
  deletes: number;
  /** When it was set, on the clock; it counts as satisfied TTL after that. */
  readonly setAt: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly ttlMs: number = DEFAULT_EXPECTATIONS_TTL_MS,
  ) {}

  /**
   * True when the controller may act on `key`: nothing is expected, everything expected was
   * observed, or the expectation has outlived its TTL.
   */
  satisfied(key: string): boolean {
    const expectation = this.byKey.get(key);
    if (!expectation) return true;
    if (expectation.adds <= 0 && expectation.deletes <= 0) return true;
    return this.clock.now() - expectation.setAt >= this.ttlMs;
  }

  /** Replaces what is expected for `key` with `count` creations (call before creating). */
  expectCreations(key: string, count: number): void {
    this.set(key, count, 0);
  }

  /** Replaces what is expected for `key` with `count` deletions (call before deleting). */
  expectDeletions(key: string, count: number): void {
    this.set(key, 0, count);
  }

  /** Replaces what is expected for `key` (setting the TTL afresh). */
  set(key: string, adds: number, deletes: number): void {
    this.byKey.set(key, { adds, deletes, setAt: this.clock.now() });
  }

  /** Adds to what is expected for `key`, keeping its TTL start. */
  raise(key: string, adds: number, deletes: number): void {
    const expectation = this.byKey.get(key);
    if (!expectation) return this.set(key, adds, deletes);
    expectation.adds += adds;
    expectation.deletes += deletes;
  }

  /** One expected creation was seen in the cache (or will never happen: the create failed). */
  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  /** One expected deletion was seen in the cache (or will never happen: the delete failed). */
  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  /** Forgets `key` (its owner was deleted). */
  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** What is still expected for `key`, for logs and tests. */
  pending(key: string): { adds: number; deletes: number } | undefined {
    const expectation = this.byKey.get(key);
    return expectation && { adds: expectation.adds, deletes: expectation.deletes };
  }

  private lower(key: string, adds: number, deletes: number): void {
    const expectation = this.byKey.get(key);
    if (!expectation) return;
    expectation.adds -= adds;
    expectation.deletes -= deletes;
  }
}
