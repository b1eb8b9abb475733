// Explain: the scheduler's latest decision for a pod, in full — every node Filter looked at with
// the plugin and reason that rejected it (null when it passed), every plugin's raw, normalized
// and weighted score for the nodes that passed, the total, the chosen node and why. No other
// scheduler shows this; `kubectl describe` only has the one-line FitError.
//
// Served as JSON (see ../server/ and README "Explain"):
//   { pod, attempt, time, node, message,
//     nodes: [{ name, filter: { plugin, reason } | null,
//               scores: { <plugin>: { raw, normalized, weighted } }, total }] }
// Nodes that passed come first, best total first; then the rejected ones by name. Nodes Filter
// never looked at (it stops at percentageOfNodesToScore) are not listed.
//
// What an attempt produced is kept by reference (its statuses and score lists, allocated
// anyway) and turned into JSON only when asked, so recording costs the hot path nothing.
import type { NodeScoreTable, Status } from '../framework/index.js';

export interface NodeDecision {
  readonly name: string;
  readonly filter: { readonly plugin: string; readonly reason: string } | null;
  readonly scores: Readonly<Record<string, { raw: number; normalized: number; weighted: number }>>;
  readonly total: number;
}

export interface Decision {
  /** `namespace/name` */
  readonly pod: string;
  /** The pod's scheduling attempt this decision came from (1 for the first). */
  readonly attempt: number;
  /** RFC 3339. */
  readonly time: string;
  /** The chosen node, or null when none was. */
  readonly node: string | null;
  /** Why: the winner's margin, or Kubernetes' FitError message, or the error. */
  readonly message: string;
  readonly nodes: readonly NodeDecision[];
}

export interface DecisionSummary {
  readonly pod: string;
  readonly attempt: number;
  readonly time: string;
  readonly node: string | null;
  readonly message: string;
}

/** One attempt's outcome as the scheduler had it, turned into a Decision on demand. */
export class RecordedDecision {
  constructor(
    readonly summary: DecisionSummary,
    /** Nodes that passed Filter, in the order they were found. */
    private readonly feasible: readonly string[],
    /** Rejected nodes and why. */
    private readonly rejected: ReadonlyMap<string, Status>,
    private readonly scores: NodeScoreTable,
  ) {}

  /** A rough size in bytes of the JSON, for the store's byte cap. */
  approximateBytes(): number {
    // Every node of an attempt is scored by the same plugins: count them on the first only
    // (each node's parts are built on demand, for the JSON).
    const plugins =
      this.scores.length > 0 ? this.scores.node(0).scores.length * this.scores.length : 0;
    return (
      300 +
      this.summary.message.length +
      90 * (this.feasible.length + this.rejected.size) +
      70 * plugins
    );
  }

  toJSON(): Decision {
    const positions = new Map<string, number>();
    for (let i = 0; i < this.scores.length; i++) positions.set(this.scores.name(i), i);
    const passed: NodeDecision[] = this.feasible.map((name) => {
      const position = positions.get(name);
      const s = position === undefined ? undefined : this.scores.node(position);
      const scores: Record<string, { raw: number; normalized: number; weighted: number }> = {};
      for (const p of s?.scores ?? [])
        scores[p.plugin] = { raw: p.raw, normalized: p.normalized, weighted: p.weighted };
      return { name, filter: null, scores, total: s?.total ?? 0 };
    });
    passed.sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
    const failed: NodeDecision[] = [...this.rejected]
      .map(([name, status]) => ({
        name,
        filter: { plugin: status.plugin, reason: status.message() },
        scores: {},
        total: 0,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { ...this.summary, nodes: [...passed, ...failed] };
  }
}

/** Why the winner won, in one sentence. */
export function winnerMessage(
  node: string,
  scores: NodeScoreTable,
  feasible: number,
  evaluated: number,
): string {
  if (scores.length === 0)
    return `${node} was the only node of ${evaluated} evaluated that passed every filter`;
  // One pass, not a sort: this runs for every scheduled pod, over every feasible node. The
  // runner-up is the first node (in scoring order) with the highest total below the best.
  let best = 0;
  let runnerUp = -1;
  let ties = 1;
  for (let i = 1; i < scores.length; i++) {
    const total = scores.total(i);
    if (total > scores.total(best)) {
      if (runnerUp < 0 || scores.total(best) > scores.total(runnerUp)) runnerUp = best;
      best = i;
      ties = 1;
    } else if (total === scores.total(best)) {
      ties++;
    } else if (runnerUp < 0 || total > scores.total(runnerUp)) {
      runnerUp = i;
    }
  }
  const margin =
    runnerUp >= 0 ? `; next best ${scores.name(runnerUp)} with ${scores.total(runnerUp)}` : '';
  const tie = ties > 1 ? ` (tied with ${ties - 1} other node(s), picked at random)` : '';
  return `${node} scored highest with ${scores.total(best)}${tie} of ${feasible} feasible nodes among ${evaluated} evaluated${margin}`;
}
