// The extension points of Kubernetes' scheduling framework, one small interface each. A plugin
// is an object with a name and the methods of the stages it takes part in; the runner finds the
// stages by the methods present. The scheduling cycle (QueueSort … Permit) is synchronous: one
// pod at a time, on a snapshot that cannot change under it. The binding cycle (PreBind, Bind,
// PostBind) is asynchronous and runs while the next pod is scheduled.
import type { Clock, Pod, Selector } from '@skiff/api';
import type { Client } from '@skiff/client';
import type { NamespaceLabels } from './affinity-term.js';
import type { ClusterEvent } from './cluster-event.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { PodIndex } from './pod-index.js';
import type { Status } from './status.js';

export interface Plugin {
  readonly name: string;
}

/** A pod as the scheduling queue holds it. */
export interface QueuedPodInfo {
  pod: Readonly<Pod>;
  /** When it was last added to a queue (activeQ ordering ties, backoff start). */
  timestamp: number;
  /** Scheduling attempts so far; the backoff doubles with each. */
  attempts: number;
  /** When it first entered the queue (the SLI metric measures from here). */
  readonly initialAttemptTimestamp: number;
  /** Plugins that rejected it in its last attempt: only their events can help it. */
  unschedulablePlugins: Set<string>;
}

/** Orders the active queue. Exactly one per profile. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** The cluster events that could make a pod this plugin rejected schedulable. */
export interface EnqueueExtensions {
  eventsToRegister(): readonly ClusterEvent[];
}

/** A PreFilter may narrow the nodes worth filtering (NodeName, NodeAffinity on metadata.name). */
export interface PreFilterResult {
  readonly nodeNames: ReadonlySet<string>;
}

export interface PreFilterPlugin extends Plugin {
  /**
   * Once per attempt, before any Filter: compute what Filter needs into `state`. Skip means
   * "nothing to check for this pod": the plugin's Filter is not called this attempt.
   */
  preFilter(
    state: CycleState,
    pod: Readonly<Pod>,
    nodes: readonly NodeInfo[],
  ): PreFilterResult | Status | undefined;
}

export interface FilterPlugin extends Plugin {
  /** Whether the pod may run on this node; Unschedulable(AndUnresolvable) with reasons if not. */
  filter(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): Status | undefined;
}

export interface PostFilterResult {
  readonly nominatedNodeName?: string;
}

/** Runs when no node passed Filter: preemption's seam (skiff has no preemption yet). */
export interface PostFilterPlugin extends Plugin {
  postFilter(
    state: CycleState,
    pod: Readonly<Pod>,
    filteredNodeStatuses: ReadonlyMap<string, Status>,
  ): { result?: PostFilterResult; status: Status | undefined };
}

export interface PreScorePlugin extends Plugin {
  /** Once per attempt over the feasible nodes; Skip means the plugin's Score is not called. */
  preScore(state: CycleState, pod: Readonly<Pod>, nodes: readonly NodeInfo[]): Status | undefined;
}

export interface NodeScore {
  readonly name: string;
  score: number;
}

/** Scores are 0…MAX_NODE_SCORE after normalization; the profile's weight multiplies them. */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Readonly<Pod>, nodeInfo: NodeInfo): number | Status;
  /** Rescales this plugin's raw scores (in place) into 0…MAX_NODE_SCORE. */
  normalizeScore?(state: CycleState, pod: Readonly<Pod>, scores: NodeScore[]): Status | undefined;
}

export interface ReservePlugin extends Plugin {
  /** The pod is assumed on `nodeName`: claim whatever the plugin tracks. */
  reserve(state: CycleState, pod: Readonly<Pod>, nodeName: string): Status | undefined;
  /** Undo reserve (a later stage failed). Must be idempotent and never fail. */
  unreserve(state: CycleState, pod: Readonly<Pod>, nodeName: string): void;
}

/**
 * Last word before binding. skiff's Permit only allows or rejects (the seam for gang
 * scheduling); a `Wait` answer is treated as an error until waiting pods exist.
 */
export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: Readonly<Pod>, nodeName: string): Status | undefined;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Readonly<Pod>, nodeName: string): Promise<Status | undefined>;
}

export interface BindPlugin extends Plugin {
  /** Skip: "not mine", the next binder is asked. */
  bind(state: CycleState, pod: Readonly<Pod>, nodeName: string): Promise<Status | undefined>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Readonly<Pod>, nodeName: string): void;
}

/** The read side of the cycle's snapshot. */
export interface NodeInfoLister {
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Every cached pod by namespace and label, and existing pods' affinity terms by kind. */
  podIndex(): PodIndex;
  /**
   * Moves whenever a Node object is added, changed or removed (not when pods come and go): what
   * a plugin derived from the nodes alone stays valid while it does not move.
   */
  nodeGeneration(): number;
  /** How many nodes report having this image (by any of its names); 0 for none. */
  numNodesWithImage(image: string): number;
}

/** What a plugin may use besides the pod and the node: the snapshot, the API, the clock. */
export interface Handle {
  snapshot(): NodeInfoLister;
  /** A namespace's labels, for namespaceSelectors (the scheduler's Namespace informer). */
  readonly namespaceLabels: NamespaceLabels;
  /**
   * What the pod's Services and its controlling ReplicaSet select, merged (Kubernetes'
   * helper.DefaultSelector): the selector of cluster-default spreading. Everything when none.
   */
  readonly defaultSelector: (pod: Readonly<Pod>) => Selector;
  readonly client: Pick<Client, 'pods'>;
  readonly clock: Clock;
}

/** Makes a plugin from its args (already plain JSON) — throws with the field path if bad. */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

/** The registry: every plugin a profile may name, by name. A plain map, as Kubernetes'. */
export type Registry = Readonly<Record<string, PluginFactory>>;

export const isQueueSort = (p: Plugin): p is QueueSortPlugin => 'less' in p;
export const isEnqueueExtensions = (p: Plugin): p is Plugin & EnqueueExtensions =>
  'eventsToRegister' in p;
export const isPreFilter = (p: Plugin): p is PreFilterPlugin => 'preFilter' in p;
export const isFilter = (p: Plugin): p is FilterPlugin => 'filter' in p;
export const isPostFilter = (p: Plugin): p is PostFilterPlugin => 'postFilter' in p;
export const isPreScore = (p: Plugin): p is PreScorePlugin => 'preScore' in p;
export const isScore = (p: Plugin): p is ScorePlugin => 'score' in p;
export const isReserve = (p: Plugin): p is ReservePlugin => 'reserve' in p;
export const isPermit = (p: Plugin): p is PermitPlugin => 'permit' in p;
export const isPreBind = (p: Plugin): p is PreBindPlugin => 'preBind' in p;
export const isBind = (p: Plugin): p is BindPlugin => 'bind' in p;
export const isPostBind = (p: Plugin): p is PostBindPlugin => 'postBind' in p;
