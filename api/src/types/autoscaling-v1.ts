// autoscaling/v1 Scale: the body of the `scale` subresource (`kubectl scale deploy/web --replicas=3`).
import type { ObjectMeta } from './meta.js';

export interface Scale {
  apiVersion?: 'autoscaling/v1';
  kind?: 'Scale';
  metadata: ObjectMeta;
  spec?: { replicas?: number };
  /** selector is a label selector in its string form (`app=web`), as the HPA reads it. */
  status?: { replicas: number; selector?: string };
}
