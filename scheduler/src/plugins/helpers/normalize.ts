// Kubernetes' DefaultNormalizeScore: scales scores so the highest becomes `max` (integer
// division, as Kubernetes), optionally reversed (max − score) for "fewer is better" plugins such
// as TaintToleration's count of PreferNoSchedule taints.
import type { NodeScore } from '../../framework/index.js';

export function defaultNormalizeScore(max: number, reverse: boolean, scores: NodeScore[]): void {
  let highest = 0;
  for (const s of scores) if (s.score > highest) highest = s.score;
  if (highest === 0) {
    if (reverse) for (const s of scores) s.score = max;
    return;
  }
  for (const s of scores) {
    let score = Math.trunc((max * s.score) / highest);
    if (reverse) score = max - score;
    s.score = score;
  }
}
