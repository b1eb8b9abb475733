// Which containers the kernel's OOM killer takes first (Kubernetes' pkg/kubelet/qos/policy.go):
// Guaranteed pods almost never (-997), BestEffort first (1000), Burstable in between, the more
// memory a container requested of the node the less likely.
import { ResourceQuantity, type Container } from '@skiff/api';
import type { QOSClass } from './qos-class.js';

export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BEST_EFFORT_OOM_SCORE_ADJ = 1000;

export function containerOomScoreAdj(
  qos: QOSClass,
  container: Readonly<Container>,
  nodeMemoryCapacityBytes: number,
): number {
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BEST_EFFORT_OOM_SCORE_ADJ;
  const request = container.resources?.requests?.memory;
  const requestBytes = request === undefined ? 0 : ResourceQuantity.parse(request).value();
  const score = Math.trunc(1000 - (1000 * requestBytes) / Math.max(1, nodeMemoryCapacityBytes));
  // Burstable stays strictly between the two other classes.
  if (score < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (score >= BEST_EFFORT_OOM_SCORE_ADJ) return BEST_EFFORT_OOM_SCORE_ADJ - 1;
  return score;
}
