// Defaults a Pod gets beyond those of its PodSpec. Kubernetes keeps these out of pod templates
// on purpose: changing them there would change every Deployment's template hash and roll it.
import type { Container, Pod } from '../types/index.js';
import { defaultPodSpec } from './pod-spec.js';

export function defaultPod(pod: Pod): void {
  const spec = pod.spec;
  if (!spec) return;
  defaultPodSpec(spec);
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  containers.forEach(requestsFromLimits);
  spec.enableServiceLinks ??= true;
  // On the host's network a container port is a host port; saying so lets the scheduler see
  // the conflict between two such pods.
  if (spec.hostNetwork) {
    for (const port of containers.flatMap((c) => c.ports ?? []))
      port.hostPort ||= port.containerPort;
  }
}

/** A limit with no request requests the limit: "at most 1 CPU" reserves 1 CPU. */
function requestsFromLimits(container: Container): void {
  const limits = container.resources?.limits;
  if (!container.resources || !limits) return;
  const requests = (container.resources.requests ??= {});
  for (const [name, quantity] of Object.entries(limits)) requests[name] ??= quantity;
}
