// The eviction manager's admission check (eviction_manager.go's Admit): while the node reports
// pressure, a pod that has not started here yet is refused — under memory pressure only if it is
// BestEffort and does not tolerate the memory-pressure taint, under any other pressure always —
// unless it is critical. A refused pod ends Failed without ever running, with reason Evicted and
// `The node had condition: [MemoryPressure]. `, as the kubelet's rejectPod writes it.
import { taintTolerated, type Pod } from '@skiff/api';
import { podQOSClass } from '../qos/index.js';
import { isCriticalPod } from './eviction-manager.js';
import { EVICTED_REASON } from './message.js';
import type { PressureCondition } from './thresholds.js';

export interface Rejection {
  readonly reason: string;
  readonly message: string;
}

const MEMORY_PRESSURE_TAINT = {
  key: 'node.kubernetes.io/memory-pressure',
  effect: 'NoSchedule',
} as const;

export function admitUnderPressure(
  pod: Readonly<Pod>,
  conditions: readonly PressureCondition[],
): Rejection | undefined {
  if (conditions.length === 0 || isCriticalPod(pod)) return undefined;
  if (conditions.length === 1 && conditions[0] === 'MemoryPressure') {
    if (podQOSClass(pod) !== 'BestEffort') return undefined;
    if (taintTolerated(MEMORY_PRESSURE_TAINT, pod.spec.tolerations)) return undefined;
  }
  // Go's %v of a []NodeConditionType: the names in brackets, space-separated.
  return { reason: EVICTED_REASON, message: `The node had condition: [${conditions.join(' ')}]. ` };
}
