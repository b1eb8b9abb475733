// Nodes: unlike other kinds with a status subresource, a Node keeps the status it is created
// with. A kubelet registers its Node with capacity, allocatable, addresses, conditions and
// nodeInfo in one create (Kubernetes' node strategy does not reset status on create), so the
// scheduler can place pods on it before the first status update arrives. Updates of the main
// resource still keep the stored status, as for every kind with /status.
import { defaultStrategy, type Strategy } from '../strategy.js';

export function nodeStrategy(): Strategy {
  return { ...defaultStrategy(true), prepareForCreate: () => undefined };
}
