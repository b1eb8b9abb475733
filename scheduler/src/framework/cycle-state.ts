// CycleState: what plugins compute once per scheduling attempt and read back later in the same
// attempt (NodeResourcesFit's pod requests from PreFilter, read in Filter on every node;
// PodTopologySpread's and InterPodAffinity's counts from PreFilter/PreScore). It lives exactly as
// long as one attempt, so nothing in it can go stale. Keys are typed, so a reader gets back what
// its writer stored.

import type { FilterPlugin } from './interfaces.js';

export interface StateKey<T> {
  readonly name: string;
  /** Never set: only carries T for the type checker. */
  readonly _type?: T;
}

export function stateKey<T>(name: string): StateKey<T> {
  return { name };
}

export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter said Skip: their Filter is not run in this attempt. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore said Skip: their Score is not run in this attempt. */
  readonly skipScorePlugins = new Set<string>();
  /** Whether this attempt's plugin calls are timed (a sample of attempts, to keep them cheap). */
  recordPluginMetrics = false;
  /**
   * The profile's Filter plugins minus the skipped ones, worked out at the first Filter call
   * (PreFilter is over by then) instead of a set lookup per plugin per node.
   */
  activeFilterPlugins: readonly FilterPlugin[] | undefined;

  write<T>(key: StateKey<T>, value: T): void {
    this.data.set(key.name, value);
  }

  read<T>(key: StateKey<T>): T | undefined {
    return this.data.get(key.name) as T | undefined;
  }
}
