// An attempt's scores: each feasible node's total by its position, and each Score plugin's raw
// and normalized column. Choosing the host and saying why read only names and totals; explain
// (the decision store) keeps the table and builds a node's per-plugin parts only when asked. So
// an attempt allocates a few arrays, not an object per feasible node (hundreds at 5,000 nodes) —
// and a scheduler keeping its last decisions for explain keeps those arrays alone.

/** One plugin's part of one node's score, kept for explaining the decision. */
export interface PluginScore {
  readonly plugin: string;
  readonly raw: number;
  readonly normalized: number;
  readonly weighted: number;
}

/** One node's total and each plugin's part of it, in the order the plugins ran. */
export interface NodePluginScores {
  readonly name: string;
  readonly scores: readonly PluginScore[];
  readonly total: number;
}

/** The scores of one attempt's feasible nodes, by position (the order they were scored in). */
export interface NodeScoreTable {
  readonly length: number;
  name(position: number): string;
  total(position: number): number;
  /** The node at `position` with each plugin's part of its total. */
  node(position: number): NodePluginScores;
}

/** One plugin's column: raw scores, then normalized ones, by node position. */
export class ScoreColumn {
  constructor(
    readonly plugin: string,
    readonly weight: number,
    readonly raw: Float64Array,
    readonly normalized: Float64Array,
  ) {}
}

/** The runner's table: columns of numbers; `columns` is filled in as each plugin runs. */
export class ColumnarScoreTable implements NodeScoreTable {
  constructor(
    private readonly names: readonly string[],
    private readonly columns: readonly ScoreColumn[],
    private readonly totals: Float64Array,
  ) {}

  get length(): number {
    return this.names.length;
  }

  name(position: number): string {
    return this.names[position] ?? '';
  }

  total(position: number): number {
    return this.totals[position] ?? 0;
  }

  node(position: number): NodePluginScores {
    return {
      name: this.name(position),
      total: this.total(position),
      scores: this.columns.map((c) => {
        const normalized = c.normalized[position] ?? 0;
        return {
          plugin: c.plugin,
          raw: c.raw[position] ?? 0,
          normalized,
          weighted: normalized * c.weight,
        };
      }),
    };
  }
}

/** A table over nodes already spelled out (tests; no nodes when Score did not run). */
export function scoreTableOf(nodes: readonly NodePluginScores[]): NodeScoreTable {
  return {
    length: nodes.length,
    name: (position) => nodes[position]?.name ?? '',
    total: (position) => nodes[position]?.total ?? 0,
    node: (position) => nodes[position] ?? { name: '', scores: [], total: 0 },
  };
}

/** No node was scored (one feasible node, or the attempt failed). */
export const NO_SCORES: NodeScoreTable = scoreTableOf([]);

/** Every node of `table` in position order, spelled out. */
export function scoreList(table: NodeScoreTable): NodePluginScores[] {
  return Array.from({ length: table.length }, (_, position) => table.node(position));
}
