// The status manager (Kubernetes' pkg/kubelet/status): pod workers hand it the status they
// computed; it writes `pods/status` only when that differs from what was last written or what
// the API has, and batches: statuses set in one turn of the event loop, or while earlier writes
// are in flight, go out together, the latest per pod winning. It does not wait beyond that, as
// upstream's status manager does not: a pod's sync sets one status per change it made (its
// runtime state comes from the pod cache), so a wait would only delay each pod's Running. A pod whose
// containers are all stopped after deletion gets its final status and is then deleted with
// grace 0 (with its UID as a precondition, so a new pod of the same name is never touched).
import {
  errorMessage,
  isNotFound,
  type Clock,
  type Pod,
  type PodStatus,
  type Timer,
} from '@skiff/api';
import type { Client } from '@skiff/client';
import type { PodRef } from '../container/index.js';
import { podRefOfPod } from '../kuberuntime/sandbox-config.js';
import { canonicalJson } from '../util/canonical-json.js';

export interface StatusManagerOptions {
  readonly client: Pick<Client, 'pods'>;
  readonly clock: Clock;
  /** The pod as the API has it now (the informer's copy), if it still exists. */
  readonly apiPod: (uid: string) => Readonly<Pod> | undefined;
  /**
   * The UID of the API object a pod's status goes to: a static pod's is its mirror's, undefined
   * while it has none (the status waits). Default: the pod's own UID.
   */
  readonly apiUid?: (uid: string) => string | undefined;
  /** How long statuses are gathered before they are written (default 0: this turn only). */
  readonly batchDelayMs?: number;
  /** Wait before a failed write is tried again (default 1 s). */
  readonly retryDelayMs?: number;
  readonly log?: (message: string) => void;
}

interface PendingStatus {
  readonly ref: PodRef;
  readonly status: PodStatus;
  readonly json: string;
  /** Delete the pod (grace 0) once this status is written. */
  readonly thenDelete: boolean;
}

export class StatusManager {
  private readonly pending = new Map<string, PendingStatus>();
  /** The status last written per pod UID, as canonical JSON. */
  private readonly written = new Map<string, string>();
  private timer: Timer | undefined;
  private flushing: Promise<void> | undefined;
  private writes = 0;

  constructor(private readonly options: StatusManagerOptions) {}

  /** How many status writes and deletes were sent (for tests and metrics). */
  writeCount(): number {
    return this.writes;
  }

  setPodStatus(pod: Readonly<Pod>, status: PodStatus): void {
    this.set(pod, status, false);
  }

  /** The pod's containers are all stopped: write its final status, then delete it. */
  terminatePod(pod: Readonly<Pod>, status: PodStatus): void {
    this.set(pod, status, true);
  }

  /** The pod is gone: forget it. */
  forget(uid: string): void {
    this.pending.delete(uid);
    this.written.delete(uid);
  }

  /** Writes everything pending now (tests, shutdown). */
  async flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.flushing = Promise.all(batch.map((entry) => this.write(entry))).then(() => undefined);
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private set(pod: Readonly<Pod>, status: PodStatus, thenDelete: boolean): void {
    const ref = podRefOfPod(pod);
    const json = canonicalJson(status);
    const api = this.options.apiPod(ref.uid);
    const unchanged =
      json === this.written.get(ref.uid) ||
      (api !== undefined && canonicalJson(api.status ?? {}) === json);
    if (unchanged && !thenDelete) {
      this.pending.delete(ref.uid);
      return;
    }
    this.pending.set(ref.uid, { ref, status, json, thenDelete });
    this.schedule(this.options.batchDelayMs ?? 0);
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = this.options.clock.setTimer(delayMs, () => {
      this.timer = undefined;
      this.flush().catch((err: unknown) =>
        this.options.log?.(`status manager: ${errorMessage(err)}`),
      );
    });
  }

  private async write(entry: PendingStatus): Promise<void> {
    const { ref } = entry;
    const pods = this.options.client.pods(ref.namespace);
    const apiUid = this.options.apiUid ? this.options.apiUid(ref.uid) : ref.uid;
    if (apiUid === undefined) {
      if (!this.pending.has(ref.uid)) this.pending.set(ref.uid, entry);
      this.schedule(this.options.retryDelayMs ?? 1000);
      return;
    }
    try {
      if (entry.json !== this.written.get(ref.uid)) {
        // A merge patch replaces each list it names (conditions, containerStatuses) whole, which
        // is what a status written from scratch wants; the UID makes it fail on a new pod.
        await pods.patch(
          ref.name,
          { metadata: { uid: apiUid }, status: entry.status },
          { type: 'merge', subresource: 'status' },
        );
        this.writes++;
        this.written.set(ref.uid, entry.json);
      }
      if (entry.thenDelete) {
        await pods.delete(ref.name, { gracePeriodSeconds: 0, preconditions: { uid: apiUid } });
        this.writes++;
      }
    } catch (err) {
      if (isNotFound(err)) {
        this.forget(ref.uid);
        return;
      }
      this.options.log?.(
        `writing status of pod ${ref.namespace}/${ref.name}: ${errorMessage(err)}`,
      );
      // Try again later unless a newer status arrived meanwhile.
      if (!this.pending.has(ref.uid)) this.pending.set(ref.uid, entry);
      this.schedule(this.options.retryDelayMs ?? 1000);
    }
  }
}
