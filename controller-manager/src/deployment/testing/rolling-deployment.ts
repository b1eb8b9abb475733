// A Deployment builder with the RollingUpdate fenceposts set, for the tests of rollout arithmetic.
import type { IntOrString } from '@skiff/api';
import { makeDeployment, type DeploymentBuilder } from '@skiff/api/testing';

export function rollingDeployment(
  replicas: number,
  maxSurge: IntOrString,
  maxUnavailable: IntOrString,
): DeploymentBuilder {
  return makeDeployment()
    .replicas(replicas)
    .strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } });
}
