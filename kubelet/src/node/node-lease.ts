// The node's heartbeat (Kubernetes' pkg/kubelet/nodelease): a Lease named after the node in
// `kube-node-lease`, owned by the Node (so it goes when the node is deleted), renewed every 10 s
// with a 40 s duration. The node lifecycle controller reads renewTime to tell a live kubelet
// from a dead one — far cheaper than rewriting the whole node status. A failed renewal is retried
// with a back-off from 200 ms doubling to 7 s, then the 10 s rhythm resumes.
import {
  Backoff,
  errorMessage,
  isConflict,
  isNotFound,
  sleepUnlessAborted,
  type Clock,
  type Lease,
} from '@skiff/api';
import type { Client } from '@skiff/client';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;
export const RENEW_INTERVAL_MS = 10_000;
export const RETRY_BACKOFF = { durationMs: 200, capMs: 7000 } as const;

export interface NodeLeaseOptions {
  readonly client: Pick<Client, 'leases'>;
  readonly clock: Clock;
  readonly nodeName: string;
  /** The Node's UID once registered, for the Lease's owner reference. */
  readonly nodeUid: () => string | undefined;
  readonly renewIntervalMs?: number;
  /** The Lease's leaseDurationSeconds (--node-lease-duration-seconds, 40). */
  readonly leaseDurationSeconds?: number;
  readonly log?: (message: string) => void;
}

/** A MicroTime: RFC 3339 with microseconds, as Kubernetes writes lease times. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class NodeLeaseController {
  private latest: Lease | undefined;

  constructor(private readonly options: NodeLeaseOptions) {}

  /** Renews until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    const interval = this.options.renewIntervalMs ?? RENEW_INTERVAL_MS;
    while (!signal.aborted) {
      const backoff = new Backoff(RETRY_BACKOFF);
      for (;;) {
        try {
          await this.renew();
          break;
        } catch (err) {
          this.options.log?.(`renewing node lease: ${errorMessage(err)}`);
          // A conflict or a vanished lease means our copy is stale: read it again next time.
          if (isConflict(err) || isNotFound(err)) this.latest = undefined;
          if (!(await sleepUnlessAborted(clock, backoff.step(), signal))) return;
        }
      }
      if (!(await sleepUnlessAborted(clock, interval, signal))) return;
    }
  }

  /** One renewal: create the Lease if missing, else move its renewTime to now. */
  async renew(): Promise<Lease> {
    const { client, clock, nodeName } = this.options;
    const leases = client.leases(NODE_LEASE_NAMESPACE);
    let current = this.latest;
    if (current === undefined) {
      try {
        current = await leases.get(nodeName);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const now = microTime(clock.now());
    if (current === undefined) {
      const uid = this.options.nodeUid();
      this.latest = await leases.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: nodeName,
          namespace: NODE_LEASE_NAMESPACE,
          ...(uid !== undefined && {
            ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid }],
          }),
        },
        spec: {
          holderIdentity: nodeName,
          leaseDurationSeconds: this.options.leaseDurationSeconds ?? LEASE_DURATION_SECONDS,
          renewTime: now,
        },
      });
      return this.latest;
    }
    const renewed = structuredClone(current);
    renewed.spec = {
      ...renewed.spec,
      holderIdentity: nodeName,
      leaseDurationSeconds: this.options.leaseDurationSeconds ?? LEASE_DURATION_SECONDS,
      renewTime: now,
    };
    this.latest = await leases.update(renewed);
    return this.latest;
  }
}
