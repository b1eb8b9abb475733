// Deployments (Kubernetes' pkg/registry/apps/deployment): two rules besides the generic ones.
// An annotation change bumps the generation, as a spec change does, because the Deployment
// controller copies the Deployment's annotations to its ReplicaSets. And a write to /status
// keeps only spec and labels from the stored object, so the controller can record the
// `deployment.kubernetes.io/revision` annotation together with the status it writes — without
// bumping the generation, which a write to the main resource would.
import { semanticEqual } from '@skiff/api';
import type { ApiObject } from '../api-object.js';
import { desiredStateChanged } from '../generation.js';
import { defaultStrategy, type Strategy } from '../strategy.js';

export function deploymentStrategy(): Strategy {
  return {
    ...defaultStrategy(true),
    desiredStateChanged: (next, prev) =>
      desiredStateChanged(next, prev) ||
      !semanticEqual(next.metadata.annotations ?? {}, prev.metadata.annotations ?? {}),
    prepareForStatusUpdate: (requested, current) => {
      const next: ApiObject = {
        ...requested,
        spec: current.spec,
        metadata: { ...requested.metadata },
      };
      if (current.metadata.labels === undefined) delete next.metadata.labels;
      else next.metadata.labels = current.metadata.labels;
      return next;
    },
  };
}
