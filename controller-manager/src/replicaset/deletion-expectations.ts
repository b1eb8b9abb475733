// Kubernetes' UIDTrackingControllerExpectations: the client's ControllerExpectations, plus the
// keys of the pods a controller deleted. A gracefully deleted pod is "seen deleted" twice — once
// when its deletionTimestamp appears, once when it is gone — and a plain counter would count it
// twice, call the expectations met early, and let the next sync delete one pod too many.
// Tracking which pods were asked to go makes each one count once.
import { ControllerExpectations } from '@skiff/client';

export class UidTrackingExpectations extends ControllerExpectations {
  private readonly deleting = new Map<string, Set<string>>();

  /** Expect the deletion of exactly these pods (by `namespace/name`) for `ownerKey`. */
  expectDeletionsOf(ownerKey: string, podKeys: readonly string[]): void {
    this.deleting.set(ownerKey, new Set(podKeys));
    this.expectDeletions(ownerKey, podKeys.length);
  }

  /** A pod of `ownerKey` was seen deleted (or will not be): counts once per expected pod. */
  deletionOf(ownerKey: string, podKey: string): void {
    const keys = this.deleting.get(ownerKey);
    if (!keys?.delete(podKey)) return;
    this.deletionObserved(ownerKey);
  }

  override delete(ownerKey: string): void {
    this.deleting.delete(ownerKey);
    super.delete(ownerKey);
  }
}
