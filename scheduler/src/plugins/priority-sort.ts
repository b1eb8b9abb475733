// PrioritySort (QueueSort): higher spec.priority first; equal priorities in the order they were
// queued, so no pod waits behind later arrivals of its own priority.
import type { PluginFactory, QueuedPodInfo, QueueSortPlugin } from '../framework/index.js';

export class PrioritySort implements QueueSortPlugin {
  static readonly pluginName = 'PrioritySort';
  static readonly factory: PluginFactory = () => new PrioritySort();
  readonly name = PrioritySort.pluginName;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const pa = a.pod.spec.priority ?? 0;
    const pb = b.pod.spec.priority ?? 0;
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  }
}
