// coordination.k8s.io/v1 Lease: a heartbeat record. Kubelets renew one per node; controllers
// use one for leader election. Whoever renews it before leaseDurationSeconds passes holds it.
import type { MicroTime, ObjectMeta } from './meta.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: MicroTime;
  renewTime?: MicroTime;
  leaseTransitions?: number;
}

export interface Lease {
  apiVersion?: 'coordination.k8s.io/v1';
  kind?: 'Lease';
  metadata: ObjectMeta;
  spec?: LeaseSpec;
}
