// apps/v1 ReplicaSet and Deployment: a selector plus the pod template they stamp out.
import { bool, int32, int64, intOrString, obj, str } from './json-schema.js';
import { conditionsWith, labelSelector, topLevel } from './meta.js';
import { podTemplateSpec } from './pod.js';

export const replicaSet = topLevel({
  spec: obj(
    { replicas: int32, minReadySeconds: int32, selector: labelSelector, template: podTemplateSpec },
    ['selector'],
  ),
  status: obj({
    replicas: int32,
    fullyLabeledReplicas: int32,
    readyReplicas: int32,
    availableReplicas: int32,
    observedGeneration: int64,
    conditions: conditionsWith(['lastTransitionTime']),
  }),
});

export const deployment = topLevel({
  spec: obj(
    {
      replicas: int32,
      selector: labelSelector,
      template: podTemplateSpec,
      strategy: obj({
        type: str,
        rollingUpdate: obj({ maxUnavailable: intOrString, maxSurge: intOrString }),
      }),
      minReadySeconds: int32,
      revisionHistoryLimit: int32,
      paused: bool,
      progressDeadlineSeconds: int32,
    },
    ['selector', 'template'],
  ),
  status: obj({
    observedGeneration: int64,
    replicas: int32,
    updatedReplicas: int32,
    readyReplicas: int32,
    availableReplicas: int32,
    unavailableReplicas: int32,
    conditions: conditionsWith(['lastUpdateTime', 'lastTransitionTime']),
    collisionCount: int32,
  }),
});
