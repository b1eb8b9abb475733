// autoscaling/v1 Scale and coordination.k8s.io/v1 Lease: one small schema each.
import { int32, obj, str, time } from './json-schema.js';
import { topLevel } from './meta.js';

export const scale = topLevel({
  spec: obj({ replicas: int32 }),
  status: obj({ replicas: int32, selector: str }, ['replicas']),
});

export const lease = topLevel({
  spec: obj({
    holderIdentity: str,
    leaseDurationSeconds: int32,
    acquireTime: time,
    renewTime: time,
    leaseTransitions: int32,
    strategy: str,
    preferredHolder: str,
  }),
});
