// Several kubeconfigs (KUBECONFIG=a:b:c) merge as kubectl merges them: the first file to name a
// cluster, user or context wins that name, and the first file to set current-context wins it.
// Later files only fill in what earlier ones left out, so prepending a personal file to a
// shared list changes only what the personal file says.
import type { Kubeconfig } from './types.js';

export function mergeKubeconfigs(configs: readonly Kubeconfig[]): Kubeconfig {
  return {
    clusters: firstWins(configs.map((c) => c.clusters)),
    users: firstWins(configs.map((c) => c.users)),
    contexts: firstWins(configs.map((c) => c.contexts)),
    currentContext: configs.find((c) => c.currentContext)?.currentContext,
  };
}

function firstWins<T>(maps: readonly ReadonlyMap<string, T>[]): Map<string, T> {
  const merged = new Map<string, T>();
  for (const map of maps) {
    for (const [name, entry] of map) if (!merged.has(name)) merged.set(name, entry);
  }
  return merged;
}
