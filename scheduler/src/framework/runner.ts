// The framework runner of one profile: the plugins of each extension point in order, and the
// rules for combining their answers (the first rejection wins in Filter; PreFilter results
// intersect; scores are normalized, weighted and summed). The scheduling algorithm in
// ../scheduler/ calls these; plugins never call each other.
import type { Pod } from '@skiff/api';
import type { ClusterEvent } from './cluster-event.js';
import { CycleState } from './cycle-state.js';
import {
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type BindPlugin,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeScore,
  type PermitPlugin,
  type Plugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueuedPodInfo,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
} from './interfaces.js';
import { noMetrics, type FrameworkMetrics } from './metrics-recorder.js';
import type { NodeInfo } from './node-info.js';
import { ColumnarScoreTable, NO_SCORES, ScoreColumn, type NodeScoreTable } from './score-table.js';
import { asErrorStatus, codeOf, Status, unresolvable } from './status.js';

export interface WeightedScorePlugin {
  readonly plugin: ScorePlugin;
  readonly weight: number;
}

/** The plugins of one profile, per extension point, in the order they run. */
export interface ProfilePlugins {
  readonly queueSort: QueueSortPlugin;
  readonly preFilter: readonly PreFilterPlugin[];
  readonly filter: readonly FilterPlugin[];
  readonly postFilter: readonly PostFilterPlugin[];
  readonly preScore: readonly PreScorePlugin[];
  readonly score: readonly WeightedScorePlugin[];
  readonly reserve: readonly ReservePlugin[];
  readonly permit: readonly PermitPlugin[];
  readonly preBind: readonly PreBindPlugin[];
  readonly bind: readonly BindPlugin[];
  readonly postBind: readonly PostBindPlugin[];
  /** Every enabled plugin that says which events can help the pods it rejects. */
  readonly enqueueExtensions: readonly (Plugin & EnqueueExtensions)[];
}

export class Framework {
  /** Sample plugin timings on this share of attempts (Kubernetes: 10 %). */
  private static readonly PLUGIN_METRICS_SAMPLE = 0.1;
  private readonly scratchScores: { name: string; score: number }[] = [];

  constructor(
    readonly profileName: string,
    readonly plugins: ProfilePlugins,
    /** The profile's percentageOfNodesToScore (0 or undefined: the adaptive default). */
    readonly percentageOfNodesToScore: number | undefined,
    private readonly metrics: FrameworkMetrics = noMetrics,
    private readonly random: () => number = Math.random,
  ) {}

  newCycleState(): CycleState {
    const state = new CycleState();
    state.recordPluginMetrics =
      this.random() < Framework.PLUGIN_METRICS_SAMPLE && this.metrics.acceptsPluginSamples();
    return state;
  }

  queueSortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    return this.plugins.queueSort.less(a, b);
  }

  /** The events, per plugin name, that may make a pod rejected by that plugin schedulable. */
  eventsToRegister(): Map<string, readonly ClusterEvent[]> {
    const map = new Map<string, readonly ClusterEvent[]>();
    for (const p of this.plugins.enqueueExtensions) map.set(p.name, p.eventsToRegister());
    return map;
  }

  /**
   * PreFilter: every plugin once. A rejection ends the attempt for all nodes. The node sets
   * plugins return are intersected; `nodeNames` undefined means all nodes.
   */
  runPreFilterPlugins(
    state: CycleState,
    pod: Readonly<Pod>,
    nodes: readonly NodeInfo[],
  ): {
    nodeNames: ReadonlySet<string> | undefined;
    narrowedBy: string[];
    status: Status | undefined;
  } {
    const started = performance.now();
    let nodeNames: Set<string> | undefined;
    const narrowedBy: string[] = [];
    let failed: Status | undefined;
    for (const p of this.plugins.preFilter) {
      const answer = this.timed(state, p.name, 'PreFilter', () => p.preFilter(state, pod, nodes));
      if (answer instanceof Status) {
        if (answer.code === 'Skip') {
          state.skipFilterPlugins.add(p.name);
          continue;
        }
        failed = answer.withPlugin(p.name);
        break;
      }
      if (answer) {
        narrowedBy.push(p.name);
        nodeNames = nodeNames
          ? new Set([...nodeNames].filter((n) => answer.nodeNames.has(n)))
          : new Set(answer.nodeNames);
        if (nodeNames.size === 0) {
          failed = unresolvable(
            `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`,
          ).withPlugin(p.name);
          break;
        }
      }
    }
    this.metrics.extensionPoint('PreFilter', codeOf(failed), seconds(started));
    return { nodeNames, narrowedBy, status: failed };
  }

  /** Filter: plugins in order; the first that rejects the node decides, the rest do not run. */
  runFilterPlugins(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined {
    // The hottest loop of the scheduler (nodes × plugins per attempt). No closure may be
    // written in this function: one that captures `state` makes V8 allocate a context for
    // every call, 40 bytes per node examined (a third of what an attempt allocated).
    const sampled = state.recordPluginMetrics;
    const plugins = state.activeFilterPlugins ?? this.activeFilterPlugins(state);
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i];
      if (!p) continue;
      let status: Status | undefined;
      const started = sampled ? performance.now() : 0;
      try {
        status = p.filter(state, pod, nodeInfo);
      } catch (err) {
        status = asErrorStatus(err);
      }
      if (sampled) this.metrics.plugin(p.name, 'Filter', codeOf(status), seconds(started));
      if (status) {
        if (status.code === 'Skip') continue;
        return status.withPlugin(p.name);
      }
    }
    return undefined;
  }

  /** The profile's Filter plugins minus those PreFilter skipped, worked out once per attempt. */
  private activeFilterPlugins(state: CycleState): readonly FilterPlugin[] {
    const active = this.plugins.filter.filter((p) => !state.skipFilterPlugins.has(p.name));
    state.activeFilterPlugins = active;
    return active;
  }

  /** PostFilter: until one plugin succeeds (makes room) or one returns an error. */
  runPostFilterPlugins(
    state: CycleState,
    pod: Readonly<Pod>,
    statuses: ReadonlyMap<string, Status>,
  ): { result: PostFilterResult | undefined; status: Status | undefined; messages: string[] } {
    const started = performance.now();
    const messages: string[] = [];
    let outcome: { result: PostFilterResult | undefined; status: Status | undefined } = {
      result: undefined,
      status: unresolvable('no PostFilter plugin made room'),
    };
    for (const p of this.plugins.postFilter) {
      const answer = this.timed(state, p.name, 'PostFilter', () =>
        p.postFilter(state, pod, statuses),
      );
      const { result, status } =
        answer instanceof Status ? { result: undefined, status: answer } : answer;
      if (status?.reasons.length) messages.push(status.message());
      if (!status || status.code === 'Error') {
        outcome = { result, status: status?.withPlugin(p.name) };
        break;
      }
      outcome = { result, status: status.withPlugin(p.name) };
    }
    this.metrics.extensionPoint('PostFilter', codeOf(outcome.status), seconds(started));
    return { ...outcome, messages };
  }

  runPreScorePlugins(
    state: CycleState,
    pod: Readonly<Pod>,
    nodes: readonly NodeInfo[],
  ): Status | undefined {
    const started = performance.now();
    let failed: Status | undefined;
    for (const p of this.plugins.preScore) {
      const status = this.timed(state, p.name, 'PreScore', () => p.preScore(state, pod, nodes));
      if (status?.code === 'Skip') {
        state.skipScorePlugins.add(p.name);
      } else if (status) {
        failed = status.withPlugin(p.name);
        break;
      }
    }
    this.metrics.extensionPoint('PreScore', codeOf(failed), seconds(started));
    return failed;
  }

  /**
   * Score: each plugin scores each node, normalizes its own scores to 0…100, and the profile's
   * weight multiplies them; a node's total is the sum. Any failure is an Error for the pod.
   */
  runScorePlugins(
    state: CycleState,
    pod: Readonly<Pod>,
    nodes: readonly NodeInfo[],
    /** The nodes' names, when the caller has them already (the table keeps this array). */
    names: readonly string[] = nodes.map((n) => n.name()),
  ): { scores: NodeScoreTable; status: Status | undefined } {
    const started = performance.now();
    const sampled = isSampled(state);
    const n = nodes.length;
    const plugins = this.plugins.score.filter((p) => !state.skipScorePlugins.has(p.plugin.name));
    // Every plugin's raw and normalized column and the totals in one buffer: one allocation per
    // attempt instead of two typed arrays per plugin (Score runs for hundreds of nodes).
    const buffer = new Float64Array((2 * plugins.length + 1) * n);
    const totals = buffer.subarray(2 * plugins.length * n);
    const columns: ScoreColumn[] = [];
    const list = this.scoreList(names);
    for (let k = 0; k < plugins.length; k++) {
      const entry = plugins[k];
      if (!entry) continue;
      const { plugin, weight } = entry;
      const pluginStarted = sampled ? performance.now() : 0;
      const raw = buffer.subarray(2 * k * n, (2 * k + 1) * n);
      const normalized = buffer.subarray((2 * k + 1) * n, (2 * k + 2) * n);
      for (let i = 0; i < n; i++) {
        const node = nodes[i];
        const scored = list[i];
        if (!node || !scored) continue;
        const s = plugin.score(state, pod, node);
        if (typeof s !== 'number') return this.scoreFailed(s.withPlugin(plugin.name), started);
        raw[i] = s;
        scored.score = s;
      }
      const status = plugin.normalizeScore?.(state, pod, list);
      if (status) return this.scoreFailed(status.withPlugin(plugin.name), started);
      for (let i = 0; i < n; i++) {
        const score = list[i]?.score ?? 0;
        if (score > MAX_NODE_SCORE || score < MIN_NODE_SCORE) {
          return this.scoreFailed(
            asErrorStatus(
              new Error(
                `plugin ${plugin.name} returns an invalid score ${score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`,
              ),
            ).withPlugin(plugin.name),
            started,
          );
        }
        normalized[i] = score;
        totals[i] = (totals[i] ?? 0) + score * weight;
      }
      columns.push(new ScoreColumn(plugin.name, weight, raw, normalized));
      if (sampled) this.metrics.plugin(plugin.name, 'Score', 'Success', seconds(pluginStarted));
    }
    this.metrics.extensionPoint('Score', 'Success', seconds(started));
    return { scores: new ColumnarScoreTable(names, columns, totals), status: undefined };
  }

  /**
   * The NodeScore list every Score plugin of an attempt fills and NormalizeScore rewrites in
   * place, kept between attempts (only read during one, and attempts never overlap): hundreds
   * of small objects per attempt otherwise.
   */
  private scoreList(names: readonly string[]): NodeScore[] {
    const list = this.scratchScores;
    if (list.length > names.length) list.length = names.length;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] ?? '';
      const entry = list[i];
      if (entry) {
        entry.name = name;
        entry.score = 0;
      } else list.push({ name, score: 0 });
    }
    return list;
  }

  private scoreFailed(status: Status, started: number): { scores: NodeScoreTable; status: Status } {
    this.metrics.extensionPoint('Score', status.code, seconds(started));
    return { scores: NO_SCORES, status };
  }

  /** Reserve in order; on a failure the caller runs Unreserve for every plugin. */
  runReservePluginsReserve(
    state: CycleState,
    pod: Readonly<Pod>,
    nodeName: string,
  ): Status | undefined {
    for (const p of this.plugins.reserve) {
      const status = this.timed(state, p.name, 'Reserve', () => p.reserve(state, pod, nodeName));
      if (status) return status.withPlugin(p.name);
    }
    return undefined;
  }

  /** Unreserve in reverse order, as Kubernetes: undo in the opposite order of doing. */
  runReservePluginsUnreserve(state: CycleState, pod: Readonly<Pod>, nodeName: string): void {
    for (const p of [...this.plugins.reserve].reverse()) p.unreserve(state, pod, nodeName);
  }

  runPermitPlugins(state: CycleState, pod: Readonly<Pod>, nodeName: string): Status | undefined {
    for (const p of this.plugins.permit) {
      const status = this.timed(state, p.name, 'Permit', () => p.permit(state, pod, nodeName));
      if (!status) continue;
      if (status.code === 'Wait') {
        return asErrorStatus(
          new Error(`plugin ${p.name} asked the pod to wait; waiting pods are not supported yet`),
        ).withPlugin(p.name);
      }
      return status.withPlugin(p.name);
    }
    return undefined;
  }

  async runPreBindPlugins(
    state: CycleState,
    pod: Readonly<Pod>,
    nodeName: string,
  ): Promise<Status | undefined> {
    for (const p of this.plugins.preBind) {
      const status = await this.caught(() => p.preBind(state, pod, nodeName));
      if (status) return status.withPlugin(p.name);
    }
    return undefined;
  }

  /** Bind: the first binder that does not Skip binds. */
  async runBindPlugins(
    state: CycleState,
    pod: Readonly<Pod>,
    nodeName: string,
  ): Promise<Status | undefined> {
    const started = performance.now();
    let outcome: Status | undefined = asErrorStatus(new Error('no bind plugin bound the pod'));
    for (const p of this.plugins.bind) {
      const status = await this.caught(() => p.bind(state, pod, nodeName));
      if (status?.code === 'Skip') continue;
      outcome = status?.withPlugin(p.name);
      break;
    }
    this.metrics.extensionPoint('Bind', codeOf(outcome), seconds(started));
    return outcome;
  }

  runPostBindPlugins(state: CycleState, pod: Readonly<Pod>, nodeName: string): void {
    for (const p of this.plugins.postBind) p.postBind(state, pod, nodeName);
  }

  private async caught(run: () => Promise<Status | undefined>): Promise<Status | undefined> {
    try {
      return await run();
    } catch (err) {
      return asErrorStatus(err);
    }
  }

  /** Runs a synchronous plugin call, timing it on sampled attempts; a throw is an Error status. */
  private timed<R>(state: CycleState, plugin: string, point: string, run: () => R): R | Status {
    if (!isSampled(state)) {
      try {
        return run();
      } catch (err) {
        return asErrorStatus(err);
      }
    }
    const started = performance.now();
    let answer: R | Status;
    try {
      answer = run();
    } catch (err) {
      answer = asErrorStatus(err);
    }
    const code = answer instanceof Status ? answer.code : 'Success';
    this.metrics.plugin(plugin, point, code, seconds(started));
    return answer;
  }
}

function isSampled(state: CycleState): boolean {
  return state.recordPluginMetrics;
}

function seconds(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}
